"""Consultation (høring): opening, the citizen's response and its limits, moderation, the duty to
respond before sign-off, the signed record and PDF, and purging addresses."""

from __future__ import annotations

import io
import json
import re
from datetime import date, timedelta

import jsonschema
import pytest
from assessment_factories import answer_everything, complete_proposal, make_assessment
from conftest import FROZEN_TODAY
from consultation_factories import make_signed_with_consultation, open_consultation, respond
from factories import login, make_user
from pypdf import PdfReader
from sqlalchemy import func, select, text

from app.assessments import services as assessments
from app.assessments.services import NotAllowed, NotEditable, TransitionBlocked
from app.audit.models import AuditEvent
from app.consultation import services
from app.consultation.models import ConsultationResponse
from app.extensions import db
from app.signoff import canonical
from app.signoff import services as signoff

TODAY = FROZEN_TODAY


@pytest.fixture
def editor(org):
    return make_user(org, role="editor")


@pytest.fixture
def assessment(editor):
    return make_assessment(editor)


@pytest.fixture
def consultation(assessment, editor):
    consultation = open_consultation(assessment, editor)
    db.session.commit()
    return consultation


def response_count() -> int:
    return db.session.scalar(select(func.count(ConsultationResponse.id)))


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


# --- Opening -------------------------------------------------------------------------------


def test_an_editor_opens_a_consultation_with_the_chosen_questions(assessment, editor):
    guiding = [q.question_id for q in assessment.questions if q.kind == "guiding"]
    consultation = open_consultation(assessment, editor, question_ids=list(reversed(guiding[:2])))
    assert consultation.phase(TODAY) == "open"
    assert [q.question_id for q in consultation.questions()] == guiding[:2]  # the assessment's order
    assert "consultation.opened" in actions()
    assert services.public_consultations() == [consultation]


@pytest.mark.parametrize(
    ("opens", "closes", "message"),
    [
        (TODAY, TODAY - timedelta(days=1), "slutte"),
        (TODAY - timedelta(days=10), TODAY - timedelta(days=2), "i dag eller senere"),
        (TODAY, TODAY + timedelta(days=181), "180 dage"),
        (TODAY, date(9999, 12, 31), "et år fra i dag"),
        (date(9999, 12, 1), date(9999, 12, 31), "et år fra i dag"),
        (TODAY + timedelta(days=300), TODAY + timedelta(days=366), "et år fra i dag"),
        (TODAY - timedelta(days=3), TODAY + timedelta(days=10), "tidligst begynde i dag"),
    ],
)
def test_an_impossible_period_is_refused(assessment, editor, opens, closes, message):
    with pytest.raises(services.ConsultationError, match=message):
        open_consultation(assessment, editor, opens=opens, closes=closes)


def test_opening_is_for_editors_on_drafts_and_deliberations_only(org, assessment, editor):
    with pytest.raises(NotAllowed):
        open_consultation(assessment, make_user(org, role="member"))
    answer_everything(assessment, editor)
    signed, _ = make_signed_with_consultation(org)
    with pytest.raises(NotEditable):
        open_consultation(signed, make_user(org, role="editor"))


def test_only_one_consultation_runs_at_a_time_and_unknown_questions_are_refused(assessment, editor):
    with pytest.raises(services.ConsultationError, match="Vælg spørgsmål"):
        open_consultation(assessment, editor, question_ids=["findes-ikke"])
    open_consultation(assessment, editor)
    with pytest.raises(services.ConsultationError, match="allerede"):
        open_consultation(assessment, editor, opens=TODAY + timedelta(days=40), closes=TODAY + timedelta(days=50))


def test_an_introduction_that_looks_like_code_is_kept_as_typed(assessment, editor):
    consultation = open_consultation(assessment, editor, introduction="Hej <script>alert(1)</script>")
    assert consultation.introduction == "Hej <script>alert(1)</script>"


