"""Sign-off: signatories, fresh-password signing, voiding, freezing, immutability, reopening."""

import json
import re
import threading
import time
from datetime import date

import jsonschema
import pytest
from assessment_factories import answer_everything, make_assessment
from factories import PASSWORD, login, make_org, make_user
from sqlalchemy import text

from app.accounts import services as accounts_services
from app.accounts.models import User
from app.assessments import services as assessment_services
from app.assessments.models import Assessment
from app.audit.models import AuditEvent
from app.content.loader import get_content
from app.extensions import db
from app.pdf import bounds
from app.signoff import canonical, codes, services
from app.signoff.models import FrozenRecordError, Signature, SignedRecord


@pytest.fixture
def editor(org):
    return make_user(org, role="editor", name="Sekretær Sand")


@pytest.fixture
def chair(org):
    return make_user(org, role="member", name="Formand Frederiksen", title="Formand for udvalget")


@pytest.fixture
def director(org):
    return make_user(org, role="admin", name="Direktør Dahl", title="Direktør")


def ready(editor, chair, director) -> Assessment:
    """An assessment with every answer given, signatories named, awaiting sign-off."""
    assessment = make_assessment(editor)
    answer_everything(assessment, editor)
    assessment_services.transition(assessment, "start_deliberation", user=editor)
    services.name_signatories(assessment, [chair.id, director.id], user=editor)
    assessment_services.transition(assessment, "request_signoff", user=editor)
    db.session.commit()
    return assessment


@pytest.fixture
def awaiting(editor, chair, director):
    return ready(editor, chair, director)


def sign_as(user, assessment, *, password_ok=lambda u, p: True):
    _, record_sha256 = services.current_record(assessment, get_content())
    result = services.sign(
        assessment,
        user=user,
        password="x",
        seen_hash=record_sha256,
        seen_at=None,
        content=get_content(),
        password_ok=password_ok,
    )
    db.session.commit()
    return result


def signing_form(client, assessment, password: str = PASSWORD) -> dict:
    """Open the signing page as the logged-in user; the form's fields as they would be posted."""
    html = client.get(f"/intern/vurderinger/{assessment.public_id}/underskrift").get_data(as_text=True)
    return {
        "record_sha256": re.search(r'name="record_sha256"[^>]*value="([0-9a-f]{64})"', html).group(1),
        "seen_at": re.search(r'name="seen_at"[^>]*value="([^"]+)"', html).group(1),
        "password": password,
        "read_text": "y",
    }


# --- Signatories ---------------------------------------------------------------------------


def test_request_signoff_needs_named_signatories(editor):
    assessment = make_assessment(editor)
    answer_everything(assessment, editor)
    assessment_services.transition(assessment, "start_deliberation", user=editor)
    with pytest.raises(assessment_services.TransitionBlocked, match="mindst 2 underskrivere"):
        assessment_services.transition(assessment, "request_signoff", user=editor)


def test_signatories_need_someone_other_than_the_creator(app, editor, chair):
    app.config["SIGNATORIES_REQUIRED"] = 1
    creator = make_user(editor.organisation, role="admin")
    assessment = make_assessment(creator)
    with pytest.raises(assessment_services.AssessmentError, match="ikke være den, der oprettede"):
        services.name_signatories(assessment, [creator.id], user=editor)
    services.name_signatories(assessment, [chair.id], user=editor)


def test_signatories_must_be_enough_and_from_the_municipality(editor, chair):
    assessment = make_assessment(editor)
    with pytest.raises(assessment_services.AssessmentError, match="mindst 2"):
        services.name_signatories(assessment, [chair.id], user=editor)
    stranger = make_user(make_org("Andeby"), role="member")
    with pytest.raises(assessment_services.AssessmentError, match="Kun aktive"):
        services.name_signatories(assessment, [chair.id, stranger.id], user=editor)


# --- Signing -------------------------------------------------------------------------------


