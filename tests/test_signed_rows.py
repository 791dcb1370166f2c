"""What the portal shows as signed is covered by the record's hash (ADR 0001).

Each test changes one row that copies the signed record, directly in the database as an attacker
with database access could. `flask verify` must then exit 1 and name the row, and neither the
public page nor /verificer may present the change as signed.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from app.extensions import db
from app.signoff import integrity


def execute(statement: str, guarded: bool = False, **values) -> None:
    """Run SQL behind the app's back; `guarded` switches off signed_record's immutability trigger."""
    connection = db.session.connection()
    sqlite = connection.dialect.name == "sqlite"
    if guarded:
        connection.execute(
            text(
                "DROP TRIGGER signed_record_no_update"
                if sqlite
                else "ALTER TABLE signed_record DISABLE TRIGGER signed_record_no_change"
            )
        )
    connection.execute(text(statement), values)
    if guarded and not sqlite:  # PostgreSQL tables outlive the test: restore the guard
        connection.execute(text("ALTER TABLE signed_record ENABLE TRIGGER signed_record_no_change"))
    db.session.commit()
    db.session.expire_all()


def verify(runner) -> tuple[int, str]:
    result = runner.invoke(args=["verify"])
    return result.exit_code, result.output


def page(client, assessment) -> str:
    return client.get(f"/vurderinger/{assessment.public_id}").get_data(as_text=True)


def verificer(client, assessment) -> str:
    return client.get("/verificer", query_string={"kode": assessment.signed_record.verification_code}).get_data(
        as_text=True
    )


def test_an_untouched_record_verifies_and_shows_the_signers_from_the_record(runner, client, published):
    assert verify(runner) == (
        0,
        "Checked 1 signed records: 0 with mismatches.\nChecked the transparency log: 0 problems.\n",
    )
    record = json.loads(published.signed_record.canonical_json)
    shown = page(client, published)
    assert [s["name"] for s in record["signatories"]]
    assert all(s["name"] in shown for s in record["signatories"])
    assert "Koden passer til en underskrevet vurdering" in verificer(client, published)


@pytest.mark.parametrize(
    ("column", "forged"),
    [("title", "Forfalsket titel"), ("organisation_name", "Forfalsket Kommune"), ("summary", "Forfalsket resumé")],
)
def test_a_changed_publication_row_fails_verify_and_is_not_shown_as_signed(runner, client, published, column, forged):
    execute(f"UPDATE publication SET {column} = :forged", forged=forged)  # noqa: S608 - a fixed column name
    code, output = verify(runner)
    assert code == 1 and f"publication.{column} no longer match the signed record" in output
    assert forged not in page(client, published)
    answer = verificer(client, published)
    assert "Koden passer til en underskrevet vurdering" not in answer
    assert "De gemte oplysninger er ændret" in answer and forged not in answer
    assert "Nattilsyn med sensorer" in answer  # what the signed record says


def test_a_forged_signer_in_signatures_json_fails_verify_and_is_never_listed(runner, client, published):
    signatures = json.loads(published.signed_record.signatures_json)
    signatures[0]["name"] = "Falsk Underskriver"
    execute(
        "UPDATE signed_record SET signatures_json = :forged",
        guarded=True,
        forged=json.dumps(signatures, ensure_ascii=False),
    )
    code, output = verify(runner)
    assert code == 1 and "signed_record.signatures_json" in output
    shown = page(client, published)
    assert "Falsk Underskriver" not in shown
    assert "Nogle gemte oplysninger passer ikke med det underskrevne dokument" in shown
    assert "Koden passer til en underskrevet vurdering" not in verificer(client, published)


def test_a_changed_signing_time_fails_verify(runner, published):
    signatures = json.loads(published.signed_record.signatures_json)
    for signature in signatures:
        signature["signed_at"] = "2020-01-01T12:00:00"
    execute("UPDATE signed_record SET signatures_json = :forged", guarded=True, forged=json.dumps(signatures))
    code, output = verify(runner)
    assert code == 1 and "signed_record.signed_at" in output


@pytest.mark.parametrize(
    ("statement", "forged_text"),
    [
        ("UPDATE action_item SET due_date = '2030-01-01'", "1. januar 2030"),
        ("UPDATE action_item SET description = 'Forfalsket betingelse'", "Forfalsket betingelse"),
        ("UPDATE action_item SET is_condition = false", None),
    ],
)
def test_a_changed_action_row_fails_verify_and_the_follow_up_table_keeps_the_signed_plan(
    runner, client, published, statement, forged_text
):
    before = page(client, published)
    assert "1. juni 2027" in before  # the condition's signed due date, in the follow-up table too
    execute(statement)
    code, output = verify(runner)
    assert code == 1 and "action_item no longer match the signed record" in output
    after = page(client, published)
    if forged_text:
        assert forged_text not in after
    table = after[after.index('id="opfoelgning"') :]
    assert "1. juni 2027" in table and "Betingelse" in table and "Evaluér ordningen efter et år." in table


def test_a_changed_record_is_not_shown_at_all(runner, client, published):
    execute("UPDATE signed_record SET canonical_json = replace(canonical_json, 'Nattilsyn', 'Dagtilsyn')", guarded=True)
    shown = page(client, published)
    assert "Dagtilsyn" not in shown
    assert "Det gemte dokument er ændret" in shown
    assert verify(runner)[0] == 1


def test_the_check_is_one_function_for_verify_the_page_and_verificer(published):
    result = integrity.check_integrity(published.signed_record)
    assert result.ok and result.mismatches == []
    execute("UPDATE publication SET title = 'X'")
    assert integrity.check_integrity(published.signed_record).mismatches == ["publication.title"]
