"""Record schemas 2 (issue 17), 3 (issue 20) and 4 (issue 28): the proposal's new fields reach the
record, the declaration, the PDF and the public page; records signed under schemas 1, 2 and 3 still
verify (their stored hash unchanged) and display."""

import io
import json
from pathlib import Path

import jsonschema
import pytest
from assessment_factories import make_assessment, make_published
from factories import login, make_org, make_user
from test_assessment_views import proposal_form

from app.assessments.declaration import NOT_GIVEN, declaration
from app.assessments.proposal import FIELDS_BY_NAME, PROPOSAL_FIELDS, missing_fields
from app.backup import services as backup
from app.extensions import db
from app.signoff import canonical
from app.signoff.models import SignedRecord

FIXTURE = Path(__file__).parent / "fixtures" / "schema1_export.json"
SCHEMA1_PUBLIC_ID = "ETkJpMPArJgxTCmC"
SCHEMA1_CODE = "Y85S-4EHV-6ZWZ"
# A schema-2 record, exported by the code of 9e353fa just before record schema 3.
FIXTURE2 = Path(__file__).parent / "fixtures" / "schema2_export.json"
SCHEMA2_PUBLIC_ID = "fSSlTb6kIa7BefdV"
SCHEMA2_CODE = "S5BS-287Y-QPFR"
# A schema-3 record, exported by the code of f8bb2bd just before record schema 4 (issue 28):
# make_published in a throw-away SQLite database, then `flask export`, the log tables emptied (their
# checkpoints are signed with that run's key).
FIXTURE3 = Path(__file__).parent / "fixtures" / "schema3_export.json"
SCHEMA3_PUBLIC_ID = "A3q4TJWGmY_7vQxj"
SCHEMA3_CODE = "65M5-8DAY-RWXT"
NEW_QUESTIONS = {
    "effect": "Hvad skal teknologien give?",
    "cost": "Hvad koster det?",
    "without": "Hvad sker der, hvis kommunen ikke bruger teknologien?",
    "automation": "Træffer teknologien beslutninger om mig?",
    "freedom": "Begrænser teknologien min frihed?",
    "trial": "Er teknologien afprøvet?",
    "decision_place": "Hvem træffer den formelle beslutning, og hvornår?",
    "complaint": "Hvordan klager jeg?",
}


