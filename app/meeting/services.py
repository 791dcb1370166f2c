"""Meeting mode's shared state: the secretary's current question, which members follow."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from app.core.time import utcnow
from app.extensions import db
from app.meeting.models import MeetingState


def current(assessment) -> MeetingState | None:
    return db.session.get(MeetingState, assessment.id)


def move_to(assessment, question_id: str, *, user) -> None:
    """The secretary opened this question: members watching follow. Not audit-logged (it changes
    nothing in the assessment). Two first moves at once: the other one's row stands."""
    state = current(assessment)
    if state is not None:
        if state.question_id != question_id:
            state.question_id, state.moved_at, state.moved_by_id = question_id, utcnow(), user.id
            db.session.flush()
        return
    try:
        with db.session.begin_nested():
            db.session.add(MeetingState(assessment_id=assessment.id, question_id=question_id, moved_by_id=user.id))
    except IntegrityError:
        pass