def test_a_running_consultation_keeps_its_first_day_but_can_be_extended(consultation, editor):
    with pytest.raises(services.ConsultationError, match="startdatoen"):
        services.update_consultation(
            consultation,
            user=editor,
            opens=TODAY + timedelta(days=1),
            closes=consultation.closes,
            introduction="Ny tekst",
            question_ids=[],
        )
    services.update_consultation(
        consultation,
        user=editor,
        opens=consultation.opens,
        closes=consultation.closes + timedelta(days=7),
        introduction="Ny tekst",
        question_ids=[],
    )
    assert consultation.closes == TODAY + timedelta(days=35)
    assert consultation.introduction == "Ny tekst"


def test_closing_early_stops_responses_and_cancelling_a_planned_one_removes_it(assessment, editor, consultation):
    services.close_consultation(consultation, user=editor)
    assert consultation.phase(TODAY) == "closed"
    with pytest.raises(services.ConsultationClosed):
        respond(consultation)
    planned = open_consultation(assessment, editor, opens=TODAY + timedelta(days=3), closes=TODAY + timedelta(days=9))
    services.close_consultation(planned, user=editor)
    assert services.consultations_of(assessment) == [consultation]
    assert "consultation.cancelled" in actions()


# --- Receiving -----------------------------------------------------------------------------


def test_a_response_waits_for_moderation_and_the_address_is_kept_only_as_a_keyed_hash(consultation):
    response = respond(consultation, address="198.51.100.7", author_name="Inge Hansen")
    assert response.status == "pending"
    assert response.address_hash == services.address_hash("198.51.100.7")
    assert "198.51.100.7" not in response.address_hash
    assert len(response.address_hash) == 64
    # Not even the audit log names the sender.
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "consultation.response_received")).one()
    assert "Inge" not in event.summary + json.dumps(event.detail)


def test_the_address_hash_depends_on_the_secret_key(app, consultation):
    first = services.address_hash("198.51.100.7")
    app.config["SECRET_KEY"] = "another-secret-key-of-enough-length-1234"
    assert services.address_hash("198.51.100.7") != first


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("   ", "tom"),
        ("x" * (services.BODY_MAX + 1), "højst være 5.000 tegn"),
        ("Styretegn \x00 her", "styretegn"),
    ],
)
def test_bad_text_is_refused_and_nothing_is_stored(consultation, body, message):
    with pytest.raises(services.ConsultationError, match=message):
        respond(consultation, body=body)
    db.session.rollback()
    assert response_count() == 0


@pytest.mark.parametrize(
    "body",
    [
        "Mødet er onsdag = i morgen.",
        "Se <script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "<a href='javascript:alert(1)'>her</a>",
        "a < b && c > d",
    ],
)
def test_text_that_looks_like_code_is_accepted_as_typed(consultation, body):
    """Every page, feed and PDF escapes what it shows; no text is refused for looking like code."""
    assert respond(consultation, body=body).body == body


def test_a_response_can_be_about_one_of_the_chosen_questions_only(assessment, consultation):
    chosen = consultation.questions()[0]
    response = respond(consultation, question_id=chosen.question_id)
    assert response.question_text == chosen.text
    central = next(q for q in assessment.questions if q.kind == "central")
    with pytest.raises(services.ConsultationError, match="høringens spørgsmål"):
        respond(consultation, question_id=central.question_id)


def test_one_address_may_send_five_responses_a_day(consultation):
    for _ in range(services.RESPONSES_PER_ADDRESS):
        respond(consultation, address="203.0.113.9")
    with pytest.raises(services.TooManyResponses, match="Prøv igen i morgen"):
        respond(consultation, address="203.0.113.9")
    respond(consultation, address="203.0.113.10")  # someone else is not affected
    assert response_count() == services.RESPONSES_PER_ADDRESS + 1


