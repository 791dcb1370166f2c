"""Notices in the app (issue 34): tell the people who may take the next step that it is theirs.

The only kind so far: an assessment signed by everyone waits for an administrator to publish it,
and nothing else would tell the administrators. `notify_on_signed` listens to the assessments'
`logged` signal (connected in create_app) and writes one notice per active administrator of the
municipality, in the signing transaction; publishing marks them read.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from app.accounts.models import Notice, Role, User
from app.core.time import utcnow
from app.extensions import db

KINDS = {
    "awaiting_publication": _l(
        "„%(title)s“ er underskrevet af alle og venter på, at en administrator offentliggør den."
    )
}
LIST_SIZE = 50  # the newest notices shown; older ones stay in the database, read


def notify_on_signed(assessment, *, kind: str, **_details) -> None:
    """Signed: tell the administrators. Published: their notices about it are done."""
    if kind == "published":
        db.session.execute(
            update(Notice)
            .where(Notice.assessment_id == assessment.id, Notice.read_at.is_(None))
            .values(read_at=utcnow())
        )
        return
    if kind != "signed":
        return
    admins = db.session.scalars(
        select(User.id).where(
            User.organisation_id == assessment.organisation_id, User.role == Role.ADMIN.value, User.active.is_(True)
        )
    )
    for user_id in admins:
        db.session.add(
            Notice(
                user_id=user_id,
                kind="awaiting_publication",
                assessment_id=assessment.id,
                title=assessment.title[:300],
                public_id=assessment.public_id,
            )
        )
    db.session.flush()


def text(notice: Notice) -> str:
    return KINDS[notice.kind] % {"title": notice.title}


def unread_count(user) -> int:
    return db.session.scalar(select(func.count(Notice.id)).where(Notice.user_id == user.id, Notice.read_at.is_(None)))


def latest(user) -> list[Notice]:
    query = select(Notice).where(Notice.user_id == user.id).order_by(Notice.id.desc()).limit(LIST_SIZE)
    return list(db.session.scalars(query))


def mark_read(user) -> int:
    """Every unread notice of this user is read now; returns how many."""
    result = db.session.execute(
        update(Notice).where(Notice.user_id == user.id, Notice.read_at.is_(None)).values(read_at=utcnow())
    )
    return result.rowcount
