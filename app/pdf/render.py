"""The signed transparency and assessment PDF, rendered from a plain document dict.

The renderer never touches the database: `render_pdf(document)` takes what
`app.signoff.services.pdf_document` builds (the record snapshot, its hash, the signatures, the
verification code) and returns bytes. The same document always gives the same bytes (ReportLab's
invariant mode fixes the creation date and file id). Every piece of user text goes through
`_Builder.markup`, which escapes it, so nothing a person typed is ever read as markup.

Speed (figures: docs/performance.md): every line of user text is its own Paragraph (a `<br/>` inside one Paragraph
forces ReportLab's slow multi-fragment line breaking), long texts stand below short table rows
instead of inside cells (a cell is re-wrapped each time its row splits), and the QR code is
encoded once and drawn as one path. Bounds on the document's size are in `app.pdf.bounds`; a
render that runs past `time_limit` seconds stops with `RenderTimeout`.

A signed public document: its creation and modification dates are the signing
time (a draft's are the moment it was rendered); it has an outline entry for every section and
group; words in table cells, and very long words anywhere, are hyphenated by Danish rules (pyphen,
through ReportLab's hyphenation) instead of being cut where the column ends; a heading always has
the start of what it heads on its page; and a character that no embedded font has is drawn as "�",
listed on the cover and reported by `unsupported_characters` to the board that downloads a draft.
"""

from __future__ import annotations

import io
import logging
import time
import unicodedata
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from functools import lru_cache, partial
from itertools import groupby
from xml.sax.saxutils import escape