def test_a_schema_1_record_still_verifies_and_displays(app, client, runner):
    backup.import_all(io.BytesIO(FIXTURE.read_bytes()))
    db.session.commit()
    frozen = db.session.scalar(db.select(SignedRecord))
    record = json.loads(frozen.canonical_json)
    assert record["schema_version"] == 1
    jsonschema.validate(record, canonical.load_schema(1))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(record, canonical.load_schema())

    result = runner.invoke(args=["verify"])
    assert result.exit_code == 0, result.output
    assert "0 with mismatches" in result.output

    page = client.get(f"/verificer?kode={SCHEMA1_CODE}").get_data(as_text=True)
    assert "Koden passer til en underskrevet vurdering" in page
    assert "Nattilsyn med sensorer (skema 1)" in page

    response = client.get(f"/vurderinger/{SCHEMA1_PUBLIC_ID}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Nattilsyn med sensorer (skema 1)" in html
    assert "Hvad har kommunen besluttet?" in html
    assert "Hvordan klager jeg?" not in html  # a schema-1 record was never asked the new questions
    assert client.get(f"/vurderinger/{SCHEMA1_PUBLIC_ID}.pdf").data == bytes(frozen.pdf)


def test_a_schema_2_record_still_verifies_and_displays(app, client, runner):
    backup.import_all(io.BytesIO(FIXTURE2.read_bytes()))
    db.session.commit()
    frozen = db.session.scalar(db.select(SignedRecord))
    record = json.loads(frozen.canonical_json)
    assert record["schema_version"] == 2 and "ai" not in record
    jsonschema.validate(record, canonical.load_schema(2))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(record, canonical.load_schema())

    result = runner.invoke(args=["verify"])
    assert result.exit_code == 0, result.output
    assert "0 with mismatches" in result.output

    page = client.get(f"/verificer?kode={SCHEMA2_CODE}").get_data(as_text=True)
    assert "Koden passer til en underskrevet vurdering" in page
    response = client.get(f"/vurderinger/{SCHEMA2_PUBLIC_ID}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Nattilsyn med sensorer (skema 2)" in html
    assert "Hvordan klager jeg?" in html  # schema 2 asked it
    assert "Bruger teknologien kunstig intelligens?" not in html  # schema 3 added it
    assert client.get(f"/vurderinger/{SCHEMA2_PUBLIC_ID}.pdf").data == bytes(frozen.pdf)
    detail = client.get(f"/api/v1/vurderinger/{SCHEMA2_PUBLIC_ID}").get_json()
    assert detail["record"]["schema_version"] == 2 and detail["ai"] is None


def test_a_schema_3_record_still_verifies_and_displays(app, client, runner):
    backup.import_all(io.BytesIO(FIXTURE3.read_bytes()))
    db.session.commit()
    frozen = db.session.scalar(db.select(SignedRecord))
    record = json.loads(frozen.canonical_json)
    assert record["schema_version"] == 3 and "board" not in record and "consistency" not in record
    assert canonical.record_hash(record) == frozen.json_sha256  # the stored bytes' hash is unchanged
    jsonschema.validate(record, canonical.load_schema(3))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(record, canonical.load_schema())

    result = runner.invoke(args=["verify"])
    assert result.exit_code == 0, result.output
    assert "0 with mismatches" in result.output

    page = client.get(f"/verificer?kode={SCHEMA3_CODE}").get_data(as_text=True)
    assert "Koden passer til en underskrevet vurdering" in page
    response = client.get(f"/vurderinger/{SCHEMA3_PUBLIC_ID}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Nattilsyn med sensorer (skema 3)" in html
    assert "Bruger teknologien kunstig intelligens?" in html  # schema 3 asked it
    assert "Forhold, etikrådet har forklaret" not in html  # schema 4 added it
    # the wording records of schema 3 were shown with; schema 4 speaks of a decision still to come
    assert "Beslutningen er truffet af Ældre- og Sundhedsudvalget på mødet den 2. marts 2026." in html
    assert "Teknologien tages i brug den 1. maj 2026." in html
    assert client.get(f"/vurderinger/{SCHEMA3_PUBLIC_ID}.pdf").data == bytes(frozen.pdf)
    detail = client.get(f"/api/v1/vurderinger/{SCHEMA3_PUBLIC_ID}").get_json()
    assert detail["record"]["schema_version"] == 3 and detail["ai"]["uses_ai"] == "nej"


def test_a_schema_1_record_leaves_the_new_csv_columns_empty(app, client):
    import csv

    backup.import_all(io.BytesIO(FIXTURE.read_bytes()))
    db.session.commit()
    text = client.get("/vurderinger.csv").get_data(as_text=True).lstrip("\ufeff")
    [row] = [r for r in csv.DictReader(io.StringIO(text)) if r["public_id"] == SCHEMA1_PUBLIC_ID]
    assert row["problem"] and row["technology_name"]  # schema 1 had these
    assert row["complaint_to"] == row["cost_one_off"] == row["restricts_freedom"] == ""


def test_a_new_record_is_schema_4_with_every_field_and_whole_answers(app):
    published = make_published(make_org("Skemaby Kommune"))
    record = json.loads(published.signed_record.canonical_json)
    assert record["schema_version"] == canonical.SCHEMA_VERSION == 4
    jsonschema.validate(record, canonical.load_schema())
    assert [item["field"] for item in record["proposal"]] == [f.name for f in PROPOSAL_FIELDS]
    cost = next(item for item in record["proposal"] if item["field"] == "cost_one_off")
    assert (cost["value"], cost["text"], cost["group_title"]) == (450000, "450.000 kr.", "Økonomi")

    answers = {item.key: item for item in declaration(record)}
    for key, question in NEW_QUESTIONS.items():
        assert answers[key].question == question
        assert answers[key].answer != NOT_GIVEN
    assert answers["cost"].answer.startswith("Engangsudgiften er 450.000 kr., og driften koster 120.000 kr. om året.")
    assert "Udgiften finansieres af ældreområdets driftsbudget." in answers["cost"].answer
    assert answers["complaint"].answer.endswith("Klagefristen er 4 uger fra du har fået afgørelsen.")
    # Schema 4 (issue 28): the board recommends; the committee decides at its meeting.
    assert answers["decision"].question == "Hvad anbefaler etikrådet?"
    assert answers["decision"].answer.startswith("Etikrådet anbefaler, at kommunen tager teknologien i brug på de")
    assert answers["decision_place"].answer.startswith(
        "Den formelle beslutning træffes af Ældre- og Sundhedsudvalget på mødet den 2. marts 2026."
    )
    assert "Beslutningen er truffet" not in " ".join(item.answer for item in declaration(record))
    assert "Borgerne er i nogen grad inddraget, de pårørende i høj grad og medarbejderne i høj grad." in (
        answers["involvement"].answer
    )
    assert "Målgruppen er på cirka 40 borgere." in answers["target_group"].answer
    every = " ".join(item.answer for item in declaration(record))
    assert "Inddraget i" not in every and "Det drejer sig om" not in every


def test_freedom_answers_are_required_when_the_technology_restricts_freedom(app):
    org = make_org()
    editor = make_user(org, role="editor")
    assessment = make_assessment(editor)
    from assessment_factories import complete_proposal

    complete_proposal(assessment, editor)
    assert missing_fields(assessment) == []
    complete_proposal(assessment, editor, restricts_freedom="ja")
    assert {f.name for f in missing_fields(assessment)} == {
        "force_legal_basis",
        "individual_decision",
        "council_listed",
        "freedom_consent",
    }
    complete_proposal(
        assessment,
        editor,
        restricts_freedom="nej",
        technology_category="tryghedsskabende-teknologi",
    )
    assert "force_legal_basis" in {f.name for f in missing_fields(assessment)}
    assert FIELDS_BY_NAME["complaint_to"].required and FIELDS_BY_NAME["complaint_deadline"].required


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "decision_minutes_url",
            "javascript:alert(1)",
            "Skriv en adresse, der begynder med http:// eller https://.",
        ),
        (
            "decision_minutes_url",
            "ftp://kommune.dk/referat",
            "Skriv en adresse, der begynder med http:// eller https://.",
        ),
        ("decision_minutes_url", "https://" + "a" * 500 + ".dk", "Teksten må højst være 500 tegn."),
        ("cost_one_off", "2000000000", "Skriv et helt tal mellem 0 og 1.000.000.000."),
        ("freed_hours_yearly", "-5", "Skriv et helt tal mellem 0 og 10.000.000."),
        ("cost_yearly", "mange", "Skriv et helt tal."),
        ("decision_meeting_date", "1850-01-01", "Vælg en dato mellem år 2000 og 2100."),
        ("complaint_deadline", "x" * 201, "Teksten må højst være 200 tegn."),
    ],
)
def test_new_fields_are_bounded_with_danish_messages_and_keep_what_was_typed(client, field, value, message):
    org = make_org()
    editor = make_user(org, role="editor")
    assessment = make_assessment(editor)
    login(client, editor)
    data = proposal_form(client, assessment) | {
        "problem": "Uro om natten",
        "target_group": "Beboere",
        "funding": "puljemidler fra Socialstyrelsen",
        field: value,
    }
    response = client.post(f"/intern/vurderinger/{assessment.public_id}/forslag", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html
    assert "puljemidler fra Socialstyrelsen" in html  # the rest of what was typed comes back
    db.session.refresh(assessment)
    assert assessment.funding == ""


def test_the_readme_documents_every_proposal_field_and_record_section():
    """README "The signed record" names each field of PROPOSAL_FIELDS in its table, and no field
    the table no longer has; every top-level key of every record schema; and a row for each schema
    version in the versions table."""
    import re

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## The signed record\n", 1)[1].split("\n## ", 1)[0]
    fields_table = section.split("| field | group |", 1)[1].split("\n\n", 1)[0]
    documented = re.findall(r"^\| `([a-z_]+)` \|", fields_table, flags=re.MULTILINE)
    assert documented == [f.name for f in PROPOSAL_FIELDS]
    for version, path in canonical.SCHEMA_PATHS.items():
        assert f"| {version} | `app/signoff/{path.name}` |" in section, version
        for key in canonical.load_schema(version)["properties"]:
            assert f"`{key}`" in section, key
