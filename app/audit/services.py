"""Writing audit events. Services call record(); nothing ever updates or deletes an event."""

from flask import current_app
from flask_login import current_user

from app.audit.models import AuditEvent
from app.core.text import shorten
from app.extensions import db


def record(action: str, summary: str = "", *, assessment=None, organisation_id=None, user=None, **detail):
    """Add an audit event to the session (the caller's transaction commits it)."""
    if user is None and current_user and getattr(current_user, "is_authenticated", False):
        user = current_user
    if organisation_id is None:
        if assessment is not None:
            organisation_id = assessment.organisation_id
        elif user is not None:
            organisation_id = user.organisation_id
    event = AuditEvent(
        organisation_id=organisation_id,
        assessment_id=assessment.id if assessment is not None else None,
        user_id=user.id if user is not None else None,
        action=action,
        summary=shorten(summary, 500),
        detail=detail,
    )
    db.session.add(event)
    current_app.logger.info(
        action,
        extra={"fields": {"audit": True, "user_id": event.user_id, "organisation_id": organisation_id,
                          "assessment": assessment.public_id if assessment is not None else None}},
    )  # fmt: skip
    return event
