"""Structured JSON logs with a request id; error pages show the same id as a reference."""

from __future__ import annotations

import json
import logging
import re
import secrets
import sys

from flask import Flask, g, has_request_context, request

REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
# Never log these, whatever a caller passes in extra=…
SECRET_KEYS = {"password", "password_hash", "token", "csrf_token", "session", "secret", "cookie"}


def request_id() -> str:
    if not has_request_context():
        return "-"
    if "request_id" not in g:
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if REQUEST_ID_PATTERN.match(incoming) else secrets.token_hex(8)
    return g.request_id


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": request_id(),
        }
        if has_request_context():
            entry["method"] = request.method
            entry["path"] = request.path
        for key, value in getattr(record, "fields", {}).items():
            if key.lower() not in SECRET_KEYS:
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure(app: Flask) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    app.logger.handlers[:] = [handler]
    app.logger.setLevel(logging.INFO)
    app.logger.propagate = False

    @app.after_request
    def add_request_id(response):
        response.headers["X-Request-ID"] = request_id()
        return response

    app.jinja_env.globals["request_id"] = request_id


def event(app_logger: logging.Logger, message: str, **fields) -> None:
    """Log a security-relevant event (login, denial, sign-off, publication) with fields."""
    app_logger.info(message, extra={"fields": fields})
