"""The record PDF's own flowables: a paragraph that breaks its lines once, a heading that never
stands alone at the foot of a page, and the QR code; and the plain text of what is drawn (the
benchmark's baseline and the tests read it).
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import groupby

from reportlab.graphics.barcode import qrencoder
from reportlab.lib import colors
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import (
    ActionFlowable,
    CondPageBreak,
    Flowable,
    ListFlowable,
    PageBreak,
    Paragraph,
    Table,
)

from app.pdf.fonts import font_set
from app.pdf.styles import HEADING_LEVELS, PAGE_HEIGHT


def lines_of(value) -> list[str]:
    """User text as the PDF prints it: one paragraph per non-empty line (app.pdf.bounds counts these)."""
    text = str(value or "").replace("\r\n", "\n").replace("\r", "\n")
    return [line for line in (raw.strip() for raw in text.split("\n")) if line]


def height(flowable, width: float) -> float:
    """A flowable's height at `width`, on a page with room for it."""
    return flowable.wrap(width, PAGE_HEIGHT)[1]


class TextParagraph(Paragraph):
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


class Heading(TextParagraph):
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
        """Tell each heading of the story what follows it, so it can ask for room for its start."""
        for index, flowable in enumerate(story):
            if isinstance(flowable, cls):
                flowable.following = story[index + 1 : index + 1 + cls.LOOK_AHEAD]

    def wrap(self, availWidth, availHeight):
        width, own = super().wrap(availWidth, availHeight)
        if availHeight < min(self.needed(availWidth), self.MOST):
            return width, availHeight + 1  # does not fit here: the frame moves it to the next page
        return width, own

    def split(self, availWidth, availHeight):
        return []

    def needed(self, width: float) -> float:
        """The room this heading needs: itself and the start of what it heads."""
        own = TextParagraph.wrap(self, width, PAGE_HEIGHT)[1] + self.getSpaceAfter()
        if not self.following:
            return max(own, self.keep)
        for flowable in self.following:
            if isinstance(flowable, CondPageBreak):
                continue
            if isinstance(flowable, PageBreak | ActionFlowable):
                return own
            if isinstance(flowable, Heading):
                own += TextParagraph.wrap(flowable, width, PAGE_HEIGHT)[1]
                own += flowable.getSpaceBefore() + flowable.getSpaceAfter()
                continue
            return own + self._start(flowable, width)
        return own

    def _start(self, flowable, width: float) -> float:
        if isinstance(flowable, Paragraph):
            whole = height(flowable, width)
            lines = len(getattr(getattr(flowable, "blPara", None), "lines", ()) or ())
            start = whole if lines <= 2 else 2 * flowable.style.leading
            return start + flowable.getSpaceBefore()
        if isinstance(flowable, Table):
            return self.TABLE_START
        if isinstance(flowable, ListFlowable):
            return self.LIST_START
        return height(flowable, width)  # a drawing, a spacer: whole


class QrCode(Flowable):
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
