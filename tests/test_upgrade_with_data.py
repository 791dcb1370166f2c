"""A database of every earlier schema, filled by that release's own demo, upgrades to head and
still verifies (tests/fixtures/upgrade/: built by build.py there, one file per schema).

On SQLite the stored file is upgraded as it is. On PostgreSQL an empty schema is migrated to the
fixture's revision and the fixture's rows are copied into it, which is the database that release
would have left there, and then upgraded the same way.
"""

from __future__ import annotations

import gzip
import json
import shutil
import sqlite3
import uuid
from pathlib import Path

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from conftest import TEST_DATABASE_URL, make_app
from flask import current_app
from sqlalchemy import MetaData, create_engine, insert, select, text

from app.extensions import db
from app.public.models import SQLITE_SEARCH_DDL, Publication, is_search_object
from app.signoff import integrity
from app.signoff.models import SignedRecord
from app.translog import services as translog_services
from app.translog import verify as translog_verify

FIXTURES = Path(__file__).parent / "fixtures" / "upgrade"
MANIFEST = json.loads((FIXTURES / "manifest.json").read_text())
LOG_KEY = FIXTURES / "log-signing-key.pem"


@pytest.fixture
def upgrade_app(tmp_path):
    """An app on a fresh database (a PostgreSQL schema of its own when TEST_DATABASE_URL is set)
    whose log key is the one the fixtures' checkpoints were signed with."""
    schema = None
    if TEST_DATABASE_URL:
        schema = f"upg_{uuid.uuid4().hex[:12]}"
        with create_engine(TEST_DATABASE_URL).begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    app = make_app(tmp_path, schema, LOG_SIGNING_KEY_FILE=str(LOG_KEY))
    try:
        with app.app_context():
            yield app
            db.session.remove()
            db.engine.dispose()
    finally:
        if schema:
            with create_engine(TEST_DATABASE_URL).begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


def unpack(fixture: str, target: Path) -> Path:
    with gzip.open(FIXTURES / f"{fixture}.sqlite.gz", "rb") as source, target.open("wb") as copy:
        shutil.copyfileobj(source, copy)
    return target


def load_fixture(fixture: str, tmp_path: Path) -> None:
    """Put the fixture's database where the app's engine points, at the revision it is stamped
    with (the first four characters of its name: `0011-reserved` is stamped 0011)."""
    if db.engine.dialect.name == "sqlite":
        db.engine.dispose()
        unpack(fixture, Path(db.engine.url.database))
        return
    flask_migrate.upgrade(revision=fixture[:4])
    source = create_engine(f"sqlite:///{unpack(fixture, tmp_path / 'fixture.db')}")
    replay_rows(source, db.engine)
    source.dispose()


def replay_rows(source, target) -> None:
    """Copy every row of the SQLite fixture into the PostgreSQL schema the same revision made.

    Types come from the SQLite tables' declared types (booleans, dates and timestamps come back as
    Python values); stored generated columns are PostgreSQL's to compute. Foreign keys are checked
    at the end of the copy, not row by row (a publication names the one that replaces it).
    """
    source_tables = MetaData()
    source_tables.reflect(source)
    target_tables = MetaData()
    target_tables.reflect(target)
    with source.connect() as reader, target.begin() as writer:
        writer.execute(text("SET session_replication_role = replica"))
        for table in target_tables.sorted_tables:
            if table.name == "alembic_version" or table.name not in source_tables.tables:
                continue
            origin = source_tables.tables[table.name]
            columns = [c.name for c in table.columns if c.computed is None and c.name in origin.columns]
            rows = [dict(row._mapping) for row in reader.execute(select(*(origin.c[name] for name in columns)))]
            if rows:
                writer.execute(insert(table), rows)
            if "id" in table.columns and rows:
                writer.execute(
                    text("SELECT setval(pg_get_serial_sequence(:table, 'id'), :last)"),
                    {"table": table.name, "last": max(row["id"] for row in rows)},
                )
        writer.execute(text("SET session_replication_role = DEFAULT"))


def schema_differences() -> list:
    with db.engine.connect() as connection:
        return compare_metadata(
            MigrationContext.configure(
                connection,
                opts={"compare_type": True, "include_name": lambda name, *_: not is_search_object(name)},
            ),
            db.metadata,
        )


def sqlite_state(path: str) -> tuple[list, list, list]:
    """SQLite's foreign-key violations, leftover batch tables, and search triggers and table."""
    connection = sqlite3.connect(path)
    try:
        broken = connection.execute("PRAGMA foreign_key_check").fetchall()
        leftovers = connection.execute(
            "SELECT name FROM sqlite_master WHERE name LIKE '\\_alembic%' ESCAPE '\\'"
        ).fetchall()
        search = connection.execute(
            "SELECT sql FROM sqlite_master WHERE type IN ('table', 'trigger') AND name LIKE 'publication_fts%'"
        ).fetchall()
    finally:
        connection.close()
    search_ddl = sorted(" ".join(sql.split()) for (sql,) in search if sql and not sql.startswith("CREATE TABLE"))
    return broken, leftovers, search_ddl


def head_revision() -> str:
    return ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config()).get_current_head()


def current_revision() -> str:
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


@pytest.mark.parametrize("fixture", sorted(MANIFEST))
def test_a_database_of_an_earlier_schema_upgrades_with_its_data_and_still_verifies(upgrade_app, tmp_path, fixture):
    expected = MANIFEST[fixture]
    load_fixture(fixture, tmp_path)
    assert current_revision() == fixture[:4]

    flask_migrate.upgrade(x_arg=["yes"])

    assert current_revision() == head_revision()
    assert schema_differences() == []
    if db.engine.dialect.name == "sqlite":
        broken, leftovers, search_ddl = sqlite_state(db.engine.url.database)
        assert broken == [] and leftovers == []
        assert search_ddl == sorted(" ".join(ddl.split()) for ddl in SQLITE_SEARCH_DDL)

    # every signed record kept its bytes, and the log gets the entries older releases lacked
    assert db.session.scalar(select(db.func.count()).select_from(SignedRecord)) == expected["signed_record"]
    translog_verify.backfill()
    translog_services.ensure_checkpoint()
    db.session.commit()
    results = list(integrity.verify_all())
    assert len(results) == expected["signed_record"]
    assert [r.record.id for r in results if not r.ok] == []
    assert translog_verify.verify_log() == []

    # the portal reads each published record from its own stored JSON, whatever its schema
    client = upgrade_app.test_client()
    assert client.get("/").status_code == 200
    for public_id in db.session.scalars(select(Publication.public_id)):
        page = client.get(f"/vurderinger/{public_id}")
        assert page.status_code == 200, public_id
        pdf = client.get(f"/vurderinger/{public_id}.pdf")
        assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF"), public_id
