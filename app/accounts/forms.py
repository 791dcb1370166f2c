"""Account forms. Forms validate input only; the rules live in services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from app.accounts import passwords
from app.accounts.models import ROLE_LABELS, Role
from app.core.forms import Form, options

REQUIRED = _l("Udfyld feltet.")
INVALID_EMAIL = _l("Skriv en gyldig e-mailadresse.")
PASSWORDS_DIFFER = _l("De to adgangskoder er ikke ens.")
PASSWORD_HINT = _l(
    "Mindst %(min)s og højst %(max)s tegn. En sætning af flere ord er nem at huske og svær at gætte.",
    min=passwords.MIN_LENGTH,
    max=passwords.MAX_LENGTH,
)


def strip(value):
    return value.strip() if isinstance(value, str) else value


def lower_strip(value):
    return value.strip().lower() if isinstance(value, str) else value


def at_most(n: int) -> Length:
    # Length fills in %(max)d itself.
    return Length(max=n, message=_l("Højst %(max)d tegn."))


ROLE_CHOICES = options((role.value, ROLE_LABELS[role]) for role in Role)


def password_policy(form, field) -> None:
    """The password policy, shown at the field (the service checks it again)."""
    personal = tuple(getattr(form, name).data or "" for name in ("email", "name") if hasattr(form, name))
    problems = passwords.validate_password_policy(field.data or "", personal=personal)
    if problems:
        raise ValidationError(passwords.message_text(problems))


def new_password_fields(label, repeat_label, name: str) -> tuple[PasswordField, PasswordField]:
    """A new password under the policy, and the same typed again (`name` is the first field's)."""
    return (
        PasswordField(
            label,
            description=PASSWORD_HINT,
            validators=[DataRequired(REQUIRED), password_policy],
            render_kw={"autocomplete": "new-password"},
        ),
        PasswordField(
            repeat_label,
            validators=[DataRequired(REQUIRED), EqualTo(name, message=PASSWORDS_DIFFER)],
            render_kw={"autocomplete": "new-password"},
        ),
    )


class LoginForm(Form):
    email = EmailField(
        _l("E-mail"),
        filters=[strip],
        validators=[DataRequired(REQUIRED), at_most(254)],
        render_kw={"autocomplete": "username", "spellcheck": "false"},
    )
    # Not required here: where the e-mail's domain logs in through the municipality's own
    # provider, no password is asked (the view sends the person there); elsewhere the view asks.
    password = PasswordField(
        _l("Adgangskode"),
        validators=[at_most(passwords.MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
        description=_l("Ikke hvis din kommune bruger sit eget login: så skriv kun din e-mail."),
    )


class UserCreateForm(Form):
    email = EmailField(
        _l("E-mail"),
        filters=[lower_strip],
        validators=[DataRequired(REQUIRED), at_most(254), Email(INVALID_EMAIL)],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    name = StringField(
        _l("Navn"),
        filters=[strip],
        validators=[DataRequired(REQUIRED), at_most(120)],
        render_kw={"autocomplete": "off"},
    )
    title = StringField(
        _l("Titel"),
        description=_l("Fx „Formand for Social- og Sundhedsudvalget“ eller „Konsulent“. Vises ved underskrifter."),
        filters=[strip],
        validators=[DataRequired(REQUIRED), at_most(120)],
        render_kw={"autocomplete": "off"},
    )
    role = SelectField(_l("Rolle"), choices=ROLE_CHOICES, default=Role.MEMBER.value)
    password, password_repeat = new_password_fields(_l("Adgangskode"), _l("Gentag adgangskoden"), "password")


class UserRoleForm(Form):
    role = SelectField(_l("Rolle"), choices=ROLE_CHOICES)


class PasswordChangeForm(Form):
    current_password = PasswordField(
        _l("Nuværende adgangskode"),
        validators=[DataRequired(REQUIRED), at_most(passwords.MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )
    new_password, new_password_repeat = new_password_fields(
        _l("Ny adgangskode"), _l("Gentag den nye adgangskode"), "new_password"
    )
