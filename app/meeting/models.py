"""Where the secretary is in meeting mode, so members watching read-only follow along."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.time import utcnow
from app.extensions import db


class MeetingState(db.Model):
    """One row per assessment: the question the secretary last opened in meeting mode."""

    __tablename__ = "meeting_state"

    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id"), primary_key=True)
    question_id: Mapped[str] = mapped_column(String(100))
    moved_at: Mapped[datetime] = mapped_column(default=utcnow)
    moved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
