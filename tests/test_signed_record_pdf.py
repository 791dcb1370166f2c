"""The frozen PDF's bytes live in signed_record_pdf: read only when asked for, as frozen as the record,
moved there unchanged by migration 0008."""

import uuid
from datetime import datetime

import flask_migrate
import pytest
from assessment_factories import make_published
from conftest import TEST_DATABASE_URL, make_app
from sqlalchemy import create_engine, event, select, text
from sqlalchemy.exc import DatabaseError

from app.extensions import db
from app.signoff.models import FrozenRecordError, SignedRecord, SignedRecordPdf


def test_a_record_is_read_without_its_pdf_until_the_pdf_is_asked_for(app, client):
    published = make_published(title="Bytes for sig")
    record_id = published.signed_record.id
    pdf = bytes(published.signed_record.pdf)
    db.session.expunge_all()
    statements = []
    event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    frozen = db.session.get(SignedRecord, record_id)
    assert frozen.verification_code
    assert not [s for s in statements if "signed_record_pdf" in s]
    assert bytes(frozen.pdf) == pdf and pdf.startswith(b"%PDF")
    assert [s for s in statements if "signed_record_pdf" in s]
    assert client.get(f"/vurderinger/{published.public_id}.pdf").data == pdf


@pytest.mark.parametrize("statement", ["UPDATE signed_record_pdf SET pdf = pdf", "DELETE FROM signed_record_pdf"])
def test_the_database_refuses_to_change_the_pdf_bytes(app, statement):
    make_published(title="Frossen")
    with pytest.raises(DatabaseError, match="immutable"):
        db.session.execute(text(statement))
    db.session.rollback()
    assert db.session.scalar(select(SignedRecordPdf.pdf)).startswith(b"%PDF")


def test_the_orm_refuses_to_change_the_pdf_bytes(app):
    published = make_published(title="Frossen")
    row = published.signed_record.pdf_row
    row.pdf = b"%PDF-forged"
    with pytest.raises(FrozenRecordError):
        db.session.flush()
    db.session.rollback()
    with pytest.raises(FrozenRecordError):
        db.session.delete(db.session.scalar(select(SignedRecordPdf)))
        db.session.flush()
    db.session.rollback()


def test_migration_0008_moves_the_bytes_unchanged(tmp_path):
    schema = None
    if TEST_DATABASE_URL:
        schema = f"mig_{uuid.uuid4().hex[:12]}"
        with create_engine(TEST_DATABASE_URL).begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    app = make_app(tmp_path, schema)
    pdf = b"%PDF-1.4 frozen \x00\xff bytes"
    try:
        with app.app_context():
            flask_migrate.upgrade(revision="0007")
            with db.engine.connect() as connection:
                # A record on its own: switch off the foreign keys for this one row.
                if connection.dialect.name == "sqlite":
                    connection.execute(text("PRAGMA foreign_keys = OFF"))
                else:
                    connection.execute(text("SET session_replication_role = replica"))
                connection.execute(
                    text(
                        "INSERT INTO signed_record (id, assessment_id, schema_version, canonical_json, json_sha256, "
                        "pdf, pdf_sha256, verification_code, signed_at, signatures_json) VALUES (7, 1, 1, '{}', "
                        "'j', :pdf, 'p', 'AAAA-BBBB-CCCC', :at, '[]')"
                    ),
                    {"pdf": pdf, "at": datetime(2026, 1, 2, 3, 4, 5)},
                )
                connection.commit()
                # The pool keeps this connection: put the checks back on.
                if connection.dialect.name == "sqlite":
                    connection.execute(text("PRAGMA foreign_keys = ON"))
                else:
                    connection.execute(text("SET session_replication_role = DEFAULT"))
                    connection.commit()
            flask_migrate.upgrade()
            with db.engine.connect() as connection:
                assert connection.execute(text("SELECT signed_record_id, pdf FROM signed_record_pdf")).all() == [
                    (7, pdf)
                ]
                columns = {c["name"] for c in db.inspect(connection).get_columns("signed_record")}
                assert "pdf" not in columns and "pdf_sha256" in columns
                with pytest.raises(DatabaseError, match="immutable"):
                    connection.execute(text("UPDATE signed_record_pdf SET pdf = pdf"))
                connection.rollback()
            flask_migrate.downgrade(revision="0007")
            with db.engine.connect() as connection:
                assert connection.execute(text("SELECT pdf FROM signed_record WHERE id = 7")).scalar() == pdf
            db.engine.dispose()
    finally:
        if schema:
            with create_engine(TEST_DATABASE_URL).begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
