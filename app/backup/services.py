"""Export everything as one JSON document and import it into an empty database, ids and bytes intact.

Generic over the metadata, so a new table is backed up without code changes. Binary columns are
base64, dates ISO 8601. Password hashes are left out unless asked for; an import without them
leaves those accounts unable to log in until an administrator sets a password.
"""

from __future__ import annotations

import base64
import json
from datetime import date, datetime
from typing import IO

from sqlalchemy import Date, DateTime, LargeBinary, func, insert, select, text

from app.core.time import utcnow
from app.extensions import db

FORMAT = "etikdialog-export"
FORMAT_VERSION = 1
SECRET_COLUMNS = {("user_account", "password_hash")}
UNUSABLE_HASH = "!"  # noqa: S105 - never a valid argon2 hash: no login until a reset


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


def export_all(stream: IO[str], *, with_password_hashes: bool = False) -> dict[str, int]:
    counts: dict[str, int] = {}
    document = {"format": FORMAT, "version": FORMAT_VERSION, "exported_at": utcnow().isoformat(), "tables": {}}
    for table in _tables():
        rows = []
        for row in db.session.execute(select(table).order_by(*table.primary_key.columns)).mappings():
            item = {}
            for column in table.columns:
                value = row[column.name]
                if (table.name, column.name) in SECRET_COLUMNS and not with_password_hashes:
                    value = None
                item[column.name] = _encode(column, value)
            rows.append(item)
        document["tables"][table.name] = rows
        counts[table.name] = len(rows)
    json.dump(document, stream, ensure_ascii=False, separators=(",", ":"))
    return counts


def import_all(stream: IO[str]) -> dict[str, int]:
    document = json.load(stream)
    if document.get("format") != FORMAT or document.get("version") != FORMAT_VERSION:
        raise ImportRefused("The file is not an Etikdialog export of a known version.")
    tables = _tables()
    for table in tables:
        if db.session.scalar(select(func.count()).select_from(table)):
            raise ImportRefused(f"The database is not empty (table {table.name} has rows); import only into an empty one.")
    counts: dict[str, int] = {}
    connection = db.session.connection()
    is_sqlite = connection.dialect.name == "sqlite"
    if is_sqlite:
        connection.execute(text("PRAGMA defer_foreign_keys = ON"))
    for table in tables:
        rows = document["tables"].get(table.name, [])
        decoded = []
        for row in rows:
            item = {c.name: _decode(c, row.get(c.name)) for c in table.columns if c.name in row}
            if (table.name, "password_hash") in SECRET_COLUMNS and table.name == "user_account":
                item["password_hash"] = item.get("password_hash") or UNUSABLE_HASH
            decoded.append(item)
        if decoded:
            connection.execute(insert(table), decoded)
        counts[table.name] = len(decoded)
        if connection.dialect.name == "postgresql" and decoded:
            _advance_sequences(connection, table)
    db.session.flush()
    return counts


def _advance_sequences(connection, table) -> None:
    """PostgreSQL: move each id sequence past the imported ids so new rows don't collide."""
    for column in table.primary_key.columns:
        sequence = connection.execute(
            text("SELECT pg_get_serial_sequence(:table, :column)"), {"table": table.name, "column": column.name}
        ).scalar()
        if sequence:
            connection.execute(
                text(f'SELECT setval(:sequence, (SELECT MAX("{column.name}") FROM "{table.name}"))'),  # noqa: S608
                {"sequence": sequence},
            )
