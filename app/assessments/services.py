"""Business rules for assessments. Services change state, flush and audit; they never commit."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from app.accounts.models import User
from app.assessments import board, fields, hooks, signals, workflow
from app.assessments.models import (
    UNSIGNED_STATUSES,
    Action,
    Assessment,
    AssessmentQuestion,
    Comment,
    Position,
    RecommendationReview,
    Status,
)
from app.assessments.proposal import (
    PROPOSAL_FIELDS,
    PURPOSE_FIELDS,
    is_blank,
    missing_fields,
)
from app.audit.services import SYSTEM, record
from app.content.loader import ContentSet
from app.core.errors import Refused
from app.core.text import shorten
from app.core.time import utcnow
from app.core.transactions import write_lock
from app.extensions import db
from app.i18n import line


class AssessmentError(Exception):
    """A rule refused the change; the message is meant for the person, in the interface's language
    (Danish msgids, translated with gettext where they are raised)."""


class NotAllowed(AssessmentError, Refused):
    """The person's role does not allow this (core/errors answers 403)."""


class NotEditable(AssessmentError):
    def __init__(self, assessment: Assessment):
        super().__init__(
            _("Vurderingen har status „%(status)s“ og kan ikke længere ændres.", status=assessment.status_enum.label)
        )


class AlreadyDone(AssessmentError):
    """The transition was already made, by this person's earlier click or by someone else: the
    assessment is where it was asked to go. Views show the result instead of a refusal."""

    def __init__(self, transition: workflow.Transition):
        self.transition = transition
        super().__init__(_("Vurderingen har allerede status „%(status)s“.", status=transition.target.label))


class TransitionBlocked(AssessmentError):
    def __init__(self, transition: workflow.Transition, missing: list[str]):
        self.transition = transition
        self.missing = missing
        super().__init__(
            _(
                "„%(action)s“ kan ikke gennemføres endnu: %(missing)s",
                action=transition.label,
                missing=" ".join(str(m) for m in missing),
            )
        )


@dataclass
class FieldConflict:
    name: str
    label: str
    mine: str
    theirs: str


class Conflict(AssessmentError):
    """Someone saved a newer version; nothing was written. Shows both texts so they can merge."""

    def __init__(self, current_version: int, fields: list[FieldConflict]):
        self.current_version = current_version
        self.fields = fields
        super().__init__(
            _("Nogen har gemt en nyere udgave, mens du skrev. Intet er overskrevet: sammenlign teksterne, og gem igen.")
        )


# --- Creating ------------------------------------------------------------------------------


def create_assessment(*, user: User, title: str, dilemma_ids: list[str], content: ContentSet) -> Assessment:
    """A new draft with a copy of every question it uses, so later content edits never change it."""
    require_editor(user)
    assessment = Assessment(
        organisation_id=user.organisation_id,
        created_by_id=user.id,
        title=title.strip(),
        content_version=content.version,
    )
    db.session.add(assessment)
    position = 0
    for sector in content.sectors:
        for question in sector.central.questions:
            position += 1
            assessment.questions.append(_copy_question(question, sector.central, position))
    position = _add_dilemmas(assessment, dilemma_ids, content, position)
    for recommendation in content.recommendations:
        assessment.reviews.append(
            RecommendationReview(
                recommendation_id=recommendation.id,
                number=recommendation.number,
                title=recommendation.title,
                summary=recommendation.summary,
                check_questions=[{"id": q.id, "text": q.text} for q in recommendation.check_questions],
            )
        )
    db.session.flush()
    record(
        "assessment.created",
        line("Vurderingen „%(title)s“ er oprettet", title=assessment.title),
        assessment=assessment,
        user=user,
    )
    return assessment


def _copy_question(question, group, position: int) -> AssessmentQuestion:
    return AssessmentQuestion(
        question_id=question.id,
        kind=question.kind,
        group_id=group.id,
        group_title=group.title,
        position=position,
        text=question.text,
        explanation=question.explanation,
    )


