"""A consultation on one assessment, and the responses citizens send to it."""

from __future__ import annotations

import secrets
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.assessments.models import Assessment
from app.consultation.submission import (  # noqa: F401 - the shared states, named here as before
    APPROVED,
    MODERATION_LABELS,
    PENDING,
    REJECTED,
    REJECTION_REASONS,
    CitizenSubmission,
)
from app.core.time import utcnow
from app.extensions import db

ANSWER_STATUSES = {
    "indarbejdet": _l("Indarbejdet"),
    "delvist_indarbejdet": _l("Delvist indarbejdet"),
    "ikke_indarbejdet": _l("Ikke indarbejdet"),
}


def new_consultation_id() -> str:
    """Unguessable, so an upcoming consultation's address reveals nothing about others."""
    return secrets.token_urlsafe(9)


class Consultation(db.Model):
    __tablename__ = "consultation"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(16), unique=True, default=new_consultation_id)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id"), index=True)
    opens: Mapped[date] = mapped_column(Date)
    closes: Mapped[date] = mapped_column(Date, index=True)
    closed_early_on: Mapped[date | None] = mapped_column(Date)
    introduction: Mapped[str] = mapped_column(Text)
    question_ids: Mapped[list] = mapped_column(JSON, default=list)  # AssessmentQuestion.question_id
    # What was put to consultation, frozen when it was opened (canonical JSON of the proposal, no
    # decision) and its SHA-256: the public page shows this, never the live draft. None on
    # consultations opened before it was kept (migration 0007); their page says so.
    snapshot_json: Mapped[str | None] = mapped_column(Text)
    snapshot_sha256: Mapped[str | None] = mapped_column(String(64))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    addresses_purged_at: Mapped[datetime | None]

    assessment: Mapped[Assessment] = relationship()
    responses: Mapped[list[ConsultationResponse]] = relationship(
        back_populates="consultation", order_by="ConsultationResponse.id", cascade="all, delete-orphan"
    )

    @property
    def last_day(self) -> date:
        """The planned close, or the day the board closed it early."""
        return self.closed_early_on or self.closes

    def phase(self, today: date) -> str:
        if self.closed_early_on is not None:
            return "closed"
        if today < self.opens:
            return "upcoming"
        if today > self.closes:
            return "closed"
        return "open"

    def questions(self) -> list:
        """The assessment's questions put to the public, in the assessment's order."""
        chosen = set(self.question_ids or [])
        return [q for q in self.assessment.questions if q.question_id in chosen]

    def responses_with(self, status: str) -> list[ConsultationResponse]:
        return [r for r in self.responses if r.status == status]


class ConsultationResponse(CitizenSubmission, db.Model):
    """One citizen's response; the sender, address hash and moderation are CitizenSubmission's."""

    __tablename__ = "consultation_response"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"), index=True)
    question_id: Mapped[str | None] = mapped_column(String(100))  # None: about the whole proposal
    question_text: Mapped[str] = mapped_column(Text, default="")  # as asked, kept if the question goes
    body: Mapped[str] = mapped_column(Text)

    answer_status: Mapped[str] = mapped_column(String(32), default="")
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    answered_at: Mapped[datetime | None]

    consultation: Mapped[Consultation] = relationship(back_populates="responses")

    @property
    def is_answered(self) -> bool:
        return bool(self.answer_status and self.answer.strip())

    @property
    def answer_status_label(self) -> str:
        return str(ANSWER_STATUSES.get(self.answer_status, ""))
