"""The record PDF's look: page geometry, colours, the paragraph styles, and Danish hyphenation.

Everything here is a constant or a pure function of the fonts (`app.pdf.fonts`): the builder
(`app.pdf.builder`), the flowables, the page chrome and the FRIA notification all set their text
with these styles, so the documents look alike.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

import pyphen
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm

if TYPE_CHECKING:
    from app.pdf.fonts import FontSet

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


def styles(fonts: FontSet) -> dict[str, ParagraphStyle]:
    """The paragraph styles by name: body text, small print, labels, table cells, the cover's, the
    headings h1–h3 and the QR code's caption."""
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
