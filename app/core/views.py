"""Cross-cutting pages: liveness, database and write check."""

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from app.core import health
from app.extensions import db

bp = Blueprint("core", __name__)


@bp.get("/healthz")
def healthz():
    """200 "ok"; 503 "fejl" when the database does not answer (within DATABASE_CONNECT_TIMEOUT and
    DATABASE_STATEMENT_TIMEOUT), 503 "degraded" with the reasons when writes are failing."""
    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except Exception:  # any failure means "not healthy"; the detail goes to the log
        current_app.logger.warning("healthz: the database did not answer", exc_info=True)
        db.session.rollback()
        database = "fejl"
    problems = health.problems() if database == "ok" else []
    body = {"status": "ok", "database": database, "writes": "fejl" if problems else "ok"}
    if database != "ok":
        body["status"] = "fejl"
    elif problems:
        body["status"] = "degraded"
        body["reasons"] = problems
    response = jsonify(body)
    response.status_code = 200 if body["status"] == "ok" else 503
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask every site for /favicon.ico: the small icon, not a 404 in every log."""
    return current_app.send_static_file("favicon.ico")
