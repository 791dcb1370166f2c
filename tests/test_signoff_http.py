"""Sign-off and reopening through HTTP, as the board does it: the final signature freezes the
record, refusals come back as messages and store nothing, and the audit log names who acted:
each signer for their signature, the app itself (SYSTEM) for freezing and completing."""

from dataclasses import dataclass

import pytest
from assessment_factories import answer_everything, make_assessment, request_signoff
from factories import PASSWORD, hidden, login, make_org, make_user

from app.assessments import services as assessment_services
from app.assessments.models import Assessment
from app.audit.models import AuditEvent
from app.audit.services import SYSTEM, record
from app.extensions import db
from app.signoff import services
from app.signoff.models import Signature, SignedRecord


@dataclass
class Board:
    editor: object
    chair: object
    director: object
    assessment: Assessment


@pytest.fixture
def board(org) -> Board:
    """An assessment awaiting the signatures of a member and an admin."""
    editor = make_user(org, role="editor", name="Sekretær Sand")
    chair = make_user(org, role="member", name="Formand Frederiksen")
    director = make_user(org, role="admin", name="Direktør Dahl")
    assessment = make_assessment(editor)
    answer_everything(assessment, editor)
    request_signoff(assessment, editor, [chair, director])
    db.session.commit()
    return Board(editor, chair, director, assessment)


def open_signing(app, assessment, user):
    """Log in as the user in a client of their own and open the signing page: the client, the
    page's address and the form as it would be posted."""
    client = app.test_client()
    assert login(client, user).status_code == 302
    url = f"/intern/vurderinger/{assessment.public_id}/underskrift"
    html = client.get(url).get_data(as_text=True)
    form = {
        "record_sha256": hidden(html, "record_sha256"),
        "seen_at": hidden(html, "seen_at"),
        "password": PASSWORD,
        "read_text": "y",
    }
    return client, url, form


def sign_over_http(app, assessment, user, *, follow=False):
    client, url, form = open_signing(app, assessment, user)
    return client.post(url, data=form, follow_redirects=follow)


def events(assessment, action: str) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            db.select(AuditEvent)
            .where(AuditEvent.assessment_id == assessment.id, AuditEvent.action == action)
            .order_by(AuditEvent.id)
        )
    )


def count(model) -> int:
    return db.session.scalar(db.select(db.func.count(model.id)))


# --- The final signature -------------------------------------------------------------------


def test_the_final_signature_over_http_freezes_the_record_and_the_app_completes_it(app, board):
    first = sign_over_http(app, board.assessment, board.chair, follow=True)
    assert "Din underskrift er gemt." in first.get_data(as_text=True)
    assert count(SignedRecord) == 0

    last = sign_over_http(app, board.assessment, board.director, follow=True)
    page = last.get_data(as_text=True)
    db.session.refresh(board.assessment)
    frozen = board.assessment.signed_record
    assert board.assessment.status == "signed"
    assert frozen is not None and frozen.pdf.startswith(b"%PDF")
    assert f"låst med verifikationskoden {frozen.verification_code}" in page
    assert count(Signature) == 2

    # Each signature is its signer's; freezing and completing are the app's, not the last signer's.
    assert [e.user_id for e in events(board.assessment, "signature.added")] == [
        board.chair.id,
        board.director.id,
    ]
    for action in ("record.frozen", "status.complete_signoff"):
        (event,) = events(board.assessment, action)
        assert event.user_id is None, action
        assert event.detail["actor"] == "system", action


def test_signing_the_same_version_twice_is_refused_with_a_message(app, board):
    client, url, form = open_signing(app, board.assessment, board.chair)
    assert client.post(url, data=form).status_code == 302
    again = client.post(url, data=form, follow_redirects=True)
    assert "Du har allerede underskrevet denne udgave." in again.get_data(as_text=True)
    assert count(Signature) == 1
    assert board.assessment.status == "awaiting_signoff"


def test_signing_after_the_assessment_went_back_to_deliberation_is_refused(app, board):
    client, url, form = open_signing(app, board.assessment, board.chair)
    assessment_services.transition(board.assessment, "return_to_deliberation", user=board.editor)
    db.session.commit()
    response = client.post(url, data=form)
    assert response.status_code == 409
    assert "Vurderingen afventer ikke underskrift endnu" in response.get_data(as_text=True)
    assert count(Signature) == 0


def test_a_record_too_large_for_the_pdf_is_refused_at_the_final_signature(app, board, monkeypatch):
    assert sign_over_http(app, board.assessment, board.chair).status_code == 302
    client, url, form = open_signing(app, board.assessment, board.director)
    monkeypatch.setattr(services, "bounds_problems", lambda snapshot: ["Teksten er for lang."])
    page = client.post(url, data=form, follow_redirects=True).get_data(as_text=True)
    assert "Vurderingen er for stor til PDF&#39;en og kan ikke underskrives." in page
    assert "Teksten er for lang." in page
    assert count(SignedRecord) == 0
    assert count(Signature) == 1


# --- Reopening -----------------------------------------------------------------------------


def reopen(app, assessment, user, *, follow=True):
    client = app.test_client()
    login(client, user)
    return client.post(f"/intern/vurderinger/{assessment.public_id}/genaabn", follow_redirects=follow)


