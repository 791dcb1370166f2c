"""Critical sections that hold on both databases (issue 31 item 6).

`write_lock()` is the one way a service serialises a read-check-write against other requests:
call it at the start of the critical section, before the reads the decision depends on; the lock
is held until the session's transaction commits or rolls back.

- SQLite has one writer at a time, but pysqlite (in its default, "legacy" transaction mode) only
  opens a transaction, with a deferred BEGIN, right before the first INSERT, UPDATE or DELETE.
  Reads before that run outside any transaction, and `SELECT … FOR UPDATE` is not SQLite syntax
  (SQLAlchemy leaves the FOR UPDATE out). Two requests could therefore both read "not published
  yet" and both insert, and the second got an IntegrityError (a 500). So on SQLite the lock emits
  `BEGIN IMMEDIATE` when no transaction is open: it takes the database's write lock at once
  (waiting up to the busy timeout, DATABASE_STATEMENT_TIMEOUT), and every read after it sees the
  latest committed data, because no other writer can commit until we end. If a transaction is
  already open, pysqlite opened it for a write, and SQLite took the write lock at that write, so
  we already hold it: nothing more is needed (a second BEGIN would be an error).
  We chose this over switching the whole engine to explicit BEGINs (SQLAlchemy's documented
  pysqlite recipe) because that would make every request, reads included, a transaction that
  holds a read snapshot, and change the behaviour of code that does not ask for a lock.
- PostgreSQL locks rows: callers lock the row their decision is about (`SELECT … FOR UPDATE`, as
  `app.assessments.services.lock` does). When there is no row to lock (counting what an address
  sent), `scope` names what is being decided and a transaction-scoped advisory lock on its hash
  serialises exactly the requests deciding the same thing.
"""

from __future__ import annotations

import hashlib

from flask import g, has_request_context
from sqlalchemy import text

from app.extensions import db

# The first key of the two-key advisory locks taken here, so they never meet the single-key lock
# of the transparency log (app/translog/services.py) or another feature's.
ADVISORY_NAMESPACE = 31_006


def _scope_key(scope: str) -> int:
    """A stable signed 32-bit key for a scope name (hash collisions only make two scopes wait for each other)."""
    return int.from_bytes(hashlib.sha256(scope.encode()).digest()[:4], "big", signed=True)


def write_lock(scope: str | None = None) -> None:
    """Hold the write lock for the rest of the transaction (see the module's docstring).

    SQLite: the database's write lock (BEGIN IMMEDIATE). PostgreSQL: an advisory lock on `scope`
    if one is given; without one, nothing (the caller locks its row)."""
    connection = db.session.connection()
    dialect = connection.dialect.name
    if dialect == "sqlite":
        raw = connection.connection.dbapi_connection
        assert raw is not None  # a session's connection is checked out
        if not raw.in_transaction:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
    elif dialect == "postgresql" and scope is not None:
        connection.execute(
            text("SELECT pg_advisory_xact_lock(:namespace, :key)"),
            {"namespace": ADVISORY_NAMESPACE, "key": _scope_key(scope)},
        )


# --- Writes that outlive a refusal ----------------------------------------------------------

_KEEP = "etikdialog_keep_writes"


def keep_writes() -> None:
    """The writes flushed so far must outlive the refusal the caller raises next (a failed
    password counted toward the lock-out, a refused attempt from an address): the request's
    transaction is committed once the view has answered, in one place (init_app), whatever the
    view does with the refusal. Outside a request (the CLI) the caller's own commit decides."""
    if has_request_context():
        setattr(g, _KEEP, True)


def init_app(app) -> None:
    @app.after_request
    def commit_kept_writes(response):
        if g.pop(_KEEP, False):
            db.session.commit()
        return response
