"""Cross-cutting pages: liveness and database check."""

from flask import Blueprint, jsonify
from sqlalchemy import text

from app.extensions import db

bp = Blueprint("core", __name__)


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except Exception:  # any failure means "not healthy"; the detail goes to the log
        db.session.rollback()
        database = "fejl"
    healthy = database == "ok"
    response = jsonify(status="ok" if healthy else "fejl", database=database)
    response.status_code = 200 if healthy else 503
    response.headers["Cache-Control"] = "no-store"
    return response