def test_a_consultation_that_has_not_opened_or_has_closed_takes_nothing(assessment, editor):
    planned = open_consultation(assessment, editor, opens=TODAY + timedelta(days=2), closes=TODAY + timedelta(days=9))
    with pytest.raises(services.ConsultationClosed, match="ikke begyndt"):
        services.receive_response(
            planned,
            body="Tidligt svar",
            question_id=None,
            author_name="",
            author_organisation="",
            publish_name=False,
            address="192.0.2.50",
            today=TODAY,
        )
    with pytest.raises(services.ConsultationClosed, match="sluttede"):
        services.receive_response(
            planned,
            body="Sent svar",
            question_id=None,
            author_name="",
            author_organisation="",
            publish_name=False,
            address="192.0.2.50",
            today=TODAY + timedelta(days=10),
        )
    assert response_count() == 0


# --- Moderation and answers ----------------------------------------------------------------


def test_moderation_needs_a_defined_reason_to_reject_and_is_audited(org, consultation, editor):
    response = respond(consultation)
    with pytest.raises(services.ConsultationError, match="begrundelse"):
        services.moderate(response, user=editor, approve=False, reason="jeg kan ikke lide det")
    with pytest.raises(NotAllowed):
        services.moderate(response, user=make_user(org, role="member"), approve=True)
    services.moderate(response, user=editor, approve=False, reason="kraenkende")
    assert (response.status, response.rejection_label) == ("rejected", "Krænkende indhold")
    services.moderate(response, user=editor, approve=True)
    assert (response.status, response.rejection_reason) == ("approved", "")
    assert actions().count("consultation.response_moderated") == 2


def test_only_an_approved_response_gets_an_answer_and_it_needs_a_status_and_reason(consultation, editor):
    response = respond(consultation)
    with pytest.raises(services.ConsultationError, match="godkendte"):
        services.answer_response(response, user=editor, answer_status="indarbejdet", answer="Tak.")
    services.moderate(response, user=editor, approve=True)
    with pytest.raises(services.ConsultationError, match="Vælg"):
        services.answer_response(response, user=editor, answer_status="maaske", answer="Tak.")
    with pytest.raises(services.ConsultationError, match="tom"):
        services.answer_response(response, user=editor, answer_status="indarbejdet", answer="  ")
    services.answer_response(response, user=editor, answer_status="ikke_indarbejdet", answer="Fordi …")
    assert response.is_answered and response.answer_status_label == "Ikke indarbejdet"


# --- The duty to respond -------------------------------------------------------------------


def test_sign_off_waits_for_the_close_moderation_and_every_answer(org, assessment, editor):
    answer_everything(assessment, editor)
    consultation = open_consultation(assessment, editor)
    assessments.transition(assessment, "start_deliberation", user=editor)
    signoff.name_signatories(
        assessment, [make_user(org, role="member").id, make_user(org, role="admin").id], user=editor
    )

    def blocked() -> str:
        with pytest.raises(TransitionBlocked) as error:
            assessments.transition(assessment, "request_signoff", user=editor)
        return str(error.value)

    first = respond(consultation, author_name="Inge Hansen", author_organisation="Ældrerådet", publish_name=True)
    second = respond(consultation, question_id=consultation.questions()[0].question_id)
    assert "Høringen er åben" in blocked()
    services.close_consultation(consultation, user=editor)
    assert "2 høringssvar venter på at blive godkendt" in blocked()
    services.moderate(first, user=editor, approve=True)
    services.moderate(second, user=editor, approve=True)
    message = blocked()
    assert "2 godkendte høringssvar mangler udvalgets svar" in message
    assert "nr. 1 (Inge Hansen, Ældrerådet, om hele forslaget)" in message
    assert f"nr. 2 (en borger, om {consultation.questions()[0].text})" in message
    services.answer_response(first, user=editor, answer_status="indarbejdet", answer="Tilføjet.")
    assert "1 godkendte høringssvar" in blocked()
    services.answer_response(second, user=editor, answer_status="ikke_indarbejdet", answer="Fordi …")
    assessments.transition(assessment, "request_signoff", user=editor)
    assert assessment.status == "awaiting_signoff"


