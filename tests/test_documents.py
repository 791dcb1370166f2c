"""Related documents (issue 17 item 1h): the board's entries, PDF uploads checked by content, the
record's "documents" section, files embedded in the signed PDF and served from the public page."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import date

import pytest
from assessment_factories import answer_everything, make_assessment, sign_off
from factories import login, make_org, make_user
from pypdf import PdfReader
from reportlab.pdfgen import canvas

from app.assessments import services as assessments
from app.assessments.declaration import declaration
from app.content.loader import get_content
from app.documents import services
from app.documents.models import RelatedDocument
from app.extensions import db
from app.signoff import canonical
from app.signoff.models import SignedRecord


def small_pdf(text: str = "Konsekvensanalyse") -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, invariant=1)
    pdf.drawString(72, 720, text)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


DPIA = {
    "status": "foreligger",
    "title": "Konsekvensanalyse for GPS-sporing",
    "url": "https://kommune.example.dk/dpia",
    "document_date": date(2026, 3, 2),
    "reason": "",
}


def form_data(**overrides) -> dict:
    data = {
        "status": "foreligger",
        "title": "Konsekvensanalyse for GPS-sporing",
        "url": "https://kommune.example.dk/dpia",
        "document_date": "2026-03-02",
        "reason": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def draft(org):
    editor = make_user(org, role="editor")
    return make_assessment(editor), editor


# --- The content check -----------------------------------------------------------------------


def test_a_pdf_is_judged_by_its_content_not_its_name(app):
    assert services.pdf_problem(small_pdf()) is None
    assert "ikke en PDF" in services.pdf_problem(b"Hej, jeg er en tekstfil med navnet dpia.pdf")
    assert "kunne ikke læses som PDF" in services.pdf_problem(b"%PDF-1.4\nthis is not a pdf at all")
    too_big = small_pdf() + b"%" * (services.FILE_MAX + 1)
    assert "for stor" in services.pdf_problem(too_big)
    assert "tom" in services.pdf_problem(b"")


def test_links_must_be_http_or_https(app):
    assert services.url_problem("https://kommune.example.dk/a") is None
    assert services.url_problem("http://kommune.example.dk/a") is None
    for bad in ("javascript:alert(1)", "ftp://kommune.example.dk/a", "kommune.example.dk/a", "https://", "https://a b"):
        assert "http://" in services.url_problem(bad), bad
    assert "500" in services.url_problem("https://kommune.example.dk/" + "a" * 500)


# --- Saving through the service ----------------------------------------------------------------


def test_an_upload_goes_into_the_record_by_hash_and_the_declaration_says_so(draft):
    assessment, editor = draft
    data = small_pdf()
    services.save_document(assessment, "dpia", DPIA, user=editor, upload=data, upload_name="C:\\tmp\\dpia.pdf")
    services.save_document(
        assessment,
        "databehandleraftale",
        {
            "status": "ikke_noedvendigt",
            "reason": "Kommunen driver selv løsningen; ingen leverandør behandler oplysningerne",
        },
        user=editor,
    )
    db.session.commit()
    record = canonical.snapshot(assessment, content=get_content())
    entries = {e["kind"]: e for e in record["documents"]}
    assert entries["dpia"]["file"] == {
        "name": "dpia.pdf",
        "sha256": hashlib.sha256(data).hexdigest(),
        "size": len(data),
    }
    assert entries["dpia"]["date"] == "2026-03-02" and entries["dpia"]["kind_label"] == "Konsekvensanalyse (DPIA)"
    assert entries["databehandleraftale"]["status"] == "ikke_noedvendigt"
    answer = next(i.answer for i in declaration(record) if i.question == "Hvilke dokumenter hører til?")
    assert "Konsekvensanalysen (DPIA) hedder „Konsekvensanalyse for GPS-sporing“ og er dateret 2. marts 2026." in answer
    assert "Den kan læses på https://kommune.example.dk/dpia." in answer
    assert "vedhæftet den underskrevne PDF" in answer
    assert "at en databehandleraftale ikke er nødvendig. Begrundelsen er: Kommunen driver selv løsningen" in answer
    assert answer.endswith(
        "Kommunen har ikke oplyst, om der er en indførsel i fortegnelsen over "
        "behandlingsaktiviteter eller en evaluering af en afprøvning."
    )


def test_the_declaration_is_not_given_without_documents(draft):
    assessment, _editor = draft
    record = canonical.snapshot(assessment, content=get_content())
    assert record["documents"] == []
    answer = next(i.answer for i in declaration(record) if i.question == "Hvilke dokumenter hører til?")
    assert answer == "Ikke oplyst endnu."


@pytest.mark.parametrize(
    ("kind", "values", "field"),
    [
        ("dpia", {**DPIA, "document_date": None}, "document_date"),  # a DPIA that exists has a date
        ("dpia", {**DPIA, "title": ""}, "title"),
        ("evaluering", {**DPIA, "url": ""}, "url"),  # neither a link nor a file
        ("evaluering", {**DPIA, "url": "javascript:alert(1)"}, "url"),
        ("evaluering", {"status": "ikke_noedvendigt", "reason": " "}, "reason"),
        ("evaluering", {**DPIA, "status": "maaske"}, "status"),
    ],
)
def test_the_service_refuses_incomplete_entries(draft, kind, values, field):
    assessment, editor = draft
    with pytest.raises(services.DocumentError) as refused:
        services.save_document(assessment, kind, values, user=editor)
    assert refused.value.field == field


def test_all_files_together_are_bounded(draft, monkeypatch):
    assessment, editor = draft
    monkeypatch.setattr(services, "TOTAL_MAX", len(small_pdf("a")) + 10)
    services.save_document(assessment, "dpia", DPIA, user=editor, upload=small_pdf("a"), upload_name="a.pdf")
    with pytest.raises(services.DocumentError, match="tilsammen"):
        services.save_document(assessment, "evaluering", DPIA, user=editor, upload=small_pdf("b"), upload_name="b.pdf")
    # Replacing the same kind's file does not count the old one twice.
    services.save_document(assessment, "dpia", DPIA, user=editor, upload=small_pdf("c"), upload_name="c.pdf")


def test_members_and_signed_assessments_cannot_change_documents(org, draft):
    assessment, editor = draft
    with pytest.raises(assessments.NotAllowed):
        services.save_document(assessment, "dpia", DPIA, user=make_user(org, role="member"))
    assessment.status = "awaiting_signoff"
    with pytest.raises(assessments.NotEditable):
        services.save_document(assessment, "dpia", DPIA, user=editor)


# --- The board's page ----------------------------------------------------------------------


def test_an_editor_uploads_a_pdf_through_the_page(client, draft):
    assessment, editor = draft
    login(client, editor)
    url = f"/intern/vurderinger/{assessment.public_id}/dokumenter/dpia"
    assert client.get(url).status_code == 200
    response = client.post(
        url, data={**form_data(), "file": (io.BytesIO(small_pdf()), "analyse.pdf")}, content_type="multipart/form-data"
    )
    assert response.status_code == 303
    row = db.session.query(RelatedDocument).one()
    assert row.file.sha256 == hashlib.sha256(small_pdf()).hexdigest() and row.file_name == "analyse.pdf"
    page = client.get(f"/intern/vurderinger/{assessment.public_id}/dokumenter").get_data(as_text=True)
    assert "analyse.pdf" in page and row.file.sha256 in page
    download = client.get(f"/intern/vurderinger/{assessment.public_id}/dokumenter/dpia/fil")
    assert download.data == small_pdf() and download.mimetype == "application/pdf"


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (b"<html>not a pdf</html>", "Filen er ikke en PDF"),
        (small_pdf() + b"%" * (10 * 1024 * 1024), "En PDF må højst fylde 10 MB"),
        (b"%PDF-1.7 broken", "kunne ikke læses som PDF"),
    ],
)
def test_a_refused_upload_keeps_everything_typed(client, draft, upload, message):
    assessment, editor = draft
    login(client, editor)
    typed = form_data(
        title="Min <egen> titel æøå", url="https://kommune.example.dk/min-dpia", document_date="2026-04-09"
    )
    response = client.post(
        f"/intern/vurderinger/{assessment.public_id}/dokumenter/dpia",
        data={**typed, "file": (io.BytesIO(upload), "dpia.pdf")},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    assert 'value="Min &lt;egen&gt; titel æøå"' in page
    assert 'value="https://kommune.example.dk/min-dpia"' in page and 'value="2026-04-09"' in page
    assert db.session.query(RelatedDocument).count() == 0


def test_a_bad_link_or_missing_reason_is_refused_with_the_form_back(client, draft):
    assessment, editor = draft
    login(client, editor)
    url = f"/intern/vurderinger/{assessment.public_id}/dokumenter/evaluering"
    response = client.post(url, data=form_data(url="javascript:alert(1)", title="Evaluering"))
    assert response.status_code == 422 and "begynder med http:// eller https://" in response.get_data(as_text=True)
    response = client.post(url, data=form_data(status="ikke_noedvendigt", reason=""))
    assert response.status_code == 422 and "hvorfor dokumentet ikke er nødvendigt" in response.get_data(as_text=True)
    response = client.post(url, data=form_data(title="x" * 201))
    assert response.status_code == 422 and "200" in response.get_data(as_text=True)
    assert client.get(f"/intern/vurderinger/{assessment.public_id}/dokumenter/ukendt").status_code == 404
    assert db.session.query(RelatedDocument).count() == 0


def test_a_member_cannot_post_and_another_municipality_sees_nothing(client, org, draft):
    assessment, editor = draft
    services.save_document(assessment, "dpia", DPIA, user=editor, upload=small_pdf(), upload_name="a.pdf")
    db.session.commit()
    login(client, make_user(org, role="member"))
    base = f"/intern/vurderinger/{assessment.public_id}/dokumenter"
    assert client.get(base).status_code == 200
    assert client.post(f"{base}/dpia", data=form_data()).status_code == 403
    assert client.post(f"{base}/dpia/fjern").status_code == 403
    client.post("/intern/logout")
    login(client, make_user(make_org("Fremmedby Kommune"), role="admin"))
    for path in (base, f"{base}/dpia", f"{base}/dpia/fil"):
        assert client.get(path).status_code == 404, path
    assert client.post(f"{base}/dpia/fjern").status_code == 404


# --- Signed PDF and public page --------------------------------------------------------------


def signed_with_dpia(org, data: bytes):
    editor = make_user(org, role="editor")
    assessment = make_assessment(editor)
    answer_everything(assessment, editor)
    services.save_document(assessment, "dpia", DPIA, user=editor, upload=data, upload_name="dpia.pdf")
    sign_off(assessment, editor, [make_user(org, role="member"), make_user(org, role="admin")])
    db.session.commit()
    return assessment


def test_the_signed_pdf_carries_the_upload_and_its_hash_covers_the_final_bytes(org):
    data = small_pdf("DPIA for GPS")
    assessment = signed_with_dpia(org, data)
    frozen = db.session.query(SignedRecord).filter_by(assessment_id=assessment.id).one()
    pdf = bytes(frozen.pdf)
    assert frozen.pdf_sha256 == hashlib.sha256(pdf).hexdigest()
    attached = dict(PdfReader(io.BytesIO(pdf)).attachments)
    assert attached.pop("etikdialog-post.json") == [frozen.canonical_json.encode("utf-8")]  # the record itself
    assert attached == {"dpia.pdf": [data]}
    import json

    record = json.loads(frozen.canonical_json)
    assert record["documents"][0]["file"]["sha256"] == hashlib.sha256(data).hexdigest()
    # The same document renders to the same bytes, attachments and all.
    from app.pdf.render import render_pdf
    from app.signoff import services as signoff

    document = signoff.pdf_document(
        record,
        frozen.json_sha256,
        json.loads(frozen.signatures_json),
        code=frozen.verification_code,
        signed_at=None,
        draft=False,
    )
    assert render_pdf(document) == render_pdf(document)
    attached = dict(PdfReader(io.BytesIO(render_pdf(document))).attachments)
    assert attached.pop("etikdialog-post.json") and attached == {"dpia.pdf": [data]}


def test_the_public_page_lists_and_serves_only_the_signed_files(client, org):
    data = small_pdf("DPIA for GPS")
    digest = hashlib.sha256(data).hexdigest()
    assessment = signed_with_dpia(org, data)
    url = f"/vurderinger/{assessment.public_id}/dokumenter/{digest}.pdf"
    assert client.get(url).status_code == 404  # signed, not yet published
    assessments.transition(assessment, "publish", user=make_user(org, role="admin"))
    db.session.commit()
    page = client.get(f"/vurderinger/{assessment.public_id}").get_data(as_text=True)
    assert digest in page and url in page and "Hvilke dokumenter hører til?" in page
    # linked by its title, its size written the Danish way (issue 34)
    assert re.search(rf'href="{re.escape(url)}">Hent {re.escape(DPIA["title"])} \(PDF, \d+,\d kB\)</a>', page)
    response = client.get(url)
    assert response.status_code == 200 and response.data == data and response.mimetype == "application/pdf"
    # A file stored for another assessment is not served through this one's page.
    other, editor = make_assessment(make_user(org, role="editor")), None
    editor = make_user(org, role="editor")
    other_data = small_pdf("Hemmeligt udkast")
    services.save_document(other, "dpia", DPIA, user=editor, upload=other_data, upload_name="x.pdf")
    db.session.commit()
    assert (
        client.get(
            f"/vurderinger/{assessment.public_id}/dokumenter/{hashlib.sha256(other_data).hexdigest()}.pdf"
        ).status_code
        == 404
    )
    assert client.get(f"/vurderinger/{assessment.public_id}/dokumenter/abc.pdf").status_code == 404


def test_a_new_version_keeps_the_documents(org):
    data = small_pdf("DPIA v1")
    signed = signed_with_dpia(org, data)
    copy = assessments.reopen(signed, user=make_user(org, role="editor"))
    db.session.commit()
    rows = services.documents_of(copy)
    assert set(rows) == {"dpia"} and rows["dpia"].file.sha256 == hashlib.sha256(data).hexdigest()
    assert services.documents_of(signed)["dpia"].id != rows["dpia"].id  # the signed version's entry is its own
