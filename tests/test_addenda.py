"""Signed addenda (issue 28 item 3): each rule at the service, the chain on the page, in the API
and in the log, and two addenda at once on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from assessment_factories import make_signed
from conftest import FROZEN_TODAY
from etikdialog_verify import addendum as fmt
from factories import login, make_org, make_user
from sqlalchemy import func, select, text
from test_critical_sections import clients_of, parallel

from app.addenda import services
from app.addenda.models import Addendum, AddendumRewriteError
from app.assessments import services as assessments
from app.audit.models import AuditEvent
from app.extensions import db
from app.signoff import canonical
from app.signoff.cli import check_everything
from app.translog import services as translog
from app.translog.models import LogEntry


def draft(kind="beslutning", **changes) -> services.Draft:
    values = {
        "kind": kind,
        "event_date": FROZEN_TODAY,
        "outcome": {"beslutning": "godkendt", "effekt": "bedre", "revurdering": "fortsaetter"}.get(kind),
        "text": "Udvalget godkendte indstillingen uden ændringer.",
        "body": "Ældre- og Sundhedsudvalget" if kind == "beslutning" else "",
    }
    return services.Draft(**(values | changes))


@pytest.fixture
def editor(published):
    return make_user(published.organisation, role="editor")


def add(published, editor, kind="beslutning", **changes) -> Addendum:
    row = services.add(published.signed_record, draft(kind, **changes), user=editor)
    db.session.commit()
    return row


# --- The chain -------------------------------------------------------------------------------


def test_addenda_chain_to_the_record_and_each_other_and_are_logged(published, editor, frozen_danish_day):
    first = add(published, editor, event_date=frozen_danish_day)
    second = add(published, editor, "effekt", event_date=frozen_danish_day, text="28 % færre fald efter et år.")
    frozen = published.signed_record
    one, two = json.loads(first.document), json.loads(second.document)
    assert (one["sequence"], one["previous_sha256"], one["record_sha256"]) == (1, None, frozen.json_sha256)
    assert (two["sequence"], two["previous_sha256"]) == (2, first.sha256)
    assert first.sha256 == canonical.record_hash(one) and fmt.problems(one) == []
    entry = json.loads(db.session.get(LogEntry, second.log_index).entry)
    assert entry["type"] == "addendum" and entry["addendum_sha256"] == second.sha256 and entry["sequence"] == 2
    assert entry["json_sha256"] == frozen.json_sha256  # it names the record as every entry of it does
    assert db.session.scalar(select(func.count()).where(AuditEvent.action == "addendum.added")) == 2
    lines = []
    assert check_everything(lines.append), lines  # flask verify: the log holds exactly these entries


def test_the_signature_is_the_municipalitys_over_the_canonical_bytes(app, published, editor):
    from app.public.verification import roots_pem

    row = add(published, editor)
    result = fmt.validate_cms(row.document.encode(), bytes(row.signature), roots_pem())
    assert result.ok and result.signer_organisation == "Aarhus Kommune" and result.demo
    assert not fmt.validate_cms(row.document.encode() + b" ", bytes(row.signature), roots_pem()).intact


def test_an_addendum_is_never_changed_or_deleted(published, editor):
    row = add(published, editor)
    row.kind = "effekt"
    with pytest.raises(AddendumRewriteError):
        db.session.flush()
    db.session.rollback()
    with pytest.raises(AddendumRewriteError):
        db.session.delete(db.session.get(Addendum, row.id))
        db.session.flush()


def test_a_changed_document_fails_flask_verify(published, editor):
    """Even someone who lifts the database's refusal (the trigger) is caught: the document no longer
    matches the addendum's entry in the log."""
    row = add(published, editor)
    with pytest.raises(Exception, match="immutable"):
        db.session.execute(Addendum.__table__.update().values(document="{}"))
    db.session.rollback()
    lift = {
        "sqlite": "DROP TRIGGER addendum_no_update",
        "postgresql": "ALTER TABLE addendum DISABLE TRIGGER addendum_no_change",
    }[db.engine.dialect.name]
    db.session.execute(text(lift))
    changed = row.document.replace("godkendte", "afviste")
    db.session.execute(Addendum.__table__.update().values(document=changed))
    db.session.commit()
    lines = []
    assert not check_everything(lines.append)
    assert any("no log entry for addendum" in line for line in lines), lines


