"""The follow-up log: what became of a signed assessment's action items and conditions.

Entries are only ever added. The action item itself stays as it was signed, so the frozen
record, its hash and its PDF are untouched; an item's current status is its latest entry.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.time import utcnow
from app.extensions import db

NOTE_MAX_LENGTH = 1000
MEASURED_MAX_LENGTH = 2000
# How the measured effect compares with the expected one.
OUTCOMES = {
    "som_forventet": _l("Som forventet"),
    "bedre": _l("Bedre end forventet"),
    "mindre": _l("Mindre end forventet"),
    "ingen": _l("Ingen målbar effekt"),
    "ikke_maalt": _l("Kunne ikke måles endnu"),
}


class FollowupEntry(db.Model):
    __tablename__ = "followup_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action_item.id"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_on: Mapped[date] = mapped_column(Date)  # the Danish calendar day, shown publicly
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))

    action = relationship("Action")
    user = relationship("User")

    @property
    def status_label(self) -> str:
        from app.assessments.models import ACTION_STATUSES

        return ACTION_STATUSES.get(self.status, self.status)


class EffectMeasurement(db.Model):
    """The measured effect against the expected one, recorded at the review date.

    Only ever added, like the action items' entries; the newest one is the current measurement."""

    __tablename__ = "effect_measurement"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(16))  # OUTCOMES: how it compares with the expected
    measured: Mapped[str] = mapped_column(Text)  # what was measured, how and with what result
    recorded_on: Mapped[date] = mapped_column(Date)  # the Danish calendar day, shown publicly
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))

    user = relationship("User")

    @property
    def outcome_label(self) -> str:
        return OUTCOMES.get(self.outcome, self.outcome)