def test_a_rejected_response_does_not_block_sign_off(org, assessment, editor):
    answer_everything(assessment, editor)
    consultation = open_consultation(assessment, editor)
    services.moderate(respond(consultation, body="Køb billige ure her"), user=editor, approve=False, reason="spam")
    services.close_consultation(consultation, user=editor)
    assessments.transition(assessment, "start_deliberation", user=editor)
    signoff.name_signatories(
        assessment, [make_user(org, role="member").id, make_user(org, role="admin").id], user=editor
    )
    assessments.transition(assessment, "request_signoff", user=editor)
    assert assessment.status == "awaiting_signoff"


# --- The record and the PDF ----------------------------------------------------------------


def test_the_signed_record_holds_approved_responses_and_answers_without_hidden_names(org):
    assessment, consultation = make_signed_with_consultation(org)
    record = json.loads(assessment.signed_record.canonical_json)
    jsonschema.validate(record, canonical.load_schema())
    [section] = record["consultations"]
    assert section["opens"] == consultation.opens.isoformat()
    assert [r["author"] for r in section["responses"]] == ["Inge Hansen, Ældrerådet", ""]
    assert section["responses"][1]["body"] == "<b>Husk</b> de pårørende"
    assert section["responses"][0]["answer_status_label"] == "Delvist indarbejdet"
    assert "Skjult Person" not in assessment.signed_record.canonical_json


def test_rejected_responses_stay_out_of_the_record(assessment, editor):
    consultation = open_consultation(assessment, editor)
    services.moderate(respond(consultation, body="Spam spam"), user=editor, approve=False, reason="spam")
    [section] = canonical.snapshot(assessment)["consultations"]
    assert section["responses"] == []


