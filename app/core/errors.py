"""Danish error pages; JSON for the API."""

from flask import current_app, jsonify, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

MESSAGES = {
    400: ("Forkert forespørgsel", "Forespørgslen kunne ikke forstås. Prøv igen fra forrige side."),
    403: ("Ingen adgang", "Du har ikke adgang til denne side."),
    404: ("Siden findes ikke", "Vi kunne ikke finde den side, du leder efter."),
    405: ("Handlingen er ikke tilladt", "Siden kan ikke bruges på denne måde."),
    413: ("Filen er for stor", "Det, du har sendt, er for stort. Filer må højst fylde 20 MB."),
    429: ("For mange forsøg", "Du har prøvet for mange gange. Vent lidt, og prøv igen."),
    500: ("Der opstod en fejl", "Der skete en fejl hos os. Prøv igen om lidt."),
}


def _render(status: int):
    title, message = MESSAGES.get(status, MESSAGES[500])
    if request.path.startswith("/api/"):
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
        title = "Formularen er udløbet"
        message = "Siden har været åben for længe, eller formularen mangler sin sikkerhedsnøgle. Gå tilbage, genindlæs siden, og prøv igen. Det, du skrev, er ikke gemt."
        if request.path.startswith("/api/") or request.headers.get("X-Autosave") == "1":
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