def _add_dilemmas(assessment: Assessment, dilemma_ids, content: ContentSet, position: int) -> int:
    for dilemma_id in dilemma_ids:
        dilemma = content.dilemma(dilemma_id)
        if dilemma is None:
            raise AssessmentError(_("Dilemmaet „%(dilemma)s“ findes ikke.", dilemma=dilemma_id))
        for question in dilemma.questions:
            position += 1
            assessment.questions.append(_copy_question(question, dilemma, position))
    return position


def selected_dilemma_ids(assessment: Assessment) -> list[str]:
    return list(dict.fromkeys(q.group_id for q in assessment.questions if q.kind == "guiding"))


def change_dilemmas(assessment: Assessment, dilemma_ids: list[str], *, user: User, content: ContentSet):
    """Add or remove dilemmas; a dilemma whose questions hold any text is never removed."""
    require_editor(user)
    require_editable(assessment)
    current = selected_dilemma_ids(assessment)
    removed = [d for d in current if d not in dilemma_ids]
    added = [d for d in dilemma_ids if d not in current]
    for dilemma_id in removed:
        rows = [q for q in assessment.questions if q.group_id == dilemma_id]
        if any(q.discussion.strip() or q.answer.strip() or q.comments for q in rows):
            raise AssessmentError(
                _(
                    "Dilemmaet „%(dilemma)s“ kan ikke fravælges, fordi der allerede er skrevet "
                    "svar eller kommentarer til dets spørgsmål.",
                    dilemma=rows[0].group_title,
                )
            )
    for dilemma_id in removed:
        for row in [q for q in assessment.questions if q.group_id == dilemma_id]:
            assessment.questions.remove(row)
    last = max((q.position for q in assessment.questions), default=0)
    _add_dilemmas(assessment, added, content, last)
    if added or removed:
        assessment.updated_at = utcnow()
        db.session.flush()
        record(
            "assessment.dilemmas_changed",
            line("Valget af dilemmaer er ændret"),
            assessment=assessment,
            user=user,
            added=added,
            removed=removed,
        )


# --- Access --------------------------------------------------------------------------------


def require_editor(user: User) -> None:
    if not user.can_edit:
        raise NotAllowed(_("Kun sekretariatet og administratorer kan gøre dette."))


def require_editable(assessment: Assessment) -> None:
    if not assessment.is_editable:
        raise NotEditable(assessment)


def organisation_assessments(organisation_id: int):
    return (
        select(Assessment)
        .where(Assessment.organisation_id == organisation_id)
        .order_by(Assessment.updated_at.desc(), Assessment.id.desc())
    )


def get_for_organisation(public_id: str, organisation_id: int) -> Assessment | None:
    """Another municipality's assessment is simply not found: 404, never 403."""
    return db.session.scalar(
        select(Assessment).where(Assessment.public_id == public_id, Assessment.organisation_id == organisation_id)
    )


# --- Saving with optimistic locking --------------------------------------------------------


def field_hash(value) -> str:
    return hashlib.sha256(_as_text(value).encode()).hexdigest()[:12]


def base_hashes(row, names) -> dict[str, str]:
    """What the form was based on, field by field: lets two people edit different fields at once."""
    return {name: field_hash(getattr(row, name)) for name in names}


def _merge(row, expected_version: int | None, changes: dict, labels: dict[str, str], base: dict | None) -> dict:
    """Three-way merge against a newer row version; returns the changes to apply.

    A field the writer did not touch keeps the other person's text; a field only the writer
    changed is applied; a field both changed differently is a conflict, and nothing is written.
    Without a field-level base, any differing field of a stale save is a conflict.
    """
    if expected_version is None or expected_version == row.row_version:
        return changes
    apply: dict = {}
    conflicts: list[FieldConflict] = []
    for name, value in changes.items():
        mine, theirs = _as_text(value), _as_text(getattr(row, name))
        base_hash = (base or {}).get(name)
        if base_hash is not None and field_hash(value) == base_hash:
            continue  # the writer left this field alone; keep what is saved
        if mine == theirs or (base_hash is not None and field_hash(getattr(row, name)) == base_hash):
            apply[name] = value
        else:
            conflicts.append(FieldConflict(name, str(labels.get(name, name)), mine, theirs))
    if conflicts:
        raise Conflict(row.row_version, conflicts)
    return apply


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def flush_versioned() -> None:
    """Flush an optimistic-locked change. Another save that committed between our read and our
    write makes the UPDATE match no row: that is a conflict, reported like any other."""
    try:
        db.session.flush()
    except StaleDataError:
        raise Conflict(0, []) from None