def pdf_text(data: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", " ", text)


def test_the_signed_pdf_prints_what_citizens_said_and_what_the_board_did(org):
    assessment, _ = make_signed_with_consultation(org)
    text = pdf_text(bytes(assessment.signed_record.pdf))
    assert "7. Borgerinddragelse og høringssvar" in text
    assert "Høringssvar 1 fra Inge Hansen, Ældrerådet" in text
    assert "Jeg er bekymret for, om min mor bliver overvåget." in text
    assert "<b>Husk</b> de pårørende" in text  # markup printed as text
    assert "Udvalgets svar: Delvist indarbejdet" in text
    assert "Skjult Person" not in text


# --- Personal data -------------------------------------------------------------------------


def test_addresses_are_erased_thirty_days_after_the_close_and_purging_is_idempotent(consultation, editor):
    response = respond(consultation)
    services.close_consultation(consultation, user=editor)
    assert services.purge_addresses(today=TODAY + timedelta(days=30)) == 0
    assert response.address_hash is not None
    assert services.purge_addresses(today=TODAY + timedelta(days=31)) == 1
    assert response.address_hash is None
    assert services.purge_addresses(today=TODAY + timedelta(days=60)) == 0
    assert actions().count("consultation.addresses_purged") == 1


def test_the_purge_command_runs_from_the_cli(runner, consultation, editor):
    respond(consultation)
    consultation.opens = consultation.closes = TODAY - timedelta(days=40)
    db.session.commit()
    result = runner.invoke(args=["consultation", "purge"])
    assert result.exit_code == 0, result.output
    assert "Erased 1 address hashes." in result.output
    assert db.session.scalar(select(ConsultationResponse.address_hash)) is None
    assert "Erased 0 address hashes." in runner.invoke(args=["consultation", "purge"]).output


# --- The public pages ----------------------------------------------------------------------


def form_data(**values) -> dict:
    return {
        "question": "",
        "body": "Tænk på de pårørende.",
        "author_name": "",
        "author_organisation": "",
        "website": "",
        **values,
    }


def test_hoeringer_lists_open_consultations_only(client, assessment, editor, org):
    open_one = open_consultation(assessment, editor)
    later = make_assessment(editor, title="Spiserobot")
    open_consultation(later, editor, opens=TODAY + timedelta(days=5), closes=TODAY + timedelta(days=20))
    db.session.commit()
    page = client.get("/hoeringer").get_data(as_text=True)
    assert f"/hoeringer/{open_one.public_id}" in page
    assert "Spiserobot" not in page


def test_a_citizen_responds_without_an_account_and_sees_it_once_approved(client, consultation, editor):
    url = f"/hoeringer/{consultation.public_id}"
    page = client.get(url).get_data(as_text=True)
    assert "Forslaget kort fortalt" in page and "Hvad er teknologien, og hvad gør den?" in page
    assert consultation.questions()[0].text in page
    response = client.post(
        url,
        data=form_data(
            body="<em>Husk</em> natten", author_name="Inge Hansen", author_organisation="Ældrerådet", publish_name="y"
        ),
    )
    assert response.status_code == 303
    assert "Tak for dit høringssvar" in client.get(url).get_data(as_text=True)
    stored = db.session.scalars(select(ConsultationResponse)).one()
    assert "Husk" not in client.get(url).get_data(as_text=True)  # not before approval
    services.moderate(stored, user=editor, approve=True)
    db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert "&lt;em&gt;Husk&lt;/em&gt; natten" in page and "<em>Husk</em>" not in page
    assert "Høringssvar 1 fra Inge Hansen, Ældrerådet" in page


def test_the_form_accepts_text_that_a_script_filter_used_to_refuse(client, consultation):
    url = f"/hoeringer/{consultation.public_id}"
    response = client.post(url, data=form_data(body="Vi mødes onsdag = i morgen.", author_name="onclick=ja"))
    assert response.status_code == 303
    stored = db.session.scalars(select(ConsultationResponse)).one()
    assert (stored.body, stored.author_name) == ("Vi mødes onsdag = i morgen.", "onclick=ja")


def test_an_unpublished_name_never_appears_publicly(client, consultation, editor):
    client.post(f"/hoeringer/{consultation.public_id}", data=form_data(author_name="Hemmelig Hansen"))
    services.moderate(db.session.scalars(select(ConsultationResponse)).one(), user=editor, approve=True)
    db.session.commit()
    page = client.get(f"/hoeringer/{consultation.public_id}").get_data(as_text=True)
    assert "Hemmelig" not in page and "fra en borger" in page


@pytest.mark.parametrize(
    ("values", "status", "message"),
    [
        ({"website": "http://spam.example"}, 422, "skjult felt"),
        ({"body": ""}, 422, "Skriv dit høringssvar."),
        ({"body": "å" * 5001}, 422, "højst være 5.000 tegn"),
        ({"author_name": "n" * 121}, 422, "højst være 120 tegn"),
        ({"question": "findes-ikke"}, 422, "Vælg en af mulighederne."),
    ],
)
def test_bad_input_comes_back_with_a_danish_message_and_what_was_typed(client, consultation, values, status, message):
    data = form_data(author_organisation="Ældrerådet i Aarhus", **values)
    response = client.post(f"/hoeringer/{consultation.public_id}", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == status
    assert message in page
    assert "Ældrerådet i Aarhus" in page  # what they typed is kept
    assert response_count() == 0


def test_too_many_responses_from_one_address_get_429(client, consultation):
    url = f"/hoeringer/{consultation.public_id}"
    for _ in range(services.RESPONSES_PER_ADDRESS):
        assert client.post(url, data=form_data()).status_code == 303
    response = client.post(url, data=form_data(body="Et svar for meget"))
    assert response.status_code == 429
    assert "Prøv igen i morgen" in response.get_data(as_text=True)
    assert "Et svar for meget" in response.get_data(as_text=True)
    assert response_count() == services.RESPONSES_PER_ADDRESS


def test_a_closed_or_planned_consultation_explains_itself_and_takes_nothing(client, assessment, editor, consultation):
    services.close_consultation(consultation, user=editor)
    planned = open_consultation(
        make_assessment(editor, title="Senere"),
        editor,
        opens=TODAY + timedelta(days=3),
        closes=TODAY + timedelta(days=9),
    )
    db.session.commit()
    for target, heading in ((consultation, "Høringen er afsluttet"), (planned, "Høringen er ikke begyndt")):
        url = f"/hoeringer/{target.public_id}"
        page = client.get(url).get_data(as_text=True)
        assert heading in page and "Send høringssvar" not in page
        assert client.post(url, data=form_data()).status_code == 409
    assert response_count() == 0
    assert client.get("/hoeringer/findes-ikke").status_code == 404


@pytest.mark.parametrize("app_overrides", [{"WTF_CSRF_ENABLED": True}])
def test_a_response_without_a_csrf_token_is_refused(client, consultation):
    response = client.post(f"/hoeringer/{consultation.public_id}", data=form_data())
    assert response.status_code == 400
    assert response_count() == 0


# --- The board's pages ---------------------------------------------------------------------


def test_the_board_opens_moderates_and_answers_through_its_pages(client, assessment, editor):
    login(client, editor)
    base = f"/intern/vurderinger/{assessment.public_id}/hoeringer"
    response = client.post(
        f"{base}/ny",
        data={
            "opens": TODAY.isoformat(),
            "closes": (TODAY - timedelta(days=1)).isoformat(),
            "introduction": "Vi vil gerne høre jer.",
        },
    )
    assert response.status_code == 422
    assert "Den sidste dag skal være samme dag som eller efter den første." in response.get_data(as_text=True)
    assert "Vi vil gerne høre jer." in response.get_data(as_text=True)
    response = client.post(
        f"{base}/ny",
        data={
            "opens": TODAY.isoformat(),
            "closes": (TODAY + timedelta(days=14)).isoformat(),
            "introduction": "Vi vil gerne høre jer.",
        },
    )
    assert response.status_code == 302
    [consultation] = services.consultations_of(assessment)
    citizen = respond(consultation)
    db.session.commit()

    page = f"{base}/{consultation.public_id}"
    moderate = f"{page}/svar/{citizen.id}/moderer"
    response = client.post(moderate, data={f"m{citizen.id}-decision": "reject"})
    assert response.status_code == 422 and "Vælg, hvorfor svaret afvises." in response.get_data(as_text=True)
    assert client.post(moderate, data={f"m{citizen.id}-decision": "approve"}).status_code == 302
    answer = f"{page}/svar/{citizen.id}/besvar"
    response = client.post(answer, data={f"a{citizen.id}-answer_status": "indarbejdet", f"a{citizen.id}-answer": ""})
    assert response.status_code == 422 and "Udfyld feltet." in response.get_data(as_text=True)
    response = client.post(
        answer,
        data={f"a{citizen.id}-answer_status": "indarbejdet", f"a{citizen.id}-answer": "Vi har tilføjet en betingelse."},
    )
    assert response.status_code == 302
    db.session.refresh(citizen)
    assert citizen.is_answered
    assert "Vi har tilføjet en betingelse." in client.get(page).get_data(as_text=True)
    assert client.post(f"{base}/{consultation.public_id}/luk").status_code == 302
    assert consultation.phase(TODAY) == "closed"


def test_members_read_responses_but_cannot_moderate(client, org, consultation):
    citizen = respond(consultation)
    db.session.commit()
    member = make_user(org, role="member")
    login(client, member)
    base = f"/intern/vurderinger/{consultation.assessment.public_id}/hoeringer/{consultation.public_id}"
    assert client.get(base).status_code == 200
    response = client.post(f"{base}/svar/{citizen.id}/moderer", data={f"m{citizen.id}-decision": "approve"})
    assert response.status_code == 403
    db.session.refresh(citizen)
    assert citizen.status == "pending"
    # The services refuse the role (views no longer check it first): answering and closing too.
    answer = {f"a{citizen.id}-answer_status": "indarbejdet", f"a{citizen.id}-answer": "Svar fra et medlem."}
    assert client.post(f"{base}/svar/{citizen.id}/besvar", data=answer).status_code == 403
    assert client.post(f"{base}/luk").status_code == 403
    assert client.get(f"{base}/rediger").status_code == 403
    db.session.refresh(citizen)
    assert citizen.answer == "" and consultation.phase(TODAY) != "closed"


def test_the_board_extends_a_running_consultation_through_its_page(client, consultation, editor):
    login(client, editor)
    url = f"/intern/vurderinger/{consultation.assessment.public_id}/hoeringer/{consultation.public_id}/rediger"
    form = client.get(url).get_data(as_text=True)
    assert consultation.introduction in form
    data = {
        "opens": consultation.opens.isoformat(),
        "closes": (consultation.closes + timedelta(days=7)).isoformat(),
        "introduction": "Forlænget, fordi Ældrerådet holder møde.",
        "questions": consultation.question_ids,
    }
    refused = client.post(url, data={**data, "opens": (TODAY + timedelta(days=2)).isoformat()})
    assert refused.status_code == 422 and "startdatoen" in refused.get_data(as_text=True)
    assert "Forlænget, fordi Ældrerådet holder møde." in refused.get_data(as_text=True)
    assert client.post(url, data=data).status_code == 302
    db.session.refresh(consultation)
    assert consultation.closes == TODAY + timedelta(days=35)


def test_a_year_ahead_is_the_furthest_a_consultation_may_end(assessment, editor):
    consultation = open_consultation(
        assessment, editor, opens=TODAY + timedelta(days=200), closes=TODAY + timedelta(days=365)
    )
    with pytest.raises(services.ConsultationError, match="et år fra i dag"):
        services.update_consultation(
            consultation,
            user=editor,
            opens=consultation.opens,
            closes=date(9999, 12, 31),
            introduction="Ny tekst",
            question_ids=[],
        )


def test_a_date_in_year_9999_is_refused_in_danish_and_the_form_comes_back(client, assessment, editor):
    login(client, editor)
    url = f"/intern/vurderinger/{assessment.public_id}/hoeringer/ny"
    data = {
        "opens": TODAY.isoformat(),
        "closes": "9999-12-31",
        "introduction": "Skriv til os om forslaget.",
        "questions": [],
    }
    refused = client.post(url, data=data)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "Høringen skal slutte senest" in page and "et år fra i dag" in page
    assert "9999-12-31" in page and "Skriv til os om forslaget." in page
    assert services.consultations_of(assessment) == []
    started_earlier = client.post(
        url,
        data={
            **data,
            "opens": (TODAY - timedelta(days=5)).isoformat(),
            "closes": (TODAY + timedelta(days=5)).isoformat(),
        },
    )
    assert started_earlier.status_code == 422 and "tidligst begynde i dag" in started_earlier.get_data(as_text=True)
    assert services.consultations_of(assessment) == []


# --- What the public page shows: the proposal as it was put to consultation ----------------


def test_the_public_page_shows_the_frozen_proposal_and_never_an_unsigned_decision(client, assessment, editor):
    answer_everything(assessment, editor)  # the draft has a (draft) decision before the consultation
    consultation = open_consultation(assessment, editor)
    db.session.commit()
    url = f"/hoeringer/{consultation.public_id}"
    before = client.get(url).get_data(as_text=True)
    assert "Borgere med demens falder om natten" in before
    assert "Anbefales med betingelser" not in before and "Hvad har kommunen besluttet?" not in before
    assert "Etikrådet giver sin anbefaling efter høringen" in before

    # After the consultation: a new draft text, a new title and a decision nobody has signed.
    services.close_consultation(consultation, user=editor)
    complete_proposal(assessment, editor, problem="Ny udkasttekst skrevet efter høringen.")
    assessments.save_proposal(assessment, {"title": "Ny titel efter høringen"}, expected_version=None, user=editor)
    assessments.save_decision(
        assessment,
        {"decision": "anbefales_ikke", "decision_reasoning": "Ikke underskrevet.", "review_date": None},
        expected_version=None,
        user=editor,
    )
    db.session.commit()
    after = client.get(url).get_data(as_text=True)
    assert "Borgere med demens falder om natten" in after
    assert "Sensorer i plejeboliger" in after
    for unsigned in (
        "Ny udkasttekst skrevet efter høringen.",
        "Ny titel efter høringen",
        "Anbefales ikke",
        "Ikke underskrevet.",
        "Hvad har kommunen besluttet?",
    ):
        assert unsigned not in after
    listing = client.get("/hoeringer").get_data(as_text=True)
    assert "Ny titel efter høringen" not in listing


def test_the_snapshot_is_the_canonical_proposal_with_its_hash(assessment, editor):
    complete_proposal(assessment, editor)
    consultation = open_consultation(assessment, editor)
    snapshot = json.loads(consultation.snapshot_json)
    assert consultation.snapshot_sha256 == canonical.sha256_hex(consultation.snapshot_json.encode("utf-8"))
    assert set(snapshot) == {*services.SNAPSHOT_KEYS, "questions"}  # no decision, deliberation or positions
    assert snapshot["title"] == assessment.title
    assert consultation.snapshot_json == canonical.canonical_bytes(snapshot).decode("utf-8")


def test_a_planned_consultation_takes_the_proposal_as_it_stands_when_changed(assessment, editor):
    complete_proposal(assessment, editor)
    planned = open_consultation(assessment, editor, opens=TODAY + timedelta(days=3), closes=TODAY + timedelta(days=9))
    complete_proposal(assessment, editor, problem="Rettet før høringen begyndte.")
    services.update_consultation(
        planned,
        user=editor,
        opens=planned.opens,
        closes=planned.closes,
        introduction=planned.introduction,
        question_ids=planned.question_ids,
    )
    assert "Rettet før høringen begyndte." in planned.snapshot_json
    running = services.consulted_proposal(planned)
    assert running.snapshot is not None and not running.changed


def test_a_running_consultation_keeps_the_proposal_it_opened_with(consultation, editor):
    frozen = consultation.snapshot_json
    complete_proposal(consultation.assessment, editor, problem="Ændret, mens høringen kører.")
    services.update_consultation(
        consultation,
        user=editor,
        opens=consultation.opens,
        closes=consultation.closes,
        introduction="Ny tekst",
        question_ids=consultation.question_ids,
    )
    assert consultation.snapshot_json == frozen


def test_an_old_consultation_without_a_snapshot_shows_a_neutral_notice(client, consultation):
    db.session.execute(text("UPDATE consultation SET snapshot_json = NULL, snapshot_sha256 = NULL"))
    db.session.commit()
    page = client.get(f"/hoeringer/{consultation.public_id}").get_data(as_text=True)
    assert "er ikke gemt for denne høring" in page
    assert "Borgere med demens" not in page  # nothing from the live draft


def test_a_changed_snapshot_is_not_shown(client, consultation):
    db.session.execute(text("UPDATE consultation SET snapshot_json = replace(snapshot_json, 'Sensorer', 'Kameraer')"))
    db.session.commit()
    page = client.get(f"/hoeringer/{consultation.public_id}").get_data(as_text=True)
    assert "Det gemte forslag er ændret" in page and "Kameraer" not in page
