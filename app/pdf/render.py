"""The signed transparency and assessment PDF, rendered from a plain document dict.

The renderer never touches the database: `render_pdf(document)` takes what
`app.signoff.services.pdf_document` builds (the record snapshot, its hash, the signatures, the
verification code) and returns bytes. The same document always gives the same bytes (ReportLab's
invariant mode fixes the creation date and file id). Every piece of user text goes through
`_text`, which escapes it, so nothing a person typed is ever read as markup.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from functools import partial
from xml.sax.saxutils import escape

from flask_babel import force_locale
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfgen import canvas
from reportlab.platypus import (
    KeepTogether,
    ListFlowable,
    ListItem,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from app.assessments.declaration import declaration
from app.core.formatting import danish_date, danish_datetime
from app.pdf.fonts import FontSet, font_set

DRAFT_MARK = "UDKAST – ikke godkendt"
MISSING_GLYPH = "?"
INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#595959")
RULE = colors.HexColor("#b3b3b3")
HEADER_FILL = colors.HexColor("#e8eef5")
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 2 * cm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN


def build_story(document: dict, fonts: FontSet) -> list:
    """The flowables of the whole document, in order (the benchmark's baseline reads their text)."""
    record = document["record"]
    build = _Builder(fonts, _styles(fonts))
    return [
        *build.cover(document),
        PageBreak(),
        *build.declaration(record),
        *build.decision(record),
        *build.questions(record),
        *build.recommendations(record),
        *build.actions(record),
        *build.involvement(record),
        *build.dissents(record),
        *build.signatures(document),
    ]


def render_pdf(document: dict) -> bytes:
    with force_locale("da"):  # the PDF is the Danish record, whoever downloads a draft
        return _render_pdf(document)


def _render_pdf(document: dict) -> bytes:
    fonts = font_set()
    record = document["record"]
    story = build_story(document, fonts)
    buffer = io.BytesIO()
    organisation = record.get("organisation", {}).get("name", "")
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + 0.6 * cm,
        bottomMargin=MARGIN,
        title=f"{record.get('title', '')} – {organisation}",
        author=organisation,
        subject="Etik- og gennemsigtighedsvurdering af velfærdsteknologi",
        creator="Etikdialog",
        producer="Etikdialog (ReportLab)",
        keywords=document.get("verification_code") or "",
        lang="da-DK",
        invariant=1,
    )
    chrome = _Chrome(
        fonts=fonts,
        organisation=organisation,
        title=record.get("title", ""),
        code=document.get("verification_code"),
        draft=bool(document.get("draft")),
    )
    doc.build(story, canvasmaker=partial(_NumberedCanvas, chrome=chrome))
    return buffer.getvalue()


# --- Text -----------------------------------------------------------------------------------


def _text(value, fonts: FontSet) -> str:
    """Escape user text for a Paragraph; line breaks kept; missing glyphs set in the fallback font."""
    escaped = escape(str(value or ""))
    if fonts.main_glyphs is not None and fonts.fallback:
        escaped = _with_fallback(escaped, fonts)
    return escaped.replace("\r\n", "\n").replace("\n", "<br/>")


_DRAWABLE: dict[frozenset[int], frozenset[str]] = {}


def _main_font_draws(text: str, fonts: FontSet) -> bool:
    """Whether the main font has every character: one C-level set test for the usual case."""
    drawable = _DRAWABLE.get(fonts.main_glyphs)
    if drawable is None:
        drawable = _DRAWABLE[fonts.main_glyphs] = frozenset(map(chr, fonts.main_glyphs)) | frozenset(" \t\r\n")
    return drawable.issuperset(text)


def _with_fallback(text: str, fonts: FontSet) -> str:
    if _main_font_draws(text, fonts):
        return text
    out: list[str] = []
    run: list[str] = []
    for char in text:
        code = ord(char)
        if code not in fonts.main_glyphs and code not in fonts.fallback_glyphs and not char.isspace():
            char, code = MISSING_GLYPH, ord(MISSING_GLYPH)  # neither font can draw it (emoji)
        if code in fonts.main_glyphs or char.isspace():
            if run:
                out.append(f'<font face="{fonts.fallback}">{"".join(run)}</font>')
                run = []
            out.append(char)
        else:
            run.append(char)
    if run:
        out.append(f'<font face="{fonts.fallback}">{"".join(run)}</font>')
    return "".join(out)