# --- Refusals --------------------------------------------------------------------------------


def test_a_withdrawn_record_is_refused_in_danish(published, editor):
    admin = make_user(published.organisation, role="admin")
    assessments.transition(published, "withdraw", user=admin, reason="Forkert udgave af forslaget blev underskrevet.")
    db.session.commit()
    with pytest.raises(services.AddendumError, match="trukket tilbage"):
        services.add(published.signed_record, draft(), user=editor)


def test_a_replaced_record_is_refused_in_danish(published, editor):
    admin = make_user(published.organisation, role="admin")
    newer = assessments.reopen(published, user=editor)
    db.session.commit()
    from assessment_factories import answer_everything, sign_off

    answer_everything(newer, editor)
    sign_off(newer, editor, [make_user(published.organisation, role="member"), admin])
    assessments.transition(newer, "publish", user=admin)
    db.session.commit()
    with pytest.raises(services.AddendumError, match="erstattet af en nyere version"):
        services.add(published.signed_record, draft(), user=editor)
    db.session.rollback()
    # the newer version carries the review on: the replaced one is never said to be overdue
    from app.public.models import Publication

    old = db.session.scalar(select(Publication).where(Publication.signed_record_id == published.signed_record.id))
    record = json.loads(published.signed_record.canonical_json)
    assert not services.public_chain(
        published.signed_record, record, date(2030, 1, 1), in_force=services.in_force(old)
    ).review.overdue
    assert services.public_chain(published.signed_record, record, date(2030, 1, 1)).review.overdue


def test_an_unpublished_record_and_a_member_are_refused(org):
    signed = make_signed(org)
    editor = make_user(org, role="editor")
    with pytest.raises(services.AddendumError, match="offentliggjort"):
        services.add(signed.signed_record, draft(), user=editor)
    with pytest.raises(assessments.NotAllowed):
        services.add(signed.signed_record, draft(), user=make_user(org, role="member"))


@pytest.mark.parametrize(
    ("kind", "changes", "field", "message"),
    [
        ("beslutning", {"text": ""}, "text", "Skriv, hvad der er sket"),
        ("beslutning", {"text": "x" * 2001}, "text", "Højst 2000 tegn"),
        ("beslutning", {"body": "x" * 201}, "body", "Højst 200 tegn"),
        ("beslutning", {"body": " "}, "body", "hvem der traf"),
        ("beslutning", {"reference": "x" * 301}, "reference", "Højst 300 tegn"),
        ("beslutning", {"outcome": "udsat"}, "outcome", "Vælg udfaldet"),
        ("effekt", {"outcome": None}, "outcome", "Vælg udfaldet"),
        ("beslutning", {"event_date": None}, "event_date", "Skriv datoen"),
        ("beslutning", {"event_date": date.today() + timedelta(days=2)}, "event_date", "efter i dag"),
        ("beslutning", {"event_date": date(1999, 12, 31)}, "event_date", "mellem år 2000 og 2100"),
        ("betingelse_opfyldt", {"condition": 99}, "condition", "Vælg den betingelse"),
        ("revurdering", {"next_review_date": date(2020, 1, 1)}, "next_review_date", "efter revurderingens dato"),
        ("fejl", {}, "kind", "Vælg, hvad tillægget handler om"),
    ],
)
def test_bad_input_is_refused_with_a_danish_message_and_nothing_is_added(
    published, editor, kind, changes, field, message, frozen_danish_day
):
    changes = {"event_date": frozen_danish_day} | changes
    with pytest.raises(services.AddendumError, match=message) as refused:
        services.add(published.signed_record, draft(kind, **changes), user=editor)
    assert refused.value.field == field
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Addendum)) == 0
    assert not any(json.loads(e.entry)["type"] == "addendum" for e in translog.entries(0, translog.size()))


def test_a_form_written_against_an_older_chain_is_refused_not_forked(published, editor, frozen_danish_day):
    add(published, editor, event_date=frozen_danish_day)
    with pytest.raises(services.ChainMoved, match="Der er tilføjet et andet tillæg"):
        services.add(published.signed_record, draft(event_date=frozen_danish_day), user=editor, expected_length=0)
    db.session.rollback()
    assert [a.sequence for a in services.chain(published.signed_record)] == [1]


