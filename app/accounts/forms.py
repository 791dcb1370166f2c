"""Account forms. Forms validate input only; the rules live in services.

The account forms derive from the app's base form, ``app.core.forms.Form``. ``DanishForm`` is the
older base with its own, slightly longer table of Danish WTForms messages; it is kept for what
still imports it and, like ``Form``, gives WTForms' own English messages in the English interface.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from app.accounts import passwords
from app.accounts.models import ROLE_LABELS, Role
from app.core.forms import Form
from app.i18n import current_language

REQUIRED = _l("Udfyld feltet.")
INVALID_EMAIL = _l("Skriv en gyldig e-mailadresse.")
PASSWORDS_DIFFER = _l("De to adgangskoder er ikke ens.")
PASSWORD_HINT = _l(
    "Mindst %(min)s og højst %(max)s tegn. En sætning af flere ord er nem at huske og svær at gætte.",
    min=passwords.MIN_LENGTH,
    max=passwords.MAX_LENGTH,
)

# WTForms' own messages, in Danish. Keys are WTForms' msgids (wtforms/locale/wtforms.pot).
DANISH_MESSAGES = {
    "This field is required.": REQUIRED,
    "Invalid input.": "Ugyldig værdi.",
    "Invalid email address.": INVALID_EMAIL,
    "Invalid URL.": "Skriv en gyldig webadresse.",
    "Field must be equal to %(other_name)s.": "Feltet skal være det samme som %(other_name)s.",
    "Field must be between %(min)d and %(max)d characters long.": "Skriv mellem %(min)d og %(max)d tegn.",
    "Number must be at least %(min)s.": "Tallet skal være mindst %(min)s.",
    "Number must be at most %(max)s.": "Tallet må højst være %(max)s.",
    "Number must be between %(min)s and %(max)s.": "Tallet skal være mellem %(min)s og %(max)s.",
    "Date must be at least %(min)s.": "Datoen skal være %(min)s eller senere.",
    "Date must be at most %(max)s.": "Datoen skal være %(max)s eller tidligere.",
    "Date must be between %(min)s and %(max)s.": "Datoen skal være mellem %(min)s og %(max)s.",
    "Invalid value, must be one of: %(values)s.": "Ugyldig værdi. Vælg en af: %(values)s.",
    "Invalid value, can't be any of: %(values)s.": "Ugyldig værdi. Den må ikke være: %(values)s.",
    "This field cannot be edited.": "Feltet kan ikke ændres.",
    "This field is disabled and cannot have a value.": "Feltet er slået fra og kan ikke have en værdi.",
    "Invalid CSRF Token.": "Formularen er udløbet. Indlæs siden igen, og prøv igen.",
    "CSRF token missing.": "Formularen er udløbet. Indlæs siden igen, og prøv igen.",
    "CSRF failed.": "Formularen er udløbet. Indlæs siden igen, og prøv igen.",
    "CSRF token expired.": "Formularen er udløbet. Indlæs siden igen, og prøv igen.",
    "Invalid Choice: could not coerce.": "Vælg en af mulighederne.",
    "Choices cannot be None.": "Vælg en af mulighederne.",
    "Not a valid choice.": "Vælg en af mulighederne.",
    "Invalid choice(s): one or more data inputs could not be coerced.": "Vælg blandt mulighederne.",
    "Not a valid datetime value.": "Skriv et gyldigt tidspunkt.",
    "Not a valid date value.": "Skriv en gyldig dato.",
    "Not a valid time value.": "Skriv et gyldigt klokkeslæt.",
    "Not a valid week value.": "Skriv en gyldig uge.",
    "Not a valid integer value.": "Skriv et helt tal.",
    "Not a valid decimal value.": "Skriv et tal.",
    "Not a valid float value.": "Skriv et tal.",
}
DANISH_PLURALS = {
    "Field must be at least %(min)d character long.": "Skriv mindst %(min)d tegn.",
    "Field cannot be longer than %(max)d character.": "Højst %(max)d tegn.",
    "Field must be exactly %(max)d character long.": "Skriv præcis %(max)d tegn.",
    "'%(value)s' is not a valid choice for this field.": "„%(value)s“ er ikke en af mulighederne.",
}


class DanishTranslations:
    """WTForms' messages in Danish; in the English interface WTForms' own English ones."""

    def gettext(self, string: str) -> str:
        if current_language() == "en":
            return string
        return DANISH_MESSAGES.get(string, string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        if current_language() == "en":
            return singular if n == 1 else plural
        return DANISH_PLURALS.get(singular, singular if n == 1 else plural)


DANISH = DanishTranslations()


class DanishForm(FlaskForm):
    class Meta:
        def get_translations(self, form):
            return DANISH


def strip(value):
    return value.strip() if isinstance(value, str) else value


def lower_strip(value):
    return value.strip().lower() if isinstance(value, str) else value


def at_most(n: int) -> Length:
    # Length fills in %(max)d itself.
    return Length(max=n, message=_l("Højst %(max)d tegn."))


ROLE_CHOICES = [(role.value, ROLE_LABELS[role]) for role in Role]


def password_policy(form, field) -> None:
    """The password policy, shown at the field (the service checks it again)."""
    personal = tuple(
        getattr(form, name).data or "" for name in ("email", "name") if hasattr(form, name)
    )
    problems = passwords.validate_password_policy(field.data or "", personal=personal)
    if problems:
        raise ValidationError(passwords.message_text(problems))


class LoginForm(Form):
    email = EmailField(
        _l("E-mail"),
        filters=[strip],
        validators=[DataRequired(REQUIRED), at_most(254)],
        render_kw={"autocomplete": "username", "spellcheck": "false"},
    )
    password = PasswordField(
        _l("Adgangskode"),
        validators=[DataRequired(REQUIRED), at_most(passwords.MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )


class UserCreateForm(Form):
    email = EmailField(
        _l("E-mail"),
        filters=[lower_strip],
        validators=[DataRequired(REQUIRED), at_most(254), Email(INVALID_EMAIL)],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    name = StringField(
        _l("Navn"), filters=[strip], validators=[DataRequired(REQUIRED), at_most(120)],
        render_kw={"autocomplete": "off"},
    )  # fmt: skip
    title = StringField(
        _l("Titel"),
        description=_l(
            "Fx „Formand for Social- og Sundhedsudvalget“ eller „Konsulent“. Vises ved underskrifter."
        ),
        filters=[strip],
        validators=[DataRequired(REQUIRED), at_most(120)],
        render_kw={"autocomplete": "off"},
    )
    role = SelectField(_l("Rolle"), choices=ROLE_CHOICES, default=Role.MEMBER.value)
    password = PasswordField(
        _l("Adgangskode"),
        description=PASSWORD_HINT,
        validators=[DataRequired(REQUIRED), password_policy],
        render_kw={"autocomplete": "new-password"},
    )
    password_repeat = PasswordField(
        _l("Gentag adgangskoden"),
        validators=[DataRequired(REQUIRED), EqualTo("password", message=PASSWORDS_DIFFER)],
        render_kw={"autocomplete": "new-password"},
    )


class UserRoleForm(Form):
    role = SelectField(_l("Rolle"), choices=ROLE_CHOICES)


class PasswordChangeForm(Form):
    current_password = PasswordField(
        _l("Nuværende adgangskode"),
        validators=[DataRequired(REQUIRED), at_most(passwords.MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = PasswordField(
        _l("Ny adgangskode"),
        description=PASSWORD_HINT,
        validators=[DataRequired(REQUIRED), password_policy],
        render_kw={"autocomplete": "new-password"},
    )
    new_password_repeat = PasswordField(
        _l("Gentag den nye adgangskode"),
        validators=[DataRequired(REQUIRED), EqualTo("new_password", message=PASSWORDS_DIFFER)],
        render_kw={"autocomplete": "new-password"},
    )
