"""A consultation on one assessment, and the responses citizens send to it."""

from __future__ import annotations

import secrets
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.assessments.models import Assessment
from app.core.time import utcnow
from app.extensions import db

# Labels are lazy: the interface reads them in its language, the audit log and the signed
# record read them under force_locale("da").
REJECTION_REASONS = {
    "personoplysninger": _l("Indeholder personoplysninger om andre"),
    "kraenkende": _l("Krænkende indhold"),
    "uden_for_emnet": _l("Uden for emnet"),
    "spam": _l("Spam"),
}
ANSWER_STATUSES = {
    "indarbejdet": _l("Indarbejdet"),
    "delvist_indarbejdet": _l("Delvist indarbejdet"),
    "ikke_indarbejdet": _l("Ikke indarbejdet"),
}
PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"
MODERATION_LABELS = {PENDING: _l("Afventer godkendelse"), APPROVED: _l("Godkendt"), REJECTED: _l("Afvist")}


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


class ConsultationResponse(db.Model):
    __tablename__ = "consultation_response"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"), index=True)
    question_id: Mapped[str | None] = mapped_column(String(100))  # None: about the whole proposal
    question_text: Mapped[str] = mapped_column(Text, default="")  # as asked, kept if the question goes
    body: Mapped[str] = mapped_column(Text)
    author_name: Mapped[str] = mapped_column(String(120), default="")
    author_organisation: Mapped[str] = mapped_column(String(160), default="")
    publish_name: Mapped[bool] = mapped_column(Boolean, default=False)
    # HMAC of the sender's address, only for the rate limit; erased 30 days after the close.
    address_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)

    status: Mapped[str] = mapped_column(String(16), default=PENDING, index=True)
    rejection_reason: Mapped[str] = mapped_column(String(32), default="")
    moderated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    moderated_at: Mapped[datetime | None]

    answer_status: Mapped[str] = mapped_column(String(32), default="")
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    answered_at: Mapped[datetime | None]

    consultation: Mapped[Consultation] = relationship(back_populates="responses")

    @property
    def is_answered(self) -> bool:
        return bool(self.answer_status and self.answer.strip())

    @property
    def public_author(self) -> str:
        """What the public may see of the sender: nothing unless they allowed it."""
        if not self.publish_name:
            return ""
        return ", ".join(part for part in (self.author_name, self.author_organisation) if part)

    @property
    def status_label(self) -> str:
        return str(MODERATION_LABELS.get(self.status, self.status))

    @property
    def answer_status_label(self) -> str:
        return str(ANSWER_STATUSES.get(self.answer_status, ""))

    @property
    def rejection_label(self) -> str:
        return str(REJECTION_REASONS.get(self.rejection_reason, ""))
