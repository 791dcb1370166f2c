"""The demo's related documents: every signed demo assessment names its
documents, and Odense's GPS assessment carries an uploaded DPIA, generated here as a small PDF. The same bytes every run (ReportLab's invariant mode),
so the demo's signed PDF and its hash are reproducible."""

from __future__ import annotations

import io
from datetime import date

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from app.assessments.models import Assessment
from app.documents import services as documents

DPIA_LINES = (
    "Odense Kommune · Ældre- og Handicapforvaltningen",
    "Konsekvensanalyse (DPIA) for GPS-ure til borgere med demens",
    "Dato: 3. februar 2026 · Databeskyttelsesforordningens artikel 35",
    "",
    "1. Behandlingen: GPS-position fra uret, kun når borgeren forlader det aftalte område.",
    "2. Nødvendighed: tilsynet efter serviceloven kan ikke ydes lige så skånsomt uden positionen.",
    "3. Risici: overvågning ud over formålet, uautoriseret adgang, fejlalarmer.",
    "4. Tiltag: adgang kun for vagthavende, sletning efter 24 timer, log over opslag,",
    "   skriftlig information til borger og værge, uret kan slås fra.",
    "5. Restrisiko: lav. Databeskyttelsesrådgiveren er hørt 27. januar 2026.",
)


def dpia_pdf() -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    pdf.setTitle("Konsekvensanalyse (DPIA) – GPS-ure")
    pdf.setAuthor("Odense Kommune")
    y = A4[1] - 72
    for number, line in enumerate(DPIA_LINES):
        pdf.setFont("Helvetica-Bold" if number == 1 else "Helvetica", 13 if number == 1 else 10)
        pdf.drawString(56, y, line)
        y -= 20 if number == 1 else 15
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _link(title: str, url: str, dated: date | None = None) -> dict:
    return {"status": "foreligger", "title": title, "url": url, "document_date": dated, "reason": ""}


def _not_needed(reason: str) -> dict:
    return {"status": "ikke_noedvendigt", "reason": reason}


# The other demo assessments' documents, by link or with the reason one is not needed; each
# technology's own (Odense's GPS assessment uploads its DPIA, below).
DOCUMENTS = {
    "sensors": {
        "dpia": _link(
            "Konsekvensanalyse: sensorer i plejeboliger om natten",
            "https://www.aarhus.example.dk/databeskyttelse/dpia/natsensorer",
            date(2026, 1, 12),
        ),
        "databehandleraftale": _link(
            "Databehandleraftale med leverandøren af natsensorerne",
            "https://www.aarhus.example.dk/databeskyttelse/aftaler/natsensorer",
        ),
        "evaluering": _link(
            "Evaluering af afprøvningen på Plejecenter Solhøj 2025",
            "https://www.aarhus.example.dk/velfaerdsteknologi/evaluering-solhoej",
            date(2025, 11, 20),
        ),
    },
    "robot_seal": {
        "dpia": _not_needed(
            "Robotsælen gemmer og sender ingen oplysninger om beboerne, så der behandles ingen personoplysninger."
        ),
        "evaluering": _link(
            "Tre måneder med robotsæl på demensafsnit Åløkke",
            "https://www.odense.example.dk/aeldre/robotsael-evaluering",
            date(2026, 2, 27),
        ),
    },
    "training": {
        "dpia": _link(
            "Konsekvensanalyse for træningsappen i genoptræningen",
            "https://www.esbjerg.example.dk/persondata/dpia-traeningsapp",
            date(2025, 12, 4),
        ),
        "databehandleraftale": _link(
            "Databehandleraftale om træningsappen",
            "https://www.esbjerg.example.dk/persondata/databehandleraftaler#traeningsapp",
        ),
        "fortegnelse": _link(
            "Fortegnelse for Sundhed & Omsorg: genoptræning",
            "https://www.esbjerg.example.dk/persondata/fortegnelse/genoptraening",
        ),
    },
    "camera": {
        "dpia": _not_needed(
            "Udvalget sagde nej til kameraet, før leverandøren var valgt. En konsekvensanalyse "
            "laves, hvis et nyt forslag om epilepsialarmer i madrassen kommer til udvalget."
        ),
        "evaluering": _not_needed(
            "Kameraet blev ikke afprøvet, fordi udvalget ville tage stilling til de etiske spørgsmål først."
        ),
    },
}


def add_documents(assessment: Assessment, editor, entries: dict[str, dict]) -> None:
    for kind, values in entries.items():
        documents.save_document(
            assessment, kind, {"title": "", "url": "", "document_date": None, "reason": "", **values}, user=editor
        )


def add_gps_documents(assessment: Assessment, editor) -> None:
    """The GPS assessment's documents: the DPIA uploaded, the others by link, one not needed."""
    documents.save_document(
        assessment,
        "dpia",
        {
            "status": "foreligger",
            "title": "Konsekvensanalyse for GPS-ure til borgere med demens",
            "url": "https://www.odense.example.dk/databeskyttelse/dpia-gps-ure",
            "document_date": date(2026, 2, 3),
            "reason": "",
        },
        user=editor,
        upload=dpia_pdf(),
        upload_name="dpia-gps-ure-odense.pdf",
    )
    documents.save_document(
        assessment,
        "databehandleraftale",
        {
            "status": "foreligger",
            "title": "Databehandleraftale med leverandøren af GPS-urene",
            "url": "https://www.odense.example.dk/databeskyttelse/databehandleraftaler/gps-ure",
            "document_date": None,
            "reason": "",
        },
        user=editor,
    )
    documents.save_document(
        assessment,
        "fortegnelse",
        {
            "status": "foreligger",
            "title": "Fortegnelse: Tryghedsskabende velfærdsteknologi i Ældre og Handicap",
            "url": "https://www.odense.example.dk/databeskyttelse/fortegnelse#gps",
            "document_date": None,
            "reason": "",
        },
        user=editor,
    )
    documents.save_document(
        assessment,
        "evaluering",
        {
            "status": "ikke_noedvendigt",
            "reason": "GPS-urene er ikke afprøvet i Odense endnu. Det første halve år "
            "er en afprøvning på to plejecentre, og evalueringen lægges her, når den er færdig.",
        },
        user=editor,
    )
