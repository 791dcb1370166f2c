"""The cover: the organisation, the title, the key facts as a table of labelled rows, the draft
mark, and the QR code with the verification URL."""

from __future__ import annotations

from reportlab.lib.units import cm
from reportlab.platypus import Spacer, Table, TableStyle

from app.core.formatting import danish_datetime
from app.pdf.builder import Builder
from app.pdf.flowables import QrCode
from app.pdf.styles import CONTENT_WIDTH, DRAFT_MARK, RULE
from app.pdf.tagging import heading as tag_heading


def cover(build: Builder, document: dict) -> list:
    record = document["record"]
    technology = record.get("technology", {})
    decision = record.get("decision", {})
    code = document.get("verification_code")
    signed = danish_datetime(document.get("signed_at")) if document.get("signed_at") else ""
    facts = [
        ["Teknologi", technology.get("name") or "Ikke udfyldt"],
        ["Kategori", technology.get("category_title") or "Ikke udfyldt"],
        ["Område", technology.get("area_title") or "Ikke udfyldt"],
        # Schema 4 (issue 28): the board's recommendation is not the deciding body's decision.
        ["Etikrådets anbefaling" if "board" in record else "Beslutning", decision.get("label") or "Ikke truffet"],
        ["Underskrevet", signed or "Ikke underskrevet"],
        ["Verifikationskode", code or "Ingen – dette er et udkast"],
        ["Version", str(record.get("version_number", 1))],
    ]
    widths = [4.2 * cm, CONTENT_WIDTH - 4.2 * cm]
    rows = [[build.cell(label, "label", widths[0]), build.cell(value, "body", widths[1])] for label, value in facts]
    table = Table(rows, colWidths=widths, hAlign="LEFT")
    table.tag_row_headers = True  # each row's label is its header (TH, Scope Row)
    table.setStyle(
        TableStyle(
            [
                *build.cell_fonts("body"),
                ("FONT", (0, 0), (0, -1), build.styles["label"].fontName, 10, 14),
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    flow = [
        build.p("Etik- og gennemsigtighedsvurdering af velfærdsteknologi", "kicker"),
        build.p(record.get("organisation", {}).get("name", ""), "cover_org"),
        tag_heading(build.p(record.get("title", ""), "cover_title"), 1),  # the document's first heading
        table,
        Spacer(1, 0.8 * cm),
    ]
    if document.get("draft"):
        flow.append(build.p(f"{DRAFT_MARK}. Dokumentet er ikke underskrevet og kan ændre sig.", "h2"))
    if document.get("verify_url"):
        flow += [
            QrCode(document["verify_url"], 3.6 * cm),
            build.p(f"Tjek, at dokumentet er ægte: scan koden eller gå til {document['verify_url']}", "caption"),
        ]
    flow += [
        Spacer(1, 0.6 * cm),
        build.p(
            "Dokumentet forklarer, hvad kommunen har besluttet om teknologien og hvorfor. Afsnit 1 "
            "er skrevet til borgere og kan læses alene. Resten viser udvalgets drøftelse af "
            "spørgsmålene fra KL's teknologitænketank „Teknologi til velfærd“, vurderingen af "
            "tænketankens fem anbefalinger, handlingsplanen og underskrifterne.",
            "small",
        ),
    ]
    return flow
