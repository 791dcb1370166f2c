"""The interface language: Danish by default, English on request, remembered in a cookie.

Only the interface is translated. The think tank's material and the boards' own texts stay
Danish, and a signed record and its PDF are never translated: they are what was signed.
"""

from flask import request
from flask_babel import Domain, force_locale, get_translations, refresh
from jinja2 import pass_context
from markupsafe import Markup

from app.core.language import DEFAULT_LANGUAGE, current_language, request_state
from app.extensions import babel

LANGUAGES = {"da": "Dansk", "en": "English"}
COOKIE_NAME = "etikdialog_lang"
COOKIE_MAX_AGE = 365 * 24 * 3600


def select_locale() -> str:
    chosen = request.cookies.get(COOKIE_NAME) if request else None
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


def danish(label) -> str:
    """A (lazy) interface label as plain Danish text: for the audit log, the record and open
    data, whatever language the person asking reads."""
    with force_locale("da"):
        return str(label)


class RequestDomain(Domain):
    """Flask-Babel's message domain, with its catalogue looked up once per request and locale
    (app/core/language.py). Every gettext, ngettext and lazy string in Python code goes through its
    domain's get_translations(): the chart's labels alone ask about forty times a page."""

    def get_translations(self):
        state = request_state()
        return state[1] if state else super().get_translations()


def request_translations():
    """Flask-Babel's get_translations(), once per request and locale (app/core/language.py)."""
    state = request_state()
    return state[1] if state else get_translations()  # the first lookup chooses the locale


@pass_context
def _template_gettext(context, string, /, **variables):
    """Jinja's new-style gettext (jinja2.ext._make_new_gettext), without its two context.call()
    hops per string: the same escaping and `%` formatting, so pages are byte for byte the same."""
    rv = request_translations().ugettext(string)
    if context.eval_ctx.autoescape:
        rv = Markup(rv)  # noqa: S704 - a string from our own catalogue, as in Jinja's gettext
    return rv % variables


def init_app(app) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    # Stored times are naive UTC; pages show them as they are in Denmark (app/core/formatting.py).
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "Europe/Copenhagen")
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals.update(gettext=_template_gettext, _=_template_gettext)

    # Flask-Babel keeps the chosen locale on `g`, which lives as long as the app context. A request
    # inside an app context that is already pushed (tests, CLI commands) would inherit the previous
    # request's language; each request chooses afresh and leaves nothing behind.
    domain = RequestDomain()  # the default "messages" catalogue, as Flask-Babel's own

    @app.before_request
    def choose_language_afresh():
        refresh()
        domain.as_default()

    app.teardown_request(lambda _error: refresh())

    @app.context_processor
    def language_context():
        language = current_language()
        other = "en" if language == "da" else "da"
        return {"current_language": language, "other_language": (other, LANGUAGES[other])}
