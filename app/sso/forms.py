"""The administrators' form for the municipality's login. Validates input only; the rules (and the
refusal of a secret typed in clear text) live in app/sso/services.py."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.core.forms import Form

REQUIRED = _l("Udfyld feltet.")


def _at_most(n: int) -> Length:
    return Length(max=n, message=_l("Højst %(max)d tegn."))


class SsoConfigForm(Form):
    protocol = SelectField(_l("Protokol"), choices=[("oidc", "OpenID Connect")], default="oidc")
    issuer = StringField(
        _l("Udbyderens adresse (issuer)"), validators=[DataRequired(REQUIRED), _at_most(255)],
        description=_l("Fx https://login.microsoftonline.com/<tenant-id>/v2.0"),
    )  # fmt: skip
    client_id = StringField(_l("Klient-id"), validators=[DataRequired(REQUIRED), _at_most(255)])
    secret_ref = StringField(
        _l("Hvor klienthemmeligheden ligger"), validators=[_at_most(300)],
        description=_l("env:NAVN (en miljøvariabel) eller file:/sti (en fil). Skriv aldrig selve hemmeligheden."),
    )  # fmt: skip
    domains = StringField(
        _l("E-maildomæner"), validators=[DataRequired(REQUIRED), _at_most(500)],
        description=_l("Adresser med disse domæner logger ind her, fx aarhus.dk. Adskil med mellemrum."),
    )  # fmt: skip
    allow_jit = BooleanField(_l("Opret nye brugere ved første login (som udvalgsmedlem)"))
    group_claim = StringField(
        _l("Claim med grupper eller roller"), validators=[_at_most(64)],
        description=_l("Fx groups eller roles. Tomt: administratoren sætter rollerne."),
    )  # fmt: skip
    role_map = TextAreaField(
        _l("Grupper, der giver roller"), validators=[_at_most(5000)],
        description=_l("Én pr. linje: gruppe=rolle, hvor rollen er admin, editor eller member."),
    )  # fmt: skip
