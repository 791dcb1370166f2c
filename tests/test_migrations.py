"""An empty database upgraded to head through Alembic has exactly the models' schema."""

import sqlite3
import uuid

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from conftest import TEST_DATABASE_URL, make_app
from sqlalchemy import create_engine, text
from test_upgrade_with_data import LOG_KEY, head_revision, unpack

from app.extensions import db
from app.public.models import SQLITE_SEARCH_DDL, is_search_object


def sqlite_search_objects() -> list[str]:
    """SQLite's full-text table and triggers as the database holds them (Alembic's comparison
    skips them): a migration that remakes them must make them as the models' DDL does."""
    with db.engine.connect() as connection:
        rows = connection.execute(
            text("SELECT sql FROM sqlite_master WHERE type IN ('table', 'trigger') AND name LIKE 'publication_fts%'")
        )
        # FTS5's own shadow tables (publication_fts_data, …) follow from the virtual table
        return sorted(" ".join(row.sql.split()) for row in rows if row.sql and not row.sql.startswith("CREATE TABLE"))


def test_upgrade_from_empty_matches_models(tmp_path):
    schema = None
    if TEST_DATABASE_URL:
        schema = f"mig_{uuid.uuid4().hex[:12]}"
        with create_engine(TEST_DATABASE_URL).begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    app = make_app(tmp_path, schema)
    try:
        with app.app_context():
            flask_migrate.upgrade()
            with db.engine.connect() as connection:
                diff = compare_metadata(
                    MigrationContext.configure(
                        connection,
                        opts={"compare_type": True, "include_name": lambda name, *_: not is_search_object(name)},
                    ),
                    db.metadata,
                )
            assert diff == [], f"models and migrations differ: {diff}"
            if db.engine.dialect.name == "sqlite":
                assert sqlite_search_objects() == sorted(" ".join(ddl.split()) for ddl in SQLITE_SEARCH_DDL)
            flask_migrate.downgrade(revision="base")
            remaining = set(db.inspect(db.engine).get_table_names()) - {"alembic_version"}
            assert remaining == set(), f"downgrade left tables behind: {remaining}"
            db.engine.dispose()
    finally:
        if schema:
            with create_engine(TEST_DATABASE_URL).begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


def sqlite_fixture_app(tmp_path, revision: str):
    """An app on a copy of the stored SQLite database of an earlier schema (tests/fixtures/upgrade)."""
    unpack(revision, tmp_path / "test.db")
    return make_app(tmp_path, None, LOG_SIGNING_KEY_FILE=str(LOG_KEY))


def sqlite_rows(app, sql: str) -> list:
    with app.app_context(), db.engine.connect() as connection:
        return connection.exec_driver_sql(sql).fetchall()


def sqlite_execute(app, *statements: str) -> None:
    """Raw writes with foreign keys off, as an interrupted old migration or a stray tool left them."""
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA foreign_keys=OFF")
    for statement in statements:
        connection.execute(statement)
    connection.commit()
    connection.close()


def revision_of(app) -> str:
    with app.app_context(), db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


@pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="SQLite's batch copies; PostgreSQL alters in place")
@pytest.mark.parametrize("original_left", [True, False], ids=["copy-beside-original", "original-dropped"])
def test_a_table_copy_left_by_an_interrupted_upgrade_is_recovered_by_the_next(tmp_path, original_left):
    """Before migrations ran in transactions, 0016 -> 0017 stopped with FOREIGN KEY constraint
    failed at DROP TABLE assessment and left _alembic_tmp_assessment; every later run failed on it."""
    app = sqlite_fixture_app(tmp_path, "0015")
    with app.app_context():
        flask_migrate.upgrade(revision="0016")
    assessments = sqlite_rows(app, "SELECT id, title FROM assessment ORDER BY id")
    # as batch mode makes it: the table's own definition under another name, then the rows
    (definition,) = sqlite_rows(app, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'assessment'")[0]
    leftover = [
        definition.replace("CREATE TABLE assessment", "CREATE TABLE _alembic_tmp_assessment", 1),
        "INSERT INTO _alembic_tmp_assessment SELECT * FROM assessment",
    ]
    if original_left:
        leftover.append("DELETE FROM _alembic_tmp_assessment WHERE id > 2")  # a partial copy
    else:
        leftover.append("DROP TABLE assessment")
    sqlite_execute(app, *leftover)

    with app.app_context():
        flask_migrate.upgrade(x_arg=["yes"])
    with app.app_context():
        assert revision_of(app) == head_revision()
    assert sqlite_rows(app, "SELECT id, title FROM assessment ORDER BY id") == assessments
    assert sqlite_rows(app, "SELECT name FROM sqlite_master WHERE name LIKE '\\_alembic%' ESCAPE '\\'") == []
    assert sqlite_rows(app, "PRAGMA foreign_key_check") == []


@pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="PostgreSQL checks foreign keys itself")
def test_a_migration_that_leaves_a_broken_foreign_key_is_rolled_back_whole(tmp_path, capfd):
    """Foreign keys are off while a migration rebuilds tables; `PRAGMA foreign_key_check` runs
    before each migration commits, and a failure leaves the previous revision, with no copies."""
    app = sqlite_fixture_app(tmp_path, "0015")
    sqlite_execute(app, "UPDATE signature SET user_id = 999999 WHERE id = (SELECT min(id) FROM signature)")
    tables_before = sqlite_rows(app, "SELECT name, sql FROM sqlite_master ORDER BY name")

    with app.app_context(), pytest.raises(SystemExit):
        flask_migrate.upgrade(x_arg=["yes"])
    assert "Migration 0016 left 1 broken foreign keys: signature row" in capfd.readouterr().err
    assert revision_of(app) == "0015"
    assert sqlite_rows(app, "SELECT name, sql FROM sqlite_master ORDER BY name") == tables_before


@pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="the stored databases are SQLite files")
def test_upgrade_names_the_assessments_whose_given_signatures_it_can_void_and_waits_for_yes(tmp_path):
    app = sqlite_fixture_app(tmp_path, "0020")
    pending = sqlite_rows(
        app,
        "SELECT a.id, a.title FROM assessment a "
        "WHERE NOT EXISTS (SELECT 1 FROM signed_record r WHERE r.assessment_id = a.id) ORDER BY a.id",
    )
    assert pending, "the 0020 demo has assessments that are not signed yet"
    title = pending[0][1]
    sqlite_execute(
        app,
        "INSERT INTO signature (assessment_id, user_id, name, title, signed_at, record_sha256, void_reason, "
        "auth_method, auth_provider, auth_subject) SELECT a.id, u.id, 'Formand Underskriver', 'Formand', "
        "'2026-12-01 10:00:00', printf('%064d', 0), '', 'password', '', '' FROM assessment a JOIN user_account u "
        "ON u.organisation_id = a.organisation_id "
        "WHERE NOT EXISTS (SELECT 1 FROM signed_record r WHERE r.assessment_id = a.id) ORDER BY a.id LIMIT 1",
    )
    runner = app.test_cli_runner()

    refused = runner.invoke(args=["db", "upgrade"])
    assert refused.exit_code != 0
    assert title in refused.output and "Formand Underskriver" in refused.output
    assert "flask db upgrade -x yes" in refused.output
    assert revision_of(app) == "0020"

    accepted = runner.invoke(args=["db", "upgrade", "-x", "yes"])
    assert accepted.exit_code == 0, accepted.output
    assert revision_of(app) != "0020"
