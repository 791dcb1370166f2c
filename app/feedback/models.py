"""A citizen's feedback on a published record: an error reported or a question asked.

It belongs to the publication the citizen read (one version of an assessment, by its public_id):
a later version has its own page and its own questions, and the answers given about an earlier
version stay under it. The sender, the address hash and moderation are the columns consultation
responses have (CitizenSubmission).
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.consultation.submission import APPROVED, CitizenSubmission
from app.extensions import db
from app.public.models import Publication

EMAIL_MAX = 254  # RFC 5321's longest path
KINDS = {"spoergsmaal": _l("Et spørgsmål"), "fejl": _l("En fejl i vurderingen")}


def _latest_index(column: str) -> Index:
    """An index of the rows where `column` is set: the generation's max() is one probe (migration 0021)."""
    where = text(f"{column} IS NOT NULL")
    return Index(f"ix_feedback_{column}", column, sqlite_where=where, postgresql_where=where)


class Feedback(CitizenSubmission, db.Model):
    __tablename__ = "feedback"
    __table_args__ = (_latest_index("answered_at"), _latest_index("moderated_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    publication_id: Mapped[int] = mapped_column(ForeignKey("publication.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="spoergsmaal")
    body: Mapped[str] = mapped_column(Text)

    answer: Mapped[str] = mapped_column(Text, default="")
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    answered_at: Mapped[datetime | None]

    # "Få besked, når kommunen svarer" (issue 34): the address is used once, for the answer, and
    # erased when the mail is sent (or by `flask feedback purge` 30 days after receipt); the
    # moment of consent stays as the record that the citizen asked for it.
    notify_email: Mapped[str | None] = mapped_column(String(EMAIL_MAX))
    notify_consent_at: Mapped[datetime | None]
    notified_at: Mapped[datetime | None]

    publication: Mapped[Publication] = relationship()

    @property
    def is_answered(self) -> bool:
        return bool(self.answer.strip())

    @property
    def is_public(self) -> bool:
        """Shown under the record: the board approved it and has answered."""
        return self.status == APPROVED and self.is_answered

    @property
    def kind_label(self) -> str:
        return str(KINDS.get(self.kind, ""))