import pyphen
from etikdialog_verify.record import canonical_bytes
from flask_babel import force_locale
from reportlab.graphics.barcode import qrencoder
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas
from reportlab.platypus import (
    ActionFlowable,
    CondPageBreak,
    Flowable,
    ListFlowable,
    ListItem,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from app.assessments.declaration import NOT_GIVEN, declaration
from app.assessments.fields import ACTION, DECISION, QUESTION, REVIEW
from app.assessments.proposal import absent_text
from app.content.provenance import OWN_WORDING, question_source
from app.core.formatting import danish_date, danish_datetime
from app.i18n import danish
from app.pdf.archival import archive
from app.pdf.chart import deliberation_chart
from app.pdf.fonts import FontSet, font_set, show_as_replacement
from app.pdf.fria import fria_annex
from app.pdf.tagging import TaggedCanvasMixin, TaggedDocMixin, artifact
from app.pdf.tagging import heading as tag_heading

log = logging.getLogger(__name__)


def field_label(table, name: str) -> str:
    """A field's label from its row's table (app/assessments/fields.py), in Danish like the record."""
    return danish(table[name].label)


DRAFT_MARK = "UDKAST – ikke godkendt"
REPLACEMENT_CHARACTER = "\ufffd"  # what the page shows where no font has the character
SHORT_CELL = 160  # characters: longer texts stand below the table, not in a cell
TABLE_ROWS = 40  # rows per table; a long plan becomes several short tables
CELL_PADDING = 6  # ReportLab's default left and right padding in a table cell
KEEP_WITH_NEXT = {"h1": 4 * cm, "h2": 3 * cm, "h3": 2.5 * cm, "label": 1.6 * cm}  # room a heading needs below
OUTLINE_LEVELS = {"h1": 0, "h2": 1}  # headings that get a bookmark: sections, then their groups
HEADING_LEVELS = {"h1": 1, "h2": 2, "h3": 3, "label": 4}  # tagged as H1–H4, no level skipped (app.pdf.tagging)
LONG_WORD = 20  # letters: outside table cells only words this long are hyphenated
INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#595959")
RULE = colors.HexColor("#b3b3b3")
HEADER_FILL = colors.HexColor("#e8eef5")
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 2 * cm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN


class RenderTimeout(RuntimeError):
    """The render ran past its time limit and was stopped."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        super().__init__(f"The PDF render was stopped after {seconds:g} seconds")


def build_story(document: dict, fonts: FontSet, *, unsupported: set[str] | None = None) -> list:
    """The flowables of the whole document, in order (the benchmark's baseline reads their text).

    Characters no font has are collected in `unsupported`; the cover lists them."""
    record = document["record"]
    build = _Builder(fonts, _styles(fonts))
    cover = build.cover(document)
    rest = [
        PageBreak(),
        *build.declaration(record),
        *build.proposal(record),
        *build.decision(record),
        *build.consistency(record),
        *build.questions(record),
        *build.recommendations(record),
        *build.actions(record),
        *build.involvement(record),
        *build.dissents(record),
        *build.signatures(document),
        *build.explanations(record),
        *fria_annex(build, record),  # the AI screening and Article 27 assessment
    ]
    if build.unsupported:
        cover.append(build.unsupported_note())
        if unsupported is not None:
            unsupported.update(build.unsupported)
    story = [*cover, *rest]
    _Heading.link(story)
    return story


def unsupported_characters(document: dict, fonts: FontSet | None = None) -> list[str]:
    """The characters of the document's text that no embedded font has, in code point order: what
    its PDF draws as "�" and lists on its cover. Read from the document without rendering it, so a
    cached draft tells the board as much as a fresh one."""
    fonts = fonts or font_set()
    if fonts.main_glyphs is None:
        return []
    found: set[str] = set()
    for texts in _strings(document.get("record")), _strings(document.get("signatures")):
        found |= {
            c
            for c in set("".join(texts)).difference(_drawable(fonts))
            if ord(c) not in fonts.fallback_glyphs and not c.isspace() and unicodedata.category(c) != "Cc"
        }
    return sorted(found)


def _strings(value) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def render_pdf(document: dict, *, time_limit: float | None = None, trace: list | None = None) -> bytes:
    """The PDF's bytes. Stops with RenderTimeout after `time_limit` seconds; `trace`, when given,
    receives (page number, plain text, style) for everything drawn (the benchmark's baseline)."""
    with force_locale("da"):  # the PDF is the Danish record, whoever downloads a draft
        return _render_pdf(document, time_limit=time_limit, trace=trace)


def _render_pdf(document: dict, *, time_limit: float | None, trace: list | None) -> bytes:
    deadline = time.monotonic() + time_limit if time_limit else None
    fonts = font_set()
    record = document["record"]
    unsupported: set[str] = set()
    story = build_story(document, fonts, unsupported=unsupported)
    if unsupported:
        log.warning(
            "PDF of %s: no font has %s; shown as U+FFFD",
            record.get("public_id", "a document"),
            ", ".join(_describe(c) for c in sorted(unsupported)),
        )
    buffer = io.BytesIO()
    organisation = record.get("organisation", {}).get("name", "")
    doc = _Document(
        buffer,
        deadline=deadline,
        time_limit=time_limit,
        trace=trace,
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
        initialFontName=fonts.regular,  # no page names ReportLab's unembedded Helvetica
    )
    chrome = _Chrome(
        fonts=fonts,
        organisation=organisation,
        title=record.get("title", ""),
        code=document.get("verification_code"),
        draft=bool(document.get("draft")),
    )
    doc.build(
        story,
        canvasmaker=partial(
            _NumberedCanvas,
            chrome=chrome,
            made=_pdf_date(document),
            attachments=document.get("attachments") or [],
            record_json=canonical_bytes(record),
            deadline=deadline,
            time_limit=time_limit,
        ),
    )
    return buffer.getvalue()


def _pdf_date(document: dict) -> str:
    """The PDF's CreationDate and ModDate (PDF 32000 §7.9.4): the signing time, which the record
    fixes, so the same record still gives the same bytes (without it, the last signature's time).
    A draft has no signing time: it is dated when it is rendered (it is never stored or hashed, and
    a date of 1 January 2000 would be false)."""
    signed = [s.get("signed_at") for s in document.get("signatures") or [] if s.get("signed_at")]
    signed_at = document.get("signed_at") or (None if document.get("draft") else max(signed, default=None))
    if isinstance(signed_at, str) and signed_at:
        moment = datetime.fromisoformat(signed_at)
    elif isinstance(signed_at, datetime):
        moment = signed_at
    else:
        moment = datetime.now(UTC)
    if moment.tzinfo is not None:  # the app stores naive UTC; an aware time is converted to it
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.strftime("D:%Y%m%d%H%M%S+00'00'")


class _Document(TaggedDocMixin, SimpleDocTemplate):
    """Checks the clock after every flowable, traces what is drawn where when asked, and marks each
    section's and group's heading for the outline."""

    def __init__(self, *args, deadline: float | None, time_limit: float | None, trace: list | None, **kwargs):
        super().__init__(*args, **kwargs)
        self._deadline = deadline
        self._time_limit = time_limit
        self._trace = trace

    def afterFlowable(self, flowable):
        if self._deadline is not None and time.monotonic() > self._deadline:
            raise RenderTimeout(self._time_limit)
        level = getattr(flowable, "outline_level", None)
        if level is not None:
            top = self.frame._y + flowable.height + flowable.getSpaceAfter()
            self.canv.mark_outline(flowable.getPlainText(), level, top)
        if self._trace is not None:
            self._trace.extend((self.page, text, style) for text, style in printed_texts(flowable))


def printed_texts(flowable) -> Iterator[tuple[str, ParagraphStyle]]:
    """The plain text of a drawn flowable with its style: one entry per paragraph (or part of one),
    one per table row with its cells joined, in reading order."""
    if isinstance(flowable, Paragraph):
        yield _plain_text(flowable), flowable.style
        return
    for row in getattr(flowable, "_cellvalues", None) or []:
        cells = [text for value in row for text in _cell_texts(value)]
        if cells:
            yield " ".join(text for text, _style in cells), cells[0][1]
    children = getattr(flowable, "_content", None) or getattr(flowable, "_flowables", None) or []
    inner = getattr(flowable, "_flowable", None)  # a list item's indented body (ReportLab's LIIndenter)
    if inner is not None:
        children = inner if isinstance(inner, list | tuple) else [inner]
    for child in children:
        yield from printed_texts(child)


def _plain_text(paragraph: Paragraph) -> str:
    """getPlainText, also for the part of a split paragraph (ReportLab keeps its words elsewhere)."""
    text = paragraph.getPlainText()
    if text:
        return text
    return " ".join(w for frag in paragraph.frags or [] for w in getattr(frag, "words", []) if isinstance(w, str))


def _cell_texts(value) -> Iterator[tuple[str, ParagraphStyle]]:
    for item in value if isinstance(value, list | tuple) else [value]:
        if isinstance(item, str):
            if item:
                yield item, ParagraphStyle("plain_cell", fontName=font_set().regular, fontSize=9, leading=12)
        else:
            yield from printed_texts(item)


def font_runs(text: str, fonts: FontSet) -> list[tuple[str, str]]:
    """Text drawn straight on the canvas (the running header), as (font, text) runs: the main font,
    the fallback where only it has a character, and "�" where no font has one (as `markup` does)."""
    if fonts.main_glyphs is None or _main_font_draws(text, fonts):
        return [(fonts.regular, text)]
    runs: list[tuple[str, str]] = []
    for char in text:
        code = ord(char)
        if code in fonts.main_glyphs or char.isspace():
            font = fonts.regular
        elif code in fonts.fallback_glyphs:
            font = fonts.fallback
        elif fonts.replacement is not None:
            show_as_replacement(fonts.replacement, code)
            font = fonts.replacement
        else:
            font, char = fonts.regular, f"[U+{code:04X}]"
        if runs and runs[-1][0] == font:
            runs[-1] = (font, runs[-1][1] + char)
        else:
            runs.append((font, char))
    return runs


def describe_character(char: str) -> str:
    """A character as the cover and the board's message name it: "🚀 (U+1F680 ROCKET)"."""
    return f"{char} (U+{ord(char):04X} {unicodedata.name(char, 'ukendt tegn')})"


def _describe(char: str) -> str:
    return f"U+{ord(char):04X} ({unicodedata.name(char, 'ukendt tegn')})"


# --- Text -----------------------------------------------------------------------------------


class _Paragraph(Paragraph):
    """A Paragraph that breaks its lines once per width. Platypus wraps a paragraph on each attempt
    to place it, and wraps the first part of a split again although `split` has just broken its
    lines; a long paragraph across a page break was broken three times. The layout is the same."""

    def wrap(self, availWidth, availHeight):
        if getattr(self, "_wrapped_at", None) == availWidth and hasattr(self, "blPara"):
            return self.width, self.height
        size = super().wrap(availWidth, availHeight)
        self._wrapped_at = availWidth
        return size

    def split(self, availWidth, availHeight):
        broken = getattr(self, "blPara", None)
        parts = super().split(availWidth, availHeight)
        if len(parts) == 2 and broken is not None:
            first = parts[0]  # ReportLab marks its lines as kind 1 and re-wraps; keep them as broken
            first.blPara = broken.clone(lines=first.blPara.lines)
            first._wrapped_at = availWidth
        return parts


class _Heading(_Paragraph):
    """A heading or label that never stands alone at the foot of a page: it does not fit (and is
    never split) unless it, any headings right after it, and the first piece of what they head fit
    in the room left (two lines of a paragraph, which is the least ReportLab leaves of one at a
    page's foot; a table's head and first row; a drawing whole), so the frame moves it on. It is its
    own guard: a separate flowable before each heading cost a frame's handling each (800 in the
    demo's largest). `keep` is the fixed room asked for when the story is not linked (a heading
    inside a container)."""

    LOOK_AHEAD = 8  # flowables: more headings in a row than this do not occur
    MOST = 10 * cm  # never ask for more than a fresh page has, or the move would repeat forever
    TABLE_START = 2 * (12 + 8)  # a table's head and first row: a cell line and its padding each
    LIST_START = 2 * 14  # a list's first item's first two lines

    is_heading = True
    following: list = ()

    def __init__(self, text: str, style: ParagraphStyle, *, keep: float, outline_level: int | None):
        super().__init__(text, style)
        self.keep = keep
        self.outline_level = outline_level
        self.heading_level = HEADING_LEVELS[style.name]

    @classmethod
    def link(cls, story: list) -> None:
        for index, flowable in enumerate(story):
            if isinstance(flowable, cls):
                flowable.following = story[index + 1 : index + 1 + cls.LOOK_AHEAD]

    def wrap(self, availWidth, availHeight):
        width, height = super().wrap(availWidth, availHeight)
        if availHeight < min(self.needed(availWidth), self.MOST):
            return width, availHeight + 1  # does not fit here: the frame moves it to the next page
        return width, height

    def split(self, availWidth, availHeight):
        return []

    def needed(self, width: float) -> float:
        """The room this heading needs: itself and the start of what it heads."""
        own = _Paragraph.wrap(self, width, PAGE_HEIGHT)[1] + self.getSpaceAfter()
        if not self.following:
            return max(own, self.keep)
        for flowable in self.following:
            if isinstance(flowable, CondPageBreak):
                continue
            if isinstance(flowable, PageBreak | ActionFlowable):
                return own
            if isinstance(flowable, _Heading):
                own += _Paragraph.wrap(flowable, width, PAGE_HEIGHT)[1]
                own += flowable.getSpaceBefore() + flowable.getSpaceAfter()
                continue
            return own + self._start(flowable, width)
        return own

    def _start(self, flowable, width: float) -> float:
        if isinstance(flowable, Paragraph):
            height = _height(flowable, width)
            lines = len(getattr(getattr(flowable, "blPara", None), "lines", ()) or ())
            start = height if lines <= 2 else 2 * flowable.style.leading
            return start + flowable.getSpaceBefore()
        if isinstance(flowable, Table):
            return self.TABLE_START
        if isinstance(flowable, ListFlowable):
            return self.LIST_START
        return _height(flowable, width)  # a drawing, a spacer: whole


def _height(flowable, width: float) -> float:
    return flowable.wrap(width, PAGE_HEIGHT)[1]


def lines_of(value) -> list[str]:
    """User text as the PDF prints it: one paragraph per non-empty line (app.pdf.bounds counts these)."""
    text = str(value or "").replace("\r\n", "\n").replace("\r", "\n")
    return [line for line in (raw.strip() for raw in text.split("\n")) if line]


_DRAWABLE: dict[frozenset[int], frozenset[str]] = {}


def _drawable(fonts: FontSet) -> frozenset[str]:
    drawable = _DRAWABLE.get(fonts.main_glyphs)
    if drawable is None:
        drawable = _DRAWABLE[fonts.main_glyphs] = frozenset(map(chr, fonts.main_glyphs)) | frozenset(" \t\r\n")
    return drawable


def _main_font_draws(text: str, fonts: FontSet) -> bool:
    """Whether the main font has every character: one C-level set test for the usual case."""
    return _drawable(fonts).issuperset(text)


_DANISH = pyphen.Pyphen(lang="da_DK")


@lru_cache(maxsize=32_768)
def hyphenate(word: str) -> tuple[tuple[str, str], ...]:
    """Where a Danish word may break, as ReportLab's hyphenator returns it: (head, tail) pairs, the
    longest head first. Cached: the same words end lines again and again."""
    return tuple(_DANISH.iterate(word))


def hyphenate_long(word: str) -> tuple[tuple[str, str], ...]:
    """Outside narrow cells a word is hyphenated only when it is long: a short one moves to the next
    line of ragged text at no cost, and ReportLab asks at every line's end."""
    return hyphenate(word) if len(word) >= LONG_WORD else ()


def _styles(fonts: FontSet) -> dict[str, ParagraphStyle]:
    # splitLongWords stays as the last resort: a word with no hyphenation point wider than its column
    base = ParagraphStyle(
        "body",
        fontName=fonts.regular,
        fontSize=10,
        leading=14,
        textColor=INK,
        spaceAfter=4,
        splitLongWords=1,
        hyphenationLang=hyphenate_long,
        embeddedHyphenation=1,  # "it-system" may break after its hyphen
    )
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=11.5, textColor=MUTED),
        "label": ParagraphStyle("label", parent=base, fontName=fonts.bold, spaceAfter=1),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=12, spaceAfter=0, hyphenationLang=hyphenate),
        "cell_head": ParagraphStyle(
            "cell_head",
            parent=base,
            fontName=fonts.bold,
            fontSize=9,
            leading=12,
            spaceAfter=0,
            hyphenationLang=hyphenate,
        ),
        "kicker": ParagraphStyle("kicker", parent=base, fontSize=11, textColor=MUTED, spaceAfter=6),
        "cover_org": ParagraphStyle(
            "cover_org", parent=base, fontName=fonts.bold, fontSize=16, leading=20, spaceAfter=10
        ),
        "cover_title": ParagraphStyle(
            "cover_title", parent=base, fontName=fonts.bold, fontSize=24, leading=30, spaceAfter=18
        ),
        "h1": ParagraphStyle(
            "h1", parent=base, fontName=fonts.bold, fontSize=16, leading=21, spaceBefore=6, spaceAfter=10
        ),
        "h2": ParagraphStyle(
            "h2", parent=base, fontName=fonts.bold, fontSize=12.5, leading=17, spaceBefore=10, spaceAfter=6
        ),
        "h3": ParagraphStyle(
            "h3", parent=base, fontName=fonts.bold, fontSize=10.5, leading=14, spaceBefore=8, spaceAfter=3
        ),
        "caption": ParagraphStyle(
            "caption", parent=base, fontSize=8.5, leading=11, textColor=MUTED, alignment=TA_CENTER
        ),
    }