def _apply(row, changes: dict) -> list[str]:
    changed = []
    for name, value in changes.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed.append(name)
    return changed


def save_fields(
    row,
    table: fields.FieldTable,
    changes: dict,
    *,
    expected_version: int | None,
    user: User,
    base: dict | None = None,
    check: Callable[[object, dict], None] | None = None,
) -> list[str]:
    """Save a versioned row's fields as its table describes them: the role, an editable assessment,
    known fields only, the three-way merge against a newer version, then `check` (a rule across
    fields), the change, the flush and one audit event naming the fields that changed."""
    assessment = row if isinstance(row, Assessment) else row.assessment
    require_editor(user)
    require_editable(assessment)
    unknown = set(changes) - set(table.names)
    if unknown:
        raise AssessmentError(_("Ukendte felter: %(fields)s", fields=", ".join(sorted(unknown))))
    changes = _merge(row, expected_version, changes, table.labels, base)
    if check is not None:
        check(row, changes)
    changed = _apply(row, changes)
    if changed:
        if table.stamp_author:
            row.updated_by_id = user.id
        flush_versioned()
        record(table.event, table.summary(row), assessment=assessment, user=user, **table.details(row), fields=changed)
    return changed


def purpose_first(assessment: Assessment, changes: dict) -> None:
    """Purpose before technology: the problem and for whom are written before the rest of the proposal."""
    purpose_after = {name: changes.get(name, getattr(assessment, name)) for name in PURPOSE_FIELDS}
    technology_given = any(
        not is_blank(value) for name, value in changes.items() if name not in PURPOSE_FIELDS and name != "title"
    )
    if technology_given and any(is_blank(v) for v in purpose_after.values()):
        raise AssessmentError(
            _("Formål før teknologi: beskriv først problemet og for hvem, før resten af forslaget udfyldes.")
        )


def save_proposal(assessment: Assessment, changes: dict, **saving) -> list[str]:
    return save_fields(assessment, fields.PROPOSAL, changes, check=purpose_first, **saving)


def save_question(row: AssessmentQuestion, changes: dict, **saving) -> list[str]:
    return save_fields(row, fields.QUESTION, changes, **saving)


def save_review(row: RecommendationReview, changes: dict, **saving) -> list[str]:
    return save_fields(row, fields.REVIEW, changes, **saving)


def save_decision(assessment: Assessment, changes: dict, **saving) -> list[str]:
    return save_fields(assessment, fields.DECISION, changes, **saving)


def add_comment(row: AssessmentQuestion, body: str, *, user: User) -> Comment:
    """Every member may comment beside a question while the assessment is open."""
    require_editable(row.assessment)
    comment = Comment(assessment_id=row.assessment_id, question_row_id=row.id, author_id=user.id, body=body.strip())
    db.session.add(comment)
    db.session.flush()
    record(
        "comment.added",
        line("Kommentar til „%(text)s“", text=shorten(row.text, 80)),
        assessment=row.assessment,
        user=user,
    )
    return comment


def add_action(assessment: Assessment, values: dict, *, user: User) -> Action:
    require_editor(user)
    require_editable(assessment)
    position = max((a.position for a in assessment.actions), default=0) + 1
    action = Action(position=position, **values)
    assessment.actions.append(action)
    db.session.flush()
    record(
        "action.added",
        line("Handling tilføjet: %(action)s", action=shorten(action.description, 80)),
        assessment=assessment,
        user=user,
    )
    return action


def save_action(action: Action, values: dict, **saving) -> list[str]:
    return save_fields(action, fields.ACTION, values, **saving)