def test_signing_page_shows_what_is_signed_and_its_hash(client, awaiting, chair):
    login(client, chair)
    html = client.get(f"/intern/vurderinger/{awaiting.public_id}/underskrift").get_data(as_text=True)
    _, record_sha256 = services.current_record(awaiting, get_content())
    assert record_sha256 in html
    assert "Gennemsigtighedserklæring" in html
    assert awaiting.decision_reasoning[:40] in html


def test_signing_page_shows_the_whole_proposal_and_the_documents_being_signed(client, editor, chair, director):
    """Issue 17: the signer reads the "Forslaget" section (every field of the record's proposal,
    under its group) and the documents, an uploaded file named by its SHA-256, from the record."""
    import hashlib
    from html import unescape

    from app.demo.documents import dpia_pdf
    from app.documents import services as documents

    assessment = make_assessment(editor)
    answer_everything(assessment, editor)
    documents.save_document(
        assessment,
        "dpia",
        {
            "status": "foreligger",
            "title": "Konsekvensanalyse for sensorer",
            "url": "",
            "document_date": date(2026, 2, 3),
            "reason": "",
        },
        user=editor,
        upload=dpia_pdf(),
        upload_name="dpia.pdf",
    )
    assessment_services.transition(assessment, "start_deliberation", user=editor)
    services.name_signatories(assessment, [chair.id, director.id], user=editor)
    assessment_services.transition(assessment, "request_signoff", user=editor)
    db.session.commit()
    login(client, chair)
    html = unescape(client.get(f"/intern/vurderinger/{assessment.public_id}/underskrift").get_data(as_text=True))
    signed_text = html.split('class="signed-text', 1)[1]
    record, _ = services.current_record(assessment, get_content())
    assert "Forslaget" in signed_text
    for item in record["proposal"]:
        assert item["label"] in signed_text and item["group_title"] in signed_text
    complaint = next(item for item in record["proposal"] if item["field"] == "complaint_how")
    assert complaint["text"] and complaint["text"] in signed_text
    assert "Konsekvensanalyse for sensorer" in signed_text
    assert hashlib.sha256(dpia_pdf()).hexdigest() in signed_text  # the file as signed, by hash


def test_a_user_who_is_not_a_signatory_gets_403(client, awaiting, editor):
    login(client, editor)
    assert client.get(f"/intern/vurderinger/{awaiting.public_id}/underskrift").status_code == 403
    assert client.post(f"/intern/vurderinger/{awaiting.public_id}/underskrift", data={}).status_code == 403


def test_signing_without_the_right_password_is_refused_and_counted(client, awaiting, chair):
    login(client, chair)
    url = f"/intern/vurderinger/{awaiting.public_id}/underskrift"
    data = signing_form(client, awaiting, "forkert-kode-123")
    response = client.post(url, data=data)
    assert response.status_code == 422
    assert "Adgangskoden er forkert" in response.get_data(as_text=True)
    db.session.refresh(chair)
    assert chair.failed_logins == 1
    assert db.session.scalar(db.select(db.func.count(Signature.id))) == 0

    empty = client.post(url, data=data | {"password": ""})
    assert empty.status_code == 422
    assert "Skriv din adgangskode" in empty.get_data(as_text=True)

    signed = client.post(url, data=data | {"password": PASSWORD})
    assert signed.status_code == 302
    assert db.session.scalar(db.select(db.func.count(Signature.id))) == 1


def test_a_wrong_signing_password_is_committed_although_the_signature_is_refused(client, awaiting, chair):
    """The count is written by the service in a transaction of its own (ADR 0008): a connection
    of its own, which sees only committed rows, sees it after the 422, and no signature."""
    login(client, chair)
    url = f"/intern/vurderinger/{awaiting.public_id}/underskrift"
    response = client.post(url, data=signing_form(client, awaiting, "forkert-kode-123"))
    assert response.status_code == 422
    db.session.rollback()
    with db.engine.connect() as connection:
        assert connection.scalar(db.select(User.failed_logins).where(User.id == chair.id)) == 1
        assert connection.scalar(db.select(db.func.count(Signature.id))) == 0


