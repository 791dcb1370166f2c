"""Who signs an assessment, and which signatures are valid: the reads that the canonical record's
"signatories" section and the state machine's sign-off checks share.

Kept apart from `services` so that the canonical record (app/signoff/canonical.py) and the state
table (app/assessments/workflow.py) can call these directly without importing the services.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.signoff.models import Signatory, Signature


def required_signatories() -> int:
    return int(current_app.config.get("SIGNATORIES_REQUIRED", 2))


def signatories(assessment) -> list[Signatory]:
    return list(
        db.session.scalars(
            select(Signatory).where(Signatory.assessment_id == assessment.id).order_by(Signatory.position)
        )
    )


def valid_signatures(assessment, record_sha256: str) -> list[Signature]:
    return list(
        db.session.scalars(
            select(Signature)
            .where(
                Signature.assessment_id == assessment.id,
                Signature.voided_at.is_(None),
                Signature.record_sha256 == record_sha256,
            )
            .order_by(Signature.signed_at, Signature.id)
        )
    )


def signatories_section(assessment) -> list[dict]:
    """The record's "signatories": who is named to sign, in order."""
    entries = []
    for signatory in signatories(assessment):
        # {name, title} only: a signer's single sign-on identity stays outside the hash (ADR 0003)
        entries.append({"name": signatory.user.name, "title": signatory.user.title})
    return entries
