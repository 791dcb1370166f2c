"""The PDF's fonts: IBM Plex Sans from the dkfds package, else DejaVu Sans, else Helvetica.

Registered once per process. Characters the main font lacks (Arabic, for instance) are set in
the fallback font where it has them, so names in any script stay legible where possible.

ReportLab 5 writes a malformed ToUnicode entry for characters outside the Basic Multilingual
Plane (`<1F600>` instead of the UTF-16 pair `<D83DDE00>`), so 😀 copied out of the PDF as "ὠ".
`_to_unicode_cmap` replaces its CMap writer with one that encodes every value as UTF-16BE.

That replaces a ReportLab internal (`ttfonts.makeToUnicodeCMap`, looked up by `TTFont.addObjects`
on every call): ReportLab has no setting or hook for the ToUnicode map, and its newest release
(REPORTLAB_CHECKED) still writes the wrong entry. So setup.cfg pins ReportLab exactly, and
tests/test_reportlab_patch.py fails when an upgrade changes what the patch relies on (the writer's
name, signature and output for other characters, and the font face's glyph tables that
`show_as_replacement` edits), or when ReportLab fixes the entry and the patch can go.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics, rl_codecs, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

log = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
PLEX_DIRS = (
    PROJECT_ROOT / "app" / "static" / "dkfds" / "fonts" / "IBMPlexSans" / "complete" / "ttf",
    PROJECT_ROOT / "node_modules" / "dkfds" / "dist" / "fonts" / "IBMPlexSans" / "complete" / "ttf",
)
DEJAVU_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))

PLEX_FILES = {
    "regular": "IBMPlexSans-Regular.ttf",
    "bold": "IBMPlexSans-Bold.ttf",
    "italic": "IBMPlexSans-Italic.ttf",
    "bolditalic": "IBMPlexSans-BoldItalic.ttf",
}
DEJAVU_FILES = {
    "regular": "DejaVuSans.ttf",
    "bold": "DejaVuSans-Bold.ttf",
    "italic": "DejaVuSans-Oblique.ttf",
    "bolditalic": "DejaVuSans-BoldOblique.ttf",
}


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ReportLab's ToUnicode CMap for one subset, with each value as UTF-16BE (PDF 32000 §9.10.3)."""
    entries = [f"<{code:02X}> <{chr(value).encode('utf-16-be').hex().upper()}>" for code, value in enumerate(subset)]
    return "\n".join(
        [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            "/CIDSystemInfo",
            f"<< /Registry ({fontname})",
            f"/Ordering ({fontname})",
            "/Supplement 0",
            ">> def",
            f"/CMapName /{fontname} def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            f"<00> <{len(subset) - 1:02X}>",
            "endcodespacerange",
            f"{len(subset)} beginbfchar",
            *entries,
            "endbfchar",
            "endcmap",
            "CMapName currentdict /CMap defineresource pop",
            "end",
            "end",
        ]
    )


REPORTLAB_CHECKED = "5.1.0"  # the ReportLab release the patch below was checked against (setup.cfg pins it)
ttfonts.makeToUnicodeCMap = _to_unicode_cmap  # addObjects looks it up in the module on every call

STANDARD_ENCODINGS = ("winansi", "symbol", "zapfdingbats")
REPLACEMENT = 0xFFFD  # "�": drawn for characters no font has
_SHOWN_AS_REPLACEMENT: set[int] = set()  # never counted as glyphs a font has


@dataclass(frozen=True)
class FontSet:
    regular: str
    bold: str
    italic: str
    fallback: str | None  # a regular face used for characters the main font lacks
    main_glyphs: frozenset[int] | None  # None: unknown (a built-in font), no fallback attempted
    fallback_glyphs: frozenset[int]
    replacement: str | None = None  # a face that draws U+FFFD, for characters no font has


def show_as_replacement(font_name: str, code: int) -> None:
    """Let `font_name` draw `code` with its U+FFFD glyph, so the PDF shows "�" where no font has the
    character while its ToUnicode entry still names the character (it copies out unchanged).
    ReportLab does the same for U+00A0; the mapping is the same for every document, so output stays
    deterministic."""
    face = pdfmetrics.getFont(font_name).face
    _SHOWN_AS_REPLACEMENT.add(code)
    if code not in face.charToGlyph:
        face.charWidths[code] = face.charWidths.get(REPLACEMENT, face.defaultWidth)
        face.charToGlyph[code] = face.charToGlyph[REPLACEMENT]


def _find(directories, files: dict[str, str]) -> dict[str, Path] | None:
    for directory in directories:
        paths = {style: directory / name for style, name in files.items()}
        if all(p.is_file() for p in paths.values()):
            return paths
    return None


def _register(family: str, paths: dict[str, Path]) -> dict[str, str]:
    names = {style: f"{family}-{style}" for style in paths}
    for style, path in paths.items():
        if names[style] not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(names[style], str(path)))
    pdfmetrics.registerFontFamily(
        family, normal=names["regular"], bold=names["bold"], italic=names["italic"], boldItalic=names["bolditalic"]
    )
    addMapping(family, 0, 0, names["regular"])
    addMapping(family, 1, 0, names["bold"])
    addMapping(family, 0, 1, names["italic"])
    addMapping(family, 1, 1, names["bolditalic"])
    return names


def _glyphs(font_name: str) -> frozenset[int]:
    return frozenset(pdfmetrics.getFont(font_name).face.charToGlyph).difference(_SHOWN_AS_REPLACEMENT)


def _standard_glyphs() -> frozenset[int]:
    """What Helvetica draws: ReportLab sets a standard font in WinAnsi and substitutes Symbol and
    ZapfDingbats for what WinAnsi lacks (all below U+3000); anything else it would draw as a black
    box (ZapfDingbats' "n"), unreported."""
    rl_codecs.RL_Codecs.register()
    return frozenset(code for code in range(0x20, 0x3000) if chr(code).isprintable() and _encodable(chr(code)))


def _encodable(char: str) -> bool:
    return any(char.encode(name, errors="ignore") for name in STANDARD_ENCODINGS)


@cache
def font_set() -> FontSet:
    plex = _find(PLEX_DIRS, PLEX_FILES)
    dejavu = _find(DEJAVU_DIRS, DEJAVU_FILES)
    if plex:
        names = _register("EtikPlex", plex)
        fallback = _register("EtikDejaVu", dejavu)["regular"] if dejavu else None
    elif dejavu:
        log.warning("IBM Plex Sans not found (run `make install`); the PDF uses DejaVu Sans")
        names, fallback = _register("EtikDejaVu", dejavu), None
    else:
        log.warning("Neither IBM Plex Sans nor DejaVu Sans found; the PDF uses Helvetica")
        return FontSet("Helvetica", "Helvetica-Bold", "Helvetica-Oblique", None, _standard_glyphs(), frozenset())
    main_glyphs = _glyphs(names["regular"])
    fallback_glyphs = _glyphs(fallback) if fallback else frozenset()
    replacement = (
        fallback if REPLACEMENT in fallback_glyphs else names["regular"] if REPLACEMENT in main_glyphs else None
    )
    return FontSet(
        regular=names["regular"],
        bold=names["bold"],
        italic=names["italic"],
        fallback=fallback,
        main_glyphs=main_glyphs,
        fallback_glyphs=fallback_glyphs,
        replacement=replacement,
    )