def test_signing_confirms_the_password_without_recording_a_login(client, awaiting, chair):
    """Signing asks for the password again through accounts.confirm_password: a wrong one counts
    toward the lock like a login, a right one signs, and neither is a login."""
    login(client, chair)
    db.session.refresh(chair)
    logins_before = db.session.scalar(db.select(db.func.count(AuditEvent.id)).where(AuditEvent.action == "user.login"))
    last_login = chair.last_login_at
    url = f"/intern/vurderinger/{awaiting.public_id}/underskrift"
    data = signing_form(client, awaiting)
    assert client.post(url, data=data | {"password": "forkert-kode-123"}).status_code == 422
    db.session.refresh(chair)
    assert chair.failed_logins == 1
    assert client.post(url, data=data).status_code == 302
    db.session.refresh(chair)
    assert chair.failed_logins == 0
    assert chair.last_login_at == last_login
    assert (
        db.session.scalar(db.select(db.func.count(AuditEvent.id)).where(AuditEvent.action == "user.login"))
        == logins_before
    )
    assert db.session.scalar(db.select(db.func.count(Signature.id))) == 1


def test_a_signatory_locked_by_wrong_passwords_cannot_sign_with_the_right_one(client, awaiting, chair):
    login(client, chair)
    url = f"/intern/vurderinger/{awaiting.public_id}/underskrift"
    data = signing_form(client, awaiting)
    for _ in range(accounts_services.MAX_FAILED_LOGINS):
        assert client.post(url, data=data | {"password": "forkert-kode-123"}).status_code == 422
    db.session.refresh(chair)
    assert chair.locked_until is not None
    assert client.post(url, data=data).status_code == 422
    assert db.session.scalar(db.select(db.func.count(Signature.id))) == 0


def test_signing_a_record_that_changed_since_the_page_was_opened_shows_what_changed(client, awaiting, chair, director):
    login(client, chair)
    url = f"/intern/vurderinger/{awaiting.public_id}/underskrift"
    data = signing_form(client, awaiting)
    assessment_services.save_position(awaiting, "uenig", "Jeg er imod overvågningen", user=director)
    db.session.commit()
    response = client.post(url, data=data)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "ændret, siden du åbnede siden" in html
    assert "Direktør Dahl har tilkendegivet: Uenig" in html
    assert "Jeg er imod overvågningen" in html  # the dissent is part of what is signed


def test_any_change_voids_every_signature(awaiting, chair, director):
    sign_as(chair, awaiting)
    assert len(services.valid_signatures(awaiting, services.current_record(awaiting, get_content())[1])) == 1
    assessment_services.save_position(awaiting, "uenig", "Ny mindretalsudtalelse", user=director)
    db.session.commit()
    signature = db.session.scalar(db.select(Signature))
    assert signature.voided_at is not None
    assert services.valid_signatures(awaiting, services.current_record(awaiting, get_content())[1]) == []


def test_returning_to_deliberation_voids_signatures(awaiting, chair, editor):
    sign_as(chair, awaiting)
    assessment_services.transition(awaiting, "return_to_deliberation", user=editor)
    db.session.commit()
    assert db.session.scalar(db.select(Signature)).voided_at is not None


def test_the_last_signature_freezes_the_record(app, awaiting, chair, director):
    assert sign_as(chair, awaiting).frozen is None
    result = sign_as(director, awaiting)
    frozen = result.frozen
    assert frozen is not None
    db.session.refresh(awaiting)
    assert awaiting.status == "signed"
    assert codes.CODE_PATTERN.match(frozen.verification_code)
    assert frozen.pdf.startswith(b"%PDF")
    assert frozen.pdf_sha256 == canonical.sha256_hex(frozen.pdf)
    assert frozen.json_sha256 == canonical.sha256_hex(frozen.canonical_json.encode("utf-8"))
    signed = json.loads(frozen.signatures_json)
    assert [s["name"] for s in signed] == ["Formand Frederiksen", "Direktør Dahl"]
    assert {s.record_sha256 for s in db.session.scalars(db.select(Signature))} == {frozen.json_sha256}


