"""Forms for naming signatories and signing."""

from wtforms import HiddenField, PasswordField, SelectMultipleField
from wtforms.validators import DataRequired, Length

from app.core.forms import Form


class SignatoriesForm(Form):
    signatories = SelectMultipleField(
        "Underskrivere", coerce=int, choices=[], validate_choice=True,
        description="Typisk udvalgets formand og direktøren. Mindst én må ikke være den, der oprettede vurderingen.",
    )  # fmt: skip


class SignForm(Form):
    record_sha256 = HiddenField(validators=[DataRequired(), Length(min=64, max=64)])
    seen_at = HiddenField(validators=[DataRequired(), Length(max=40)])
    password = PasswordField(
        "Din adgangskode",
        validators=[DataRequired("Skriv din adgangskode for at underskrive."), Length(max=128, message="Højst 128 tegn.")],
        description="Underskriften kræver, at du bekræfter med din adgangskode.",
    )
