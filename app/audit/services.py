"""Writing audit events. Services call record(); nothing ever updates or deletes an event."""

from flask import current_app

from app.audit.models import AuditEvent
from app.core.text import shorten
from app.extensions import db


class SystemActor:
    """The app itself acting, not a person: freezing the record after the last signature, voiding
    signatures when the record changed, a command run from the shell, a scheduled purge."""

    id = None
    organisation_id = None
    role = None

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = SystemActor()


def record(action: str, summary: str = "", *, user, assessment=None, organisation_id=None, **detail):
    """Add an audit event to the session (the caller's transaction commits it).

    `user` is who acted, always said by the service: a User, SYSTEM for the app itself (stored
    with no user and detail["actor"] == "system"), or None for someone without an account (a
    citizen's response). It is never taken from the request, so a system event that happens in a
    signer's request is not attributed to the signer.
    """
    if user is SYSTEM:
        user, detail = None, {**detail, "actor": "system"}
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
        extra={
            "fields": {
                "audit": True,
                "user_id": event.user_id,
                "organisation_id": organisation_id,
                "assessment": assessment.public_id if assessment is not None else None,
            }
        },
    )
    return event