def test_canonical_json_is_stable_and_valid_against_the_schema(awaiting):
    first = canonical.snapshot(awaiting, content=get_content())
    second = canonical.snapshot(awaiting, content=get_content())
    assert canonical.canonical_bytes(first) == canonical.canonical_bytes(second)
    jsonschema.validate(first, canonical.load_schema())
    raw = canonical.canonical_bytes(first)
    assert raw == json.dumps(json.loads(raw), sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    assert first["schema_version"] == canonical.SCHEMA_VERSION


def test_the_schema_refuses_a_record_with_a_missing_field(awaiting):
    record = canonical.snapshot(awaiting, content=get_content())
    del record["decision"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(record, canonical.load_schema())


def test_verification_codes_are_unique_and_well_formed():
    generated = {codes.new_code() for _ in range(2000)}
    assert len(generated) == 2000
    assert all(codes.CODE_PATTERN.match(code) for code in generated)
    assert codes.normalise("7k2m 9qxd 4hta") == "7K2M-9QXD-4HTA"
    assert codes.normalise("OIL0-0000-0000") == "0110-0000-0000"
    assert codes.normalise("too-short") is None


def test_the_frozen_record_cannot_be_changed_by_the_orm_or_by_sql(awaiting, chair, director):
    sign_as(chair, awaiting)
    frozen = sign_as(director, awaiting).frozen
    frozen.canonical_json = "{}"
    with pytest.raises(FrozenRecordError):
        db.session.flush()
    db.session.rollback()
    with pytest.raises(Exception, match="immutable"):
        db.session.execute(text("UPDATE signed_record SET pdf_sha256 = 'x'"))
    db.session.rollback()
    with pytest.raises(Exception, match="immutable"):
        db.session.execute(text("DELETE FROM signed_record"))
    db.session.rollback()
    assert db.session.scalar(db.select(SignedRecord.pdf_sha256)) == frozen.pdf_sha256


def test_a_signed_assessment_can_no_longer_be_edited(awaiting, chair, director, editor):
    sign_as(chair, awaiting)
    sign_as(director, awaiting)
    with pytest.raises(assessment_services.NotEditable):
        assessment_services.save_decision(
            awaiting, {"decision_reasoning": "Ændret"}, expected_version=None, user=editor
        )


def test_draft_pdf_from_any_state_is_never_stored(client, editor):
    assessment = make_assessment(editor)
    login(client, editor)
    response = client.get(f"/intern/vurderinger/{assessment.public_id}/udkast.pdf")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert db.session.scalar(db.select(db.func.count(SignedRecord.id))) == 0


def test_reopen_creates_version_two_with_every_answer_and_leaves_the_old_record(awaiting, chair, director, editor):
    sign_as(chair, awaiting)
    frozen = sign_as(director, awaiting).frozen
    copy = assessment_services.reopen(awaiting, user=editor)
    db.session.commit()
    assert (copy.version_number, copy.status, copy.previous_id) == (2, "draft", awaiting.id)
    assert assessment_services.next_version(awaiting).id == copy.id
    assert [(q.question_id, q.answer) for q in copy.questions] == [
        (q.question_id, q.answer) for q in awaiting.questions
    ]
    assert [r.justification for r in copy.reviews] == [r.justification for r in awaiting.reviews]
    assert copy.decision_reasoning == awaiting.decision_reasoning
    db.session.refresh(awaiting)
    assert awaiting.status == "signed"
    assert awaiting.signed_record.json_sha256 == frozen.json_sha256
    with pytest.raises(assessment_services.AssessmentError, match="allerede genåbnet"):
        assessment_services.reopen(awaiting, user=editor)
    assert copy.review_date == awaiting.review_date or isinstance(copy.review_date, date)


# --- Bounded PDF work (ADR 0005) -------------------------------------------------------------


def many_lines(count: int) -> str:
    return "\n".join(f"Linje {n} i drøftelsen." for n in range(count))


def deliberating(editor, chair, director) -> Assessment:
    assessment = make_assessment(editor)
    answer_everything(assessment, editor)
    assessment_services.transition(assessment, "start_deliberation", user=editor)
    services.name_signatories(assessment, [chair.id, director.id], user=editor)
    db.session.commit()
    return assessment


def test_a_field_with_too_many_lines_blocks_the_request_for_signoff_and_names_the_field(
    client, editor, chair, director
):
    assessment = deliberating(editor, chair, director)
    assessment.questions[0].discussion = many_lines(bounds.MAX_FIELD_LINES + 1)
    db.session.commit()
    with pytest.raises(assessment_services.TransitionBlocked) as blocked:
        assessment_services.transition(assessment, "request_signoff", user=editor)
    db.session.rollback()
    message = " ".join(blocked.value.missing)
    assert "„Spørgsmål 4.1: drøftelse“ har 61 afsnit" in message
    assert f"højst tage {bounds.MAX_FIELD_LINES} afsnit" in message
    login(client, editor)  # the overview says so before anyone tries
    page = client.get(f"/intern/vurderinger/{assessment.public_id}").get_data(as_text=True)
    assert "Spørgsmål 4.1: drøftelse" in page and "61 afsnit" in page
    assessment.questions[0].discussion = many_lines(bounds.MAX_FIELD_LINES)  # at the bound: allowed
    db.session.commit()
    assessment_services.transition(assessment, "request_signoff", user=editor)


def test_a_document_over_the_total_size_is_blocked_and_the_longest_fields_are_named(
    monkeypatch, editor, chair, director
):
    assessment = deliberating(editor, chair, director)
    assessment.questions[1].answer = "Et langt svar. " * 300
    db.session.commit()
    monkeypatch.setattr(bounds, "MAX_DOCUMENT_CHARACTERS", 3000)
    with pytest.raises(assessment_services.TransitionBlocked) as blocked:
        assessment_services.transition(assessment, "request_signoff", user=editor)
    message = " ".join(blocked.value.missing)
    assert "PDF'en kan højst tage 3.000 tegn i alt" in message
    assert "„Spørgsmål 4.2: udvalgets svar“" in message


def test_signing_a_document_that_grew_past_the_bounds_is_refused_before_anything_is_stored(awaiting, chair):
    awaiting.questions[0].answer = many_lines(bounds.MAX_FIELD_LINES + 5)
    db.session.commit()
    with pytest.raises(services.SignRefused, match="for stor til PDF'en"):
        sign_as(chair, awaiting)
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(Signature.id))) == 0


