"""The signed record's `reused_from` section (record schema 3): which published record of another
municipality the assessment was started from. Read by the snapshot builder (app/signoff/canonical.py);
imports only the link's model, so the builder can import it."""

from __future__ import annotations

from app.extensions import db
from app.reuse.models import ReuseLink


def reused_from_section(assessment) -> dict | None:
    """{public_id, version, municipality} of the source, or None for an assessment not started
    from another municipality's record (the section is then left out: it is optional)."""
    link = db.session.get(ReuseLink, assessment.id) if assessment.id is not None else None
    return link.reused_from if link is not None else None
