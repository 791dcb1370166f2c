"""Citizens' feedback on a published record: the consultation's bounds, spam
defences, address hashing and moderation applied to it, the board's answer, the public counts and
answers (through the page cache), reminders, purging, and hostile input on every form."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from assessment_factories import make_published, sign_off
from consultation_factories import open_consultation, respond
from factories import PASSWORD, hidden, login, make_org, make_user
from sqlalchemy import func, select

from app.assessments import services as assessment_services
from app.assessments.services import NotAllowed
from app.audit.models import AuditEvent
from app.consultation import intake, submission
from app.consultation import services as consultation
from app.core.time import utcnow
from app.extensions import db
from app.feedback import services
from app.feedback.models import Feedback
from app.public.models import Publication

HOSTILE_MARKUP = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def record(org):
    return make_published(org, title="Nattilsyn med sensorer")


@pytest.fixture
def publication(record) -> Publication:
    return db.session.scalar(select(Publication).where(Publication.assessment_id == record.id))


@pytest.fixture
def editor(org):
    return make_user(org, role="editor")


def send(publication, *, body="Hvor længe gemmes sensordata?", address="192.0.2.1", **values) -> Feedback:
    values = {"kind": "spoergsmaal", "author_name": "", "author_organisation": "", "publish_name": False, **values}
    return services.receive(publication, body=body, address=address, **values)


def feedback_count() -> int:
    return db.session.scalar(select(func.count(Feedback.id)))


def form_data(**values) -> dict:
    return {"kind": "spoergsmaal", "body": "Hvor længe gemmes sensordata?", "author_name": "", **values}


# --- The consultation's rules, reused -------------------------------------------------------


def test_feedback_waits_for_the_board_and_keeps_only_the_consultations_keyed_hash(publication):
    item = send(publication, address="198.51.100.7", author_name="Inge Hansen")
    assert item.status == "pending" and not item.is_public
    assert item.address_hash == consultation.address_hash("198.51.100.7")  # the one function
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "feedback.received")).one()
    assert "Inge" not in event.summary + json.dumps(event.detail)
    assert event.organisation_id == publication.assessment.organisation_id


def test_the_rate_limit_is_the_consultations_and_changing_it_changes_both(org, publication, editor, monkeypatch):
    monkeypatch.setattr(intake, "PER_ADDRESS", 2)
    hearing = open_consultation(_draft(editor), editor)
    for _ in range(2):
        send(publication, address="203.0.113.9")
        respond(hearing, address="203.0.113.9")
    with pytest.raises(services.TooMuchFeedback, match="Prøv igen i morgen"):
        send(publication, address="203.0.113.9")
    with pytest.raises(consultation.TooManyResponses, match="Prøv igen i morgen"):
        respond(hearing, address="203.0.113.9")
    send(publication, address="203.0.113.10")  # someone else is not affected


def _draft(editor):
    from assessment_factories import make_assessment

    return make_assessment(editor, title="Et udkast i høring")


def test_the_text_bound_is_the_consultations_and_changing_it_changes_both(publication, editor, monkeypatch):
    monkeypatch.setattr(submission, "BODY_MAX", 10)
    hearing = open_consultation(_draft(editor), editor)
    with pytest.raises(services.FeedbackError, match="højst være 10 tegn"):
        send(publication, body="x" * 11)
    with pytest.raises(consultation.ConsultationError, match="højst være 10 tegn"):
        respond(hearing, body="x" * 11)
    assert send(publication, body="x" * 10).body == "x" * 10


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"body": "   "}, "tom"),
        ({"body": "x" * (submission.BODY_MAX + 1)}, "højst være 5.000 tegn"),
        ({"body": "Styretegn \x00 her"}, "styretegn"),
        ({"author_name": "n" * (submission.NAME_MAX + 1)}, "højst være 120 tegn"),
        ({"author_organisation": "Råd\x1b"}, "styretegn"),
        ({"kind": "andet"}, "fejl eller stiller et spørgsmål"),
    ],
)
def test_bad_input_is_refused_by_the_service_and_nothing_is_stored(publication, values, message):
    with pytest.raises(services.FeedbackError, match=message):
        send(publication, **values)
    db.session.rollback()
    assert feedback_count() == 0


def test_text_that_looks_like_code_is_kept_as_typed(publication):
    assert send(publication, body=HOSTILE_MARKUP).body == HOSTILE_MARKUP


def test_a_withdrawn_or_replaced_record_takes_no_feedback_but_keeps_what_it_has(org, record, publication, editor):
    send(publication)
    newer = assessment_services.reopen(record, user=editor)
    signers = [make_user(org, role="member"), make_user(org, role="admin")]
    db.session.commit()
    sign_off(newer, editor, signers)
    assessment_services.transition(newer, "publish", user=signers[1])
    db.session.commit()
    with pytest.raises(services.FeedbackClosed, match="nyere version"):
        send(publication)
    newest = db.session.scalar(select(Publication).where(Publication.assessment_id == newer.id))
    send(newest)  # the newest version takes questions of its own
    assessment_services.transition(newer, "withdraw", user=signers[1], reason="Leverandøren stopper.")
    db.session.commit()
    with pytest.raises(services.FeedbackClosed, match="trukket tilbage"):
        send(newest)
    assert services.counts(publication).received == 1 and services.counts(newest).received == 1


# --- Moderation and answers -----------------------------------------------------------------


def test_moderation_uses_the_consultations_reasons_and_only_editors_answer(org, publication, editor):
    item = send(publication)
    with pytest.raises(intake.InputRefused, match="begrundelse"):
        services.moderate(item, user=editor, approve=False, reason="ukendt")
    with pytest.raises(NotAllowed):
        services.moderate(item, user=make_user(org, role="member"), approve=True)
    with pytest.raises(NotAllowed):
        services.answer(item, user=make_user(org, role="member"), text="Svar")
    services.moderate(item, user=editor, approve=False, reason="personoplysninger")
    assert item.rejection_label == "Indeholder personoplysninger om andre"
    services.answer(item, user=editor, text="Vi har svaret direkte.")
    assert services.shown(publication) == ([], False)  # answered, but the board kept it off the page
    services.moderate(item, user=editor, approve=True)
    assert services.shown(publication) == ([item], False)
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"feedback.moderated", "feedback.answered"} <= actions


def test_an_answer_is_bounded_and_spam_gets_none(publication, editor):
    item = send(publication)
    with pytest.raises(services.FeedbackError, match="tom"):
        services.answer(item, user=editor, text="  ")
    with pytest.raises(services.FeedbackError, match="højst være 5.000 tegn"):
        services.answer(item, user=editor, text="y" * 5001)
    services.moderate(item, user=editor, approve=False, reason="spam")
    with pytest.raises(services.FeedbackError, match="spam"):
        services.answer(item, user=editor, text="Tak")


def test_counts_show_received_and_answered_but_not_spam(publication, editor):
    first, second, spam = send(publication), send(publication), send(publication, body="Køb billige ure")
    services.answer(first, user=editor, text="Data gemmes i 30 dage.")
    services.moderate(spam, user=editor, approve=False, reason="spam")
    services.moderate(second, user=editor, approve=False, reason="uden_for_emnet")
    assert services.counts(publication) == services.Counts(received=2, answered=1)


# --- Reminders and purging ------------------------------------------------------------------


def _age(item: Feedback, days: int) -> None:
    item.received_at = utcnow() - timedelta(days=days)
    db.session.flush()


def test_open_questions_older_than_30_days_appear_in_followup_remind(app, runner, publication, editor):
    old, answered, rejected, young = (send(publication) for _ in range(4))
    for item in (old, answered, rejected):
        _age(item, 31)
    _age(young, 29)
    services.answer(answered, user=editor, text="Svaret.")
    services.moderate(rejected, user=editor, approve=False, reason="spam")
    db.session.commit()
    sent = []

    class Collect:
        def notify(self, item, *, overdue):
            sent.append((item.kind, item.kind_label, item.assessment.id, item.description, overdue))

    app.config["FOLLOWUP_NOTIFIER"] = Collect()
    result = runner.invoke(args=["followup", "remind"])
    assert result.exit_code == 0, result.output
    assert "Reminded about 1 citizens' questions unanswered for over 30 days." in result.output
    assert sent == [
        (
            "feedback",
            "Borgerhenvendelse",
            publication.assessment_id,
            "Borgerhenvendelse venter på svar: Hvor længe gemmes sensordata?",
            True,
        )
    ]


def test_addresses_are_erased_thirty_days_after_receipt(runner, publication):
    old, young = send(publication), send(publication)
    _age(old, 31)
    db.session.commit()
    result = runner.invoke(args=["feedback", "purge"])
    assert "Erased 1 address hashes." in result.output
    db.session.expire_all()
    assert old.address_hash is None and young.address_hash is not None
    assert services.purge_addresses() == 0  # idempotent


# --- The citizen's pages ----------------------------------------------------------------------


def test_a_citizen_asks_and_the_public_page_shows_counts_and_the_shown_answer(app, client, publication, editor):
    app.config["PUBLIC_PAGE_CACHE"] = True
    url = f"/vurderinger/{publication.public_id}"
    page = client.get(url).get_data(as_text=True)
    assert "Meld en fejl eller stil et spørgsmål" in page and "0 henvendelser modtaget, 0 besvaret" in page
    assert f"{url}/spoerg" in page
    form_page = client.get(f"{url}/spoerg").get_data(as_text=True)
    assert "Dit spørgsmål eller din rettelse" in form_page
    response = client.post(
        f"{url}/spoerg",
        data=form_data(body="<em>Zyx</em> ser data?", author_name="Inge Hansen", publish_name="y"),
    )
    assert response.status_code == 303 and response.location.endswith(url)
    assert "Tak for din henvendelse" in client.get(url).get_data(as_text=True)
    page = client.get(url).get_data(as_text=True)  # cached again, and the count moved
    assert "1 henvendelse modtaget, 0 besvaret" in page and "Zyx" not in page

    item = db.session.scalars(select(Feedback)).one()
    services.answer(item, user=editor, text="Kun nattevagten ser data.")
    services.moderate(item, user=editor, approve=True)
    db.session.commit()
    page = client.get(url).get_data(as_text=True)  # a new answer changes the cached page
    assert "1 henvendelse modtaget, 1 besvaret" in page
    assert "Spørgsmål fra Inge Hansen" in page and "&lt;em&gt;Zyx&lt;/em&gt; ser data?" in page
    assert "<em>Zyx</em>" not in page
    assert "Udvalgets svar, " in page and "Kun nattevagten ser data." in page
    assert "ikke en del af den underskrevne vurdering" in page


def test_the_page_shows_at_most_shown_max_answers_and_says_so(app, client, publication, editor, monkeypatch):
    app.config["PUBLIC_PAGE_CACHE"] = False  # the same page is asked for under two limits
    monkeypatch.setattr(services, "SHOWN_MAX", 2)
    for n in range(3):
        item = send(publication, body=f"Spørgsmål nummer {n}", address=f"192.0.2.{n + 10}")
        services.answer(item, user=editor, text=f"Svar nummer {n}")
        services.moderate(item, user=editor, approve=True)
    db.session.commit()
    page = client.get(f"/vurderinger/{publication.public_id}").get_data(as_text=True)
    assert "3 henvendelser modtaget, 3 besvaret" in page
    assert "Svar nummer 0" in page and "Svar nummer 1" in page and "Svar nummer 2" not in page
    assert "Her vises de første 2 svar." in page
    monkeypatch.setattr(services, "SHOWN_MAX", 3)
    page = client.get(f"/vurderinger/{publication.public_id}").get_data(as_text=True)
    assert "Svar nummer 2" in page and "Her vises de første" not in page


def test_an_unpublished_name_never_appears(client, publication, editor):
    item = send(publication, author_name="Hemmelig Hansen")
    services.answer(item, user=editor, text="Svar.")
    services.moderate(item, user=editor, approve=True)
    db.session.commit()
    page = client.get(f"/vurderinger/{publication.public_id}").get_data(as_text=True)
    assert "Hemmelig" not in page and "Spørgsmål fra en borger" in page


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"website": "http://spam.example"}, "skjult felt"),
        ({"body": ""}, "Skriv dit spørgsmål eller den fejl, du har fundet."),
        ({"body": "å" * 5001}, "højst være 5.000 tegn"),
        ({"author_name": "n" * 121}, "højst være 120 tegn"),
        ({"author_organisation": "o" * 161}, "højst være 160 tegn"),
        ({"kind": "<script>"}, "Vælg en af mulighederne."),
        ({"kind": ""}, "Vælg en af mulighederne."),
        ({"body": "\x01\x1b\x7f"}, "Skriv dit spørgsmål"),  # only control characters: nothing left
    ],
)
def test_hostile_input_comes_back_in_danish_with_what_was_typed(client, publication, values, message):
    data = form_data(**{"author_organisation": "Ældrerådet <b>i</b> Aarhus", **values})
    response = client.post(f"/vurderinger/{publication.public_id}/spoerg", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    if "author_organisation" not in values:
        assert "Ældrerådet &lt;b&gt;i&lt;/b&gt; Aarhus" in page  # kept, and escaped
    assert feedback_count() == 0


def test_markup_and_control_characters_are_stored_as_text(client, publication):
    body = f"{HOSTILE_MARKUP}\x07 og\r\nen ny linje"
    response = client.post(f"/vurderinger/{publication.public_id}/spoerg", data=form_data(body=body))
    assert response.status_code == 303
    stored = db.session.scalars(select(Feedback)).one()
    assert stored.body == f"{HOSTILE_MARKUP} og\nen ny linje"


def test_too_much_feedback_from_one_address_gets_429(client, publication):
    url = f"/vurderinger/{publication.public_id}/spoerg"
    for _ in range(intake.PER_ADDRESS):
        assert client.post(url, data=form_data()).status_code == 303
    response = client.post(url, data=form_data(body="En henvendelse for meget"))
    assert response.status_code == 429
    assert "Prøv igen i morgen" in response.get_data(as_text=True)
    assert "En henvendelse for meget" in response.get_data(as_text=True)


def test_a_withdrawn_record_explains_itself_and_takes_nothing(client, record, publication):
    assessment_services.transition(
        record, "withdraw", user=make_user(record.organisation, role="admin"), reason="Forkert leverandør"
    )
    db.session.commit()
    url = f"/vurderinger/{publication.public_id}"
    assert "trukket tilbage og modtager ikke spørgsmål" in client.get(url).get_data(as_text=True)
    page = client.get(f"{url}/spoerg").get_data(as_text=True)
    assert "trukket tilbage" in page and "Send henvendelsen" not in page
    assert client.post(f"{url}/spoerg", data=form_data()).status_code == 409
    assert client.get("/vurderinger/findes-ikke/spoerg").status_code == 404
    assert feedback_count() == 0


@pytest.mark.parametrize("app_overrides", [{"WTF_CSRF_ENABLED": True}])
def test_every_feedback_form_needs_a_csrf_token(client, publication, editor):
    assert client.post(f"/vurderinger/{publication.public_id}/spoerg", data=form_data()).status_code == 400
    item = send(publication)
    db.session.commit()
    token = hidden(client.get("/intern/login").get_data(as_text=True), "csrf_token")
    data = {"email": editor.email, "password": PASSWORD, "csrf_token": token}
    assert client.post("/intern/login", data=data).status_code == 302
    assert f"/intern/henvendelser/{item.id}/besvar" in client.get(f"/intern/henvendelser/{item.id}").get_data(
        as_text=True
    )
    assert client.post(f"/intern/henvendelser/{item.id}/besvar", data={"a-answer": "Svar"}).status_code == 400
    assert client.post(f"/intern/henvendelser/{item.id}/vis", data={"v-decision": "approve"}).status_code == 400
    db.session.expire_all()
    assert feedback_count() == 1 and not item.is_answered and item.status == "pending"


# --- The board's pages ----------------------------------------------------------------------


def test_the_board_lists_reads_answers_and_shows_through_its_pages(client, publication, editor):
    item = send(publication, body="Er <b>loggen</b> offentlig?")
    db.session.commit()
    login(client, editor)
    page = client.get("/intern/henvendelser").get_data(as_text=True)
    assert "Venter på svar (1)" in page and "Er &lt;b&gt;loggen&lt;/b&gt; offentlig?" in page
    assert "Borgerhenvendelser" in client.get("/intern/").get_data(as_text=True)
    base = f"/intern/henvendelser/{item.id}"
    assert "Besvar henvendelsen" in client.get(base).get_data(as_text=True)
    response = client.post(f"{base}/besvar", data={"a-answer": "Ja, på siden <i>Log</i>."})
    assert response.status_code == 302
    response = client.post(f"{base}/vis", data={"v-decision": "approve", "v-reason": ""})
    assert response.status_code == 302
    db.session.expire_all()
    assert item.is_public and item.answer == "Ja, på siden <i>Log</i>."
    page = client.get("/intern/henvendelser").get_data(as_text=True)
    assert "Besvarede (1)" in page and "vises offentligt" in page


@pytest.mark.parametrize(
    ("url", "data", "message"),
    [
        ("besvar", {"a-answer": ""}, "Udfyld feltet."),
        ("besvar", {"a-answer": "s" * 5001}, "højst være 5.000 tegn"),
        ("vis", {"v-decision": "reject", "v-reason": ""}, "Vælg, hvorfor svaret afvises."),
        ("vis", {"v-decision": "<script>", "v-reason": ""}, "Vælg en af mulighederne."),
        ("vis", {"v-decision": "reject", "v-reason": "findes-ikke"}, "Vælg en af mulighederne."),
    ],
)
def test_the_boards_bad_input_comes_back_in_danish(client, publication, editor, url, data, message):
    item = send(publication)
    db.session.commit()
    login(client, editor)
    response = client.post(f"/intern/henvendelser/{item.id}/{url}", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    if url == "besvar" and data["a-answer"]:
        assert data["a-answer"] in response.get_data(as_text=True)  # what was typed comes back
    db.session.expire_all()
    assert not item.is_answered and item.status == "pending"


def test_another_municipalitys_feedback_is_not_found_and_members_only_read(client, publication):
    item = send(publication)
    db.session.commit()
    other = make_user(make_org("Odense Kommune"), role="editor")
    login(client, other)
    assert "Om Nattilsyn" not in client.get("/intern/henvendelser").get_data(as_text=True)
    for path in ("", "/besvar", "/vis"):
        method = client.get if not path else client.post
        data = {"a-answer": "Svar", "v-decision": "approve"}
        assert method(f"/intern/henvendelser/{item.id}{path}", data=data).status_code == 404
    assert client.get("/intern/henvendelser/999999").status_code == 404
    client.post("/intern/logout")
    member = make_user(publication.assessment.organisation, role="member")
    login(client, member)
    assert client.get(f"/intern/henvendelser/{item.id}").status_code == 200
    assert client.post(f"/intern/henvendelser/{item.id}/besvar", data={"a-answer": "Svar"}).status_code == 403
    assert client.post(f"/intern/henvendelser/{item.id}/vis", data={"v-decision": "approve"}).status_code == 403
    db.session.expire_all()
    assert not item.is_answered and item.status == "pending"


def test_the_board_pages_need_a_login(client, publication):
    item = send(publication)
    db.session.commit()
    for url in ("/intern/henvendelser", f"/intern/henvendelser/{item.id}"):
        assert client.get(url).status_code == 302
    assert client.post(f"/intern/henvendelser/{item.id}/besvar", data={"a-answer": "x"}).status_code == 302


# --- The demo -------------------------------------------------------------------------------


def test_the_demo_has_an_answered_citizen_question_shown_under_a_published_record(runner, client):
    result = runner.invoke(args=["demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    item = db.session.scalars(select(Feedback)).one()
    assert item.is_public and not item.publication.is_withdrawn and item.publication.replaced_by_id is None
    page = client.get(f"/vurderinger/{item.publication.public_id}").get_data(as_text=True)
    assert "Spørgsmål fra Karen Holm" in page and "Hændelserne slettes efter 14 dage" in page
    assert "1 henvendelse modtaget, 1 besvaret" in page
