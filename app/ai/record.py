"""The signed record's `ai` section (record schema 3), and what is read from a record.

Built from the assessment when the record is made (app/signoff/canonical.py); everything shown as
signed (the public page, the PDF annex, the API, the notification summary) reads the section from
the stored record, never the live row. Records signed before schema 3 have no section: `ai_of`
answers None for them.
"""

from __future__ import annotations

from app.assessments.fields import FRIA, FRIA_WORDING
from app.assessments.proposal import ANNEX_III_AREAS, high_risk_ai, is_blank, requires_fria

REGULATION = "Forordning (EU) 2024/1689 om kunstig intelligens (AI-forordningen), artikel 27"
LETTERS = "abcdef"
ELEMENTS = FRIA.names[:6]  # Article 27(1)(a)-(f), in the letters' order


def ai_section(assessment) -> dict:
    """The screening and, when needed or begun, the fundamental-rights impact assessment. Called
    under force_locale("da") by canonical.snapshot, which turns the lazy labels into strings."""

    def value(name):
        return getattr(assessment, name)

    required = requires_fria(value)
    begun = value("uses_ai") == "ja" and any(not is_blank(value(name)) for name in ELEMENTS)
    return {
        "uses_ai": assessment.uses_ai or "",
        "purpose": assessment.ai_purpose or "",
        "annex_iii_area": assessment.ai_annex_area or "",
        "annex_iii_title": str(ANNEX_III_AREAS.get(assessment.ai_annex_area, "")) if assessment.ai_annex_area else "",
        "high_risk": high_risk_ai(value),
        "fria_required": required,
        "fria": _fria(assessment) if required or begun else None,
    }


def _fria(assessment) -> dict:
    return {
        "wording": str(FRIA_WORDING),
        "regulation": REGULATION,
        "elements": [
            {
                "field": name,
                "letter": letter,
                "citation": FRIA[name].citation,
                "label": FRIA[name].label,
                "question": FRIA[name].form_label,
                "text": getattr(assessment, name) or "",
            }
            for letter, name in zip(LETTERS, ELEMENTS, strict=True)
        ],
        "dpia": assessment.fria_dpia or "",
        "notified": bool(assessment.fria_notified),
        "notified_date": assessment.fria_notified_date.isoformat() if assessment.fria_notified_date else None,
    }


def ai_of(record: dict) -> dict | None:
    """The record's `ai` section, or None for a record signed before schema 3."""
    section = record.get("ai")
    return section if isinstance(section, dict) else None


def fria_of(record: dict) -> dict | None:
    """The record's fundamental-rights impact assessment, or None when it has none."""
    section = ai_of(record)
    return section.get("fria") if section else None
