"""An empty database upgraded to head through Alembic has exactly the models' schema."""

import uuid

import flask_migrate
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from conftest import TEST_DATABASE_URL, make_app
from sqlalchemy import create_engine, text

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
