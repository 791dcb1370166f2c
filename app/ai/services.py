"""Saving the fundamental-rights impact assessment, and the notification summary for the market
surveillance authority. Services flush and audit; they never commit."""

from __future__ import annotations

import json

from etikdialog_verify.record import record_hash

from app.ai.checks import fria_required, notification_problem
from app.ai.record import ai_of
from app.assessments import services as assessments
from app.assessments.fields import FRIA, FRIA_WORDING
from app.core.time import utcnow
from app.core.wiring import provided

NOTIFICATION_FORMAT = "etikdialog-ai-artikel-27-anmeldelse"


def dated_notification(assessment, changes: dict) -> None:
    """A rule across fields: the notification's date goes with a sent notification (checks.py)."""
    notified = changes.get("fria_notified", assessment.fria_notified)
    notified_on = changes.get("fria_notified_date", assessment.fria_notified_date)
    problem = notification_problem(bool(notified), notified_on)
    if problem:
        raise assessments.AssessmentError(problem)


def save_fria(assessment, changes: dict, **saving) -> list[str]:
    """Save the assessment's fields through the table, like every other versioned form."""
    return assessments.save_fields(assessment, FRIA, changes, check=dated_notification, **saving)


def notification_record(assessment, content) -> tuple[dict, bool]:
    """The record the summary is made from: the signed one once there is one (what the board
    signed), else the record as it stands now, marked as a draft. Returns (record, signed)."""
    frozen = getattr(assessment, "signed_record", None)
    if frozen is not None:
        return json.loads(frozen.canonical_json), True
    return provided("record.snapshot")(assessment, content=content), False  # app/signoff/canonical.py


def notification_summary(assessment, content) -> dict | None:
    """What the board sends to the market surveillance authority (Article 27(3)): who deploys which
    system where, the screening and the six elements, from the record. None when the record has no
    fundamental-rights impact assessment (nothing to notify)."""
    record, signed = notification_record(assessment, content)
    section = ai_of(record)
    if not section or not section.get("fria"):
        return None
    frozen = assessment.signed_record if signed else None
    supplier = next((i.get("text", "") for i in record.get("proposal", []) if i.get("field") == "supplier"), "")
    return {
        "format": NOTIFICATION_FORMAT,
        "format_version": 1,
        "title": "Resumé af konsekvensanalyse for grundlæggende rettigheder (AI-forordningens artikel 27)",
        "note": (
            "Resumé til anmeldelse til markedsovervågningsmyndigheden efter artikel 27, stk. 3, i forordning (EU) "
            f"2024/1689. Spørgsmålene er {FRIA_WORDING}. Brug AI-kontorets skabelon, når den foreligger "
            "(artikel 27, stk. 5)."
        ),
        "status": "underskrevet" if signed else "udkast",
        "generated_at": utcnow().replace(microsecond=0).isoformat() + "Z",
        "deployer": dict(record.get("organisation") or {}),
        "assessment": {
            "public_id": record.get("public_id"),
            "version": record.get("version_number"),
            "title": record.get("title"),
            "record_sha256": frozen.json_sha256 if frozen else record_hash(record),
            "verification_code": frozen.verification_code if frozen else None,
            "signed_at": frozen.signed_at.isoformat() + "Z" if frozen else None,
        },
        "technology": {
            "name": (record.get("technology") or {}).get("name", ""),
            "category": (record.get("technology") or {}).get("category_title", ""),
            "supplier": supplier,
        },
        "ai": section,
    }


__all__ = ["dated_notification", "fria_required", "notification_summary", "save_fria"]
