"""The transparency log's tables: entries, the hashes of complete subtrees, signed checkpoints.

All three are append-only. The ORM refuses to change or delete a row, and so does the database:
triggers on both SQLite and PostgreSQL (created with the tables here and by migration 0016), so
not even raw SQL rewrites the log by mistake. PostgreSQL's TRUNCATE fires no row trigger; the test
suite empties its tables that way, and anyone who may truncate may also drop a trigger, which is
why the signed checkpoints, not the triggers, are what a citizen relies on.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DDL, BigInteger, ForeignKey, LargeBinary, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column

from app.core.time import utcnow
from app.extensions import db


class LogEntry(db.Model):
    """One entry: its canonical JSON (the exact bytes the leaf hash covers) and the leaf hash."""

    __tablename__ = "log_entry"

    leaf_index: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    entry: Mapped[str] = mapped_column(Text)  # canonical JSON, UTF-8
    leaf_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    public_id: Mapped[str] = mapped_column(String(22), index=True)  # copied from the entry, for lookups
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LogNode(db.Model):
    """The hash of a complete subtree: 2**level leaves from start on, where start is a multiple of
    2**level (level 0 is the leaf hash). Its key is the subtree's in-order number in the flat tree,
    2 * start + 2**level - 1, one integer, so a proof fetches all its subtrees with one `IN`.
    Written once when the subtree fills up: an append writes one node plus one per level it
    completes, and a proof reads O(log n) rows instead of rehashing the leaves."""

    __tablename__ = "log_node"

    node_index: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    hash: Mapped[bytes] = mapped_column(LargeBinary(32))


class LogCheckpoint(db.Model):
    """A signed checkpoint (C2SP tlog-checkpoint as a signed note) of the tree at one size."""

    __tablename__ = "log_checkpoint"

    tree_size: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    root_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    note: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LogCosignature(db.Model):
    """A witness's cosignature (C2SP tlog-cosignature, cosignature/v1) on one of our checkpoints:
    the note signature line as the witness returned it. Checked against the witness's key before it
    is stored; it proves itself, so it needs no append-only trigger."""

    __tablename__ = "log_cosignature"
    __table_args__ = (UniqueConstraint("tree_size", "witness"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tree_size: Mapped[int] = mapped_column(ForeignKey("log_checkpoint.tree_size"), index=True)
    witness: Mapped[str] = mapped_column(String(255))  # the witness's key name
    line: Mapped[str] = mapped_column(Text)
    cosigned_at: Mapped[datetime]  # the cosignature's own timestamp, UTC
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LogRewriteError(RuntimeError):
    """Raised when code tries to change or delete a row of the transparency log."""


@event.listens_for(LogEntry, "before_update")
@event.listens_for(LogNode, "before_update")
@event.listens_for(LogCheckpoint, "before_update")
@event.listens_for(LogEntry, "before_delete")
@event.listens_for(LogNode, "before_delete")
@event.listens_for(LogCheckpoint, "before_delete")
def _refuse_rewrite(mapper, connection, target):
    raise LogRewriteError("The transparency log is append-only.")


LOG_TABLES = ("log_entry", "log_node", "log_checkpoint")


def sqlite_triggers(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END",
        f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END",
    ]


POSTGRES_FUNCTION = (
    "CREATE OR REPLACE FUNCTION transparency_log_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION USING MESSAGE = TG_TABLE_NAME || ' is append-only'; END; $$ LANGUAGE plpgsql"
)


def postgres_triggers(table: str) -> list[str]:
    return [
        POSTGRES_FUNCTION,
        f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION transparency_log_append_only()",
    ]


for _model in (LogEntry, LogNode, LogCheckpoint):
    _table = _model.__table__
    for _statement in sqlite_triggers(_table.name):
        event.listen(_table, "after_create", DDL(_statement).execute_if(dialect="sqlite"))
    for _statement in postgres_triggers(_table.name):
        event.listen(_table, "after_create", DDL(_statement).execute_if(dialect="postgresql"))
