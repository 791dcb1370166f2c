"""The rules for what citizens send: a consultation response and feedback on a published record
(app/feedback) are taken, bounded, rate-limited and moderated by these functions, so the two
cannot drift apart. The stored columns and states are in app/consultation/submission.py.

Services flush and audit; these helpers only check and set.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.accounts.models import User
from app.assessments.services import AssessmentError
from app.consultation import submission
from app.consultation.submission import APPROVED, REJECTED, REJECTION_REASONS, CitizenSubmission
from app.core.formatting import local_number
from app.core.text import CONTROL_CHARACTERS
from app.core.time import utcnow
from app.core.transactions import write_lock
from app.extensions import db
from app.i18n import danish

# Per address and subject (a consultation, a published record): enough for a council that sends
# one response per question, few enough to stop a flood.
PER_ADDRESS = 5
RATE_WINDOW = timedelta(hours=24)
# The address hash is erased this long after the subject closed (a consultation) or the item
# was received (feedback): long enough to see a flood, no longer.
ADDRESS_RETENTION = timedelta(days=30)

# Text that looks like markup is kept and shown as text: every page, feed and PDF escapes it.
CONTROL = CONTROL_CHARACTERS  # the one rule (app.core.text); the forms strip them before this


class InputRefused(AssessmentError):
    """A rule refused what a citizen sent or the board wrote; the message is in the reader's language."""


class TooMany(InputRefused):
    """The address has sent PER_ADDRESS items about the subject within RATE_WINDOW (answered 429)."""


def clean_text(value: str | None, *, label: str, maximum: int, required: bool = True) -> str:
    """Strip the text and refuse what no page may store: too long, empty or control bytes."""
    text = (value or "").replace("\r\n", "\n").strip()
    if required and not text:
        raise InputRefused(_("%(label)s må ikke være tom.", label=label))
    if len(text) > maximum:
        raise InputRefused(
            _(
                "%(label)s må højst være %(maximum)s tegn; den er %(length)s.",
                label=label,
                maximum=local_number(maximum),
                length=local_number(len(text)),
            )
        )
    if CONTROL.search(text):
        raise InputRefused(_("%(label)s indeholder usynlige styretegn. Skriv eller indsæt teksten igen.", label=label))
    return text


# What clean_text calls the sender's fields in its messages ("Navnet må højst være 120 tegn …").
NAME_LABEL = _l("Navnet")
ORGANISATION_LABEL = _l("Organisationen")


def sender(author_name: str | None, author_organisation: str | None, publish_name: bool) -> dict:
    """The sender's optional name and organisation, bounded, and whether they may be shown."""
    return {
        "author_name": clean_text(author_name, label=NAME_LABEL, maximum=submission.NAME_MAX, required=False),
        "author_organisation": clean_text(
            author_organisation, label=ORGANISATION_LABEL, maximum=submission.ORGANISATION_MAX, required=False
        ),
        "publish_name": bool(publish_name),
    }


def address_hash(address: str) -> str:
    """A keyed hash of the sender's address: enough to count what they sent, not to find them."""
    key = hashlib.sha256(b"etikdialog-consultation-address:" + current_app.config["SECRET_KEY"].encode()).digest()
    return hmac.new(key, (address or "ukendt").encode(), hashlib.sha256).hexdigest()


def over_limit(model: type[CitizenSubmission], subject, hashed: str) -> bool:
    """Has this address sent PER_ADDRESS items about the subject (a condition on `model`, e.g.
    its consultation) within the last RATE_WINDOW?

    Counted under a lock held until the caller's transaction ends, so parallel posts from one
    address queue up and each counts the ones before it (issue 31: 9 of them got in at once):
    SQLite's write lock, or on PostgreSQL an advisory lock on the address and the kind of item."""
    write_lock(f"citizen-limit:{model.__tablename__}:{hashed}")
    recent = db.session.scalar(
        select(func.count(model.id)).where(
            subject,
            model.address_hash == hashed,
            model.received_at >= utcnow() - RATE_WINDOW,
        )
    )
    return recent >= PER_ADDRESS


def set_moderation(item: CitizenSubmission, *, user: User, approve: bool, reason: str = "") -> str:
    """Approve an item, or reject it for one of the defined reasons; either can be reconsidered.
    Returns the audit summary's reason part (Danish); the caller checks the role and audits."""
    if approve:
        item.status, item.rejection_reason = APPROVED, ""
        summary = ""
    else:
        if reason not in REJECTION_REASONS:
            raise InputRefused(_("Vælg en begrundelse for at afvise svaret."))
        item.status, item.rejection_reason = REJECTED, reason
        summary = danish(REJECTION_REASONS[reason])
    item.moderated_by_id, item.moderated_at = user.id, utcnow()
    return summary
