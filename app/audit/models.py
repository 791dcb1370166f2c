"""The append-only audit log: who did what, when."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.text import shorten
from app.core.time import utcnow
from app.extensions import db
from app.i18n import shown


class AuditEvent(db.Model):
    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessment.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    action: Mapped[str] = mapped_column(String(64))
    summary: Mapped[str] = mapped_column(String(500), default="")
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    user = relationship("User")

    def text(self) -> str:
        """The line in the reader's language when it was recorded as a Line (app.i18n.line); the
        stored Danish summary otherwise (events from before, or free text)."""
        translated = shown((self.detail or {}).get("line"))
        return shorten(translated, 500) if translated else self.summary