def test_the_signing_page_warns_when_the_document_is_too_large(client, awaiting, chair):
    awaiting.questions[0].answer = many_lines(bounds.MAX_FIELD_LINES + 5)
    db.session.commit()
    login(client, chair)
    page = client.get(f"/intern/vurderinger/{awaiting.public_id}/underskrift").get_data(as_text=True)
    assert "for stor til PDF" in page and "Spørgsmål 4.1: udvalgets svar" in page
    assert 'name="password"' not in page


# --- Re-checked at the moment of signing ---------------------------------------------------


@pytest.mark.parametrize("change", ["demoted", "deactivated"])
def test_a_signatory_demoted_or_deactivated_after_being_named_cannot_sign(client, awaiting, chair, change):
    login(client, chair)
    form = signing_form(client, awaiting)
    if change == "demoted":
        chair.role = "editor"
    else:
        chair.active = False
    db.session.commit()
    with pytest.raises(services.SignRefused, match="kun aktive udvalgsmedlemmer og administratorer"):
        sign_as(chair, awaiting)
    db.session.rollback()
    if change == "demoted":  # still logged in: the page refuses with a message, nothing is stored
        response = client.post(f"/intern/vurderinger/{awaiting.public_id}/underskrift", data=form)
        assert response.status_code == 302
    assert db.session.scalar(db.select(db.func.count(Signature.id))) == 0