def _styles(fonts: FontSet) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=fonts.regular, fontSize=10, leading=14, textColor=INK,
                          spaceAfter=4, splitLongWords=1)  # fmt: skip
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=11.5, textColor=MUTED),
        "label": ParagraphStyle("label", parent=base, fontName=fonts.bold, spaceAfter=1),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=12, spaceAfter=0),
        "cell_head": ParagraphStyle("cell_head", parent=base, fontName=fonts.bold, fontSize=9,
                                    leading=12, spaceAfter=0),  # fmt: skip
        "kicker": ParagraphStyle("kicker", parent=base, fontSize=11, textColor=MUTED, spaceAfter=6),
        "cover_org": ParagraphStyle("cover_org", parent=base, fontName=fonts.bold, fontSize=16,
                                    leading=20, spaceAfter=10),  # fmt: skip
        "cover_title": ParagraphStyle("cover_title", parent=base, fontName=fonts.bold, fontSize=24,
                                      leading=30, spaceAfter=18),  # fmt: skip
        "h1": ParagraphStyle("h1", parent=base, fontName=fonts.bold, fontSize=16, leading=21,
                             spaceBefore=6, spaceAfter=10),  # fmt: skip
        "h2": ParagraphStyle("h2", parent=base, fontName=fonts.bold, fontSize=12.5, leading=17,
                             spaceBefore=10, spaceAfter=6),  # fmt: skip
        "h3": ParagraphStyle("h3", parent=base, fontName=fonts.bold, fontSize=10.5, leading=14,
                             spaceBefore=8, spaceAfter=3),  # fmt: skip
        "caption": ParagraphStyle("caption", parent=base, fontSize=8.5, leading=11, textColor=MUTED,
                                  alignment=TA_CENTER),  # fmt: skip
    }


# --- Sections -------------------------------------------------------------------------------