def remove_action(action: Action, *, user: User) -> None:
    require_editor(user)
    require_editable(action.assessment)
    assessment = action.assessment
    record(
        "action.removed",
        line("Handling fjernet: %(action)s", action=shorten(action.description, 80)),
        assessment=assessment,
        user=user,
        description=action.description,
        owner=action.owner,
    )
    assessment.actions.remove(action)
    flush_versioned()


def save_position(assessment: Assessment, stance: str, dissent: str, *, user: User) -> Position:
    """Each member records a stance on the decision and, if they disagree, a dissent."""
    if assessment.status not in UNSIGNED_STATUSES:
        raise NotEditable(assessment)
    if board.has_conflict(assessment.board_conflicts, user.name):
        raise AssessmentError(
            _("Du er erklæret inhabil i sagen (forvaltningsloven § 3) og tager derfor ikke stilling.")
        )
    position = next((p for p in assessment.positions if p.user_id == user.id), None)
    if position is None:
        position = Position(user_id=user.id, stance=stance, dissent=dissent.strip())
        assessment.positions.append(position)
    else:
        position.stance, position.dissent = stance, dissent.strip()
    flush_versioned()
    record(
        "position.saved",
        line("%(name)s har tilkendegivet: %(stance)s", name=user.name, stance=position.stance_label),
        assessment=assessment,
        user=user,
        stance=stance,
    )
    signals.changed.send(assessment, user=user, reason=f"{user.name} har ændret sin holdning eller mindretalsudtalelse")
    return position


def withdraw_position(assessment: Assessment, *, user: User) -> None:
    """A member takes back their stance (for example after declaring a conflict of interest)."""
    if assessment.status not in UNSIGNED_STATUSES:
        raise NotEditable(assessment)
    position = next((p for p in assessment.positions if p.user_id == user.id), None)
    if position is None:
        return
    assessment.positions.remove(position)
    db.session.flush()
    record(
        "position.withdrawn",
        line("%(name)s har trukket sin holdning tilbage", name=user.name),
        assessment=assessment,
        user=user,
    )
    signals.changed.send(assessment, user=user, reason=f"{user.name} har trukket sin holdning tilbage")


# --- Progress and the state machine --------------------------------------------------------


@dataclass
class SectionProgress:
    key: str
    title: str
    answered: int
    total: int

    @property
    def done(self) -> bool:
        return self.answered == self.total


def progress(assessment: Assessment) -> list[SectionProgress]:
    sections: dict[str, SectionProgress] = {}
    for question in assessment.questions:
        section = sections.setdefault(question.group_id, SectionProgress(question.group_id, question.group_title, 0, 0))
        section.total += 1
        section.answered += int(question.is_answered)
    reviews = SectionProgress("anbefalinger", _("De fem anbefalinger"), 0, len(assessment.reviews))
    reviews.answered = sum(int(r.is_answered) for r in assessment.reviews)
    required = [f for f in PROPOSAL_FIELDS if f.required]
    proposal = SectionProgress(
        "forslag", _("Forslaget"), len(required) - len(missing_fields(assessment)), len(required)
    )
    decision = SectionProgress(
        "beslutning", _("Beslutning"), int(bool(assessment.decision and assessment.decision_reasoning.strip())), 1
    )
    more = hooks.progress_lines(assessment)
    return [proposal, *sections.values(), reviews, decision, *more]


def lock(assessment: Assessment) -> Assessment:
    """Start a critical section on the assessment (sign, publish, withdraw, an upload's file total,
    and whatever else must not run twice at once): concurrent ones queue up here, and the row is
    re-read so the checks after it see what the one before committed. PostgreSQL: SELECT … FOR
    UPDATE on the row. SQLite, which ignores FOR UPDATE: the database's write lock, taken with
    BEGIN IMMEDIATE (app.core.transactions explains why)."""
    write_lock()
    db.session.refresh(assessment, with_for_update=True)
    return assessment