# --- The final render outside the transaction ----------------------------------------------


def test_the_last_signature_is_only_prepared_until_the_pdf_is_rendered(awaiting, chair, director):
    sign_as(chair, awaiting)
    _, record_sha256 = services.current_record(awaiting, get_content())
    result = services.sign(
        awaiting,
        user=director,
        password="x",
        seen_hash=record_sha256,
        seen_at=None,
        content=get_content(),
        password_ok=lambda u, p: True,
        defer_freeze=True,
    )
    db.session.commit()
    assert result.pending is not None and result.frozen is None
    assert db.session.scalar(db.select(db.func.count(Signature.id))) == 1  # not stored yet
    assert awaiting.status == "awaiting_signoff"
    done = services.finish_signoff(awaiting, result.pending, user=director, content=get_content())
    db.session.commit()
    assert done.frozen.json_sha256 == record_sha256 and awaiting.status == "signed"
    assert [s["name"] for s in json.loads(done.frozen.signatures_json)] == ["Formand Frederiksen", "Direktør Dahl"]
    assert "Direktør Dahl" in pdf_text(done.frozen.pdf)


def pdf_text(pdf: bytes) -> str:
    import io

    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_a_record_that_moved_while_the_pdf_rendered_is_refused_and_nothing_is_stored(awaiting, chair, director):
    sign_as(chair, awaiting)
    _, record_sha256 = services.current_record(awaiting, get_content())
    pending = services.sign(
        awaiting,
        user=director,
        password="x",
        seen_hash=record_sha256,
        seen_at=None,
        content=get_content(),
        password_ok=lambda u, p: True,
        defer_freeze=True,
    ).pending
    db.session.commit()
    awaiting.decision_reasoning = "Ændret, mens PDF'en blev dannet."
    db.session.commit()
    with pytest.raises(services.RecordMoved, match="ændret, mens PDF'en blev dannet"):
        services.finish_signoff(awaiting, pending, user=director, content=get_content())
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(SignedRecord.id))) == 0
    assert db.session.scalar(db.select(db.func.count(Signature.id)).where(Signature.user_id == director.id)) == 0


def test_a_final_render_over_the_time_limit_stops_says_so_and_stores_nothing(app, client, awaiting, chair, director):
    sign_as(chair, awaiting)
    app.config["PDF_RENDER_SECONDS"] = 1e-6
    login(client, director)
    form = signing_form(client, awaiting)
    response = client.post(f"/intern/vurderinger/{awaiting.public_id}/underskrift", data=form, follow_redirects=True)
    assert "PDF&#39;en kunne ikke dannes" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(SignedRecord.id))) == 0
    assert db.session.scalar(db.select(db.func.count(Signature.id)).where(Signature.user_id == director.id)) == 0
    app.config["PDF_RENDER_SECONDS"] = 20  # and with time enough, the same signature freezes the record
    response = client.post(f"/intern/vurderinger/{awaiting.public_id}/underskrift", data=form)
    assert response.status_code == 302
    assert db.session.scalar(db.select(db.func.count(SignedRecord.id))) == 1