class _Builder:
    def __init__(self, fonts: FontSet, styles: dict[str, ParagraphStyle]):
        self.fonts = fonts
        self.styles = styles

    def p(self, value, style: str = "body") -> Paragraph:
        return Paragraph(_text(value, self.fonts), self.styles[style])

    def labelled(self, label: str, value, empty: str = "Ikke udfyldt.") -> list:
        return [self.p(label, "label"), self.p(value if str(value or "").strip() else empty)]

    def table(self, header: list[str], rows: list[list], widths: list[float]) -> Table:
        data = [[self.p(h, "cell_head") for h in header]]
        data += [[self.p(cell, "cell") for cell in row] for row in rows]
        table = Table(data, colWidths=widths, repeatRows=1, splitInRow=1, hAlign="LEFT")
        table.setStyle(TableStyle([
            ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
            ("GRID", (0, 0), (-1, -1), 0.5, RULE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ]))  # fmt: skip
        return table

    def cover(self, document: dict) -> list:
        record = document["record"]
        technology = record.get("technology", {})
        decision = record.get("decision", {})
        code = document.get("verification_code")
        signed = danish_datetime(document.get("signed_at")) if document.get("signed_at") else ""
        facts = [
            ["Teknologi", technology.get("name") or "Ikke udfyldt"],
            ["Kategori", technology.get("category_title") or "Ikke udfyldt"],
            ["Område", technology.get("area_title") or "Ikke udfyldt"],
            ["Beslutning", decision.get("label") or "Ikke truffet"],
            ["Underskrevet", signed or "Ikke underskrevet"],
            ["Verifikationskode", code or "Ingen – dette er et udkast"],
            ["Version", str(record.get("version_number", 1))],
        ]
        rows = [[self.p(label, "label"), self.p(value)] for label, value in facts]
        table = Table(rows, colWidths=[4.2 * cm, CONTENT_WIDTH - 4.2 * cm], hAlign="LEFT")
        table.setStyle(TableStyle([
            ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 5),
        ]))  # fmt: skip
        flow = [
            self.p("Etik- og gennemsigtighedsvurdering af velfærdsteknologi", "kicker"),
            self.p(record.get("organisation", {}).get("name", ""), "cover_org"),
            self.p(record.get("title", ""), "cover_title"),
            table,
            Spacer(1, 0.8 * cm),
        ]
        if document.get("draft"):
            flow.append(self.p(f"{DRAFT_MARK}. Dokumentet er ikke underskrevet og kan ændre sig.", "h2"))
        if document.get("verify_url"):
            flow += [_qr(document["verify_url"]), self.p(
                f"Tjek, at dokumentet er ægte: scan koden eller gå til {document['verify_url']}", "caption")]
        flow += [
            Spacer(1, 0.6 * cm),
            self.p("Dokumentet forklarer, hvad kommunen har besluttet om teknologien og hvorfor. Afsnit 1 "
                   "er skrevet til borgere og kan læses alene. Resten viser udvalgets drøftelse af "
                   "spørgsmålene fra KL's teknologitænketank „Teknologi til velfærd“, vurderingen af "
                   "tænketankens fem anbefalinger, handlingsplanen og underskrifterne.", "small"),
        ]  # fmt: skip
        return flow

    def declaration(self, record: dict) -> list:
        flow = [
            self.p("1. Gennemsigtighedserklæring", "h1"),
            self.p("Kort fortalt: det skal du vide som borger. Hvis det ikke kan forklares, kan det ikke "
                   "forsvares.", "kicker"),
        ]  # fmt: skip
        for item in declaration(record):
            flow.append(KeepTogether([self.p(item.question, "h3"), self.p(item.answer)]))
        return flow

    def decision(self, record: dict) -> list:
        decision = record.get("decision", {})
        conditions = [a for a in record.get("actions", []) if a.get("is_condition")]
        flow = [
            self.p("2. Beslutning", "h1"),
            self.p(decision.get("label") or "Beslutningen er ikke truffet endnu.", "h2"),
            *self.labelled("Begrundelse", decision.get("reasoning")),
            *self.labelled("Beslutningen vurderes igen", danish_date(decision.get("review_date")), "Ikke fastsat."),
            self.p("Betingelser", "label"),
        ]
        if conditions:
            flow.append(self.bullets(
                f"{c['description']} (ansvarlig: {c.get('owner') or 'ikke angivet'}"
                f"{', frist ' + danish_date(c['due_date']) if c.get('due_date') else ''})"
                for c in conditions
            ))  # fmt: skip
        else:
            flow.append(self.p("Beslutningen har ingen betingelser."))
        return flow

    def bullets(self, texts: Iterable[str]) -> ListFlowable:
        return ListFlowable(
            [ListItem(self.p(t), leftIndent=12) for t in texts],
            bulletType="bullet", start="•", leftIndent=12, bulletFontName=self.fonts.regular,
        )  # fmt: skip

    def questions(self, record: dict) -> list:
        flow = [PageBreak(), self.p("3. Spørgsmålene og udvalgets drøftelse", "h1")]
        group = None
        for number, question in enumerate(record.get("questions", []), start=1):
            if question.get("group_title") != group:
                group = question.get("group_title")
                flow.append(self.p(group, "h2"))
            flow.append(KeepTogether([self.p(f"3.{number} {question.get('text', '')}", "h3"),
                                      self.p(f"Bekymringsniveau: {question.get('concern_label') or 'ikke angivet'}",
                                             "small")]))  # fmt: skip
            flow += self.labelled("Drøftelse", question.get("discussion"))
            flow += self.labelled("Udvalgets svar", question.get("answer"))
        return flow

    def recommendations(self, record: dict) -> list:
        rows = [
            [f"{r.get('number')}. {r.get('title', '')}", r.get("status_label") or "Ikke vurderet",
             r.get("justification") or ""]
            for r in record.get("recommendations", [])
        ]  # fmt: skip
        return [
            self.p("4. Tænketankens fem anbefalinger", "h1"),
            self.table(["Anbefaling", "Status", "Begrundelse"], rows,
                       [5.6 * cm, 2.8 * cm, CONTENT_WIDTH - 8.4 * cm]),  # fmt: skip
        ]

    def actions(self, record: dict) -> list:
        flow = [self.p("5. Handlingsplan", "h1")]
        actions = record.get("actions", [])
        if not actions:
            return [*flow, self.p("Der er ingen handlinger i handlingsplanen.")]
        rows = [
            [a.get("description", ""), a.get("owner") or "", danish_date(a.get("due_date")),
             a.get("status_label") or "", "Ja" if a.get("is_condition") else "Nej"]
            for a in actions
        ]  # fmt: skip
        widths = [CONTENT_WIDTH - 11.4 * cm, 3.6 * cm, 3 * cm, 2.4 * cm, 2.4 * cm]
        return [*flow, self.table(["Handling", "Ansvarlig", "Frist", "Status", "Betingelse"], rows, widths)]

    def involvement(self, record: dict) -> list:
        items = {item.question: item.answer for item in declaration(record)}
        flow = [
            self.p("6. Borgerinddragelse og høringssvar", "h1"),
            self.p(items["Hvordan er borgere, pårørende og medarbejdere inddraget?"]),
        ]
        consultations = record.get("consultations") or []
        if not consultations:
            return [*flow, self.p("Der har ikke været en offentlig høring om forslaget i Etikdialog.")]
        for consultation in consultations:
            flow += self.consultation(consultation)
        return flow

    def consultation(self, consultation: dict) -> list:
        flow = [self.p(
            f"Offentlig høring fra {danish_date(consultation.get('opens'))} til "
            f"{danish_date(consultation.get('closes'))}. Udvalget har svaret på hvert godkendt høringssvar.",
        )]  # fmt: skip
        responses = consultation.get("responses", [])
        if not responses:
            return [*flow, self.p("Der kom ingen høringssvar.")]
        for number, response in enumerate(responses, start=1):
            about = response.get("question_text") or "Hele forslaget"
            flow += [
                self.p(f"Høringssvar {number} fra {response.get('author') or 'en borger'} – om: {about}", "h3"),
                self.p(response.get("body", "")),
                self.p(f"Udvalgets svar: {response.get('answer_status_label') or 'ikke besvaret'}", "label"),
                self.p(response.get("answer", "")),
            ]
        return flow

    def dissents(self, record: dict) -> list:
        flow = [self.p("7. Mindretalsudtalelser", "h1")]
        dissents = [p for p in record.get("positions", []) if (p.get("dissent") or "").strip()]
        if not dissents:
            return [*flow, self.p("Ingen medlemmer har afgivet en mindretalsudtalelse.")]
        for position in dissents:
            flow += [
                self.p(f"{position.get('name', '')}, {position.get('title', '')} ({position.get('stance_label', '')})",
                       "h3"),  # fmt: skip
                self.p(position["dissent"]),
            ]
        return flow

    def signatures(self, document: dict) -> list:
        record = document["record"]
        rows = [[s.get("name", ""), s.get("title", ""), danish_datetime(s.get("signed_at"))]
                for s in document.get("signatures", [])]  # fmt: skip
        flow = [self.p("8. Underskrifter", "h1")]
        if rows:
            flow.append(self.table(["Navn", "Titel", "Underskrevet"], rows,
                                   [5.5 * cm, 6 * cm, CONTENT_WIDTH - 11.5 * cm]))  # fmt: skip
        else:
            flow.append(self.p("Ingen har underskrevet endnu."))
        flow += [
            Spacer(1, 0.4 * cm),
            *self.labelled("SHA-256 af den underskrevne post (kanonisk JSON)", document.get("record_sha256")),
            *self.labelled("Indholdsversion (tænketankens materiale)", record.get("content_version")),
            *self.labelled("Verifikationskode", document.get("verification_code"), "Ingen – dette er et udkast."),
        ]
        if document.get("verify_url"):
            flow.append(self.p(f"Tjek dokumentet på {document['verify_url']}", "small"))
        return flow


