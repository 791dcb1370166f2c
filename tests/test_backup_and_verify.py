"""Backups round-trip with ids, hashes and PDF bytes intact; tampering is caught by `flask verify`."""

import io
import json

import pytest
from assessment_factories import answer_everything, make_assessment
from conftest import make_app
from factories import make_org, make_user
from sqlalchemy import text

from app.assessments import services as assessment_services
from app.backup import services as backup
from app.content.loader import get_content
from app.extensions import db
from app.signoff import services as signoff
from app.signoff.models import SignedRecord
from app.translog import verify as log_verify
from app.translog.models import LOG_TABLES


def signed_assessment():
    org = make_org("Backupby Kommune")
    editor = make_user(org, role="editor")
    chair = make_user(org, role="member", name="Formand Æblerød")
    director = make_user(org, role="admin", name="Direktør Øster")
    assessment = make_assessment(editor)
    answer_everything(assessment, editor)
    assessment_services.transition(assessment, "start_deliberation", user=editor)
    signoff.name_signatories(assessment, [chair.id, director.id], user=editor)
    assessment_services.transition(assessment, "request_signoff", user=editor)
    for user in (chair, director):
        _, record_sha256 = signoff.current_record(assessment, get_content())
        signoff.sign(
            assessment,
            user=user,
            password="x",
            seen_hash=record_sha256,
            seen_at=None,
            content=get_content(),
            password_ok=lambda u, p: True,
        )
    db.session.commit()
    return assessment


def tamper(sql: str, table: str = "signed_record") -> None:
    """What an attacker with database access could do: switch off the guard and change bytes."""
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        connection.execute(text(f"DROP TRIGGER {table}_no_update"))
        connection.execute(text(f"DROP TRIGGER IF EXISTS {table}_no_delete"))
    else:
        connection.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER {table}_no_change"))
    connection.execute(text(sql))
    if connection.dialect.name != "sqlite":
        # PostgreSQL tables outlive the test (they are truncated, not dropped): restore the guard.
        connection.execute(text(f"ALTER TABLE {table} ENABLE TRIGGER {table}_no_change"))
    db.session.commit()


def test_verify_passes_on_intact_records(runner, app):
    signed_assessment()
    result = runner.invoke(args=["verify"])
    assert result.exit_code == 0, result.output
    assert "Checked 1 signed records: 0 with mismatches." in result.output


@pytest.mark.parametrize(
    ("statement", "broken"),
    [
        ("UPDATE signed_record SET canonical_json = replace(canonical_json, 'anbefales', 'afvises')", "JSON"),
        ("UPDATE signed_record_pdf SET pdf = CAST(pdf || X'00' AS BLOB)", "PDF"),
    ],
)
def test_verify_catches_changed_bytes(runner, app, statement, broken):
    signed_assessment()
    if db.session.connection().dialect.name == "postgresql" and broken == "PDF":
        statement = "UPDATE signed_record_pdf SET pdf = pdf || '\\x00'::bytea"
    tamper(statement, "signed_record_pdf" if broken == "PDF" else "signed_record")
    result = runner.invoke(args=["verify"])
    assert result.exit_code == 1
    assert f"{broken} no longer match" in result.output


def test_export_import_round_trip_keeps_ids_hashes_and_pdf_bytes(app, tmp_path, postgres_schema):
    assessment = signed_assessment()
    original = db.session.scalar(db.select(SignedRecord))
    before = {
        "assessment_id": assessment.id,
        "public_id": assessment.public_id,
        "pdf": bytes(original.pdf),
        "json": original.canonical_json,
        "code": original.verification_code,
    }
    buffer = io.StringIO()
    counts = backup.export_all(buffer)
    assert counts["signed_record"] == 1
    exported = json.loads(buffer.getvalue())
    assert all(row["password_hash"] is None for row in exported["tables"]["user_account"])

    if postgres_schema:
        pytest.skip("the round trip into a second database runs on SQLite; PostgreSQL is covered below")
    (tmp_path / "restore").mkdir()
    target = make_app(tmp_path / "restore", None, CONTENT_DIR=app.config["CONTENT_DIR"])
    with target.app_context():
        db.create_all()
        backup.import_all(io.StringIO(buffer.getvalue()))
        db.session.commit()
        restored = db.session.scalar(db.select(SignedRecord))
        assert restored.assessment_id == before["assessment_id"]
        assert restored.assessment.public_id == before["public_id"]
        assert bytes(restored.pdf) == before["pdf"]
        assert restored.canonical_json == before["json"]
        assert restored.verification_code == before["code"]
        assert all(r.ok for r in signoff.verify_all())
        with pytest.raises(backup.ImportRefused, match="not empty"):
            backup.import_all(io.StringIO(buffer.getvalue()))
        db.session.remove()
        db.engine.dispose()


def test_import_into_the_same_kind_of_database_after_emptying_it(app):
    """Works on both databases: export, empty every table, import, and compare."""
    from app.public import services as public

    assessment = signed_assessment()
    assessment_services.transition(assessment, "publish", user=make_user(assessment.organisation, role="admin"))
    db.session.commit()
    buffer = io.StringIO()
    backup.export_all(buffer, with_password_hashes=True)
    pdf_hash = db.session.scalar(db.select(SignedRecord.pdf_sha256))
    connection = db.session.connection()
    for table in reversed(db.metadata.sorted_tables):
        if connection.dialect.name == "postgresql":
            connection.execute(text(f'TRUNCATE "{table.name}" CASCADE'))
        else:
            if table.name in ("signed_record", "signed_record_pdf", *LOG_TABLES):  # append-only tables
                connection.execute(text(f"DROP TRIGGER {table.name}_no_delete"))
            connection.execute(table.delete())
    db.session.commit()
    backup.import_all(io.StringIO(buffer.getvalue()))
    db.session.commit()
    assert db.session.scalar(db.select(SignedRecord.pdf_sha256)) == pdf_hash
    assert public.search(public.Filters(q="demens")).total == 1  # the search index came back too
    # New rows get fresh ids after the imported ones (PostgreSQL sequences were advanced).
    make_org("Efter import")
    assert all(r.ok for r in signoff.verify_all())
    assert log_verify.verify_log() == []  # the transparency log came back whole, checkpoints and all


def test_import_refuses_a_foreign_file(app):
    with pytest.raises(backup.ImportRefused, match="not an Etikdialog export"):
        backup.import_all(io.StringIO('{"format": "something-else"}'))
