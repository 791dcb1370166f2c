"""The forms that start a draft from another municipality's record and confirm what it took over.
They validate, never write."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from app.assessments.forms import REQUIRED, too_long
from app.assessments.proposal import TITLE_MAX
from app.core.forms import Form
from app.reuse.services import KEY_MAX

NEXT_MAX = 500


class StartForm(Form):
    title = StringField(
        _l("Titel på jeres vurdering"),
        validators=[DataRequired(REQUIRED), Length(max=TITLE_MAX, message=too_long(TITLE_MAX))],
        description=_l("I kan beholde titlen eller skrive jeres egen."),
    )


class ConfirmForm(Form):
    """ "Bekræft" beside a field taken over (`field`), or "Bekræft alle i dette afsnit" (`section`),
    and the page to return to (`next`, one of the assessment's own pages; the view checks it)."""

    field = StringField(validators=[Length(max=KEY_MAX, message=too_long(KEY_MAX))])
    section = StringField(validators=[Length(max=KEY_MAX, message=too_long(KEY_MAX))])
    next = StringField(validators=[Length(max=NEXT_MAX, message=too_long(NEXT_MAX))])

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if bool((self.field.data or "").strip()) == bool((self.section.data or "").strip()):
            self.field.errors = [*self.field.errors, _l("Vælg ét felt eller ét afsnit, der skal bekræftes.")]
            return False
        return True
