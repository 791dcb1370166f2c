"""Writing audit events. Services call record(); nothing ever updates or deletes an event.

Each event is also a line in the structured log, written only once its transaction has committed
(issue 31 item 8: a login that failed with 503 had logged `user.login`): record() keeps the line on
the session, an after_commit listener writes it, and the end of a transaction that did not commit
drops it. The listeners are connected in create_app (`log_after_commit`).
"""

from flask import current_app
from sqlalchemy import event as sqlalchemy_event
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent
from app.core.text import shorten
from app.extensions import db
from app.i18n import Line


class SystemActor:
    """The app itself acting, not a person: freezing the record after the last signature, voiding
    signatures when the record changed, a command run from the shell, a scheduled purge."""

    id = None
    organisation_id = None
    role = None

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = SystemActor()
PENDING_LINES = "audit_log_lines"  # session.info key: (logger, action, fields) waiting for the commit


def record(action: str, summary: str | Line = "", *, user, assessment=None, organisation_id=None, **detail):
    """Add an audit event to the session (the caller's transaction commits it).

    `summary` is Danish text, or a Line (app.i18n.line): then its msgid and values are kept in
    detail["line"] as well, so the log page reads in each reader's language (AuditEvent.text);
    the summary column keeps the Danish line either way.

    `user` is who acted, always said by the service: a User, SYSTEM for the app itself (stored
    with no user and detail["actor"] == "system"), or None for someone without an account (a
    citizen's response). It is never taken from the request, so a system event that happens in a
    signer's request is not attributed to the signer.
    """
    if user is SYSTEM:
        user, detail = None, {**detail, "actor": "system"}
    if isinstance(summary, Line):
        summary, detail = summary.danish(), {**detail, "line": summary.stored()}
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
    fields = {
        "audit": True,
        "user_id": event.user_id,
        "organisation_id": organisation_id,
        "assessment": assessment.public_id if assessment is not None else None,
    }
    db.session.info.setdefault(PENDING_LINES, []).append((current_app.logger, action, fields))
    return event


def _write_lines(session) -> None:
    """after_commit: the transaction's audit events are stored; log them."""
    for logger, action, fields in session.info.pop(PENDING_LINES, []):
        logger.info(action, extra={"fields": fields})


def _drop_lines(session, transaction) -> None:
    """after_transaction_end of the outermost transaction: whatever was not written at commit was
    rolled back (or the session closed without committing), so it never happened."""
    if transaction.parent is None:
        session.info.pop(PENDING_LINES, None)


def log_after_commit() -> None:
    """Connect the listeners once per process (create_app calls it for every app it builds)."""
    for name, listener in (("after_commit", _write_lines), ("after_transaction_end", _drop_lines)):
        if not sqlalchemy_event.contains(Session, name, listener):
            sqlalchemy_event.listen(Session, name, listener)
