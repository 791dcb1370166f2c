"""What is due: open action items and review dates of decided assessments, overdue ones flagged.

Read-only over the assessments; the signed record is never touched. `remind` hands what is due
to a notifier, which logs by default and can be replaced (e-mail, a case system) in config.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select

from app.assessments.models import Action, Assessment, Status
from app.core.time import danish_today
from app.extensions import db

DECIDED = (Status.SIGNED, Status.PUBLISHED)
REMIND_AHEAD = timedelta(days=14)


@dataclass(frozen=True)
class DueItem:
    kind: str  # "action", "condition" or "review"
    due: date
    description: str
    owner: str
    assessment: Assessment

    @property
    def kind_label(self) -> str:
        return {"action": "Handling", "condition": "Betingelse", "review": "Revurdering"}[self.kind]

    def is_overdue(self, today: date) -> bool:
        return self.due < today


def due_items(organisation_id: int | None = None) -> list[DueItem]:
    """Open action items with a date and review dates of decided assessments, earliest first.

    A replaced version's items are left out: the newer version carries the plan on.
    """
    actions = (
        select(Action).join(Assessment)
        .where(Action.status != "gennemfoert", Action.due_date.is_not(None), Assessment.status.in_(DECIDED))
    )  # fmt: skip
    reviews = select(Assessment).where(Assessment.status.in_(DECIDED), Assessment.review_date.is_not(None))
    if organisation_id is not None:
        actions = actions.where(Assessment.organisation_id == organisation_id)
        reviews = reviews.where(Assessment.organisation_id == organisation_id)
    replaced = set(db.session.scalars(select(Assessment.previous_id).where(Assessment.previous_id.is_not(None))))
    items = [
        DueItem("condition" if a.is_condition else "action", a.due_date, a.description, a.owner, a.assessment)
        for a in db.session.scalars(actions) if a.assessment_id not in replaced
    ]  # fmt: skip
    items += [
        DueItem("review", a.review_date, "Beslutningen skal vurderes igen.", "Udvalget", a)
        for a in db.session.scalars(reviews) if a.id not in replaced
    ]  # fmt: skip
    return sorted(items, key=lambda item: (item.due, item.assessment.title, item.description))


class LogNotifier:
    """The default notifier: one log line per item, for cron's mail or the log collector."""

    def notify(self, item: DueItem, *, overdue: bool) -> None:
        current_app.logger.info(
            "followup.due",
            extra={"fields": {"organisation": item.assessment.organisation.name, "assessment": item.assessment.public_id,
                              "kind": item.kind, "due": item.due.isoformat(), "overdue": overdue,
                              "owner": item.owner, "description": item.description[:200]}},
        )  # fmt: skip


def notifier():
    """FOLLOWUP_NOTIFIER may hold an object with notify(item, overdue=…); logging otherwise."""
    return current_app.config.get("FOLLOWUP_NOTIFIER") or LogNotifier()


def remind(today: date | None = None) -> list[DueItem]:
    """Hand everything overdue or due within 14 days to the notifier; returns what was sent."""
    today = today or danish_today()
    due = [item for item in due_items() if item.due <= today + REMIND_AHEAD]
    sender = notifier()
    for item in due:
        sender.notify(item, overdue=item.is_overdue(today))
    return due
