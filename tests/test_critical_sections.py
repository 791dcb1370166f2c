"""Totals and limits that hold under concurrency, on SQLite and PostgreSQL (issue 31 item 6).

Parallel requests through the app: each thread has its own test client, so its own request, app
context, session and connection; a barrier lines them up so they really collide. On SQLite the
critical sections take the write lock with BEGIN IMMEDIATE (app/core/transactions.py); before
that, a double click on publish or on the last signature answered 500 (IntegrityError), three
parallel uploads passed the file total, and parallel citizen posts passed the limit of 5.
"""

from __future__ import annotations

import io
import threading
from datetime import date
from urllib.parse import urlsplit

import pytest
from assessment_factories import answer_everything, make_assessment, make_published, make_signed, request_signoff
from consultation_factories import open_consultation
from factories import PASSWORD, hidden, login, make_org, make_user
from reportlab.pdfgen import canvas
from sqlalchemy import func, select

from app.assessments import services as assessment_services
from app.audit.models import AuditEvent
from app.consultation.intake import PER_ADDRESS
from app.consultation.models import ConsultationResponse
from app.content.loader import get_content
from app.documents import services as documents
from app.documents.models import RelatedDocument
from app.extensions import db
from app.feedback.models import Feedback
from app.public.models import Publication
from app.signoff import checks as signoff_checks
from app.signoff import services as signoff
from app.signoff.models import Signature, SignedRecord


