"""The interface language of the current request, for the core's formatting and forms.

Here, below every feature, because the core formats dates and translates form errors in it;
app/i18n chooses the language, switches it and re-exports these names.
"""

from flask import g, has_app_context
from flask_babel import Domain, get_domain, get_locale

DEFAULT_LANGUAGE = "da"


def current_language() -> str:
    state = request_state()
    return state[2] if state else str(get_locale() or DEFAULT_LANGUAGE)


def request_state():
    """This request's (locale, translations, language code), looked up once per request and
    locale: a page asks for about a hundred strings and twenty dates, and each of Flask-Babel's
    lookups walks `g` several times. Keyed by the locale object, so force_locale() and refresh()
    take effect at once. None until the request's locale is chosen, and outside an app context."""
    if not has_app_context():
        return None
    ctx = getattr(g._get_current_object(), "_flask_babel", None)
    locale = getattr(ctx, "babel_locale", None)
    if ctx is None or locale is None:
        return None
    cached = getattr(ctx, "etikdialog_i18n", None)
    if cached is None or cached[0] is not locale:
        translations = Domain.get_translations(get_domain())  # Flask-Babel's own lookup, once
        cached = ctx.etikdialog_i18n = (locale, translations, str(locale))
    return cached
