"""The README's restore procedure, end to end through the commands: `flask export` (without
password hashes), an empty database upgraded by `flask db upgrade`, `flask import`, `flask verify`,
`flask user set-password`, and then the restored portal and login work.

tests/test_backup_round_trip.py compares every row between databases; this follows an operator."""

import json

from conftest import make_app
from factories import PASSWORD, login

from app.accounts.models import User
from app.extensions import db
from app.signoff.models import SignedRecord

NEW_PASSWORD = "ny-adgangskode-efter-gendannelse-7"


def test_the_restore_procedure_in_the_readme_works_end_to_end(app, runner, published, tmp_path):
    source_pdf = published.signed_record.pdf
    public_id, code = published.public_id, published.signed_record.verification_code
    editor_email = db.session.scalars(
        db.select(User.email).where(User.organisation_id == published.organisation_id, User.role == "editor")
    ).first()
    backup_file = tmp_path / "backup.json"

    result = runner.invoke(args=["export", str(backup_file)])
    assert result.exit_code == 0, result.output
    exported = json.loads(backup_file.read_text(encoding="utf-8"))
    assert all(not user.get("password_hash") for user in exported["tables"]["user_account"])

    (tmp_path / "restored").mkdir()
    target = make_app(tmp_path / "restored", None)
    commands = target.test_cli_runner()
    with target.app_context():
        upgraded = commands.invoke(args=["db", "upgrade"])
        assert upgraded.exit_code == 0, upgraded.output
        imported = commands.invoke(args=["import", str(backup_file)])
        assert imported.exit_code == 0, imported.output
        verified = commands.invoke(args=["verify"])
        assert verified.exit_code == 0, verified.output
        assert db.session.scalar(db.select(SignedRecord.pdf_sha256)) == published.signed_record.pdf_sha256

        client = target.test_client()
        # The portal serves the same signed bytes, and the code still verifies.
        assert client.get(f"/vurderinger/{public_id}.pdf").data == source_pdf
        page = client.get("/verificer", query_string={"kode": code}).get_data(as_text=True)
        assert "Koden passer til en underskrevet vurdering" in page

        # Without hashes nobody can log in until a new password is set.
        restored_user = db.session.scalars(db.select(User).where(User.email == editor_email)).one()
        assert login(client, restored_user, PASSWORD).status_code != 302
        assert client.get("/intern/").status_code == 302
        reset = commands.invoke(
            args=["user", "set-password", "--email", editor_email, "--password-stdin"],
            input=NEW_PASSWORD + "\n",
        )
        assert reset.exit_code == 0, reset.output
        assert login(client, restored_user, NEW_PASSWORD).status_code == 302
        assert client.get("/intern/").status_code == 200

        again = commands.invoke(args=["import", str(backup_file)])
        assert again.exit_code == 1 and "not empty" in again.output
