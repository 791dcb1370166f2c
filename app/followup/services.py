"""Follow-up of decided assessments: what is due, and the log of what became of each item.

The signed record is never touched: progress goes into the follow-up log, and an item's current
status is its latest entry there. `remind` hands what is due to a notifier, which logs by
default and can be replaced (e-mail, a case system) in config.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, joinedload

from app.assessments.models import ACTION_STATUSES, Action, Assessment, Status
from app.assessments.services import require_editor
from app.audit import services as audit
from app.core.text import shorten
from app.core.time import danish_today
from app.extensions import db
from app.followup.models import (
    MEASURED_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    OUTCOMES,
    EffectMeasurement,
    FollowupEntry,
)
from app.i18n import line
from app.signoff import integrity

DECIDED = (Status.SIGNED, Status.PUBLISHED)
REMIND_AHEAD = timedelta(days=14)


KIND_LABELS = {
    "action": _l("Handling"),
    "condition": _l("Betingelse"),
    "review": _l("Revurdering"),
    "feedback": _l("Borgerhenvendelse"),  # app/feedback: a question waiting over 30 days
}
DONE = "gennemfoert"


class FollowupError(ValueError):
    """A follow-up entry that cannot be recorded; the message is for the person."""


@dataclass(frozen=True)
class ItemStatus:
    """An action item's status now: its latest follow-up entry, or as signed."""

    status: str
    since: date | None  # None: unchanged since the signature
    note: str = ""

    @property
    def label(self) -> str:
        return ACTION_STATUSES.get(self.status, self.status)

    @property
    def is_done(self) -> bool:
        return self.status == DONE


def latest_entries(action_ids) -> dict[int, FollowupEntry]:
    """The newest entry per action item, in one query."""
    action_ids = list(action_ids)
    if not action_ids:
        return {}
    newest = (
        select(func.max(FollowupEntry.id))
        .where(FollowupEntry.action_id.in_(action_ids))
        .group_by(FollowupEntry.action_id)
    )
    entries = db.session.scalars(select(FollowupEntry).where(FollowupEntry.id.in_(newest)))
    return {entry.action_id: entry for entry in entries}


def current_statuses(actions) -> dict[int, ItemStatus]:
    actions = list(actions)
    latest = latest_entries(a.id for a in actions)
    statuses = {}
    for action in actions:
        entry = latest.get(action.id)
        statuses[action.id] = (
            ItemStatus(entry.status, entry.recorded_on, entry.note) if entry else ItemStatus(action.status, None)
        )
    return statuses


def followup_log(assessment: Assessment) -> list[FollowupEntry]:
    """Every entry for the assessment's items, newest first."""
    return list(
        db.session.scalars(
            select(FollowupEntry)
            .join(Action)
            .where(Action.assessment_id == assessment.id)
            .options(contains_eager(FollowupEntry.action), joinedload(FollowupEntry.user))
            .order_by(FollowupEntry.id.desc())
        )
    )


def can_follow_up(assessment: Assessment) -> bool:
    return assessment.status in DECIDED


def record_followup(action: Action, *, status: str, note: str, user, today: date | None = None) -> FollowupEntry:
    """Add a follow-up entry for a decided assessment's action item; audited, flushed, not committed.
    Only the secretariat and administrators record (NotAllowed, which the app answers 403)."""
    require_editor(user)
    assessment = action.assessment
    if not can_follow_up(assessment):
        raise FollowupError(_("Opfølgning registreres, når vurderingen er underskrevet."))
    if status not in ACTION_STATUSES:
        raise FollowupError(_("Vælg en status."))
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise FollowupError(_("Højst %(n)s tegn.", n=NOTE_MAX_LENGTH))
    entry = FollowupEntry(action=action, status=status, note=note, recorded_on=today or danish_today(), user_id=user.id)
    db.session.add(entry)
    db.session.flush()
    audit.record(
        "followup.recorded",
        line(
            "Opfølgning: %(action)s: %(status)s", action=shorten(action.description, 80), status=ACTION_STATUSES[status]
        ),
        assessment=assessment,
        user=user,
        action_id=action.id,
        status=status,
        condition=action.is_condition,
    )
    return entry


def generation_columns() -> list:
    """What changes with every follow-up entry and measurement: part of the public page cache's key
    (app/public/cache.py reads every package's columns in one query)."""
    return [
        select(func.max(FollowupEntry.id)).scalar_subquery(),
        select(func.max(EffectMeasurement.id)).scalar_subquery(),
    ]


# --- Measured effect -------------------------------------------------------------------------