def versions() -> int:
    return count(Assessment)


def test_reopening_an_assessment_that_is_not_signed_is_refused(app, board):
    before = versions()
    response = reopen(app, board.assessment, board.editor)
    assert response.status_code == 200
    assert "Kun en underskrevet eller offentliggjort vurdering kan genåbnes som ny version." in (
        response.get_data(as_text=True)
    )
    assert versions() == before


def test_reopening_twice_is_refused_and_only_one_new_version_exists(app, board):
    sign_over_http(app, board.assessment, board.chair)
    sign_over_http(app, board.assessment, board.director)
    before = versions()
    first = reopen(app, board.assessment, board.editor, follow=False)
    assert first.status_code == 302
    assert versions() == before + 1
    second = reopen(app, board.assessment, board.editor)
    assert "Vurderingen er allerede genåbnet som en ny version." in second.get_data(as_text=True)
    assert versions() == before + 1


def test_a_member_may_not_reopen_and_another_municipality_cannot_see_it(app, board):
    sign_over_http(app, board.assessment, board.chair)
    sign_over_http(app, board.assessment, board.director)
    before = versions()
    assert reopen(app, board.assessment, board.chair, follow=False).status_code == 403
    stranger = make_user(make_org("Andeby Kommune"), role="editor")
    assert reopen(app, board.assessment, stranger, follow=False).status_code == 404
    assert versions() == before


# --- The audit log's actor -----------------------------------------------------------------


def test_an_event_with_no_user_is_never_attributed_to_the_person_logged_in(app, client, board):
    login(client, board.editor)
    with client:
        client.get("/intern/")
        event = record("test.nobody", "Et borgersvar", assessment=board.assessment, user=None)
        system = record("test.system", "Systemet", assessment=board.assessment, user=SYSTEM)
        mine = record("test.editor", "Redaktøren", assessment=board.assessment, user=board.editor)
    assert (event.user_id, event.detail) == (None, {})
    assert (system.user_id, system.detail) == (None, {"actor": "system"})
    assert mine.user_id == board.editor.id


def test_a_record_call_must_say_who_acted(board):
    with pytest.raises(TypeError):
        record("test.unsaid", "Hvem?", assessment=board.assessment)


def test_commands_from_the_shell_are_the_apps_own_events(runner):
    result = runner.invoke(args=["org", "create", "Skalby Kommune"])
    assert result.exit_code == 0, result.output
    event = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "organisation.created")).one()
    assert (event.user_id, event.detail.get("actor")) == (None, "system")


# --- Before and after signing (issue 34) -----------------------------------------------------


def test_the_signing_page_says_why_it_is_closed_before_asking_for_anything(app, board):
    assessment_services.transition(board.assessment, "return_to_deliberation", user=board.editor)
    db.session.commit()
    client = app.test_client()
    login(client, board.chair)
    response = client.get(f"/intern/vurderinger/{board.assessment.public_id}/underskrift")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Vurderingen afventer ikke underskrift endnu: den er i status „Drøftelse“" in html
    assert 'name="password"' not in html and "Underskriv via kommunens login" not in html


def test_the_text_comes_first_and_signing_needs_the_tick_after_it(app, board):
    client, url, form = open_signing(app, board.assessment, board.chair)
    html = client.get(url).get_data(as_text=True)
    assert html.index("Gennemsigtighedserklæring") < html.index('name="read_text"') < html.index('name="password"')
    del form["read_text"]
    response = client.post(url, data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Sæt hak ved „Jeg har læst teksten“ for at underskrive." in page
    assert count(Signature) == 0


def test_after_signing_no_stance_is_asked_and_the_administrators_are_told(app, board):
    from app.accounts.models import Notice

    sign_over_http(app, board.assessment, board.chair)
    client = app.test_client()
    login(client, board.chair)
    overview = client.get(f"/intern/vurderinger/{board.assessment.public_id}").get_data(as_text=True)
    assert "Tilkendegiv din holdning" not in overview
    other_admin = make_user(board.assessment.organisation, role="admin", name="Anden Admin")
    make_user(make_org("Anden Kommune"), role="admin")  # another municipality's: not told
    db.session.commit()
    sign_over_http(app, board.assessment, board.director)
    notices = list(db.session.scalars(db.select(Notice).order_by(Notice.user_id)))
    assert [n.user_id for n in notices] == [board.director.id, other_admin.id]

    editor = app.test_client()
    login(editor, board.editor)
    overview = editor.get(f"/intern/vurderinger/{board.assessment.public_id}").get_data(as_text=True)
    assert "En administrator offentliggør vurderingen." in overview
    assert "Tilkendegiv din holdning" not in overview

    admin = app.test_client()
    login(admin, other_admin)
    assert "ulæste" in admin.get("/intern/konto").get_data(as_text=True)
    listing = admin.get("/intern/beskeder").get_data(as_text=True)
    assert "„Sensorer i plejeboliger“ er underskrevet af alle og venter på" in listing
    assert "ulæste" not in admin.get("/intern/konto").get_data(as_text=True)  # opened: read
    assessment_services.transition(board.assessment, "publish", user=board.director)
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count(Notice.id)).where(Notice.read_at.is_(None))) == 0
