"""The signed PDF's annex with the AI screening and the fundamental-rights impact assessment (AI
Act Article 27), and the notification summary's PDF for the market surveillance authority.

Both are built from plain dicts (the record's `ai` section, app/ai/record.py); nothing here reads
the database. The annex uses the renderer's builder, so the board's text is escaped and set in the
fallback font like the rest of the document; the notification is a tagged PDF like the record.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from functools import partial

from flask_babel import force_locale
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.pdfgen import canvas
from reportlab.platypus import PageBreak, SimpleDocTemplate

from app.core.formatting import danish_date
from app.pdf.archival import archive
from app.pdf.builder import Builder
from app.pdf.fonts import font_set
from app.pdf.styles import styles
from app.pdf.tagging import TaggedCanvasMixin, TaggedDocMixin

NOT_ANSWERED = "Ikke udfyldt."


def _has_explanations(record: dict) -> bool:
    return any((q.get("explanation") or "").strip() for q in record.get("questions", []))


def screening_lines(section: dict) -> list[str]:
    """The screening as sentences, for the annex and the summary."""
    uses = {"ja": "Ja.", "nej": "Nej."}.get(section.get("uses_ai"), "Ikke besvaret.")
    lines = [f"Bruger teknologien kunstig intelligens eller maskinlæring, eller profilerer den borgere? {uses}"]
    if section.get("purpose"):
        lines.append(f"Hvad den bruges til: {section['purpose']}")
    if section.get("annex_iii_title"):
        lines.append(f"Område i bilag III: {section['annex_iii_title']}")
    if section.get("high_risk"):
        lines.append("Brugen hører under et område i bilag III og er dermed højrisiko.")
    if section.get("fria_required"):
        lines.append("Derfor skulle konsekvensanalysen for grundlæggende rettigheder være udfyldt før underskrift.")
    return lines


def notified_text(fria: dict) -> str:
    if not fria.get("notified"):
        return "Nej, ikke da vurderingen blev underskrevet."
    when = danish_date(fria["notified_date"]) if fria.get("notified_date") else "uden dato"
    return f"Ja, {when}."


def assessment_flowables(build, section: dict) -> list:
    """The screening and the six elements, each under its question with the article and letter."""
    flow = [*build.heading("AI-screening", "h2")]
    flow += [build.p(line) for line in screening_lines(section)]
    fria = section.get("fria")
    if not fria:
        return flow
    flow += [
        *build.heading("Konsekvensanalyse for grundlæggende rettigheder", "h2"),
        build.p(f"{fria.get('wording', '')}. Spørgsmålene bygger på {fria.get('regulation', '')}.", "small"),
    ]
    for element in fria.get("elements", []):
        flow += [
            *build.heading(f"{element.get('letter', '')}) {element.get('question', '')}", "label"),
            build.p(f"{element.get('label', '')}, {element.get('citation', '')}", "small"),
            *build.paras(element.get("text"), empty=NOT_ANSWERED),
        ]
    flow += [
        *build.heading("Konsekvensanalyse vedrørende databeskyttelse (GDPR artikel 35)", "label"),
        *build.paras(fria.get("dpia"), empty=NOT_ANSWERED),
        *build.heading("Anmeldt til markedsovervågningsmyndigheden (artikel 27, stk. 3)", "label"),
        build.p(notified_text(fria)),
    ]
    return flow


def fria_annex(build, record: dict) -> list:
    """The signed PDF's annex; nothing for a record before schema 3 or without AI."""
    section = record.get("ai")
    if not isinstance(section, dict) or (section.get("uses_ai") != "ja" and not section.get("fria")):
        return []
    letter = "B" if _has_explanations(record) else "A"
    return [
        PageBreak(),
        *build.heading(f"Bilag {letter}. Kunstig intelligens: screening og konsekvensanalyse", "h1"),
        *assessment_flowables(build, section),
    ]


def notification_pdf(summary: dict) -> bytes:
    """The notification summary (app/ai/services.py) as a short PDF, in Danish: tagged and archival
    like the record (app.pdf.tagging, app.pdf.archival), so a screen reader reads its headings,
    paragraphs and lists in order. Dated when the summary was made (`generated_at`)."""
    with force_locale("da"):
        fonts = font_set()
        build = Builder(fonts, styles(fonts))
        deployer = summary.get("deployer") or {}
        assessment = summary.get("assessment") or {}
        technology = summary.get("technology") or {}
        story = [
            *build.heading(summary.get("title", ""), "h1"),
            build.p(summary.get("note", ""), "small"),
        ]
        if summary.get("status") != "underskrevet":
            story.append(build.p("UDKAST – vurderingen er ikke underskrevet endnu.", "h2"))
        facts = [
            ("Idriftsætter", deployer.get("name", "")),
            ("Vurdering", f"{assessment.get('title', '')}, version {assessment.get('version', '')}"),
            ("Teknologi", technology.get("name", "")),
            ("Kategori", technology.get("category", "")),
            ("Leverandør", technology.get("supplier", "") or "Ikke oplyst."),
            ("Verifikationskode", assessment.get("verification_code") or "Ingen (ikke underskrevet)."),
            ("SHA-256 af posten", assessment.get("record_sha256", "")),
        ]
        for label, value in facts:
            story += build.labelled(label, value)
        story += assessment_flowables(build, summary.get("ai") or {})
        if build.unsupported:
            story.append(build.unsupported_note())
        buffer = io.BytesIO()
        document = _TaggedDocument(
            buffer,
            pagesize=A4,
            leftMargin=2 * cm,
            rightMargin=2 * cm,
            topMargin=2 * cm,
            bottomMargin=2 * cm,
            title=summary.get("title", ""),
            author=deployer.get("name", ""),
            subject="Anmeldelse til markedsovervågningsmyndigheden (AI-forordningens artikel 27, stk. 3)",
            creator="Etikdialog",
            producer="Etikdialog (ReportLab)",  # as the record's; the XMP packet repeats both
            keywords=assessment.get("verification_code") or "",
            lang="da-DK",
            invariant=1,
            initialFontName=fonts.regular,  # no page names ReportLab's unembedded Helvetica
        )
        document.build(story, canvasmaker=partial(_TaggedCanvas, made=_pdf_date(summary.get("generated_at"))))
        return buffer.getvalue()


class _TaggedDocument(TaggedDocMixin, SimpleDocTemplate):
    """Marks each flowable for the structure tree as it is placed (the catalog's /Lang is da-DK)."""


class _TaggedCanvas(TaggedCanvasMixin, canvas.Canvas):
    """Writes /StructParents on each page, and on save the structure tree, /MarkInfo, /Lang and the
    archival keys (the XMP packet that says PDF/UA, the output intent), dated `made`."""

    def __init__(self, *args, made: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.setDateFormatter(lambda *_invariant_date: made)  # CreationDate and ModDate
        self._made = made

    def save(self):
        archive(self._doc, record_json=None, attachments=[], made=self._made)
        super().save()


def _pdf_date(generated_at: str | None) -> str:
    """A PDF date (PDF 32000 §7.9.4) for the summary's "2026-11-22T10:00:00Z", in UTC; now without one."""
    moment = datetime.fromisoformat(generated_at.removesuffix("Z")) if generated_at else datetime.now(UTC)
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.strftime("D:%Y%m%d%H%M%S+00'00'")
