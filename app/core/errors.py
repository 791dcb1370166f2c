"""Error pages in the interface language; JSON for the API, always in Danish."""

from flask import current_app, jsonify, render_template, request
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

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
CSRF_TITLE = _l("Formularen er udløbet")
CSRF_MESSAGE = _l(
    "Siden har været åben for længe, eller formularen mangler sin sikkerhedsnøgle. Gå tilbage, "
    "genindlæs siden, og prøv igen. Det, du skrev, er ikke gemt."
)


def _is_api() -> bool:
    return request.path.startswith("/api/")


def _texts(title, message) -> tuple[str, str]:
    """Plain text: Danish for the API, the interface language for everything else."""
    if _is_api():
        with force_locale("da"):
            return str(title), str(message)
    return str(title), str(message)


def _render(status: int):
    title, message = _texts(*MESSAGES.get(status, MESSAGES[500]))
    if _is_api():
        return jsonify(error=title, message=message, status=status), status
    return render_template("errors/error.html", status=status, title=title, message=message), status


def _log_denial(action: str) -> None:
    """Denials are security events: who was refused what (never the submitted values)."""
    from app.core.logging import event

    user_id = current_user.get_id() if current_user and current_user.is_authenticated else None
    event(current_app.logger, action, path=request.path, method=request.method,
          user=user_id.split(":")[0] if user_id else None)  # fmt: skip


def register_error_handlers(app):
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        _log_denial("csrf.refused")
        title, message = _texts(CSRF_TITLE, CSRF_MESSAGE)
        # The editor's autosave shows the message to the person: it follows the interface language.
        if _is_api() or request.headers.get("X-Autosave") == "1":
            return jsonify(status="refused", error=title, message=message), 400
        return render_template("errors/error.html", status=400, title=title, message=message), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code in (403, 429):
            _log_denial("access.denied" if error.code == 403 else "rate_limit.hit")
        return _render(error.code or 500)

    # Flask routes unhandled exceptions here outside testing; in tests they propagate and fail loudly.
    @app.errorhandler(500)
    def internal_error(error):
        return _render(500)
