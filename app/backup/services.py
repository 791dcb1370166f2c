"""Export everything as one JSON document and import it into an empty database, ids and bytes intact.

Generic over the metadata, so a new table is backed up without code changes. Binary columns are
base64, dates ISO 8601. Password hashes are left out unless asked for; an import without them
leaves those accounts unable to log in until an administrator sets a password.

Both directions stream, so memory stays flat however large the database: the export reads each
table in batches (`yield_per`) and writes one row at a time into the table's array; the import
parses the file incrementally (ijson) and inserts in batches. Tables come in dependency order;
a table's references to itself (a publication replaced by a later one) are inserted empty and
set in a second pass, because PostgreSQL checks a foreign key at once where SQLite may defer it.
"""

from __future__ import annotations

import base64
import json
from datetime import date, datetime
from typing import IO

import ijson
from sqlalchemy import Date, DateTime, LargeBinary, Text, func, insert, select, text

from app.accounts.passwords import UNUSABLE_HASH
from app.core.time import utcnow
from app.extensions import db
from app.public import services as public_services
from app.translog import verify as translog_verify

FORMAT = "etikdialog-export"
FORMAT_VERSION = 1
SECRET_COLUMNS = {("user_account", "password_hash")}
BATCH_ROWS = 500  # rows read or inserted at a time
BATCH_BYTES = 4 * 1024 * 1024  # ...or fewer, for tables of PDFs and long texts
# Exports written before migration 0008 carry the PDF in signed_record; it now has a table of its own.
MOVED_COLUMNS = {("signed_record", "pdf"): ("signed_record_pdf", "signed_record_id", "pdf")}


class ImportRefused(Exception):
    pass


def _tables():
    # Virtual search tables and the like are rebuilt by their owners, not copied.
    return [t for t in db.metadata.sorted_tables if not t.info.get("skip_backup")]


def _encode(column, value):
    if value is None:
        return None
    if isinstance(column.type, LargeBinary):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _decode(column, value):
    if value is None:
        return None
    if isinstance(column.type, LargeBinary):
        return base64.b64decode(value)
    if isinstance(column.type, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(column.type, Date):
        return date.fromisoformat(value)
    return value


def _batch_rows(table) -> int:
    """Rows read at a time: fewer for tables of PDFs and of long texts (a frozen record's JSON),
    so a batch stays a few MB whatever the table."""
    if any(isinstance(c.type, LargeBinary) for c in table.columns):
        return 20
    if any(isinstance(c.type, Text) for c in table.columns):
        return 50
    return BATCH_ROWS


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


# --- Export ----------------------------------------------------------------------------------


def _snapshot() -> None:
    """PostgreSQL: read every table in one snapshot, so the file is consistent under writes."""
    if not db.session().in_transaction() and db.session.get_bind().dialect.name == "postgresql":
        db.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})


def export_all(stream: IO[str], *, with_password_hashes: bool = False) -> dict[str, int]:
    _snapshot()
    header = {"format": FORMAT, "version": FORMAT_VERSION, "exported_at": utcnow().isoformat()}
    stream.write(_dumps(header)[:-1] + ',"tables":{')
    counts: dict[str, int] = {}
    for index, table in enumerate(_tables()):
        stream.write(("," if index else "") + _dumps(table.name) + ":[")
        hidden = {c.name for c in table.columns if (table.name, c.name) in SECRET_COLUMNS and not with_password_hashes}
        batch = _batch_rows(table)
        query = select(table).order_by(*table.primary_key.columns).execution_options(yield_per=batch)
        count = 0
        for row in db.session.execute(query).mappings():
            item = {c.name: None if c.name in hidden else _encode(c, row[c.name]) for c in table.columns}
            stream.write(("," if count else "") + _dumps(item))
            count += 1
        stream.write("]")
        counts[table.name] = count
    stream.write("}}")
    return counts


# --- Import ----------------------------------------------------------------------------------


class _Utf8Reader:
    """ijson reads bytes; a text stream (a StringIO, a file opened in text mode) is encoded here."""

    def __init__(self, stream: IO[str]):
        self._stream = stream

    def read(self, size: int = -1) -> bytes:
        return self._stream.read(size).encode("utf-8")


def _events(stream):
    """("header", key, value) for the document's top-level values, ("table", name, None) as each
    table's array begins, ("row", name, dict) for each row and ("end", name, None) after the last."""
    probe = stream.read(0)
    source = _Utf8Reader(stream) if isinstance(probe, str) else stream
    builder, depth, current = None, 0, None
    for prefix, event, value in ijson.parse(source, use_float=True):
        if builder is not None:
            builder.event(event, value)
            depth += {"start_map": 1, "start_array": 1, "end_map": -1, "end_array": -1}.get(event, 0)
            if depth == 0:
                yield "row", current, builder.value
                builder = None
        elif event in ("string", "number", "boolean", "null") and "." not in prefix and prefix:
            yield "header", prefix, value
        elif event == "start_array" and prefix.startswith("tables.") and prefix.count(".") == 1:
            current = prefix.removeprefix("tables.")
            yield "table", current, None
        elif event == "start_map" and current is not None and prefix == f"tables.{current}.item":
            builder, depth = ijson.ObjectBuilder(), 1
            builder.event(event, value)
        elif event == "end_array" and current is not None and prefix == f"tables.{current}":
            yield "end", current, None
            current = None


