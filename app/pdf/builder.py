"""The building blocks every PDF of the app is made of: escaped paragraphs, headings, a person's
text line by line, labelled values, tables, cells and bullet lists.

Every piece of user text goes through `Builder.markup`, which escapes it, so nothing a person typed
is ever read as markup; characters the main font lacks are set in the fallback font, and those no
font has are drawn as "�" and collected in `unsupported` (the cover's note lists them). The record's
sections (`app.pdf.sections`), its chart (`app.pdf.chart`) and the FRIA annex and notification
(`app.pdf.fria`) are written with one.
"""

from __future__ import annotations

from collections.abc import Iterable
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import ListFlowable, ListItem, Paragraph, Table, TableStyle

from app.pdf.flowables import Heading, TextParagraph, lines_of
from app.pdf.fonts import FontSet, show_as_replacement
from app.pdf.glyphs import code_point, main_font_draws
from app.pdf.styles import (
    CELL_PADDING,
    HEADER_FILL,
    INK,
    KEEP_WITH_NEXT,
    OUTLINE_LEVELS,
    REPLACEMENT_CHARACTER,
    RULE,
    TABLE_ROWS,
)


class Builder:
    """Makes flowables in the given styles (`app.pdf.styles.styles(fonts)`) and remembers the
    characters no font could draw."""

    def __init__(self, fonts: FontSet, styles: dict[str, ParagraphStyle]):
        self.fonts = fonts
        self.styles = styles
        self.unsupported: set[str] = set()

    def markup(self, value) -> str:
        """Escape text for a Paragraph; characters the main font lacks are set in the fallback font,
        and characters no font has are shown as "�" (and collected for the cover's note)."""
        escaped = escape(str(value or ""))
        if self.fonts.main_glyphs is None or main_font_draws(escaped, self.fonts):
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
        return TextParagraph(self.markup(value), self.styles[style])

    def heading(self, value, style: str) -> list:
        """A heading or label that never stands alone at the foot of a page: `Heading` moves on
        unless the start of what follows fits below it (keepWithNext would move a heading and a
        whole long text to the next page, leaving a gap). Sections and groups get an outline entry.
        A list, as callers splice it into their flow."""
        heading = Heading(
            self.markup(value), self.styles[style], keep=KEEP_WITH_NEXT[style], outline_level=OUTLINE_LEVELS.get(style)
        )
        return [heading]

    def paras(self, value, style: str = "body", empty: str | None = None) -> list[Paragraph]:
        """A person's text: one Paragraph per line, never `<br/>` inside one."""
        lines = lines_of(value)
        if not lines:
            return [self.p(empty, style)] if empty else []
        return [TextParagraph(self.markup(line), self.styles[style]) for line in lines]

    def labelled(self, label: str, value, empty: str = "Ikke udfyldt.") -> list:
        return [*self.heading(label, "label"), *self.paras(value, empty=empty)]

    def unsupported_note(self) -> Paragraph:
        listed = ", ".join(code_point(c) for c in sorted(self.unsupported))
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
            or (self.fonts.main_glyphs is not None and not main_font_draws(text, self.fonts))
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

    def bullets(self, items: Iterable[list]) -> ListFlowable:
        return ListFlowable(
            [ListItem(item, leftIndent=12) for item in items],
            bulletType="bullet",
            start="•",
            leftIndent=12,
            bulletFontName=self.fonts.regular,
        )