def _qr(url: str) -> Drawing:
    widget = QrCodeWidget(url, barLevel="M")
    x1, y1, x2, y2 = widget.getBounds()
    size = 3.6 * cm
    drawing = Drawing(size, size, transform=[size / (x2 - x1), 0, 0, size / (y2 - y1), 0, 0])
    drawing.add(widget)
    drawing.hAlign = "CENTER"
    return drawing


# --- Page chrome: running header, "Side X af Y", draft watermark ----------------------------


class _Chrome:
    def __init__(self, *, fonts: FontSet, organisation: str, title: str, code: str | None, draft: bool):
        self.fonts = fonts
        self.organisation = organisation
        self.title = title
        self.code = code
        self.draft = draft

    def draw(self, pdf: canvas.Canvas, page: int, total: int) -> None:
        pdf.saveState()
        pdf.setFillColor(MUTED)
        pdf.setFont(self.fonts.regular, 8)
        top = PAGE_HEIGHT - MARGIN + 0.2 * cm
        if page > 1:
            heading = f"{self.organisation} · {self.title}"
            if len(heading) > 95:
                heading = heading[:94] + "…"
            pdf.drawString(MARGIN, top, heading)
        right = f"Verifikationskode {self.code}" if self.code else DRAFT_MARK
        pdf.drawRightString(PAGE_WIDTH - MARGIN, top, right)
        pdf.setStrokeColor(RULE)
        pdf.line(MARGIN, top - 0.15 * cm, PAGE_WIDTH - MARGIN, top - 0.15 * cm)
        pdf.drawCentredString(PAGE_WIDTH / 2, MARGIN - 0.9 * cm, f"Side {page} af {total}")
        pdf.drawString(MARGIN, MARGIN - 0.9 * cm, "Etikdialog")
        if self.draft:
            pdf.setFillColor(colors.Color(0.75, 0.1, 0.1, alpha=0.18))
            pdf.setFont(self.fonts.bold, 46)
            pdf.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
            pdf.rotate(45)
            pdf.drawCentredString(0, 0, DRAFT_MARK)
        pdf.restoreState()


class _NumberedCanvas(canvas.Canvas):
    """Holds every page until the end so the footer can say 'Side X af Y'."""

    def __init__(self, *args, chrome: _Chrome, **kwargs):
        super().__init__(*args, **kwargs)
        self._chrome = chrome
        self._pages: list[dict] = []

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._chrome.draw(self, number, total)
            super().showPage()
        super().save()
