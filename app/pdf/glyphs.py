"""Which font draws which character: the main font, the fallback where only it has a character, and
"�" (or "[U+…]" with Helvetica alone) where no font has one. Paragraphs get this through
`app.pdf.builder.Builder.markup`; text drawn straight on the canvas (the running header) through
`font_runs`.
"""

from __future__ import annotations

import unicodedata

from app.pdf.fonts import FontSet, show_as_replacement

_DRAWABLE: dict[frozenset[int], frozenset[str]] = {}


def drawable(fonts: FontSet) -> frozenset[str]:
    """The characters the main font draws, and the whitespace a line may hold (cached per font)."""
    found = _DRAWABLE.get(fonts.main_glyphs)
    if found is None:
        found = _DRAWABLE[fonts.main_glyphs] = frozenset(map(chr, fonts.main_glyphs)) | frozenset(" \t\r\n")
    return found


def main_font_draws(text: str, fonts: FontSet) -> bool:
    """Whether the main font has every character: one C-level set test for the usual case."""
    return drawable(fonts).issuperset(text)


def font_runs(text: str, fonts: FontSet) -> list[tuple[str, str]]:
    """Text drawn straight on the canvas (the running header), as (font, text) runs: the main font,
    the fallback where only it has a character, and "�" where no font has one (as `markup` does)."""
    if fonts.main_glyphs is None or main_font_draws(text, fonts):
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


def code_point(char: str) -> str:
    """A character as the log and the cover's note name it: "U+1F680 (ROCKET)"."""
    return f"U+{ord(char):04X} ({unicodedata.name(char, 'ukendt tegn')})"
