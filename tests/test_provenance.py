"""Whose words: each question names its source in the record, the PDF and the
public page; the think tank's explanations stand in the PDF's appendix; Etikdialog's own wording
(recommendation summaries, check questions, the links between dilemmas and recommendations) is
marked wherever it is shown."""

from __future__ import annotations

import html
import io
import re

import pytest
from assessment_factories import make_assessment, make_published
from factories import login, make_user
from pypdf import PdfReader

from app.content.loader import get_content
from app.content.provenance import question_source, source_label
from app.signoff import canonical

OWN = "Etikdialogs egen formulering, ikke tænketankens tekst"


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_source_labels():
    assert source_label("central", None) == "KL's tænketank, centrale spørgsmål"
    assert source_label("guiding", 2, "Mennesker til stede") == "KL's tænketank, dilemma 2"
    # A schema-1 record has no source: derived from the question's kind and group.
    assert question_source({"kind": "guiding", "group_title": "Frihed"}) == "KL's tænketank, dilemmaet „Frihed“"
    assert question_source({"kind": "central", "source": "KL's tænketank, centrale spørgsmål"}).endswith("spørgsmål")


def test_the_record_names_each_questions_source(org):
    content = get_content()
    dilemma = content.dilemmas[1]
    assessment = make_assessment(make_user(org, role="editor"), dilemma_ids=[dilemma.id])
    record = canonical.snapshot(assessment, content=content)
    sources = {q["kind"]: q["source"] for q in record["questions"]}
    assert sources == {
        "central": "KL's tænketank, centrale spørgsmål",
        "guiding": f"KL's tænketank, dilemma {dilemma.number}",
    }


@pytest.fixture
def published(org):
    return make_published(org)


def test_the_pdf_names_sources_has_the_appendix_and_marks_own_wording(published):
    text = " ".join(pdf_text(bytes(published.signed_record.pdf)).split())
    record = canonical.snapshot(published, content=get_content())
    first = record["questions"][0]
    assert "Kilde: KL's tænketank, centrale spørgsmål" in text
    assert "Kilde: KL's tænketank, dilemma 1" in text
    assert "Bilag A. Tænketankens forklaringer til spørgsmålene" in text
    explained = next(q for q in record["questions"] if q["explanation"].strip())
    appendix = text[text.index("Bilag A. Tænketankens forklaringer") :]
    assert " ".join(explained["explanation"].split())[:60] in appendix
    assert first["text"][:40] in text
    assert f"Kontrolspørgsmål ({OWN.lower()}):" in text


def test_the_public_page_names_the_source(client, published):
    page = client.get(f"/vurderinger/{published.public_id}").get_data(as_text=True)
    text = html.unescape(re.sub(r"<[^>]+>", "", page))  # the source may stand in its own lang="da" span
    assert "Kilde: KL's tænketank, centrale spørgsmål" in text
    assert "dilemma 1" in text


def test_content_pages_and_the_board_mark_etikdialogs_own_wording(client, org):
    content = get_content()
    recommendation = content.recommendations[0]
    dilemma = next(d for d in content.dilemmas if d.recommendation_ids)
    assert OWN in client.get("/indhold").get_data(as_text=True)
    page = client.get(f"/indhold/anbefalinger/{recommendation.id}").get_data(as_text=True)
    assert page.count(OWN) >= 2  # the summary and the check questions
    assert OWN in client.get(f"/indhold/dilemmaer/{dilemma.id}").get_data(as_text=True)
    editor = make_user(org, role="editor")
    assessment = make_assessment(editor)
    login(client, editor)
    review = assessment.reviews[0]
    page = client.get(f"/intern/vurderinger/{assessment.public_id}/anbefalinger/{review.recommendation_id}")
    assert page.status_code == 200 and OWN in page.get_data(as_text=True)
