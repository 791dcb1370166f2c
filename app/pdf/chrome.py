"""The record PDF's page chrome: the running header, "Side X af Y", the draft watermark (all drawn
as pagination artifacts, not content), and the canvas that holds every page until the last so the
footer knows the page count, binds the outline's bookmarks to their pages and writes the archival
keys (`app.pdf.archival`) on save."""

from __future__ import annotations

from collections.abc import Callable

from reportlab.lib import colors
from reportlab.lib.units import cm
from reportlab.pdfgen import canvas

from app.pdf.archival import archive
from app.pdf.fonts import FontSet
from app.pdf.glyphs import font_runs
from app.pdf.styles import DRAFT_MARK, MARGIN, MUTED, PAGE_HEIGHT, PAGE_WIDTH, RULE
from app.pdf.tagging import TaggedCanvasMixin, artifact


class Chrome:
    """What every page shows around its content."""

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


class NumberedCanvas(TaggedCanvasMixin, canvas.Canvas):
    """Holds every page until the end so the footer can say 'Side X af Y'. The outline's bookmarks
    are bound to their pages as the pages are written (a page's reference exists only then).
    `check_time`, when given, is called at each page's end and raises when the render is out of time."""

    def __init__(
        self,
        *args,
        chrome: Chrome,
        made: str,
        attachments: list[dict],
        record_json: bytes | None = None,
        check_time: Callable[[], None] | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.setDateFormatter(lambda *_invariant_date: made)  # CreationDate and ModDate
        self._chrome = chrome
        self._attachments = attachments
        self._record_json = record_json
        self._made = made
        self._check_time = check_time
        self._pages: list[dict] = []
        self._marks: list[tuple[str, int, float]] = []

    def mark_outline(self, title: str, level: int, top: float) -> None:
        """An outline entry for a heading drawn on this page, its top `top` points up the page."""
        self._marks.append((title, level, top))

    def showPage(self):
        if self._check_time is not None:
            self._check_time()
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
