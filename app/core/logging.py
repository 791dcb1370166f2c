"""Structured JSON logs with a request id; error pages show the same id as a reference."""

from __future__ import annotations

import json
import logging
import re
import secrets
import sys
import traceback

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


# Quoted values and PostgreSQL's "Key (email)=(x@y)" details carry what people typed.
QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'|\([^()]*\)=\([^()]*\)")


def _is_database_error(error: BaseException) -> bool:
    from sqlalchemy.exc import StatementError

    if isinstance(error, StatementError):
        return True
    module = type(error).__module__ or ""
    return module.startswith(("sqlite3", "psycopg", "psycopg2"))


def _describe(error: BaseException) -> str:
    """One exception's message; for database errors the statement's shape and the error's kind,
    never the parameters nor the values a message quotes."""
    name = f"{type(error).__module__}.{type(error).__qualname__}"
    if not _is_database_error(error):
        return f"{name}: {error}"
    from sqlalchemy.exc import StatementError

    if isinstance(error, StatementError):
        original = error.orig if error.orig is not None else error
        message = str(original).splitlines()[0] if str(original) else ""
        statement = " ".join((error.statement or "").split())
        return f"{name}: ({type(original).__qualname__}) {QUOTED.sub('…', message)} [SQL: {statement}]"
    first_line = str(error).splitlines()[0] if str(error) else ""
    return f"{name}: {QUOTED.sub('…', first_line)}"


def format_exception_safely(error: BaseException) -> str:
    """A traceback of the exception and its chain, with database messages made safe to log."""
    chain: list[BaseException] = []
    seen: set[int] = set()
    link: BaseException | None = error
    while link is not None and id(link) not in seen:
        seen.add(id(link))
        chain.append(link)
        link = link.__cause__ or (None if link.__suppress_context__ else link.__context__)
    parts = []
    for error in reversed(chain):
        frames = "".join(traceback.format_tb(error.__traceback__))
        parts.append(f"Traceback (most recent call last):\n{frames}{_describe(error)}")
    return "\n\nDuring handling of the above exception, another exception occurred:\n\n".join(parts)


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
        if record.exc_info and record.exc_info[1] is not None:
            entry["exception"] = format_exception_safely(record.exc_info[1])
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
