"""The follow-up form: which item, its status now, and a note. Validates, never writes."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, TextAreaField
from wtforms.validators import InputRequired, Length

from app.assessments.models import ACTION_STATUSES
from app.core.forms import Form, options
from app.followup.models import NOTE_MAX_LENGTH


class FollowupForm(Form):
    action = SelectField(_l("Punkt i handlingsplanen"), coerce=int, choices=[],
                         validators=[InputRequired(_l("Vælg et punkt."))])  # fmt: skip
    status = SelectField(_l("Status nu"), choices=options(ACTION_STATUSES),
                         validators=[InputRequired(_l("Vælg en status."))])  # fmt: skip
    note = TextAreaField(
        _l("Bemærkning"),
        validators=[Length(max=NOTE_MAX_LENGTH, message=_l("Højst %(n)s tegn.", n=NOTE_MAX_LENGTH))],
        description=_l("Hvad er gjort, og hvad mangler? Bemærkningen vises offentligt sammen med status."),
    )