# --- Sections -------------------------------------------------------------------------------


class _Builder:
    def __init__(self, fonts: FontSet, styles: dict[str, ParagraphStyle]):
        self.fonts = fonts
        self.styles = styles
        self.unsupported: set[str] = set()

    def markup(self, value) -> str:
        """Escape text for a Paragraph; characters the main font lacks are set in the fallback font,
        and characters no font has are shown as "�" (and collected for the cover's note)."""
        escaped = escape(str(value or ""))
        if self.fonts.main_glyphs is None or _main_font_draws(escaped, self.fonts):
            return escaped
        return self._with_fallback(escaped)

    def _with_fallback(self, text: str) -> str:
        fonts = self.fonts
        out: list[str] = []
        run: list[str] = []
        for char in text:
            code = ord(char)
            in_main = code in fonts.main_glyphs or char.isspace()
            if not in_main and code not in fonts.fallback_glyphs:
                self.unsupported.add(char)
                if fonts.replacement is None:
                    char, in_main = f"[U+{code:04X}]", True
                else:  # drawn as "�", copied out as itself
                    show_as_replacement(fonts.replacement, code)
                    in_main = fonts.replacement == fonts.regular
            if in_main:
                if run:
                    out.append(f'<font face="{fonts.fallback}">{"".join(run)}</font>')
                    run = []
                out.append(char)
            else:
                run.append(char)
        if run:
            out.append(f'<font face="{fonts.fallback}">{"".join(run)}</font>')
        return "".join(out)

    def p(self, value, style: str = "body") -> Paragraph:
        """One paragraph of text the app writes (labels, headings, short values)."""
        return _Paragraph(self.markup(value), self.styles[style])

    def heading(self, value, style: str) -> list:
        """A heading or label that never stands alone at the foot of a page: `_Heading` moves on
        unless the start of what follows fits below it (keepWithNext would move a heading and a
        whole long text to the next page, leaving a gap). Sections and groups get an outline entry.
        A list, as callers splice it into their flow."""
        heading = _Heading(
            self.markup(value), self.styles[style], keep=KEEP_WITH_NEXT[style], outline_level=OUTLINE_LEVELS.get(style)
        )
        return [heading]

    def paras(self, value, style: str = "body", empty: str | None = None) -> list[Paragraph]:
        """A person's text: one Paragraph per line, never `<br/>` inside one."""
        lines = lines_of(value)
        if not lines:
            return [self.p(empty, style)] if empty else []
        return [_Paragraph(self.markup(line), self.styles[style]) for line in lines]

    def labelled(self, label: str, value, empty: str = "Ikke udfyldt.") -> list:
        return [*self.heading(label, "label"), *self.paras(value, empty=empty)]

    def unsupported_note(self) -> Paragraph:
        listed = ", ".join(_describe(c) for c in sorted(self.unsupported))
        shown = REPLACEMENT_CHARACTER if self.fonts.replacement else "deres kode, [U+…]"
        return self.p(
            f"Tegn, som ingen af PDF'ens skrifttyper har, står som {shown}: {listed}. Den offentlige side viser dem.",
            "small",
        )

    def table(self, header: list[str], rows: list[list], widths: list[float]) -> list[Table]:
        """Short rows only (long texts go below); a long list becomes several tables."""
        return [
            self._table(header, rows[start : start + TABLE_ROWS], widths)
            for start in range(0, max(len(rows), 1), TABLE_ROWS)
        ]

    def _table(self, header: list[str], rows: list[list], widths: list[float]) -> Table:
        data = [[self.cell(h, "cell_head", w) for h, w in zip(header, widths, strict=True)]]
        data += [[self.cell(value, "cell", w) for value, w in zip(row, widths, strict=True)] for row in rows]
        # spaceAfter: a heading after a table never touches it (issue 29)
        table = Table(data, colWidths=widths, repeatRows=1, splitInRow=1, hAlign="LEFT", spaceAfter=8)
        table.setStyle(
            TableStyle(
                [
                    *self.cell_fonts("cell", "cell_head"),
                    ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                    ("GRID", (0, 0), (-1, -1), 0.5, RULE),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, -1), 4),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ]
            )
        )
        return table

    def cell(self, value, style: str, width: float):
        """A table cell: plain text, drawn as it is, when it is one line the main font draws and it
        fits; otherwise a wrapping paragraph. A plain cell costs a fraction of a paragraph."""
        text = str(value or "")
        font = self.styles[style]
        if (
            "\n" in text
            or "\r" in text
            or (self.fonts.main_glyphs is not None and not _main_font_draws(text, self.fonts))
            or stringWidth(text, font.fontName, font.fontSize) > width - 2 * CELL_PADDING
        ):
            return self.p(text, style)
        return text

    def cell_fonts(self, body: str, head: str | None = None) -> list[tuple]:
        """The table style for plain cells: the body's font in every cell, the head's in the first row
        (or the first column, for a table of labels)."""
        rules = [
            (
                "FONT",
                (0, 0),
                (-1, -1),
                self.styles[body].fontName,
                self.styles[body].fontSize,
                self.styles[body].leading,
            ),
            ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ]
        if head:
            rules.append(
                (
                    "FONT",
                    (0, 0),
                    (-1, 0),
                    self.styles[head].fontName,
                    self.styles[head].fontSize,
                    self.styles[head].leading,
                )
            )
        return rules

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
            # Schema 4 (issue 28): the board's recommendation is not the deciding body's decision.
            ["Etikrådets anbefaling" if "board" in record else "Beslutning", decision.get("label") or "Ikke truffet"],
            ["Underskrevet", signed or "Ikke underskrevet"],
            ["Verifikationskode", code or "Ingen – dette er et udkast"],
            ["Version", str(record.get("version_number", 1))],
        ]
        widths = [4.2 * cm, CONTENT_WIDTH - 4.2 * cm]
        rows = [[self.cell(label, "label", widths[0]), self.cell(value, "body", widths[1])] for label, value in facts]
        table = Table(rows, colWidths=widths, hAlign="LEFT")
        table.tag_row_headers = True  # each row's label is its header (TH, Scope Row)
        table.setStyle(
            TableStyle(
                [
                    *self.cell_fonts("body"),
                    ("FONT", (0, 0), (0, -1), self.styles["label"].fontName, 10, 14),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, -1), 5),
                ]
            )
        )
        flow = [
            self.p("Etik- og gennemsigtighedsvurdering af velfærdsteknologi", "kicker"),
            self.p(record.get("organisation", {}).get("name", ""), "cover_org"),
            tag_heading(self.p(record.get("title", ""), "cover_title"), 1),  # the document's first heading
            table,
            Spacer(1, 0.8 * cm),
        ]
        if document.get("draft"):
            flow.append(self.p(f"{DRAFT_MARK}. Dokumentet er ikke underskrevet og kan ændre sig.", "h2"))
        if document.get("verify_url"):
            flow += [
                _QrCode(document["verify_url"], 3.6 * cm),
                self.p(f"Tjek, at dokumentet er ægte: scan koden eller gå til {document['verify_url']}", "caption"),
            ]
        flow += [
            Spacer(1, 0.6 * cm),
            self.p(
                "Dokumentet forklarer, hvad kommunen har besluttet om teknologien og hvorfor. Afsnit 1 "
                "er skrevet til borgere og kan læses alene. Resten viser udvalgets drøftelse af "
                "spørgsmålene fra KL's teknologitænketank „Teknologi til velfærd“, vurderingen af "
                "tænketankens fem anbefalinger, handlingsplanen og underskrifterne.",
                "small",
            ),
        ]
        return flow

    def declaration(self, record: dict) -> list:
        flow = [
            *self.heading("1. Gennemsigtighedserklæring", "h1"),
            self.p(
                "Kort fortalt: det skal du vide som borger. Hvis det ikke kan forklares, kan det ikke forsvares.",
                "kicker",
            ),
        ]
        for item in declaration(record):
            flow += self.heading(item.question, "h3")
            if not item.parts:
                flow.append(self.p(NOT_GIVEN))
            for part in item.parts:  # each further answer under its own short question (H4)
                if part.question:
                    flow += self.heading(part.question, "label")
                flow += self.paras(part.text)
                if part.items:
                    flow.append(self.bullets(self.paras(entry) for entry in part.items))
        return flow

    def proposal(self, record: dict) -> list:
        """Every field of the proposal as the record holds it, under its group's title (records of
        schema 1 have no groups: their fields stand in one list)."""
        flow = [
            PageBreak(),
            *self.heading("2. Forslaget", "h1"),
            self.p("Forslaget, som udvalget har behandlet, med alle dets oplysninger.", "kicker"),
        ]
        group = None
        for item in record.get("proposal", []):
            if item.get("group_title") and item["group_title"] != group:
                group = item["group_title"]
                flow += self.heading(group, "h2")
            flow += self.labelled(
                item.get("label", ""), item.get("text"), absent_text(item.get("field", ""), record["proposal"])
            )
        return flow + self.reuse(record)

    def reuse(self, record: dict) -> list:
        """Which record of another municipality this one built on, and the fields the board read
        and confirmed as its own (record schema 3 and 4), as the public page says it."""
        source = record.get("reused_from")
        if not source:
            return []
        municipality = source.get("municipality", "")
        flow = [
            *self.heading("Bygger på en anden kommunes vurdering", "h2"),
            self.p(
                f"Denne vurdering bygger på {municipality}s vurdering, version {source.get('version', '')} "
                f"(id {source.get('public_id', '')})."
            ),
        ]
        fields = source.get("fields") or []
        if fields:
            count = "1 felt er" if len(fields) == 1 else f"{len(fields)} felter er"
            flow += [
                self.p(
                    f"{count} overtaget uændret fra {municipality}. Udvalget har læst dem og bekræftet dem som "
                    "sine egne, før vurderingen blev underskrevet. Alt andet har udvalget selv skrevet:"
                ),
                self.bullets([[self.p(field.get("label", ""))] for field in fields]),
            ]
        return flow

    def decision(self, record: dict) -> list:
        decision = record.get("decision", {})
        conditions = [a for a in record.get("actions", []) if a.get("is_condition")]
        flow = [*self.heading("3. Beslutning", "h1")]
        if "board" in record:  # schema 4: the recommendation and the formal decision, each as what it is
            proposal = {item.get("field"): item.get("text") or "" for item in record.get("proposal", [])}
            body, met = proposal.get("decision_body", "").rstrip("."), proposal.get("decision_meeting_date", "")
            flow += [
                *self.heading("Etikrådets anbefaling", "label"),
                self.p(decision.get("label") or "Etikrådet har ikke givet sin anbefaling.", "h2"),
                *self.labelled(
                    "Den formelle beslutning",
                    f"Træffes af {body}" + (f" på mødet den {met}." if met else ".") if body else "",
                    "Ikke oplyst.",
                ),
            ]
        else:
            flow.append(self.p(decision.get("label") or "Beslutningen er ikke truffet endnu.", "h2"))
        flow += [
            *self.labelled(field_label(DECISION, "decision_reasoning"), decision.get("reasoning")),
            *self.labelled("Beslutningen vurderes igen", danish_date(decision.get("review_date")), "Ikke fastsat."),
            *self.heading("Betingelser", "label"),
        ]
        if conditions:
            flow.append(
                self.bullets(
                    [
                        *self.paras(c["description"]),
                        self.p(
                            f"Ansvarlig: {c.get('owner') or 'ikke angivet'}"
                            f"{', frist ' + danish_date(c['due_date']) if c.get('due_date') else ''}",
                            "small",
                        ),
                    ]
                    for c in conditions
                )
            )
        else:
            flow.append(self.p("Beslutningen har ingen betingelser."))
        return flow

    def consistency(self, record: dict) -> list:
        """Schema 4: the consistency findings the board explained, under their own heading, right
        after the decision they qualify (nothing for older records or nothing explained)."""
        entries = record.get("consistency") or []
        if not entries:
            return []
        flow = [
            *self.heading("Forhold, etikrådet har forklaret", "h2"),
            self.p(
                "Etikdialog fandt svar i vurderingen, der ser ud til at modsige hinanden. Etikrådet har "
                "forklaret dem i stedet for at ændre svarene."
            ),
        ]
        for entry in entries:
            flow += [
                *self.paras(entry.get("message", "")),
                *self.labelled("Etikrådets forklaring", entry.get("explanation")),
            ]
        return flow

    def bullets(self, items: Iterable[list]) -> ListFlowable:
        return ListFlowable(
            [ListItem(item, leftIndent=12) for item in items],
            bulletType="bullet",
            start="•",
            leftIndent=12,
            bulletFontName=self.fonts.regular,
        )

    def questions(self, record: dict) -> list:
        flow = [
            PageBreak(),
            *self.heading("4. Spørgsmålene og udvalgets drøftelse", "h1"),
            *deliberation_chart(self, record, CONTENT_WIDTH),
        ]
        discussion, answer, concern = (field_label(QUESTION, name) for name in ("discussion", "answer", "concern"))
        group = None
        for number, question in enumerate(record.get("questions", []), start=1):
            if question.get("group_title") != group:
                group = question.get("group_title")
                flow += self.heading(group, "h2")
            explained = (
                "; tænketankens forklaring står i bilag A" if (question.get("explanation") or "").strip() else ""
            )
            flow += [
                *self.heading(f"4.{number} {question.get('text', '')}", "h3"),
                self.p(f"Kilde: {question_source(question)}{explained}.", "small"),
                self.p(f"{concern}: {question.get('concern_label') or 'ikke angivet'}", "small"),
            ]
            flow += self.labelled(discussion, question.get("discussion"))
            flow += self.labelled(answer, question.get("answer"))
        return flow

    def recommendations(self, record: dict) -> list:
        flow = [*self.heading("5. Tænketankens fem anbefalinger", "h1")]
        for r in record.get("recommendations", []):
            flow += [
                *self.heading(f"{r.get('number')}. {r.get('title', '')}", "h3"),
                *self.heading(f"{field_label(REVIEW, 'status')}: {r.get('status_label') or 'Ikke vurderet'}", "label"),
                *self.paras(r.get("justification"), empty="Ingen begrundelse."),
            ]
            if r.get("check_questions"):
                flow += [
                    self.p(f"Kontrolspørgsmål ({str(OWN_WORDING).lower()}):", "small"),
                    self.bullets([self.p(text, "small")] for text in r["check_questions"]),
                ]
        return flow

    def explanations(self, record: dict) -> list:
        """Appendix A: the think tank's explanation of each question asked, with its source."""
        explained = [q for q in record.get("questions", []) if (q.get("explanation") or "").strip()]
        if not explained:
            return []
        flow = [
            PageBreak(),
            *self.heading("Bilag A. Tænketankens forklaringer til spørgsmålene", "h1"),
            self.p(
                "Teksterne er KL's teknologitænketank „Teknologi til velfærd“s egne forklaringer, som de stod, "
                "da vurderingen blev oprettet.",
                "kicker",
            ),
        ]
        for question in explained:
            flow += [
                *self.heading(question.get("text", ""), "h3"),
                self.p(f"Kilde: {question_source(question)}", "small"),
                *self.paras(question["explanation"]),
            ]
        return flow

    def actions(self, record: dict) -> list:
        flow = [*self.heading("6. Handlingsplan", "h1")]
        actions = record.get("actions", [])
        if not actions:
            return [*flow, self.p("Der er ingen handlinger i handlingsplanen.")]
        rows, below = [], []
        for number, a in enumerate(actions, start=1):
            description = a.get("description") or ""
            if len(description) > SHORT_CELL or len(lines_of(description)) > 1:
                below += [*self.heading(f"Handling {number}", "label"), *self.paras(description)]
                description = "Se teksten under tabellen."
            rows.append(
                [
                    str(number),
                    description,
                    a.get("owner") or "",
                    danish_date(a.get("due_date")),
                    a.get("status_label") or "",
                    "Ja" if a.get("is_condition") else "Nej",
                ]
            )
        widths = [1 * cm, CONTENT_WIDTH - 12.4 * cm, 3.6 * cm, 3 * cm, 2.4 * cm, 2.4 * cm]
        return [
            *flow,
            *self.table(["Nr.", *(field_label(ACTION, name) for name in ACTION.names)], rows, widths),
            Spacer(1, 0.3 * cm),
            *below,
        ]

    def involvement(self, record: dict) -> list:
        items = {item.key: item.answer for item in declaration(record)}
        flow = [
            *self.heading("7. Borgerinddragelse og høringssvar", "h1"),
            *self.paras(items["involvement"]),
        ]
        consultations = record.get("consultations") or []
        if not consultations:
            return [*flow, self.p("Der har ikke været en offentlig høring om forslaget i Etikdialog.")]
        for consultation in consultations:
            flow += self.consultation(consultation)
        return flow

    def consultation(self, consultation: dict) -> list:
        flow = [
            self.p(
                f"Offentlig høring fra {danish_date(consultation.get('opens'))} til "
                f"{danish_date(consultation.get('closes'))}. Udvalget har svaret på hvert godkendt høringssvar.",
            )
        ]
        responses = consultation.get("responses", [])
        if not responses:
            return [*flow, self.p("Der kom ingen høringssvar.")]
        for number, response in enumerate(responses, start=1):
            about = response.get("question_text") or "Hele forslaget"
            flow += [
                *self.heading(f"Høringssvar {number} fra {response.get('author') or 'en borger'} – om: {about}", "h3"),
                *self.paras(response.get("body", "")),
                *self.heading(f"Udvalgets svar: {response.get('answer_status_label') or 'ikke besvaret'}", "label"),
                *self.paras(response.get("answer", "")),
            ]
        return flow

    def board(self, record: dict) -> list:
        """Schema 4: the meeting that deliberated, its members present, absent and with a conflict
        of interest, and the vote (issue 28 item 2)."""
        board = record["board"]
        present, conflicted = board.get("members_present") or [], board.get("conflicts_of_interest") or []
        counts = record.get("position_counts") or {}
        agree, disagree, abstain = counts.get("enig", 0), counts.get("uenig", 0), counts.get("undlader", 0)
        absent = board.get("members_absent_count")
        flow = [
            *self.heading("Mødet og afstemningen", "h2"),
            self.p(
                f"{len(present)} {'medlem' if len(present) == 1 else 'medlemmer'} af etikrådet var til stede, da sagen "
                "blev drøftet" + (f", og {absent} var fraværende." if absent is not None else ".")
            ),
        ]
        if present:
            flow.append(self.bullets([self.p(_name_title(m))] for m in present))
        if conflicted:
            flow += self.heading("Inhabilitet (forvaltningsloven § 3)", "label")
            flow.append(
                self.bullets(
                    [
                        self.p(
                            f"{_name_title(c)}{',' if c.get('title') else ''} var inhabil og tog ikke stilling: {c.get('reason', '')}"
                        )
                    ]
                    for c in conflicted
                )
            )
        if "position_counts" not in record:
            return flow
        voting = len(present) - len(conflicted)
        flow.append(
            self.p(
                f"Af de {voting} medlemmer, der tog stilling, var {agree} {'enig' if agree == 1 else 'enige'} i "
                f"anbefalingen, {disagree} {'uenig' if disagree == 1 else 'uenige'}, og {abstain} undlod at tage "
                "stilling. Kun medlemmer med en mindretalsudtalelse nævnes sammen med deres holdning."
            )
        )
        return flow

    def dissents(self, record: dict) -> list:
        flow = [*self.heading("8. Mindretalsudtalelser", "h1")]
        counts = record.get("position_counts")  # only in records that name dissenters alone
        if "board" in record:
            flow += self.board(record)
        elif counts:
            agree, disagree = counts.get("enig", 0), counts.get("uenig", 0)
            flow.append(
                self.p(
                    f"Udvalgets medlemmer: {agree} {'enig' if agree == 1 else 'enige'}, {disagree} "
                    f"{'uenig' if disagree == 1 else 'uenige'} og {counts.get('undlader', 0)}, der undlod "
                    "at tage stilling. Kun medlemmer, der har skrevet en mindretalsudtalelse, nævnes ved "
                    "navn."
                )
            )
        dissents = [p for p in record.get("positions", []) if (p.get("dissent") or "").strip()]
        if not dissents:
            return [*flow, self.p("Ingen medlemmer har afgivet en mindretalsudtalelse.")]
        for position in dissents:
            flow += [
                *self.heading(
                    f"{position.get('name', '')}, {position.get('title', '')} ({position.get('stance_label', '').lower()})",
                    "h3",
                ),
                *self.paras(position["dissent"]),
            ]
        return flow

    def signatures(self, document: dict) -> list:
        record = document["record"]
        rows = [
            [s.get("name", ""), s.get("title", ""), danish_datetime(s.get("signed_at"))]
            for s in document.get("signatures", [])
        ]
        flow = [*self.heading("9. Underskrifter", "h1")]
        if rows:
            flow += self.table(["Navn", "Titel", "Underskrevet"], rows, [5.5 * cm, 6 * cm, CONTENT_WIDTH - 11.5 * cm])
            flow += [
                *self.heading("Sådan bekræftede underskriverne deres identitet", "label"),
                *[
                    self.p(f"{s.get('name', '')}: {_authentication_text(s.get('authentication'))}", "small")
                    for s in document.get("signatures", [])
                ],
            ]
        else:
            flow.append(self.p("Ingen har underskrevet endnu."))
        proof = [
            *self.labelled("SHA-256 af den underskrevne post (kanonisk JSON)", document.get("record_sha256")),
            *self.labelled("Indholdsversion (tænketankens materiale)", record.get("content_version")),
            *self.labelled("Verifikationskode", document.get("verification_code"), "Ingen – dette er et udkast."),
        ]
        if document.get("verify_url"):
            proof.append(self.p(f"Tjek dokumentet på {document['verify_url']}", "small"))
        # The section starts a new page unless it fits on this one whole, so the hash lines never spill
        # alone onto a page of their own (issue 29). A CondPageBreak rather than KeepTogether: the
        # tagging marks the story's own flowables, and a heading looks ahead in the story.
        section = [*flow, Spacer(1, 0.4 * cm), *proof]
        needed = sum(_height(f, CONTENT_WIDTH) + f.getSpaceBefore() + f.getSpaceAfter() for f in section)
        return [CondPageBreak(min(needed, PAGE_HEIGHT / 2)), *section]


