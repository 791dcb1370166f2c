"""The administrators' form for the municipality's login. Validates input only; the rules (and the
refusal of a secret typed in clear text) live in app/sso/services.py."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.core.forms import Form, options

REQUIRED = _l("Udfyld feltet.")
LOA_CHOICES = {"": _l("Intet krav"), "substantial": _l("Betydelig (Substantial)"), "high": _l("Høj (High)")}


def _at_most(n: int) -> Length:
    return Length(max=n, message=_l("Højst %(max)d tegn."))


class SsoConfigForm(Form):
    protocol = SelectField(
        _l("Protokol"), choices=options({"oidc": "OpenID Connect", "saml": "SAML 2.0 (OIOSAML)"}), default="oidc"
    )
    issuer = StringField(
        _l("Udbyderens adresse (issuer) eller IdP'ens entity id"),
        validators=[DataRequired(REQUIRED), _at_most(255)],
        description=_l(
            "OpenID Connect: fx https://login.microsoftonline.com/<tenant-id>/v2.0. SAML: IdP'ens entity id fra dens metadata."
        ),
    )
    client_id = StringField(
        _l("Klient-id eller Etikdialogs entity id"),
        validators=[DataRequired(REQUIRED), _at_most(255)],
        description=_l(
            "SAML: det entity id, it-afdelingen registrerer for Etikdialog, fx adressen på metadata nedenfor."
        ),
    )
    secret_ref = StringField(
        _l("Hvor klienthemmeligheden eller den private nøgle ligger"),
        validators=[_at_most(300)],
        description=_l(
            "env:NAVN (en miljøvariabel) eller file:/sti (en fil); SAML-nøglen altid file:/sti. Skriv aldrig selve hemmeligheden."
        ),
    )
    cert_ref = StringField(
        _l("SAML: hvor tjenestens certifikat ligger"),
        validators=[_at_most(300)],
        description=_l("file:/sti til certifikatet (PEM), der hører til den private nøgle."),
    )
    metadata_ref = StringField(
        _l("SAML: IdP'ens metadata"),
        validators=[_at_most(300)],
        description=_l("En https://-adresse, som Etikdialog læser, eller file:/sti til en fil med metadata."),
    )
    domains = StringField(
        _l("E-maildomæner"),
        validators=[DataRequired(REQUIRED), _at_most(500)],
        description=_l("Adresser med disse domæner logger ind her, fx aarhus.dk. Adskil med mellemrum."),
    )
    allow_jit = BooleanField(_l("Opret nye brugere ved første login (som udvalgsmedlem)"))
    group_claim = StringField(
        _l("Claim med grupper eller roller"),
        validators=[_at_most(64)],
        description=_l("Fx groups eller roles. Tomt: administratoren sætter rollerne."),
    )
    role_map = TextAreaField(
        _l("Grupper, der giver roller"),
        validators=[_at_most(5000)],
        description=_l("Én pr. linje: gruppe=rolle, hvor rollen er admin, editor eller member."),
    )
    require_loa = SelectField(
        _l("SAML: sikringsniveau (NSIS) for at logge ind"),
        choices=options(LOA_CHOICES),
        default="",
        description=_l("Et login på et lavere niveau, eller uden niveau, afvises. Kun med SAML 2.0 (OIOSAML 3)."),
    )
    require_signing_loa = SelectField(
        _l("SAML: sikringsniveau (NSIS) for at underskrive"),
        choices=options(LOA_CHOICES),
        default="",
        description=_l("Gælder det nye login, en underskrift kræver; mindst lige så højt som kravet for at logge ind."),
    )