def transition(assessment: Assessment, name: str, *, user, **arguments) -> workflow.Transition:
    """The one way to change status through the table: role, preconditions, lock, audit.

    `user` is a User, or SYSTEM for the transitions no role may take (completing the sign-off)."""
    lock(assessment)
    step = workflow.find(name, assessment.status)
    if step is None:
        done = next((t for t in workflow.TRANSITIONS if t.name == name and t.target == assessment.status), None)
        if done is not None and (user is SYSTEM or (user is not None and user.role in done.roles)):
            raise AlreadyDone(done)  # a double click or a retry after a lost answer
        raise AssessmentError(
            _(
                "Handlingen kan ikke udføres, når vurderingen har status „%(status)s“.",
                status=assessment.status_enum.label,
            )
        )
    if user is SYSTEM:
        if step.roles:
            raise NotAllowed(_("Handlingen kræver en bruger."))
    elif user is None or user.role not in step.roles:
        raise NotAllowed(_("Din rolle giver ikke adgang til denne handling."))
    missing = workflow.missing_for(step, assessment, **arguments)
    if missing:
        raise TransitionBlocked(step, missing)
    signals.transitioning.send(assessment, step=step, user=user, **arguments)
    assessment.status = step.target.value
    db.session.flush()
    record(
        f"status.{step.name}",
        line("Status: %(source)s → %(target)s", source=step.source.label, target=step.target.label),
        assessment=assessment,
        user=user,
        **{k: str(v) for k, v in arguments.items()},
    )
    return step


# --- New versions --------------------------------------------------------------------------

REOPENABLE = (Status.SIGNED, Status.PUBLISHED, Status.WITHDRAWN)
_COPIED_COLUMNS = (
    "organisation_id",
    "title",
    "content_version",
    *(f.name for f in PROPOSAL_FIELDS if f.name != "expected_benefits"),
    # A new version is deliberated at a new meeting: who attended is not copied (issue 28).
    *(name for name in fields.DECISION.names if name not in fields.BOARD_NAMES),
    *fields.FRIA.names,
)


def next_version(assessment: Assessment) -> Assessment | None:
    return db.session.scalar(select(Assessment).where(Assessment.previous_id == assessment.id))


def reopen(assessment: Assessment, *, user: User) -> Assessment:
    """A signed assessment changes only as version n+1: a draft with every answer copied.

    The old record is untouched; the two are linked both ways (previous_id and next_version).
    """
    require_editor(user)
    lock(assessment)
    if assessment.status not in REOPENABLE:
        raise AssessmentError(_("Kun en underskrevet eller offentliggjort vurdering kan genåbnes som ny version."))
    if next_version(assessment) is not None:
        raise AssessmentError(_("Vurderingen er allerede genåbnet som en ny version."))
    copy = Assessment(
        **{name: getattr(assessment, name) for name in _COPIED_COLUMNS},
        expected_benefits=list(assessment.expected_benefits or []),
        created_by_id=user.id,
        version_number=assessment.version_number + 1,
        previous_id=assessment.id,
    )
    db.session.add(copy)
    for q in assessment.questions:
        copy.questions.append(
            AssessmentQuestion(
                question_id=q.question_id,
                kind=q.kind,
                group_id=q.group_id,
                group_title=q.group_title,
                position=q.position,
                text=q.text,
                explanation=q.explanation,
                **_values(q, fields.QUESTION),
            )
        )
    for r in assessment.reviews:
        copy.reviews.append(
            RecommendationReview(
                recommendation_id=r.recommendation_id,
                number=r.number,
                title=r.title,
                summary=r.summary,
                check_questions=list(r.check_questions),
                **_values(r, fields.REVIEW),
            )
        )
    for a in assessment.actions:
        copy.actions.append(Action(position=a.position, **_values(a, fields.ACTION)))
    db.session.flush()
    signals.reopened.send(assessment, copy=copy, user=user)
    record(
        "assessment.reopened",
        line(
            "Version %(new)s er oprettet ud fra version %(old)s", new=copy.version_number, old=assessment.version_number
        ),
        assessment=copy,
        user=user,
        previous=assessment.public_id,
    )
    record(
        "assessment.superseded_draft",
        line("Genåbnet som version %(number)s", number=copy.version_number),
        assessment=assessment,
        user=user,
        next=copy.public_id,
    )
    return copy


def _values(row, table: fields.FieldTable) -> dict:
    """A row's editable fields, for the copy in a new version."""
    return {name: getattr(row, name) for name in table.names}
