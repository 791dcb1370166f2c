"""`flask export` then `flask import` between SQLite and PostgreSQL, in every direction, on the demo.

The demo has what broke the restore on PostgreSQL: a publication replaced by a later one (a
self-reference to a later row), consultations with responses, follow-up entries and a withdrawn
record. Each direction compares every table row for row and checks every frozen record's hashes.
"""

import io
import json
import uuid

import pytest
from conftest import TEST_DATABASE_URL, make_app
from sqlalchemy import create_engine, select, text

from app.backup import services as backup
from app.consultation.models import Consultation
from app.content.loader import get_content
from app.demo.services import load_demo
from app.extensions import db
from app.followup.models import FollowupEntry
from app.public.models import Publication
from app.signoff import services as signoff

needs_postgres = pytest.mark.skipif(not TEST_DATABASE_URL, reason="needs PostgreSQL (TEST_DATABASE_URL)")


class Database:
    """A fresh, empty database of one kind with the models' schema."""

    def __init__(self, kind: str, directory):
        self.kind = kind
        self.schema = f"rt_{uuid.uuid4().hex[:12]}" if kind == "postgresql" else None
        if self.schema:
            with create_engine(TEST_DATABASE_URL).begin() as connection:
                connection.execute(text(f'CREATE SCHEMA "{self.schema}"'))
        directory.mkdir(parents=True, exist_ok=True)
        self.app = make_app(directory, self.schema)
        with self.app.app_context():
            db.create_all()

    def drop(self) -> None:
        with self.app.app_context():
            db.session.remove()
            db.engine.dispose()
        if self.schema:
            with create_engine(TEST_DATABASE_URL).begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{self.schema}" CASCADE'))


@pytest.fixture
def databases(tmp_path):
    made = []

    def make(kind: str) -> Database:
        made.append(Database(kind, tmp_path / f"{kind}-{len(made)}"))
        return made[-1]

    yield make
    for database in made:
        database.drop()


def every_row() -> dict[str, list[dict]]:
    """Each backed-up table as the export encodes it, so two databases compare value for value."""
    tables = {}
    for table in backup._tables():
        rows = db.session.execute(select(table).order_by(*table.primary_key.columns)).mappings()
        tables[table.name] = [{c.name: backup._encode(c, row[c.name]) for c in table.columns} for row in rows]
    return tables


@pytest.mark.parametrize(
    ("source_kind", "target_kind"),
    [
        ("sqlite", "sqlite"),
        pytest.param("sqlite", "postgresql", marks=[pytest.mark.postgres, needs_postgres]),
        pytest.param("postgresql", "sqlite", marks=[pytest.mark.postgres, needs_postgres]),
        pytest.param("postgresql", "postgresql", marks=[pytest.mark.postgres, needs_postgres]),
    ],
)
def test_demo_round_trips_between_databases(databases, tmp_path, source_kind, target_kind):
    source = databases(source_kind)
    with source.app.app_context():
        load_demo(get_content())
        db.session.commit()
        # What broke the PostgreSQL restore, and what the round trip must carry across.
        assert db.session.scalar(select(Publication).where(Publication.replaced_by_id > Publication.id))
        assert db.session.scalar(select(Publication).where(Publication.withdrawn_at.is_not(None)))
        assert db.session.scalar(select(Consultation))
        assert db.session.scalar(select(FollowupEntry))
        expected = every_row()
        path = tmp_path / "backup.json"
        with path.open("w", encoding="utf-8") as stream:
            backup.export_all(stream, with_password_hashes=True)

    target = databases(target_kind)
    with target.app.app_context():
        with path.open("rb") as stream:
            counts = backup.import_all(stream)
        db.session.commit()
        assert counts == {name: len(rows) for name, rows in expected.items()}
        restored = every_row()
        for name, rows in expected.items():
            differing = [
                {k: (a[k], b[k]) for k in a if a[k] != b[k]}
                for a, b in zip(rows, restored[name], strict=True)
                if a != b
            ]
            assert not differing, f"{name}: {differing[:1]}"
        results = list(signoff.verify_all())
        assert results and all(result.ok for result in results)


def test_an_export_from_before_the_pdf_table_restores_its_pdfs(databases, tmp_path):
    """Exports written before migration 0008 carry each PDF in its signed_record row."""
    source = databases("sqlite")
    with source.app.app_context():
        load_demo(get_content())
        db.session.commit()
        expected = every_row()
        buffer = io.StringIO()
        backup.export_all(buffer, with_password_hashes=True)
    document = json.loads(buffer.getvalue())
    pdfs = {row["signed_record_id"]: row["pdf"] for row in document["tables"].pop("signed_record_pdf")}
    for row in document["tables"]["signed_record"]:
        row["pdf"] = pdfs[row["id"]]

    target = databases("sqlite")
    with target.app.app_context():
        counts = backup.import_all(io.StringIO(json.dumps(document)))
        db.session.commit()
        assert counts["signed_record_pdf"] == len(pdfs) > 0
        assert every_row() == expected
        assert all(result.ok for result in signoff.verify_all())


@pytest.mark.parametrize(
    "content", ['{"format": "etikdialog-export", "version": 1, "tables": {"organisation": [', "not json at all", ""]
)
def test_a_broken_file_is_refused_and_leaves_nothing(app, content):
    with pytest.raises(backup.ImportRefused):
        backup.import_all(io.BytesIO(content.encode()))
    db.session.rollback()
    assert all(not rows for rows in every_row().values())


def test_the_commands_round_trip_through_a_file(databases, tmp_path):
    source = databases("sqlite")
    path = tmp_path / "x.json"
    with source.app.app_context():
        load_demo(get_content())
        db.session.commit()
        expected = every_row()
        result = source.app.test_cli_runner().invoke(args=["export", str(path), "--with-password-hashes"])
        assert result.exit_code == 0, result.output
    target = databases("sqlite")
    with target.app.app_context():
        result = target.app.test_cli_runner().invoke(args=["import", str(path)])
        assert result.exit_code == 0, result.output
        assert every_row() == expected
        again = target.app.test_cli_runner().invoke(args=["import", str(path)])
        assert again.exit_code == 1 and "not empty" in again.output
