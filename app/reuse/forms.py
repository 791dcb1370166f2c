"""The form that starts a draft from another municipality's record. It validates, never writes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from app.assessments.forms import REQUIRED, too_long
from app.assessments.proposal import TITLE_MAX
from app.core.forms import Form


class StartForm(Form):
    title = StringField(
        _l("Titel på jeres vurdering"),
        validators=[DataRequired(REQUIRED), Length(max=TITLE_MAX, message=too_long(TITLE_MAX))],
        description=_l("I kan beholde titlen eller skrive jeres egen."),
    )
