"""The frozen PDF's bytes live in signed_record_pdf: read only when asked for, as frozen as the record,
moved there unchanged by migration 0008."""

import flask_migrate
import pytest
from assessment_factories import make_published
from sqlalchemy import event, select, text
from sqlalchemy.exc import DatabaseError
from test_upgrade_with_data import load_fixture, upgrade_app  # noqa: F401 - the fixture

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


@pytest.mark.usefixtures("upgrade_app")
def test_migration_0008_moves_the_bytes_unchanged(tmp_path):
    """The demo database of schema 0005 (tests/fixtures/upgrade) at 0007: every record's PDF bytes
    move to signed_record_pdf unchanged, and come back unchanged on a downgrade."""
    load_fixture("0005", tmp_path)
    flask_migrate.upgrade(revision="0007", x_arg=["yes"])
    with db.engine.connect() as connection:
        before = dict(connection.execute(text("SELECT id, pdf FROM signed_record")).all())
    assert len(before) == 7 and all(pdf.startswith(b"%PDF") for pdf in before.values())
    flask_migrate.upgrade(x_arg=["yes"])
    with db.engine.connect() as connection:
        assert dict(connection.execute(text("SELECT signed_record_id, pdf FROM signed_record_pdf")).all()) == before
        columns = {c["name"] for c in db.inspect(connection).get_columns("signed_record")}
        assert "pdf" not in columns and "pdf_sha256" in columns
        with pytest.raises(DatabaseError, match="immutable"):
            connection.execute(text("UPDATE signed_record_pdf SET pdf = pdf"))
        connection.rollback()
    flask_migrate.downgrade(revision="0007")
    with db.engine.connect() as connection:
        assert dict(connection.execute(text("SELECT id, pdf FROM signed_record")).all()) == before
