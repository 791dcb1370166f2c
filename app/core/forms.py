"""The base form of the app: Flask-WTF with CSRF, and WTForms' own messages in Danish.

WTForms ships no Danish catalogue, so the handful of built-in messages a person can meet are
translated here; in the English interface WTForms' own English messages are used as they are.
Every form of the app derives from Form.
"""

from flask_wtf import FlaskForm

from app.i18n import current_language

DANISH = {
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
    "This field is required.": "Udfyld feltet.",
    "Invalid email address.": "Skriv en gyldig e-mailadresse.",
    "Invalid input.": "Ugyldigt indhold.",
    "Invalid value, must be one of: %(values)s.": "Vælg en af mulighederne.",
    "Number must be between %(min)s and %(max)s.": "Skriv et tal mellem %(min)s og %(max)s.",
    "Number must be at least %(min)s.": "Skriv et tal på mindst %(min)s.",
    "Number must be at most %(max)s.": "Skriv et tal på højst %(max)s.",
    "Field must be equal to %(other_name)s.": "Felterne skal være ens.",
    "The CSRF token is missing.": "Formularen mangler en sikkerhedsnøgle. Genindlæs siden, og prøv igen.",
    "The CSRF token is invalid.": "Formularens sikkerhedsnøgle er ugyldig. Genindlæs siden, og prøv igen.",
    "The CSRF token has expired.": "Formularen er udløbet. Genindlæs siden, og prøv igen.",
    "The CSRF tokens do not match.": "Formularens sikkerhedsnøgle passer ikke. Genindlæs siden, og prøv igen.",
    "The CSRF session token is missing.": "Din session er udløbet. Genindlæs siden, og prøv igen.",
}


class DanishTranslations:
    def gettext(self, message: str) -> str:
        if current_language() == "en":
            return message
        return DANISH.get(message, message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


TRANSLATIONS = DanishTranslations()


class Form(FlaskForm):
    class Meta:
        def get_translations(self, form):
            return TRANSLATIONS