def test_other_municipalities_save_while_the_final_pdf_renders(app, monkeypatch, awaiting, chair, director):
    """On SQLite a render inside the write transaction held the database's write lock: every other
    save failed with "database is locked". The render now runs with no transaction open."""
    sign_as(chair, awaiting)
    other_editor = make_user(make_org("Andeby Kommune"), role="editor")
    other = make_assessment(other_editor)
    db.session.commit()
    rendering, saved = threading.Event(), threading.Event()
    real_render = services.render_pdf

    def slow_render(document, **kwargs):
        rendering.set()
        saved.wait(timeout=15)  # hold the render until the other municipality has saved
        return real_render(document, **kwargs)

    monkeypatch.setattr(services, "render_pdf", slow_render)
    signer = app.test_client()
    login(signer, director)
    form = signing_form(signer, awaiting)
    outcome = {}

    def sign_in_thread():
        response = signer.post(f"/intern/vurderinger/{awaiting.public_id}/underskrift", data=form)
        outcome["status"] = response.status_code

    thread = threading.Thread(target=sign_in_thread)
    thread.start()
    try:
        assert rendering.wait(timeout=30), "the render never started"
        started = time.monotonic()
        assessment_services.save_decision(
            other,
            {"decision_reasoning": "Gemt under en anden kommunes underskrift."},
            expected_version=None,
            user=other_editor,
        )
        db.session.commit()
        assert time.monotonic() - started < 3  # not waiting for a lock
    finally:
        saved.set()
        thread.join(timeout=60)
    assert outcome["status"] == 302
    db.session.expire_all()
    assert db.session.get(Assessment, other.id).decision_reasoning == "Gemt under en anden kommunes underskrift."
    assert db.session.get(Assessment, awaiting.id).status == "signed"


# --- Draft PDFs: cached by what they show, rate-limited per user ----------------------------


def test_a_draft_is_cached_by_its_record_hash_and_rendered_again_after_a_change(client, editor):
    services.DRAFT_CACHE.clear()
    assessment = make_assessment(editor)
    login(client, editor)
    url = f"/intern/vurderinger/{assessment.public_id}/udkast.pdf"
    first, second = client.get(url), client.get(url)
    assert (first.headers["X-Draft-Cache"], second.headers["X-Draft-Cache"]) == ("miss", "hit")
    assert first.data == second.data
    assessment.title = "Ny titel på vurderingen"
    db.session.commit()
    third = client.get(url)
    assert third.headers["X-Draft-Cache"] == "miss" and third.data != first.data


def test_the_draft_cache_is_bounded_in_entries_and_bytes():
    cache = services.DraftCache(entries=3, max_bytes=100)
    for n in range(5):
        cache.put(f"k{n}", b"x" * 10)
    assert [cache.get(f"k{n}") is not None for n in range(5)] == [False, False, True, True, True]
    cache.put("big", b"y" * 95)  # over the byte bound together with the others: the oldest go
    assert cache.get("big") is not None and cache.get("k2") is None
    cache.put("huge", b"z" * 101)
    assert cache.get("huge") is None


@pytest.mark.parametrize("app_overrides", [{"RATELIMIT_ENABLED": True}])
def test_draft_renders_are_rate_limited_per_user_but_cached_drafts_are_free(client, editor):
    assessment = make_assessment(editor)
    login(client, editor)
    url = f"/intern/vurderinger/{assessment.public_id}/udkast.pdf"
    services.DRAFT_CACHE.clear()
    assert client.get(url).headers["X-Draft-Cache"] == "miss"
    for _ in range(8):  # served from the cache: not counted
        assert client.get(url).status_code == 200
    for _ in range(5):
        services.DRAFT_CACHE.clear()
        assert client.get(url).status_code == 200
    services.DRAFT_CACHE.clear()
    refused = client.get(url)
    assert refused.status_code == 429
    assert "For mange forsøg" in refused.get_data(as_text=True)


def test_a_draft_render_over_the_time_limit_says_so(app, client, editor):
    services.DRAFT_CACHE.clear()
    assessment = make_assessment(editor)
    app.config["PDF_RENDER_SECONDS"] = 1e-6
    login(client, editor)
    response = client.get(f"/intern/vurderinger/{assessment.public_id}/udkast.pdf", follow_redirects=True)
    assert response.status_code == 200
    assert "PDF-udkastet kunne ikke dannes" in response.get_data(as_text=True)
