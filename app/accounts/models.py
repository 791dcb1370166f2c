"""Organisations (municipalities) and their users."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.time import utcnow
from app.extensions import db
from app.i18n import danish


class Role(enum.StrEnum):
    ADMIN = "admin"
    EDITOR = "editor"
    MEMBER = "member"

    @property
    def label(self) -> str:
        """The role's name in the interface language (a lazy string), for pages and flashes."""
        return ROLE_LABELS[self]

    @property
    def danish_label(self) -> str:
        """The role's name in Danish, as plain text: for the audit log and the command line."""
        return danish(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.ADMIN: _l("Administrator"),
    Role.EDITOR: _l("Sekretariat"),
    Role.MEMBER: _l("Udvalgsmedlem"),
}


class Organisation(db.Model):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    users: Mapped[list[User]] = relationship(back_populates="organisation", order_by="User.name")

    def __repr__(self) -> str:
        return f"<Organisation {self.slug}>"


class User(UserMixin, db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(120), default="")
    role: Mapped[str] = mapped_column(String(16), default=Role.MEMBER.value)
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    # Bumped on password change and "log out everywhere": old sessions stop matching.
    session_version: Mapped[int] = mapped_column(default=1)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organisation: Mapped[Organisation] = relationship(back_populates="users")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def locked_now(self) -> bool:
        """Locked after too many wrong passwords. The login page does not say so (it would tell
        strangers the address has an account), so the administrators' user page does."""
        return self.locked_until is not None and self.locked_until > utcnow()

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def can_edit(self) -> bool:
        """Editors (the secretariat) and administrators prepare and change assessments."""
        return self.role in (Role.ADMIN, Role.EDITOR)

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class FailedAttempt(db.Model):
    """One refused password from one client, kept for a short window: the login limit counts
    these rows, so every worker and every instance on the same database shares one count.

    ``client_hash`` is a keyed hash of the client's address, never the address itself. Rows are
    pruned as new ones arrive, and they are not part of a backup.
    """

    __tablename__ = "failed_attempt"
    __table_args__ = (
        Index("ix_failed_attempt_scope_client", "scope", "client_hash", "at"),
        {"info": {"skip_backup": True}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(16))
    client_hash: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class Notice(db.Model):
    """A message to one user inside the app (issue 34): an assessment that waits for a step only
    they may take, such as publishing after the last signature. Shown at /intern/beskeder, and
    counted in the header until read. The text is written when shown, in the reader's language."""

    __tablename__ = "notice"
    __table_args__ = (Index("ix_notice_user_unread", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    kind: Mapped[str] = mapped_column(String(32))  # a key of app.accounts.notices.KINDS
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessment.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))  # the assessment's title when the notice was made
    public_id: Mapped[str] = mapped_column(String(32))  # where the notice leads (the assessment's overview)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