def test_two_addenda_sent_at_once_never_fork_the_chain(app, published, editor, frozen_danish_day):
    """Two people send an addendum written against the same chain: one goes on it, the other gets
    its form back with the message, and the chain and the log have exactly one."""
    db.session.commit()
    public_id = published.public_id
    clients = clients_of(app, editor, 2)
    data = {
        "chain_length": "0",
        "event_date": frozen_danish_day.isoformat(),
        "outcome": "godkendt",
        "body": "Ældre- og Sundhedsudvalget",
        "text": "Udvalget godkendte indstillingen.",
    }
    url = f"/intern/vurderinger/{public_id}/tillaeg/ny/beslutning"
    responses = parallel(lambda i: clients[i].post(url, data=data | {"text": f"Tekst nr. {i}"}), 2)
    assert sorted(r.status_code for r in responses) == [303, 422]
    refused = next(r for r in responses if r.status_code == 422).get_data(as_text=True)
    assert "Der er tilføjet et andet tillæg" in refused and "Tekst nr. " in refused
    db.session.expire_all()
    assert [a.sequence for a in services.chain(published.signed_record)] == [1]
    assert sum(json.loads(e.entry)["type"] == "addendum" for e in translog.entries(0, translog.size())) == 1


def test_the_unique_constraint_holds_when_the_lock_is_bypassed(published, editor, frozen_danish_day):
    row = add(published, editor, event_date=frozen_danish_day)
    copy = Addendum(
        **{c.name: getattr(row, c.name) for c in Addendum.__table__.columns if c.name not in ("id",)},
    )
    db.session.add(copy)
    with pytest.raises(Exception, match="(?i)unique"):
        db.session.flush()
    db.session.rollback()


# --- Dates: the decision's wording and the overdue review --------------------------------------


def shown(kind, day, **document) -> services.Shown:
    return services.Shown(1, kind, "", day, "Godkendt", {"date": day.isoformat(), **document}, "0" * 64, 1, None)


RECORD = {
    "schema_version": 4,
    "proposal": [
        {"field": "decision_body", "value": "Ældre- og Sundhedsudvalget", "text": "Ældre- og Sundhedsudvalget"},
        {"field": "decision_meeting_date", "value": "2027-01-20", "text": "20. januar 2027"},
    ],
    "decision": {"review_date": "2027-12-01"},
}


def test_the_decision_is_worded_by_the_dates():
    before = services.decision_status(RECORD, [], date(2027, 1, 10))
    assert before.sentence == "Beslutningen træffes af Ældre- og Sundhedsudvalget på mødet den 20. januar 2027."
    after = services.decision_status(RECORD, [], date(2027, 1, 21))
    assert after.state == "not_recorded" and "skulle træffes" in after.sentence
    decided = services.decision_status(RECORD, [shown("beslutning", date(2027, 1, 20))], date(2027, 1, 21))
    assert decided.sentence.startswith("Beslutningen blev truffet den 20. januar 2027 af Ældre- og Sundhedsudvalget")
    # a record before schema 4 says the decision was made already: nothing contradicts it
    assert services.decision_status(RECORD | {"schema_version": 3}, [], date(2027, 1, 21)) is None


def test_the_review_is_overdue_once_its_date_passed_without_a_review_addendum():
    assert not services.review_status(RECORD, [], date(2027, 12, 1)).overdue
    assert services.review_status(RECORD, [], date(2027, 12, 2)).overdue
    reviewed = [shown("revurdering", date(2027, 11, 30))]
    assert not services.review_status(RECORD, reviewed, date(2027, 12, 2)).overdue
    again = [shown("revurdering", date(2027, 11, 30), next_review_date="2028-06-01")]
    assert services.review_status(RECORD, again, date(2028, 6, 2)).overdue
    assert services.review_status(RECORD, [shown("effekt", date(2027, 11, 30))], date(2027, 12, 2)).due is not None


# --- The page, the API, the board's page ------------------------------------------------------


