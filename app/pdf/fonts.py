"""The PDF's fonts: IBM Plex Sans from the dkfds package, else DejaVu Sans, else Helvetica.

Registered once per process. Characters the main font lacks (Arabic, for instance) are set in
the fallback font where it has them, so names in any script stay legible where possible.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

log = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
PLEX_DIRS = (
    PROJECT_ROOT / "app" / "static" / "dkfds" / "fonts" / "IBMPlexSans" / "complete" / "ttf",
    PROJECT_ROOT / "node_modules" / "dkfds" / "dist" / "fonts" / "IBMPlexSans" / "complete" / "ttf",
)
DEJAVU_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))

PLEX_FILES = {"regular": "IBMPlexSans-Regular.ttf", "bold": "IBMPlexSans-Bold.ttf",
              "italic": "IBMPlexSans-Italic.ttf", "bolditalic": "IBMPlexSans-BoldItalic.ttf"}  # fmt: skip
DEJAVU_FILES = {"regular": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf",
                "italic": "DejaVuSans-Oblique.ttf", "bolditalic": "DejaVuSans-BoldOblique.ttf"}  # fmt: skip


@dataclass(frozen=True)
class FontSet:
    regular: str
    bold: str
    italic: str
    fallback: str | None  # a regular face used for characters the main font lacks
    main_glyphs: frozenset[int] | None  # None: unknown (a built-in font), no fallback attempted
    fallback_glyphs: frozenset[int]


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
    pdfmetrics.registerFontFamily(family, normal=names["regular"], bold=names["bold"],
                                  italic=names["italic"], boldItalic=names["bolditalic"])  # fmt: skip
    addMapping(family, 0, 0, names["regular"])
    addMapping(family, 1, 0, names["bold"])
    addMapping(family, 0, 1, names["italic"])
    addMapping(family, 1, 1, names["bolditalic"])
    return names


def _glyphs(font_name: str) -> frozenset[int]:
    return frozenset(pdfmetrics.getFont(font_name).face.charToGlyph)


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
        return FontSet("Helvetica", "Helvetica-Bold", "Helvetica-Oblique", None, None, frozenset())
    return FontSet(
        regular=names["regular"],
        bold=names["bold"],
        italic=names["italic"],
        fallback=fallback,
        main_glyphs=_glyphs(names["regular"]),
        fallback_glyphs=_glyphs(fallback) if fallback else frozenset(),
    )