def record_effect(
    assessment: Assessment, *, outcome: str, measured: str, user, today: date | None = None
) -> EffectMeasurement:
    """Add the measured effect against the expected one; audited, flushed, not committed.

    Only ever added: a later measurement stands beside the earlier ones, and the signed record
    (which holds the expected effect) is untouched. Only the secretariat and administrators record."""
    require_editor(user)
    if not can_follow_up(assessment):
        raise FollowupError(_("Effekten registreres, når vurderingen er underskrevet."))
    if outcome not in OUTCOMES:
        raise FollowupError(_("Vælg, hvordan effekten er i forhold til det forventede."))
    measured = (measured or "").strip()
    if not measured:
        raise FollowupError(_("Skriv, hvad der er målt, og hvad resultatet er."))
    if len(measured) > MEASURED_MAX_LENGTH:
        raise FollowupError(_("Højst %(n)s tegn.", n=MEASURED_MAX_LENGTH))
    entry = EffectMeasurement(
        assessment_id=assessment.id,
        outcome=outcome,
        measured=measured,
        recorded_on=today or danish_today(),
        user_id=user.id,
    )
    db.session.add(entry)
    db.session.flush()
    audit.record(
        "effect.recorded",
        line("Målt effekt: %(outcome)s", outcome=OUTCOMES[outcome]),
        assessment=assessment,
        user=user,
        outcome=outcome,
    )
    return entry


def effect_log(assessment: Assessment) -> list[EffectMeasurement]:
    """Every measurement of the assessment, newest first."""
    return list(
        db.session.scalars(
            select(EffectMeasurement)
            .where(EffectMeasurement.assessment_id == assessment.id)
            .options(joinedload(EffectMeasurement.user))
            .order_by(EffectMeasurement.id.desc())
        )
    )


EXPECTED_FIELDS = ("effect_baseline", "expected_effect", "effect_size", "effect_followup")


def expected_effect(record: dict | None) -> list[dict]:
    """The expected effect as the signed record states it: label and text of each effect field given."""
    proposal = {item.get("field"): item for item in (record or {}).get("proposal", [])}
    return [
        {"label": proposal[name].get("label", ""), "text": proposal[name].get("text", "")}
        for name in EXPECTED_FIELDS
        if name in proposal and (proposal[name].get("text") or "").strip()
    ]


@dataclass(frozen=True)
class DueItem:
    kind: str  # "action", "condition" or "review"
    due: date
    description: str
    owner: str
    assessment: Assessment

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    def is_overdue(self, today: date) -> bool:
        return self.due < today


def due_items(organisation_id: int | None = None) -> list[DueItem]:
    """Open action items with a date and review dates of decided assessments, earliest first.

    A replaced version's items are left out: the newer version carries the plan on.
    """
    actions = select(Action).join(Assessment).where(Action.due_date.is_not(None), Assessment.status.in_(DECIDED))
    reviews = select(Assessment).where(Assessment.status.in_(DECIDED), Assessment.review_date.is_not(None))
    if organisation_id is not None:
        actions = actions.where(Assessment.organisation_id == organisation_id)
        reviews = reviews.where(Assessment.organisation_id == organisation_id)
    replaced = set(db.session.scalars(select(Assessment.previous_id).where(Assessment.previous_id.is_not(None))))
    open_actions = [a for a in db.session.scalars(actions) if a.assessment_id not in replaced]
    statuses = current_statuses(open_actions)
    items = [
        DueItem("condition" if a.is_condition else "action", a.due_date, a.description, a.owner, a.assessment)
        for a in open_actions
        if not statuses[a.id].is_done
    ]
    items += [
        DueItem("review", a.review_date, _("Beslutningen skal vurderes igen."), _("Udvalget"), a)
        for a in db.session.scalars(reviews)
        if a.id not in replaced
    ]
    return sorted(items, key=lambda item: (item.due, item.assessment.title, item.description))


class LogNotifier:
    """The default notifier: one log line per item, for cron's mail or the log collector."""

    def notify(self, item: DueItem, *, overdue: bool) -> None:
        current_app.logger.info(
            "followup.due",
            extra={
                "fields": {
                    "organisation": item.assessment.organisation.name,
                    "assessment": item.assessment.public_id,
                    "kind": item.kind,
                    "due": item.due.isoformat(),
                    "overdue": overdue,
                    "owner": item.owner,
                    "description": item.description[:200],
                }
            },
        )


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


@dataclass(frozen=True)
class PlanItem:
    action_id: int | None
    description: str
    is_condition: bool
    due: date | None
    status: ItemStatus
    overdue: bool


def plan_items(assessment: Assessment, today: date | None = None, *, record: dict | None = None) -> list[PlanItem]:
    """The action plan with each item's current status and date, overdue ones flagged.

    Given the signed record (the public page), the plan itself (text, due date, condition, the
    status as signed) is read from the record, and only the status from the follow-up log; the
    log hangs on the action rows in the record's order, which `flask verify` checks."""
    today = today or danish_today()
    actions = integrity.plan_rows(assessment)
    statuses = current_statuses(actions)
    if record is None:
        plan = [(a.id, a.description, a.is_condition, a.due_date, statuses[a.id]) for a in actions]
    else:
        plan = []
        for n, signed in enumerate(record.get("actions", [])):
            action_id = actions[n].id if n < len(actions) else None
            as_signed = ItemStatus(signed.get("status") or "", None)
            due = date.fromisoformat(signed["due_date"]) if signed.get("due_date") else None
            logged = statuses.get(action_id)
            status = logged if logged is not None and logged.since else as_signed  # the log, or as signed
            plan.append((action_id, signed.get("description") or "", bool(signed.get("is_condition")), due, status))
    return [
        PlanItem(action_id, description, is_condition, due, status, bool(due and due < today and not status.is_done))
        for action_id, description, is_condition, due, status in plan
    ]
