"""The request's unit of work (ADR 0008), writes that outlive a refusal, and critical sections
that hold on both databases (issue 31 item 6).

One place ends every request's transaction (`init_app`, ADR 0008): an answer below 400 commits, an
exception or an answer of 400 and above rolls back. Views and services never commit; what must be
kept although the request is refused (a failed password counted toward the lock-out, a refused
attempt from an address, a one-time token or assertion used) is written through `record_now`, in
a transaction of its own, by the service that decides it. `discard` is a refusal's rollback when
the answer is a redirect or a page below 400. The command line and background jobs have no
request: they commit their own work.

Critical sections: `write_lock()` is the one way a service serialises a read-check-write against
other requests: call it at the start of the critical section, before the reads the decision
depends on; the lock is held until the session's transaction commits or rolls back.

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
from collections.abc import Callable
from contextlib import suppress
from typing import TypeVar

from flask import Flask, current_app, g, has_request_context
from flask.sessions import SecureCookieSessionInterface
from sqlalchemy import event, text
from sqlalchemy.exc import SQLAlchemyError

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


# --- The request's unit of work (ADR 0008) -------------------------------------------------

T = TypeVar("T")

_WROTE = "etikdialog_wrote"  # db.session.info: the open transaction holds writes
_DISCARDED = "etikdialog_discarded"  # g: the request was refused; nothing of it is committed
_ENDED = "etikdialog_unit_ended"  # g: the after_request hook ended the unit of work
_THEN = "etikdialog_after_commit"  # g: what runs once the request's work is committed
_NOT_KEPT = "etikdialog_not_kept"  # g: the commit failed; the browser's session is not changed


class NotFirstWrite(RuntimeError):
    """record_now was called after the request had written: committing would keep half its work."""


def holds_writes() -> bool:
    """Whether the session's open transaction holds writes: flushed ones, DML it executed, or
    changes still pending."""
    session = db.session
    if session.info.get(_WROTE) or session.new or session.deleted:
        return True
    return any(session.is_modified(instance) for instance in session.dirty)


def record_now(write: Callable[[], T]) -> T:
    """Run `write` and commit it at once, in a transaction of its own: what it writes outlives the
    refusal the caller raises next (a failed password, a refused attempt, a one-time token used).

    The service that decides the refusal calls it, never a view. It must come before the
    request's other writes, so that its commit keeps nothing else: if the session already holds
    writes it raises NotFirstWrite (a programming error, found by the tests) instead of
    committing half a unit of work. A lock taken before it (write_lock, SELECT … FOR UPDATE) ends
    with its commit; the caller refuses next, so nothing depended on the lock any more."""
    if holds_writes():
        raise NotFirstWrite("record_now must come before the request's other writes")
    result = write()
    db.session.commit()
    return result


def discard() -> None:
    """The request is refused: roll back what it wrote so far, and commit nothing of it at its end
    even if the answer is a redirect (a refusal flashed on the next page) or a 200 page."""
    db.session.rollback()
    if has_request_context():
        setattr(g, _DISCARDED, True)


def commit_step() -> None:
    """End the request's first unit of work here, where a service is designed as two transactions:
    the sign-off stores the signature, then renders the PDF with no transaction or lock held and
    freezes the record in a second short transaction (ADR 0005). Only a service calls it, and
    only between steps that each stand on their own; the request's end commits the second."""
    db.session.commit()


def after_commit(then: Callable[[], object]) -> None:
    """Run `then` once the request's work is committed (in the one place, _end_unit_of_work), for
    what must not happen for work that is not kept: a mail about an answer. What `then` writes is
    committed after it. Outside a request (the command line) it runs at once."""
    if not has_request_context():
        then()
        return
    g.setdefault(_THEN, []).append(then)


def _end_unit_of_work(response):
    """after_request: commit an answer below 400 unless the request was refused (discard); roll
    back anything else. A failed commit is handled as if the view had raised it (the database's
    503 with the person's text given back), and the browser's session is left as it was."""
    setattr(g, _ENDED, True)
    then, discarded = g.pop(_THEN, []), g.pop(_DISCARDED, False)
    if not then and not holds_writes():
        return response  # it only read: nothing to keep or undo (the session is closed at teardown)
    if response.status_code >= 400 or discarded:
        _rollback()
        return response
    try:
        db.session.commit()
        for step in then:
            step()
            db.session.commit()
    except Exception as error:  # noqa: BLE001 - every failure of the commit becomes an error answer
        setattr(g, _NOT_KEPT, True)
        _rollback()
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        return app.make_response(app.handle_user_exception(error))  # re-raises if nothing handles it
    return response


def _end_on_teardown(error: BaseException | None) -> None:
    """teardown_request: a request that raised past every handler (the tests propagate exceptions)
    never reached after_request; what it wrote is rolled back."""
    ended = g.pop(_ENDED, False)
    for name in (_THEN, _DISCARDED, _NOT_KEPT):  # g outlives the request where an app context does (tests)
        g.pop(name, None)
    if not ended and holds_writes():
        _rollback()


def _rollback() -> None:
    with suppress(SQLAlchemyError):  # the connection is gone; the session is discarded at teardown
        db.session.rollback()


class _SessionWithTheWork(SecureCookieSessionInterface):
    """The signed-cookie session, not sent when the request's commit failed: a login whose user
    row or audit line was not kept must not leave the browser logged in."""

    def save_session(self, app, session, response) -> None:
        if g.get(_NOT_KEPT):
            return
        super().save_session(app, session, response)


def _note_flush(session, _flush_context) -> None:
    session.info[_WROTE] = True


def _note_statement(state) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[_WROTE] = True


def _forget_writes(session, transaction) -> None:
    if transaction.parent is None:  # the outermost transaction ended: committed or rolled back
        session.info.pop(_WROTE, None)


def init_app(app: Flask) -> None:
    """Called last in create_app, so that this after_request runs before every other one of the
    app (they run in reverse order): the witnesses are asked, and the record fragments stored,
    after the request's work is committed."""
    app.session_interface = _SessionWithTheWork()
    app.after_request(_end_unit_of_work)
    app.teardown_request(_end_on_teardown)
    for name, listener in (
        ("after_flush", _note_flush),
        ("do_orm_execute", _note_statement),
        ("after_transaction_end", _forget_writes),
    ):
        if not event.contains(db.session, name, listener):
            event.listen(db.session, name, listener)