def test_the_public_page_and_the_api_show_the_chain(client, published, editor, frozen_danish_day):
    row = add(published, editor, event_date=frozen_danish_day)
    page = client.get(f"/vurderinger/{published.public_id}").get_data(as_text=True)
    assert "Efter underskriften" in page and "Udvalget godkendte indstillingen" in page and row.sha256 in page
    assert "Beslutningen blev truffet den" in page  # the declaration's answer and the block
    assert "Den formelle beslutning træffes" not in page
    detail = client.get(f"/api/v1/vurderinger/{published.public_id}").get_json()
    assert [a["sha256"] for a in detail["addenda"]] == [row.sha256]
    assert detail["formal_decision"]["state"] == "decided" and detail["review"]["overdue"] is False
    assert row.log_index in detail["log_indexes"]
    chain = client.get(f"/vurderinger/{published.public_id}/tillaeg.json").get_json()
    assert chain["addenda"] == detail["addenda"]


def test_an_overdue_review_is_said_on_the_page_and_in_the_api(client, app, published, monkeypatch):
    from app.addenda import services as addenda_services

    monkeypatch.setattr(addenda_services, "danish_today", lambda: date(2028, 1, 1))
    page = client.get(f"/vurderinger/{published.public_id}").get_data(as_text=True)
    assert "Revurderingen er overskredet" in page
    detail = client.get(f"/api/v1/vurderinger/{published.public_id}").get_json()
    assert detail["review"] == {
        "due": "2027-12-01",
        "overdue": True,
        "text": "Revurderingen er overskredet.",
        "addendum": None,
    }


def test_the_board_adds_through_its_page_and_gets_the_form_back(client, published, editor, frozen_danish_day):
    login(client, editor)
    url = f"/intern/vurderinger/{published.public_id}/tillaeg/ny/effekt"
    form = client.get(url).get_data(as_text=True)
    assert "Hvad er målt, hvordan, og hvad blev resultatet?" in form
    data = {"chain_length": "0", "event_date": frozen_danish_day.isoformat(), "outcome": "bedre"}
    response = client.post(url, data=data | {"text": "Målt <b>tekst</b> " + "x" * 2000})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Højst 2000 tegn" in body and "Målt &lt;b&gt;tekst&lt;/b&gt;" in body
    response = client.post(url, data=data | {"event_date": "i morgen", "text": "36 % færre fald."})
    assert response.status_code == 422 and "36 % færre fald." in response.get_data(as_text=True)
    response = client.post(url, data=data | {"text": "36 % færre fald."})
    assert response.status_code == 303
    assert "36 % færre fald." in client.get(f"/intern/vurderinger/{published.public_id}/tillaeg").get_data(as_text=True)


def test_members_and_other_municipalities_cannot_add(client, published):
    url = f"/intern/vurderinger/{published.public_id}/tillaeg/ny/beslutning"
    login(client, make_user(published.organisation, role="member"))
    assert client.get(f"/intern/vurderinger/{published.public_id}/tillaeg").status_code == 200
    assert client.post(url, data={"text": "x"}).status_code == 403
    client.post("/intern/logout")
    login(client, make_user(make_org("Fremmedby Kommune"), role="admin"))
    assert client.post(url, data={"text": "x"}).status_code == 404
    assert db.session.scalar(select(func.count()).select_from(Addendum)) == 0


def test_the_withdrawn_records_page_says_why_no_addendum_can_be_added(client, published, editor):
    admin = make_user(published.organisation, role="admin")
    assessments.transition(published, "withdraw", user=admin, reason="Forkert udgave af forslaget blev underskrevet.")
    db.session.commit()
    login(client, editor)
    page = client.get(f"/intern/vurderinger/{published.public_id}/tillaeg").get_data(as_text=True)
    assert "trukket tilbage, så der kan ikke tilføjes tillæg" in page
    response = client.post(
        f"/intern/vurderinger/{published.public_id}/tillaeg/ny/beslutning",
        data={
            "chain_length": "0",
            "event_date": date.today().isoformat(),
            "outcome": "godkendt",
            "text": "x",
            "body": "y",
        },
    )
    assert response.status_code == 422 and "trukket tilbage" in response.get_data(as_text=True)