def parallel(work, count: int) -> list:
    """Run work(index) in `count` threads released together; each result, or the exception it raised."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = work(index)
        except Exception as error:  # a 500 propagates in tests: reported below, never swallowed
            results[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    errors = [r for r in results if isinstance(r, BaseException)]
    assert not errors, errors
    return results


def clients_of(app, user, count: int) -> list:
    """`count` browsers, each logged in as the user (a double click from two tabs behaves the same)."""
    clients = [app.test_client() for _ in range(count)]
    for client in clients:
        assert login(client, user).status_code == 302
    return clients


def count(model, *conditions) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model).where(*conditions))


# --- Publish, withdraw, sign ------------------------------------------------------------------


def test_a_double_click_on_publish_publishes_once_and_the_second_shows_the_published_page(app):
    assessment = make_signed(make_org())
    admin = make_user(assessment.organisation, role="admin")
    db.session.commit()
    public_id = assessment.public_id
    clients = clients_of(app, admin, 2)

    responses = parallel(
        lambda i: clients[i].post(f"/intern/vurderinger/{public_id}/status", data={"transition": "publish"}), 2
    )

    assert [r.status_code for r in responses] == [302, 302]
    paths = sorted(urlsplit(r.headers["Location"]).path for r in responses)
    assert paths == [f"/intern/vurderinger/{public_id}", f"/vurderinger/{public_id}"]
    assert count(Publication) == 1
    assert count(AuditEvent, AuditEvent.action == "publication.published") == 1
    second = next(i for i, r in enumerate(responses) if urlsplit(r.headers["Location"]).path.startswith("/vurd"))
    page = clients[second].get(f"/vurderinger/{public_id}").get_data(as_text=True)
    assert "Vurderingen har allerede status" in page


def test_a_publish_retried_after_it_committed_redirects_to_the_published_page(client, app):
    assessment = make_published(make_org())
    admin = make_user(assessment.organisation, role="admin")
    db.session.commit()
    login(client, admin)
    response = client.post(f"/intern/vurderinger/{assessment.public_id}/status", data={"transition": "publish"})
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == f"/vurderinger/{assessment.public_id}"
    # Someone without the role still gets the refusal, not the page.
    member = make_user(assessment.organisation, role="editor")
    with pytest.raises(assessment_services.AssessmentError) as refused:
        assessment_services.transition(assessment, "publish", user=member)
    assert not isinstance(refused.value, assessment_services.AlreadyDone)


def test_a_double_click_on_withdraw_withdraws_once(app):
    assessment = make_published(make_org())
    admin = make_user(assessment.organisation, role="admin")
    db.session.commit()
    public_id = assessment.public_id
    clients = clients_of(app, admin, 2)
    data = {"transition": "withdraw", "reason": "Vurderingen bygger på en forkert udgave af forslaget."}

    responses = parallel(lambda i: clients[i].post(f"/intern/vurderinger/{public_id}/status", data=data), 2)

    assert [r.status_code for r in responses] == [302, 302]
    assert count(AuditEvent, AuditEvent.action == "publication.withdrawn") == 1
    assert count(AuditEvent, AuditEvent.action == "status.withdraw") == 1


def test_a_double_click_on_the_last_signature_freezes_once_and_the_second_shows_the_result(app, client):
    org = make_org()
    editor = make_user(org, role="editor")
    first, last = make_user(org, role="member"), make_user(org, role="admin")
    assessment = make_assessment(editor)
    answer_everything(assessment, editor)
    request_signoff(assessment, editor, [first, last])
    _, record_sha256 = signoff.current_record(assessment, get_content())
    signoff.sign(
        assessment,
        user=first,
        password="",
        seen_hash=record_sha256,
        seen_at=None,
        content=get_content(),
        password_ok=lambda user, password: True,
    )
    db.session.commit()
    public_id = assessment.public_id
    clients = clients_of(app, last, 2)
    page = clients[0].get(f"/intern/vurderinger/{public_id}/underskrift").get_data(as_text=True)
    data = {
        "record_sha256": hidden(page, "record_sha256"),
        "seen_at": hidden(page, "seen_at"),
        "password": PASSWORD,
        "read_text": "y",
    }

    responses = parallel(lambda i: clients[i].post(f"/intern/vurderinger/{public_id}/underskrift", data=data), 2)

    assert [r.status_code for r in responses] == [302, 302]
    assert count(SignedRecord) == 1
    assert count(Signature, Signature.user_id == last.id) == 1
    overview = [c.get(f"/intern/vurderinger/{public_id}").get_data(as_text=True) for c in clients]
    assert sum("Alle har underskrevet" in p for p in overview) == 1
    # The second click shows the result of the first (on both databases), not a refusal.
    assert sum("Din underskrift er allerede gemt, og vurderingen er underskrevet af alle" in p for p in overview) == 1


# --- The file total ---------------------------------------------------------------------------


def pdf_of(text: str) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, invariant=1)
    pdf.drawString(72, 720, text)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def test_three_parallel_uploads_stay_within_the_total(app, monkeypatch):
    org = make_org()
    editor = make_user(org, role="editor")
    assessment = make_assessment(editor)
    db.session.commit()
    public_id = assessment.public_id
    files = [pdf_of(f"Bilag nummer {i}") for i in range(3)]
    # Room for two of the three (the real total, 15 MiB against three 10 MiB files, behaves the same).
    monkeypatch.setattr(documents, "TOTAL_MAX", sum(sorted(len(f) for f in files)[:2]) + 10)
    kinds = ["dpia", "databehandleraftale", "evaluering"]
    clients = clients_of(app, editor, 3)
    form = {"status": "foreligger", "title": "Bilag", "url": "", "document_date": "2026-03-02", "reason": ""}

    def upload(i: int):
        return clients[i].post(
            f"/intern/vurderinger/{public_id}/dokumenter/{kinds[i]}",
            data={**form, "file": (io.BytesIO(files[i]), f"bilag-{i}.pdf")},
            content_type="multipart/form-data",
        )

    responses = parallel(upload, 3)

    assert sorted(r.status_code for r in responses) == [303, 303, 422], [r.status_code for r in responses]
    refused = next(r for r in responses if r.status_code == 422).get_data(as_text=True)
    assert "tilsammen" in refused
    db.session.expire_all()
    stored = db.session.scalars(select(RelatedDocument).where(RelatedDocument.file_id.is_not(None))).all()
    assert len(stored) == 2 and sum(r.file.size for r in stored) <= documents.TOTAL_MAX


def test_the_file_total_is_checked_again_at_signoff(app, monkeypatch):
    org = make_org()
    editor = make_user(org, role="editor")
    signers = [make_user(org, role="member"), make_user(org, role="admin")]
    assessment = make_assessment(editor)
    answer_everything(assessment, editor)
    values = {"status": "foreligger", "title": "Bilag", "url": "", "document_date": date(2026, 3, 2), "reason": ""}
    documents.save_document(assessment, "dpia", values, user=editor, upload=pdf_of("a"), upload_name="a.pdf")
    # Files stored before the upload check held (three at once): over the total at sign-off.
    monkeypatch.setattr(signoff_checks, "TOTAL_MAX", 100)
    with pytest.raises(assessment_services.TransitionBlocked, match="PDF-filer fylder tilsammen"):
        request_signoff(assessment, editor, signers)
    monkeypatch.setattr(signoff_checks, "TOTAL_MAX", 15 * 1024 * 1024)
    request_signoff(assessment, editor, signers)
    monkeypatch.setattr(signoff_checks, "TOTAL_MAX", 100)
    _, record_sha256 = signoff.current_record(assessment, get_content())
    with pytest.raises(signoff.SignRefused, match="PDF-filer fylder tilsammen"):
        signoff.sign(
            assessment,
            user=signers[0],
            password="",
            seen_hash=record_sha256,
            seen_at=None,
            content=get_content(),
            password_ok=lambda user, password: True,
        )


# --- Citizens' limits -------------------------------------------------------------------------

SENT = 8  # more than PER_ADDRESS, at once, from one address


def test_parallel_consultation_responses_from_one_address_accept_exactly_the_limit(app):
    editor = make_user(make_org(), role="editor")
    consultation = open_consultation(make_assessment(editor), editor)
    db.session.commit()
    url = f"/hoeringer/{consultation.public_id}"  # read here: the threads have no session of ours
    clients = [app.test_client() for _ in range(SENT)]

    responses = parallel(lambda i: clients[i].post(url, data={"body": f"Svar nummer {i}", "question": ""}), SENT)

    codes = sorted(r.status_code for r in responses)
    assert codes == [303] * PER_ADDRESS + [429] * (SENT - PER_ADDRESS), codes
    assert count(ConsultationResponse) == PER_ADDRESS


def test_parallel_feedback_from_one_address_accepts_exactly_the_limit(app):
    publication = make_published(make_org())
    db.session.commit()
    url = f"/vurderinger/{publication.public_id}/spoerg"
    clients = [app.test_client() for _ in range(SENT)]
    data = {"kind": "spoergsmaal", "author_name": "", "author_organisation": ""}

    responses = parallel(lambda i: clients[i].post(url, data={**data, "body": f"Spørgsmål nummer {i}"}), SENT)

    codes = sorted(r.status_code for r in responses)
    assert codes == [303] * PER_ADDRESS + [429] * (SENT - PER_ADDRESS), codes
    assert count(Feedback) == PER_ADDRESS
