"""The base form of the app: Flask-WTF with CSRF, and WTForms' own messages in Danish.

WTForms ships no Danish catalogue, so the handful of built-in messages a person can meet are
translated here; in the English interface WTForms' own English messages are used as they are.
Every form of the app derives from Form, and so every text field of every form gets the one rule
on control characters (app.core.text) before any validator sees the value.
"""

from collections.abc import Iterable, Mapping

from flask import g, has_request_context, request
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectChoice, StringField

from app.core.language import current_language
from app.core.text import strip_control_characters

DANISH = {
    "This field is required.": "Udfyld feltet.",
    "Invalid input.": "Ugyldigt indhold.",
    "Invalid email address.": "Skriv en gyldig e-mailadresse.",
    "Invalid URL.": "Skriv en gyldig webadresse.",
    "Field must be equal to %(other_name)s.": "Felterne skal være ens.",
    "Field must be between %(min)d and %(max)d characters long.": "Skriv mellem %(min)d og %(max)d tegn.",
    "Number must be between %(min)s and %(max)s.": "Skriv et tal mellem %(min)s og %(max)s.",
    "Number must be at least %(min)s.": "Skriv et tal på mindst %(min)s.",
    "Number must be at most %(max)s.": "Skriv et tal på højst %(max)s.",
    "Date must be at least %(min)s.": "Datoen skal være %(min)s eller senere.",
    "Date must be at most %(max)s.": "Datoen skal være %(max)s eller tidligere.",
    "Date must be between %(min)s and %(max)s.": "Datoen skal være mellem %(min)s og %(max)s.",
    "Invalid value, must be one of: %(values)s.": "Vælg en af mulighederne.",
    "Invalid value, can't be any of: %(values)s.": "Værdien er ikke tilladt.",
    "This field cannot be edited.": "Feltet kan ikke ændres.",
    "This field is disabled and cannot have a value.": "Feltet er slået fra og kan ikke have en værdi.",
    "Not a valid choice.": "Vælg en af mulighederne.",
    "Not a valid choice": "Vælg en af mulighederne.",
    "'%(value)s' is not a valid choice for this field.": "Vælg en af mulighederne.",
    "'%(value)s' are not valid choices for this field.": "Vælg blandt mulighederne.",
    "Invalid Choice: could not coerce.": "Vælg en af mulighederne.",
    "Invalid choice(s): one or more data inputs could not be coerced.": "Vælg blandt mulighederne.",
    "Choices cannot be None.": "Vælg en af mulighederne.",
    "Not a valid integer value.": "Skriv et helt tal.",
    "Not a valid decimal value.": "Skriv et tal.",
    "Not a valid float value.": "Skriv et tal.",
    "Not a valid date value.": "Skriv en gyldig dato (åååå-mm-dd).",
    "Not a valid datetime value.": "Skriv et gyldigt tidspunkt.",
    "Not a valid time value.": "Skriv et gyldigt klokkeslæt.",
    "Not a valid week value.": "Skriv en gyldig uge.",
    "The CSRF token is missing.": "Formularen mangler en sikkerhedsnøgle. Genindlæs siden, og prøv igen.",
    "The CSRF token is invalid.": "Formularens sikkerhedsnøgle er ugyldig. Genindlæs siden, og prøv igen.",
    "The CSRF token has expired.": "Formularen er udløbet. Genindlæs siden, og prøv igen.",
    "The CSRF tokens do not match.": "Formularens sikkerhedsnøgle passer ikke. Genindlæs siden, og prøv igen.",
    "The CSRF session token is missing.": "Din session er udløbet. Genindlæs siden, og prøv igen.",
}
# WTForms asks for these through ngettext, keyed by the singular.
DANISH_PLURALS = {
    "Field must be at least %(min)d character long.": "Skriv mindst %(min)d tegn.",
    "Field cannot be longer than %(max)d character.": "Højst %(max)d tegn.",
    "Field must be exactly %(max)d character long.": "Skriv præcis %(max)d tegn.",
}


def options(choices: Mapping | Iterable[tuple]) -> list[SelectChoice]:
    """Choices for a SelectField, SelectMultipleField or RadioField in the form WTForms 3.3+ takes
    (tuples are deprecated): from a {value: label} table or from (value, label) pairs."""
    pairs = choices.items() if isinstance(choices, Mapping) else choices
    return [SelectChoice(value, label) for value, label in pairs]


class DanishTranslations:
    def gettext(self, message: str) -> str:
        if current_language() == "en":
            return message
        return DANISH.get(message, message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        if current_language() == "en":
            return singular if n == 1 else plural
        return DANISH_PLURALS.get(singular) or DANISH.get(singular, singular if n == 1 else plural)


TRANSLATIONS = DanishTranslations()


def _is_text(unbound_field) -> bool:
    """Text a person types; passwords are left exactly as typed."""
    field_class = unbound_field.field_class
    return issubclass(field_class, StringField) and not issubclass(field_class, PasswordField)


class Form(FlaskForm):
    class Meta:
        def get_translations(self, form):
            return TRANSLATIONS

        def bind_field(self, form, unbound_field, options):
            if _is_text(unbound_field):
                filters = [strip_control_characters, *unbound_field.kwargs.get("filters", ())]
                options = {**options, "filters": filters}
            return super().bind_field(form, unbound_field, options)  # type: ignore[misc]  # WTForms mixes DefaultMeta in

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Remembered for the database-failure page, which gives a person back what they typed.
        if has_request_context() and request.method == "POST":
            g.setdefault("submitted_forms", []).append(self)


def submitted_forms() -> list[Form]:
    """The forms built from this request's POST, in the order the view built them."""
    return g.get("submitted_forms", []) if has_request_context() else []
