"""The interface language: Danish by default, English on request, remembered in a cookie.

Only the interface is translated. The think tank's material and the boards' own texts stay
Danish, and a signed record and its PDF are never translated: they are what was signed.
"""

from datetime import date

from flask import request
from flask_babel import Domain, LazyString, force_locale, get_translations, refresh
from jinja2 import pass_context
from markupsafe import Markup

from app.core.formatting import local_date
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


class Line:
    """An interface sentence kept as its msgid and values rather than as text, so that a line
    written once (the audit log's) reads in the language of whoever reads it later. A value that is
    itself an interface label (a lazy string, such as a status's) is kept as its Danish msgid and
    translated too; any other value (a name, a title, a number) stays as it is.

    `line(...)` marks the msgid for extraction (`make translations` passes `-k line`)."""

    def __init__(self, msgid: str, **values):
        self.msgid = msgid
        self.values = {name: _storable(value) for name, value in values.items()}

    def stored(self) -> dict:
        """What is kept with the line (JSON): its msgid and its values."""
        return {"msgid": self.msgid, "values": self.values}

    def __str__(self) -> str:
        return self.danish()

    def danish(self) -> str:
        with force_locale("da"):
            return shown(self.stored()) or self.msgid


def _storable(value):
    """A lazy interface label as its Danish msgid, a date as ISO text (each shown in the reader's
    language), anything else as it is."""
    if isinstance(value, LazyString):
        return {"label": danish(value)}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    return value


def line(msgid: str, **values) -> Line:
    return Line(msgid, **values)


def shown(stored) -> str | None:
    """A stored Line in the reader's language; None when it cannot be read (then the caller shows
    the Danish text stored beside it)."""
    if not isinstance(stored, dict) or not isinstance(stored.get("msgid"), str):
        return None
    translations = request_translations()
    values = {}
    for name, value in (stored.get("values") or {}).items():
        if isinstance(value, dict) and isinstance(value.get("label"), str):
            value = translations.ugettext(value["label"])
        elif isinstance(value, dict) and isinstance(value.get("date"), str):
            try:
                value = local_date(date.fromisoformat(value["date"]))
            except ValueError:
                return None
        values[name] = value
    try:
        return translations.ugettext(stored["msgid"]) % values if values else translations.ugettext(stored["msgid"])
    except (KeyError, TypeError, ValueError):  # a catalogue that no longer fits the stored values
        return None


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


def quoted(text) -> str:
    """Text in quotation marks as the reader's language writes them: „…“ in Danish, “…” in
    English; for a name put into an interface sentence as a value (the msgids carry their own)."""
    return f"“{text}”" if current_language() == "en" else f"„{text}“"


def lang_da() -> Markup:
    """` lang="da"` for an element of Danish text (a signed record's, a board's, the think
    tank's) on a page in another language (WCAG 3.1.2); nothing on a Danish page, whose <html>
    says it already."""
    return Markup("") if current_language() == "da" else Markup(' lang="da"')


def danish_span(value):
    """Danish text (a signed record's value) inside an interface sentence, marked as Danish on a
    page in another language so it says which words are Danish (WCAG 3.1.2); escaped. A Danish
    page gets the value as it is."""
    if current_language() == "da":
        return value
    return Markup('<span lang="da">%s</span>') % value


def init_app(app) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    # Stored times are naive UTC; pages show them as they are in Denmark (app/core/formatting.py).
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "Europe/Copenhagen")
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals.update(gettext=_template_gettext, _=_template_gettext)
    app.jinja_env.filters["da"] = danish_span
    app.jinja_env.globals["lang_da"] = lang_da

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
