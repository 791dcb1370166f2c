"""Error pages in the interface language; JSON for the API, always in Danish.

Error pages never depend on the database: a page whose layout cannot be rendered (the layout reads
the logged-in user) falls back to a minimal layout that reads nothing, and a request that fails
because the database is down, full or locked gets a 503 that says so, with the text the person
sent given back to them.
"""

from contextlib import suppress
from typing import Any

from flask import current_app, g, jsonify, make_response, render_template, request
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException
from wtforms import FileField, HiddenField, PasswordField, StringField, TextAreaField

from app.core.forms import submitted_forms
from app.core.health import DATABASE_FAILURES
from app.core.text import strip_control_characters
from app.extensions import db


class Refused(Exception):
    """A rule refused the person access: the request's work is rolled back and the answer is 403.
    The features' refusals derive from it (app.assessments.services.NotAllowed), so this package
    maps them without importing a feature."""


def require(allowed: bool) -> None:
    """The one way a view refuses access, for GET and POST alike: a Refused, which the handler
    below answers 403 after rolling the request's work back and logging the denial."""
    if not allowed:
        raise Refused


MESSAGES = {
    400: (
        _l("Forkert forespørgsel"),
        _l("Forespørgslen kunne ikke forstås. Prøv igen fra forrige side."),
    ),
    403: (_l("Ingen adgang"), _l("Du har ikke adgang til denne side.")),
    404: (_l("Siden findes ikke"), _l("Vi kunne ikke finde den side, du leder efter.")),
    405: (_l("Handlingen er ikke tilladt"), _l("Siden kan ikke bruges på denne måde.")),
    413: (
        _l("Filen er for stor"),
        _l("Det, du har sendt, er for stort. Filer må højst fylde 20 MB."),
    ),
    429: (_l("For mange forsøg"), _l("Du har prøvet for mange gange. Vent lidt, og prøv igen.")),
    500: (_l("Der opstod en fejl"), _l("Der skete en fejl hos os. Prøv igen om lidt.")),
}
# A text form (no file in it) over the request size limit: say that the text was too long.
TEXT_TOO_LONG = (
    _l("Teksten er for lang"),
    _l(
        "Det, du skrev, er langt mere end et tekstfelt kan rumme (højst 5.000 tegn), så det blev ikke modtaget "
        "og ikke gemt. Gå tilbage i browseren: teksten står som regel stadig i feltet. Gem den et andet sted, og "
        "forkort den."
    ),
)
UNAVAILABLE_TITLE = _l("Databasen svarer ikke")
UNAVAILABLE_MESSAGE = _l("Vi kan ikke gemme eller hente data lige nu. Prøv igen om et par minutter.")
SAVE_FAILED = _l("Databasen svarer ikke lige nu. Det, du skrev, står stadig i feltet: prøv at gemme igen om lidt.")
NOT_SAVED = _l("Det, du skrev, er ikke gemt. Her er din tekst, så du kan prøve igen eller kopiere den.")
CSRF_TITLE = _l("Formularen er udløbet")
CSRF_MESSAGE = _l(
    "Siden har været åben for længe, eller formularen mangler sin sikkerhedsnøgle. Gå tilbage, "
    "genindlæs siden, og prøv igen. Det, du skrev, er ikke gemt."
)


def _is_api() -> bool:
    return request.path.startswith("/api/")


def is_autosave() -> bool:
    """A background save from autosave.js, which reads JSON and shows its message."""
    return request.headers.get("X-Autosave") == "1"


def _rollback() -> None:
    with suppress(SQLAlchemyError):  # the connection is gone; the session is discarded at teardown
        db.session.rollback()


def _minimal(status: int, title, message, **context) -> str:
    """The minimal layout. Flask-Login puts current_user in every template's context, which loads
    the user from the database unless already loaded: a visitor stands in for them here."""
    if "_login_user" not in g:
        g._login_user = current_app.login_manager.anonymous_user()  # type: ignore[attr-defined]
    return render_template("errors/minimal.html", status=status, title=title, message=message, **context)


def _page(status: int, title, message, **context):
    """The error page in the normal layout, or in the minimal one when the layout itself fails
    (it reads the logged-in user and their municipality from the database)."""
    try:
        return render_template("errors/error.html", status=status, title=title, message=message, **context)
    except SQLAlchemyError:
        _rollback()
        current_app.logger.warning("error page: the layout needs the database; minimal layout used")
        g.pop("_login_user", None)
        return _minimal(status, title, message, **context)


def _given_back(form) -> list[dict]:
    """A submitted form's fields for the failure page: text as typed (passwords never), the rest
    as hidden values, so "Prøv igen" sends the same request once more."""
    fields = []
    for field in form:
        if isinstance(field, (PasswordField, FileField)):
            continue
        if isinstance(field, StringField) and not isinstance(field, HiddenField):
            fields.append(
                {
                    "kind": "text",
                    "name": field.name,
                    "id": f"given-back-{field.id}",
                    "label": field.label.text,
                    "value": field.data or "",
                    "long": isinstance(field, TextAreaField),
                }
            )
        else:
            fields += [{"kind": "hidden", "name": field.name, "value": v} for v in request.form.getlist(field.name)]
    return fields


