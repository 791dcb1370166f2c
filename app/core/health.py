"""What /healthz knows beyond "the database answers": whether writes are failing.

A full disk or a read-only database still answers SELECT 1, so reads alone say nothing. Each app
(so each worker process) remembers when a write last failed for a database reason and when one last succeeded; a
failure newer than the last success, within HEALTH_WRITE_FAILURE_SECONDS, is "degraded". On
SQLite, free space under HEALTH_MIN_FREE_MB on the database's disk is "degraded" too.
"""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

from flask import current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.exc import InterfaceError, InternalError, OperationalError

from app.core import metrics
from app.extensions import db

# What a full disk, a read-only or a vanished database raises; an IntegrityError is a bug, not this.
DATABASE_FAILURES = (OperationalError, InterfaceError, InternalError)
WRITES = ("INSERT", "UPDATE", "DELETE")


class WriteHealth:
    """This process's last failed and last successful write (monotonic seconds)."""

    def __init__(self):
        self._lock = threading.Lock()
        self.failed_at: float | None = None
        self.succeeded_at: float | None = None

    def failed(self) -> None:
        with self._lock:
            self.failed_at = time.monotonic()

    def succeeded(self) -> None:
        with self._lock:
            self.succeeded_at = time.monotonic()

    def failing(self, window: float) -> bool:
        with self._lock:
            if self.failed_at is None or time.monotonic() - self.failed_at > window:
                return False
            return self.succeeded_at is None or self.succeeded_at < self.failed_at

    def reset(self) -> None:
        with self._lock:
            self.failed_at = self.succeeded_at = None


def write_health(app=None) -> WriteHealth:
    """The app's record of failing writes (made by init_app)."""
    return (app or current_app).extensions["write_health"]


def is_database_failure(error: BaseException) -> bool:
    return isinstance(error, DATABASE_FAILURES)


def init_app(app) -> None:
    """Watch the app's own engine and session for failed and successful writes. Wired in create_app:
    nothing listens to every engine in the process."""
    writes = app.extensions["write_health"] = WriteHealth()

    def note_failed_write(context):
        """A write statement, or a commit (no statement), that failed for a database reason. A failed
        connection is not counted: /healthz's own query shows that, and forgets it once it is back."""
        if not is_database_failure(context.sqlalchemy_exception) or context.connection is None or context.is_disconnect:
            return
        statement = (context.statement or "").lstrip().upper()
        if context.statement is None or statement.startswith(WRITES):
            writes.failed()
            metrics.failed_write()

    with app.app_context():
        event.listen(db.engine, "handle_error", note_failed_write)
    # db.session serves every app of the process (the test suite builds many): its listeners are
    # connected once and find the app's record through the app context.
    for name, listener in (
        ("after_flush", _note_flush),
        ("after_commit", _note_commit),
        ("after_rollback", _note_rollback),
    ):
        if not event.contains(db.session, name, listener):
            event.listen(db.session, name, listener)


def _note_flush(session, flush_context):
    session.info["wrote"] = True


def _note_commit(session):
    if session.info.pop("wrote", False) and has_app_context():
        current_app.extensions["write_health"].succeeded()


def _note_rollback(session):
    session.info.pop("wrote", None)


def low_disk_space() -> bool:
    """SQLite only: the free space on the database's disk is under HEALTH_MIN_FREE_MB."""
    minimum = current_app.config.get("HEALTH_MIN_FREE_MB") or 0
    url = db.engine.url
    if not minimum or url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return False
    try:
        free = shutil.disk_usage(Path(url.database).resolve().parent).free
    except OSError:
        return True
    return free < minimum * 1024 * 1024


def problems() -> list[str]:
    """Why writes are unlikely to succeed here, in Danish; empty when nothing is known to be wrong."""
    found = []
    if write_health().failing(current_app.config.get("HEALTH_WRITE_FAILURE_SECONDS", 300)):
        found.append("Den seneste skrivning til databasen mislykkedes.")
    if low_disk_space():
        found.append("Der er kun lidt ledig plads på databasens disk.")
    return found
