"""The meeting form: the minutes, the board's answer and the concern level, saved like the question form."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField

from app.assessments.forms import QuestionForm, bounded_text


class MeetingForm(QuestionForm):
    """The question form's fields (and FIELDS, changes()) without its hints, which the projector
    has no room for, and the question to show after saving."""

    discussion = bounded_text(_l("Drøftelse (referat)"))
    answer = bounded_text(_l("Udvalgets svar"))
    goto = (
        HiddenField()
    )  # the question to show after saving, sent by the "save and next/previous" buttons