INTERNAL_FIELDS = {"csrf_token", "row_version", "base"}


def _raw_given_back() -> list[list[dict]]:
    """The request failed before the view built its form (loading the user or the record): give
    back the submitted values as they came, named by their field, passwords never."""
    if request.method != "POST" or not request.form:
        return []
    fields: list[dict[str, Any]] = []
    for name in request.form:
        values = request.form.getlist(name)
        if "password" in name.lower():
            continue
        if name in INTERNAL_FIELDS or len(values) != 1 or not values[0].strip():
            fields += [{"kind": "hidden", "name": name, "value": v} for v in values]
        else:
            fields.append(
                {
                    "kind": "text",
                    "name": name,
                    "id": f"given-back-{len(fields)}",
                    "label": name,
                    "value": strip_control_characters(values[0]),
                    "long": True,
                }
            )
    return [fields]


def database_unavailable():
    """503 for a request that failed for a database reason: JSON for the API and autosave; else a
    page that needs no database and, after a POST, gives back every text field that was sent."""
    title, message = _texts(UNAVAILABLE_TITLE, SAVE_FAILED if is_autosave() else UNAVAILABLE_MESSAGE)
    if _is_api() or is_autosave():
        response = jsonify(status="unavailable", error=title, message=message)
    else:
        sent = [form for form in submitted_forms() if any(field.name in request.form for field in form)]
        forms = [_given_back(form) for form in sent] or _raw_given_back()
        html = _minimal(503, title, message, forms=forms, not_saved=NOT_SAVED if forms else None)
        response = current_app.make_response(html)
    response.status_code = 503
    response.headers["Retry-After"] = "60"
    response.headers["Cache-Control"] = "no-store"
    return response


def _texts(title, message) -> tuple[str, str]:
    """Plain text: Danish for the API, the interface language for everything else."""
    if _is_api():
        with force_locale("da"):
            return str(title), str(message)
    return str(title), str(message)


def _render(status: int):
    texts = MESSAGES.get(status, MESSAGES[500])
    if status == 413 and request.mimetype != "multipart/form-data":
        texts = TEXT_TOO_LONG
    title, message = _texts(*texts)
    if _is_api():
        return jsonify(error=title, message=message, status=status), status
    return _page(status, title, message), status


def _user_id() -> str | None:
    try:
        return current_user.get_id() if current_user and current_user.is_authenticated else None
    except SQLAlchemyError:  # loading the user needs the database
        _rollback()
        return None


def _log_denial(action: str) -> None:
    """Denials are security events: who was refused what (never the submitted values)."""
    from app.core.logging import event

    user_id = _user_id()
    event(
        current_app.logger,
        action,
        path=request.path,
        method=request.method,
        user=user_id.split(":")[0] if user_id else None,
    )


def register_error_handlers(app):
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        _log_denial("csrf.refused")
        title, message = _texts(CSRF_TITLE, CSRF_MESSAGE)
        # The editor's autosave shows the message to the person: it follows the interface language.
        if _is_api() or is_autosave():
            return jsonify(status="refused", error=title, message=message), 400
        return _page(400, title, message), 400

    def database_error(error):
        # The log shows the statement's shape, never its parameters (app.core.logging).
        # An autosave that fails here (before its save ran) is marked, like those saving.py logs.
        current_app.logger.error(
            "database failure: answered 503", exc_info=error, extra={"fields": {"autosave": is_autosave()}}
        )
        _rollback()
        return database_unavailable()

    for failure in (*DATABASE_FAILURES, PoolTimeout):
        app.register_error_handler(failure, database_error)

    @app.errorhandler(Refused)
    def not_allowed(error: Refused):
        """A service refused the person's role: nothing it did is kept, and the answer is 403."""
        _rollback()
        _log_denial("access.denied")
        return _render(403)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code in (403, 429):
            _log_denial("access.denied" if error.code == 403 else "rate_limit.hit")
        response = make_response(_render(error.code or 500))
        # the exception's own headers say what the Danish page cannot: Allow on a 405 (RFC 9110
        # 15.5.6), Retry-After on a 429 or 503, WWW-Authenticate
        own = dict(error.get_headers())
        for name in ("Allow", "Retry-After", "WWW-Authenticate"):
            if name in own and name not in response.headers:
                response.headers[name] = own[name]
        return response

    # Flask routes unhandled exceptions here outside testing; in tests they propagate and fail loudly.
    @app.errorhandler(500)
    def internal_error(error):
        _rollback()
        return _render(500)