class _TableWriter:
    """Inserts one table's rows in batches; its references to itself are set after the last row."""

    def __init__(self, connection, table, tables: dict):
        self.connection, self.table, self.tables = connection, table, tables
        self.columns = {c.name: c for c in table.columns}
        self.self_references = [c.name for c in table.columns if any(fk.column.table is table for fk in c.foreign_keys)]
        self.primary_key = [c.name for c in table.primary_key.columns]
        self.batch: list[dict] = []
        self.batch_bytes = 0
        self.later: list[dict] = []  # primary key and self-references of rows that have them
        self.moved: dict[str, list[dict]] = {}  # rows for tables a column has moved to
        self.count = 0

    def add(self, row: dict) -> None:
        item = {name: _decode(column, row[name]) for name, column in self.columns.items() if name in row}
        if (self.table.name, "password_hash") in SECRET_COLUMNS:
            item["password_hash"] = item.get("password_hash") or UNUSABLE_HASH
        references = {name: item[name] for name in self.self_references if item.get(name) is not None}
        item.update(dict.fromkeys(references))  # inserted empty, set by finish()
        if references:
            self.later.append({**{f"pk_{n}": item[n] for n in self.primary_key}, **references})
        for name, value in row.items():
            if (self.table.name, name) in MOVED_COLUMNS and name not in self.columns and value is not None:
                target, key, column = MOVED_COLUMNS[(self.table.name, name)]
                self.moved.setdefault(target, []).append({key: item["id"], column: base64.b64decode(value)})
                self.batch_bytes += len(value)
        self.batch.append(item)
        self.batch_bytes += sum(len(v) for v in item.values() if isinstance(v, bytes | str))
        self.count += 1
        if len(self.batch) >= BATCH_ROWS or self.batch_bytes >= BATCH_BYTES:
            self.flush()

    def flush(self) -> None:
        if self.batch:
            self.connection.execute(insert(self.table), self.batch)
        for target, rows in self.moved.items():
            self.connection.execute(insert(self.tables[target]), rows)
        self.batch, self.moved, self.batch_bytes = [], {}, 0

    def finish(self) -> None:
        self.flush()
        for name in self.self_references:
            rows = [
                {"pk_" + n: row["pk_" + n] for n in self.primary_key} | {"value": row[name]}
                for row in self.later
                if name in row
            ]
            if rows:
                # Plain SQL, not update(): a Core UPDATE would also apply onupdate values (updated_at).
                quote = self.connection.dialect.identifier_preparer.quote
                where = " AND ".join(f"{quote(n)} = :pk_{n}" for n in self.primary_key)
                statement = f"UPDATE {quote(self.table.name)} SET {quote(name)} = :value WHERE {where}"  # noqa: S608
                self.connection.execute(text(statement), rows)
        if self.count and self.connection.dialect.name == "postgresql":
            _advance_sequences(self.connection, self.table)


def import_all(stream: IO) -> dict[str, int]:
    tables = {t.name: t for t in _tables()}
    for table in tables.values():
        if db.session.scalar(select(func.count()).select_from(table)):
            raise ImportRefused(
                f"The database is not empty (table {table.name} has rows); import only into an empty one."
            )
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        connection.execute(text("PRAGMA defer_foreign_keys = ON"))
    counts = dict.fromkeys(tables, 0)
    header: dict = {}
    writer = None

    def check_header() -> None:
        if header.get("format") != FORMAT or header.get("version") != FORMAT_VERSION:
            raise ImportRefused("The file is not an Etikdialog export of a known version.")

    try:
        for kind, name, value in _events(stream):
            if kind == "header":
                header[name] = value
            elif kind == "table":
                check_header()
                writer = _TableWriter(connection, tables[name], tables) if name in tables else None
            elif kind == "row" and writer is not None:
                writer.add(value)
            elif kind == "end" and writer is not None:
                writer.finish()
                counts[name] = writer.count
                writer = None
    except ijson.JSONError as error:
        raise ImportRefused(f"The file is not valid JSON ({error}).") from error
    check_header()
    for (source, _), (target, _, _) in MOVED_COLUMNS.items():
        if counts.get(target) == 0 and counts.get(source):
            counts[target] = db.session.scalar(select(func.count()).select_from(tables[target]))
    db.session.flush()
    # The search rows are derived from the signed records: an older export's rows are brought to
    # what this version keeps (title and summary apart, migration 0030).
    public_services.refresh_search_rows()
    if not counts.get("log_entry"):
        # An export from before the transparency log (issue 19) carries none of its entries: the
        # restored records get theirs, in time order, as `flask log backfill` would append them.
        counts["log_entry"] = translog_verify.backfill()
    return counts


def _advance_sequences(connection, table) -> None:
    """PostgreSQL: move each id sequence past the imported ids so new rows don't collide."""
    for column in table.primary_key.columns:
        sequence = connection.execute(
            text("SELECT pg_get_serial_sequence(:table, :column)"),
            {"table": table.name, "column": column.name},
        ).scalar()
        if sequence:
            connection.execute(
                text(f'SELECT setval(:sequence, (SELECT MAX("{column.name}") FROM "{table.name}"))'),  # noqa: S608
                {"sequence": sequence},
            )