def _name_title(person: dict) -> str:
    return ", ".join(part for part in (person.get("name", ""), person.get("title", "")) if part)


def _authentication_text(authentication) -> str:
    """How a signatory authenticated for their signature: a fresh Etikdialog password, or a fresh
    login at the municipality's identity provider (which, as whom, and when)."""
    if not isinstance(authentication, dict):
        return "adgangskode i Etikdialog, kontrolleret ved underskriften."
    protocol = {"oidc": "OpenID Connect", "saml": "SAML 2.0"}.get(authentication.get("method"), "kommunens login")
    when = danish_datetime(authentication["authenticated_at"]) if authentication.get("authenticated_at") else "ukendt"
    return (
        f"nyt login via kommunens login ({protocol}) hos {authentication.get('provider', '')}, "
        f"bruger-id {authentication.get('subject', '')}, logget ind {when}."
    )


class _QrCode(Flowable):
    """The verification URL as a QR code: encoded once, drawn as one filled path of module runs."""

    BORDER = 4  # modules of quiet zone, as the QR standard asks
    alt_text = "QR-kode til kontrol af dokumentet"  # the Figure's /Alt (app.pdf.tagging)
    MASK = 0  # any of the eight masks reads; trying all eight for the "best" took 9 encodings' time

    def __init__(self, url: str, size: float):
        super().__init__()
        code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
        code.addData(url)
        code.version = code.calculate_version()
        code.makeImpl(False, self.MASK)
        self.rows = [[bool(dark) for dark in row] for row in code.modules]
        self.width = self.height = size
        self.hAlign = "CENTER"

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self):
        """One rectangle ("re") per run of dark modules in a row, all filled at once ("f"): written
        as operators, since building ReportLab's path object a rectangle at a time cost 4 % of a render."""
        box = self.width / (len(self.rows) + 2 * self.BORDER)
        size = fp_str(box)
        rects = []
        for r, row in enumerate(self.rows):
            y = fp_str(self.height - (r + self.BORDER + 1) * box)
            c = self.BORDER
            for dark, run in groupby(row):
                n = sum(1 for _ in run)
                if dark:
                    rects.append(f"{fp_str(c * box)} {y} {fp_str(n * box)} {size} re")
                c += n
        self.canv.setFillColor(colors.black)
        self.canv.addLiteral("\n".join(rects) + "\nf")


