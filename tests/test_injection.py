"""A corpus of XSS and markup payloads sent through every text field a person can fill, and
read back from the board's pages, the public page, the JSON API, the Atom feed and the PDF.

Each place must show the payload as text: escaped in HTML and XML, verbatim in JSON and PDF.
"""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from assessment_factories import PROPOSAL, answer_everything, make_assessment, sign_off
from consultation_factories import open_consultation, respond
from factories import login, make_org, make_user
from pypdf import PdfReader

from app.assessments import services
from app.assessments.proposal import PROPOSAL_FIELDS
from app.consultation import services as consultation
from app.extensions import db

SCRIPT = '<script>alert("xss")</script>'
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
TEMPLATE = "{{ 7*7 }} {% raw %}"
XML_BREAK = "]]></title><entry>&amp;"
# Citizens' responses are taken as typed, scripts included, and shown as text like the rest.
CITIZEN = "<b>fed</b> <i>kursiv</i> {{ 7*7 }} &amp; " + SCRIPT + " " + ATTRIBUTE


def text_fields(prefix: str) -> dict:
    """Every free-text field of the proposal carries the payloads, cut to the field's bound (PostgreSQL
    refuses what SQLite would store); choices, numbers, dates and links keep the factory's values."""
    return {
        f.name: f"{prefix} {SCRIPT} {ATTRIBUTE} {TEMPLATE}"[: f.max_length]
        for f in PROPOSAL_FIELDS
        if f.name in PROPOSAL and f.kind in ("text", "line")
    }


@pytest.fixture
def published(app):
    org = make_org(f"Kommune {SCRIPT}")
    editor = make_user(org, role="editor", name=f"Redaktør {ATTRIBUTE}")
    member = make_user(org, role="member", name=f"Medlem {SCRIPT}")
    admin = make_user(org, role="admin", name=f"Admin {XML_BREAK}")
    assessment = make_assessment(editor, title=f"Titel {SCRIPT} {XML_BREAK}")
    answer_everything(assessment, editor)
    services.save_proposal(assessment, text_fields("Forslag"), expected_version=None, user=editor)
    for row in assessment.questions:
        services.save_question(
            row,
            {"discussion": f"Drøftelse {SCRIPT}", "answer": f"Svar {ATTRIBUTE} {TEMPLATE}", "concern": "lav"},
            expected_version=None,
            user=editor,
        )
        services.add_comment(row, f"Kommentar {SCRIPT}", user=member)
    for review in assessment.reviews:
        services.save_review(
            review, {"status": "opfyldt", "justification": f"Begrundelse {SCRIPT}"}, expected_version=None, user=editor
        )
    services.add_action(
        assessment,
        {"description": f"Handling {SCRIPT}", "owner": f"Ejer {ATTRIBUTE}", "is_condition": True},
        user=editor,
    )
    services.save_decision(
        assessment, {"decision_reasoning": f"Begrundelse {SCRIPT} {TEMPLATE}"}, expected_version=None, user=editor
    )
    services.save_position(assessment, "uenig", f"Mindretal {SCRIPT}", user=member)
    hearing = open_consultation(assessment, editor, introduction=f"Introduktion {TEMPLATE} {SCRIPT}")
    response = respond(
        hearing, body=CITIZEN, author_name="<b>Navn</b>", author_organisation="Råd & co", publish_name=True
    )
    consultation.moderate(response, user=editor, approve=True)
    consultation.answer_response(response, user=editor, answer_status="indarbejdet", answer=f"Udvalget {TEMPLATE}")
    consultation.close_consultation(hearing, user=editor)
    sign_off(assessment, editor, [member, admin])
    services.transition(assessment, "publish", user=admin)
    db.session.commit()
    return assessment, editor


def assert_escaped_html(html: str) -> None:
    assert SCRIPT not in html
    assert "<img src=x" not in html
    assert "<b>fed</b>" not in html and "<b>Navn</b>" not in html
    assert "&lt;script&gt;alert(" in html


def test_the_public_page_shows_every_payload_as_text(client, published):
    assessment, _ = published
    html = client.get(f"/vurderinger/{assessment.public_id}").get_data(as_text=True)
    assert_escaped_html(html)
    assert "{{ 7*7 }}" in html  # user text is never a template
    assert "&lt;b&gt;fed&lt;/b&gt;" in html


def test_the_boards_pages_show_every_payload_as_text(client, published):
    assessment, editor = published
    login(client, editor)
    base = f"/intern/vurderinger/{assessment.public_id}"
    for path in (
        "",
        "/forslag",
        f"/spoergsmaal/{assessment.questions[0].question_id}",
        "/beslutning",
        "/log",
        "/hoeringer",
    ):
        html = client.get(base + path).get_data(as_text=True)
        assert SCRIPT not in html and "<img src=x" not in html, path


def test_the_json_api_returns_payloads_verbatim_as_data(client, published):
    assessment, _ = published
    response = client.get(f"/api/v1/vurderinger/{assessment.public_id}")
    assert response.mimetype == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    body = json.dumps(response.get_json(), ensure_ascii=False)
    assert SCRIPT.replace('"', '\\"') in body
    listing = client.get("/api/v1/vurderinger").get_json()
    assert any(SCRIPT in item["title"] for item in listing["items"])


def test_the_feed_stays_well_formed_xml_with_payloads_as_text(client, published):
    response = client.get("/feed.atom")
    root = ET.fromstring(response.get_data())  # noqa: S314 - our own feed; a broken escape would not parse
    titles = [element.text or "" for element in root.iter("{http://www.w3.org/2005/Atom}title")]
    assert any(f"Titel {SCRIPT} {XML_BREAK}" in title for title in titles)


def test_the_pdf_prints_payloads_as_literal_text(published):
    assessment, _ = published
    reader = PdfReader(io.BytesIO(bytes(assessment.signed_record.pdf)))
    text = re.sub(r"\s+", " ", "\n".join(page.extract_text() for page in reader.pages))
    assert SCRIPT in text
    assert "<b>fed</b>" in text
    assert "{{ 7*7 }}" in text
