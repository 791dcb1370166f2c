"""What open data publishes about the board's members (ADR 0002).

The decision: a member is named in the signed record only if they wrote a dissent (with their
statement); the others' stances are published as counts. The record, the public page, the PDF
and the API agree, because the page, the PDF and the API are all read from the record. Records
signed before this rule keep their stored bytes, verify, and display.
"""

from __future__ import annotations

import io
import json

import jsonschema
import pytest
from assessment_factories import answer_everything, make_assessment, sign_off
from factories import make_org, make_user
from pypdf import PdfReader

from app.assessments import services as assessments
from app.extensions import db
from app.signoff import canonical

AGREES, ABSTAINS, DISSENTS = "Agnete Enigsen", "Ulrik Undlader", "Dorthe Dissens"


def publish_with_positions() -> object:
    org = make_org("Privatby Kommune")
    editor = make_user(org, role="editor")
    assessment = make_assessment(editor, title="Skærmbesøg i hjemmeplejen")
    answer_everything(assessment, editor, meeting=False)  # the three below are the meeting
    for name, stance, dissent in (
        (AGREES, "enig", ""),
        (ABSTAINS, "undlader", ""),
        (DISSENTS, "uenig", "Skærmen kan ikke erstatte et besøg."),
    ):
        assessments.save_position(assessment, stance, dissent, user=make_user(org, role="member", name=name))
    sign_off(assessment, editor, [make_user(org, role="member"), make_user(org, role="admin")])
    assessments.transition(assessment, "publish", user=make_user(org, role="admin"))
    db.session.commit()
    return assessment


@pytest.fixture
def published(app):
    return publish_with_positions()


def test_the_record_names_only_dissenters_and_counts_every_stance(published):
    record = json.loads(published.signed_record.canonical_json)
    assert [(p["name"], p["stance"], p["dissent"]) for p in record["positions"]] == [
        (DISSENTS, "uenig", "Skærmen kan ikke erstatte et besøg.")
    ]
    assert record["position_counts"] == {"enig": 1, "uenig": 1, "undlader": 1}
    jsonschema.validate(record, canonical.load_schema())
    # Schema 4 (issue 28): every member present is named, as public minutes name them, but only a
    # dissenter's stance is; the others' names stand in board.members_present alone.
    assert {m["name"] for m in record["board"]["members_present"]} == {AGREES, ABSTAINS, DISSENTS}
    without_attendance = json.dumps({k: v for k, v in record.items() if k != "board"}, ensure_ascii=False)
    assert AGREES not in without_attendance and ABSTAINS not in without_attendance


def test_the_page_the_pdf_and_the_api_publish_the_same(client, published):
    page = client.get(f"/vurderinger/{published.public_id}").get_data(as_text=True)
    api = json.dumps(
        client.get(f"/api/v1/vurderinger/{published.public_id}").get_json(), ensure_ascii=False, sort_keys=True
    )
    pdf = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(bytes(published.signed_record.pdf))).pages)
    pdf = " ".join(pdf.split())
    for published_text in (page, api, pdf):
        assert DISSENTS in published_text and "Skærmen kan ikke erstatte et besøg." in published_text
        for stance in ("enig", "Enig", "undlader", "Undlader"):  # present, but never with a stance
            assert f"{AGREES} ({stance}" not in published_text and f"{ABSTAINS} ({stance}" not in published_text
    for counts_shown in (page, pdf):
        assert "Af de 3 medlemmer, der tog stilling, var 1 enig i anbefalingen, 1 uenig, og 1 undlod at tage" in (
            counts_shown
        )
    assert json.loads(api)["record"]["position_counts"] == {"enig": 1, "uenig": 1, "undlader": 1}


def test_a_record_signed_before_the_rule_keeps_its_bytes_verifies_and_displays(app, client, runner, monkeypatch):
    """A record of the old shape (every stance named, no counts) stays valid and shown from its own bytes."""
    build = canonical.snapshot

    def old_shape(assessment, *, content=None):
        record = build(assessment, content=content)
        record.pop("position_counts")
        record["positions"] = [
            {
                "name": p.user.name,
                "title": p.user.title,
                "stance": p.stance,
                "stance_label": str(p.stance_label),
                "dissent": p.dissent,
            }
            for p in sorted(assessment.positions, key=lambda p: (p.user.name, p.user_id))
        ]
        return record

    monkeypatch.setattr(canonical, "snapshot", old_shape)
    old = publish_with_positions()
    monkeypatch.setattr(canonical, "snapshot", build)
    stored = old.signed_record.canonical_json
    assert AGREES in stored and "position_counts" not in stored  # the old shape, as signed
    jsonschema.validate(json.loads(stored), canonical.load_schema())
    result = runner.invoke(args=["verify"])
    assert result.exit_code == 0, result.output
    page = client.get(f"/vurderinger/{old.public_id}").get_data(as_text=True)
    assert DISSENTS in page and "Skærmen kan ikke erstatte et besøg." in page
    assert "der undlod at tage stilling" not in page  # no counts to show: none were signed
    answer = client.get("/verificer", query_string={"kode": old.signed_record.verification_code})
    assert "alert-success" in answer.get_data(as_text=True)