# --- Page chrome: running header, "Side X af Y", draft watermark ----------------------------


class _Chrome:
    def __init__(self, *, fonts: FontSet, organisation: str, title: str, code: str | None, draft: bool):
        self.fonts = fonts
        self.organisation = organisation
        self.title = title
        self.code = code
        self.draft = draft
        heading = f"{organisation} · {title}"
        if len(heading) > 95:
            heading = heading[:94] + "…"
        self.heading = font_runs(heading, fonts)  # the same on every page: split once

    def draw(self, pdf: canvas.Canvas, page: int, total: int) -> None:
        with artifact(pdf, "Pagination"):  # running header and footer: not read as content
            self._draw(pdf, page, total)

    def _draw(self, pdf: canvas.Canvas, page: int, total: int) -> None:
        pdf.saveState()
        pdf.setFillColor(MUTED)
        pdf.setFont(self.fonts.regular, 8)
        top = PAGE_HEIGHT - MARGIN + 0.2 * cm
        if page > 1:
            text = pdf.beginText(MARGIN, top)
            for font, run in self.heading:
                text.setFont(font, 8)
                text.textOut(run)
            pdf.drawText(text)
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


class _NumberedCanvas(TaggedCanvasMixin, canvas.Canvas):
    """Holds every page until the end so the footer can say 'Side X af Y'. The outline's bookmarks
    are bound to their pages as the pages are written (a page's reference exists only then)."""

    def __init__(
        self,
        *args,
        chrome: _Chrome,
        made: str,
        attachments: list[dict],
        record_json: bytes | None = None,
        deadline: float | None = None,
        time_limit: float | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.setDateFormatter(lambda *_invariant_date: made)  # CreationDate and ModDate
        self._chrome = chrome
        self._attachments = attachments
        self._record_json = record_json
        self._made = made
        self._deadline = deadline
        self._time_limit = time_limit
        self._pages: list[dict] = []
        self._marks: list[tuple[str, int, float]] = []

    def mark_outline(self, title: str, level: int, top: float) -> None:
        """An outline entry for a heading drawn on this page, its top `top` points up the page."""
        self._marks.append((title, level, top))

    def showPage(self):
        if self._deadline is not None and time.monotonic() > self._deadline:
            raise RenderTimeout(self._time_limit)
        self._pages.append(dict(self.__dict__))
        self._marks = []
        self._startPage()

    def save(self):
        total = len(self._pages)
        entries, deepest = 0, -1
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._chrome.draw(self, number, total)
            for title, level, top in self._marks:
                entries += 1
                key = f"afsnit-{entries}"
                deepest = min(level, deepest + 1)  # a group before any section stands at the top
                self.bookmarkHorizontalAbsolute(key, top)
                self.addOutlineEntry(title, key, level=deepest, closed=deepest > 0)
            super().showPage()
        if entries:
            self.showOutline()
        archive(self._doc, record_json=self._record_json, attachments=self._attachments, made=self._made)
        super().save()
