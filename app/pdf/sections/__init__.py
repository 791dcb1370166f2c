"""The record PDF's sections, each a function of a `app.pdf.builder.Builder` and the record (or the
whole document) that returns the section's flowables, in the order `app.pdf.render.build_story`
puts them: the cover (`cover`), sections 1–3 (`case`), 4–6 and appendix A (`deliberation`), and
7–9 (`board`). The AI annex is `app.pdf.fria`'s.
"""

from __future__ import annotations

from app.i18n import danish


def field_label(table, name: str) -> str:
    """A field's label from its row's table (app/assessments/fields.py), in Danish like the record."""
    return danish(table[name].label)
