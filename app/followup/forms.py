"""The follow-up form: which item, its status now, and a note. Validates, never writes."""

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length

from app.assessments.models import ACTION_STATUSES
from app.core.forms import Form, options
from app.followup.models import MEASURED_MAX_LENGTH, NOTE_MAX_LENGTH, OUTCOMES


class FollowupForm(Form):
    action = SelectField(
        _l("Punkt i handlingsplanen"), coerce=int, choices=[], validators=[InputRequired(_l("Vælg et punkt."))]
    )
    status = SelectField(
        _l("Status nu"), choices=options(ACTION_STATUSES), validators=[InputRequired(_l("Vælg en status."))]
    )
    note = TextAreaField(
        _l("Bemærkning"),
        validators=[Length(max=NOTE_MAX_LENGTH, message=_l("Højst %(n)s tegn.", n=NOTE_MAX_LENGTH))],
        description=_l("Hvad er gjort, og hvad mangler? Bemærkningen vises offentligt sammen med status."),
    )


class EffectForm(Form):
    """The measured effect against the expected one, at the review date."""

    outcome = RadioField(
        _l("Sammenlignet med den forventede effekt"),
        choices=options(OUTCOMES),
        validators=[InputRequired(_l("Vælg, hvordan effekten er i forhold til det forventede."))],
    )
    measured = TextAreaField(
        _l("Målt effekt"),
        validators=[
            InputRequired(_l("Skriv, hvad der er målt, og hvad resultatet er.")),
            Length(max=MEASURED_MAX_LENGTH, message=_l("Højst %(n)s tegn.", n=MEASURED_MAX_LENGTH)),
        ],
        description=_l(
            "Hvad er målt, hvordan og hvornår, og hvad blev resultatet? Teksten vises offentligt ved siden af "
            "den forventede effekt fra den underskrevne vurdering."
        ),
    )
