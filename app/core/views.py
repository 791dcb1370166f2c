"""Cross-cutting pages: liveness (/healthz), readiness (/readyz) and metrics (/metrics)."""

from typing import Any

from flask import Blueprint, Response, current_app, jsonify
from sqlalchemy import text

from app.core import health, metrics, readiness
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
    body: dict[str, Any] = {"status": "ok", "database": database, "writes": "fejl" if problems else "ok"}
    if database != "ok":
        body["status"] = "fejl"
    elif problems:
        body["status"] = "degraded"
        body["reasons"] = problems
    response = jsonify(body)
    response.status_code = 200 if body["status"] == "ok" else 503
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/readyz")
def readyz():
    """200 when this instance can serve: the database answers, its schema is at the migrations'
    head, the log key and every signing certificate open (app/core/readiness.py); else 503 with
    the reasons. Never cached: a load balancer must see the state of now."""
    result = readiness.readiness()
    body: dict[str, Any] = {"status": "ok" if result.ready else "fejl", "checks": result.checks}
    if result.reasons:
        body["reasons"] = result.reasons
    response = jsonify(body)
    response.status_code = 200 if result.ready else 503
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/metrics")
def prometheus_metrics():
    """Prometheus text format for METRICS_ALLOW's addresses when METRICS_ENABLED; 404 otherwise."""
    body = metrics.scrape_or_404()
    from prometheus_client import CONTENT_TYPE_LATEST

    response = Response(body, content_type=CONTENT_TYPE_LATEST)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask every site for /favicon.ico: the small icon, not a 404 in every log."""
    return current_app.send_static_file("favicon.ico")
