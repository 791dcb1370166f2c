"""Forms for naming signatories and signing."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, PasswordField, SelectMultipleField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.assessments.consistency import EXPLANATION_MAX
from app.assessments.forms import too_long
from app.core.forms import Form


class SignatoriesForm(Form):
    signatories = SelectMultipleField(
        _l("Underskrivere"),
        coerce=int,
        choices=[],
        validate_choice=True,
        description=_l(
            "Typisk udvalgets formand og direktøren. Mindst én må ikke være den, der oprettede vurderingen."
        ),
    )


class _SigningForm(Form):
    record_sha256 = HiddenField(validators=[DataRequired(), Length(min=64, max=64)])
    seen_at = HiddenField(validators=[DataRequired(), Length(max=40)])
    # placed after the text being signed, so signing means having come past it (issue 34)
    read_text = BooleanField(
        _l("Jeg har læst teksten"),
        validators=[DataRequired(_l("Sæt hak ved „Jeg har læst teksten“ for at underskrive."))],
    )


class SsoSignForm(_SigningForm):
    """Signing where the municipality's provider confirms the signer with a fresh login."""


class SignForm(_SigningForm):
    password = PasswordField(
        _l("Din adgangskode"),
        validators=[
            DataRequired(_l("Skriv din adgangskode for at underskrive.")),
            Length(max=128, message=_l("Højst 128 tegn.")),
        ],
        description=_l("Underskriften kræver, at du bekræfter med din adgangskode."),
    )


class ExplanationForm(Form):
    """The board's explanation of one consistency finding (empty: remove it)."""

    rule = HiddenField(
        validators=[DataRequired(), Length(max=60, message=_l("Reglen findes ikke. Genindlæs siden, og prøv igen."))]
    )
    explanation = TextAreaField(
        _l("Etikrådets forklaring"),
        validators=[Optional(), Length(max=EXPLANATION_MAX, message=too_long(EXPLANATION_MAX))],
        description=_l("Forklaringen kommer med i den underskrevne vurdering. Slet teksten for at fjerne den."),
    )
