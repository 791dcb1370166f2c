"""app/pdf/fonts.py replaces a ReportLab internal, `ttfonts.makeToUnicodeCMap` (ReportLab has no
setting or hook for the ToUnicode map, and writes characters outside the Basic Multilingual Plane
wrongly), and edits a font face's glyph tables to draw "�". setup.cfg pins ReportLab exactly; these
tests fail when an upgrade changes the shape of what the patch relies on, so the upgrade is checked
on purpose, or when ReportLab writes the entry right and the patch can go."""

from __future__ import annotations

import importlib.util
import inspect
import re

import pytest
import reportlab
from reportlab.pdfbase import pdfmetrics, ttfonts

from app.pdf import fonts


@pytest.fixture(scope="module")
def pristine():
    """ReportLab's own ttfonts module, loaded afresh from its file, without the patch."""
    spec = importlib.util.spec_from_file_location("reportlab_ttfonts_unpatched", ttfonts.__file__)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_reportlab_is_the_release_the_patch_was_checked_against():
    assert reportlab.Version == fonts.REPORTLAB_CHECKED, (
        "ReportLab changed: check app/pdf/fonts.py's patch against it (these tests), then update "
        "REPORTLAB_CHECKED and the exact pin in setup.cfg together"
    )


def test_setup_cfg_pins_the_same_release():
    from pathlib import Path

    setup = (Path(__file__).resolve().parent.parent / "setup.cfg").read_text(encoding="utf-8")
    assert re.search(rf"^\s*reportlab=={re.escape(fonts.REPORTLAB_CHECKED)}\b", setup, re.MULTILINE | re.IGNORECASE)


def test_the_patch_is_in_place_and_reportlab_looks_the_writer_up_by_name():
    assert ttfonts.makeToUnicodeCMap is fonts._to_unicode_cmap
    # addObjects calls the module-level name on every call, so replacing the attribute takes effect.
    assert "makeToUnicodeCMap(baseFontName, subset)" in inspect.getsource(ttfonts.TTFont.addObjects)


def test_reportlabs_writer_has_the_signature_the_patch_replaces(pristine):
    assert list(inspect.signature(pristine.makeToUnicodeCMap).parameters) == ["fontname", "subset"]


def test_the_patch_writes_what_reportlab_writes_for_the_basic_plane(pristine):
    subset = [0x20, 0x41, 0xE6, 0xF8, 0xE5, 0x3A9, 0x4E2D, 0xFFFD]
    assert fonts._to_unicode_cmap("ABCDEF+Plex", subset) == pristine.makeToUnicodeCMap("ABCDEF+Plex", subset)


def test_reportlab_still_writes_characters_outside_the_basic_plane_wrongly(pristine):
    """When this fails, ReportLab writes the UTF-16 pair itself: remove the patch."""
    assert "<01> <1F600>" in pristine.makeToUnicodeCMap("X", [0x41, 0x1F600])
    assert "<01> <D83DDE00>" in fonts._to_unicode_cmap("X", [0x41, 0x1F600])


def test_a_font_face_has_the_glyph_tables_show_as_replacement_edits():
    font_set = fonts.font_set()
    if font_set.main_glyphs is None or font_set.regular == "Helvetica":
        pytest.skip("no TrueType font installed (make install copies IBM Plex Sans)")
    face = pdfmetrics.getFont(font_set.regular).face
    assert isinstance(face.charToGlyph, dict) and isinstance(face.charWidths, dict)
    assert isinstance(face.defaultWidth, int | float)
    assert isinstance(face.charToGlyph[ord("A")], int)
