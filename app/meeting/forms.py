"""The meeting form: the minutes, the board's answer and the concern level, saved like the question form."""

from dataclasses import replace

from app.assessments.fields import QUESTION
from app.assessments.forms import QuestionForm, row_field


class MeetingForm(QuestionForm):
    """The question form's fields (its TABLE and changes()) without its hints, which the projector
    has no room for. The "save and next/previous" buttons send `goto`, the question to show after
    saving (app/meeting/views.py)."""

    discussion = row_field(replace(QUESTION["discussion"], hint=""))
    answer = row_field(replace(QUESTION["answer"], hint=""))
