"""Meeting mode: one question per page, saved through the same versioned flow as the question form."""

import pytest
from assessment_factories import make_assessment, make_signed
from factories import login, make_org, make_user

from app.extensions import db


@pytest.fixture
def assessment(org):
    return make_assessment(make_user(org, role="editor"))


def url(assessment, row=None):
    base = f"/intern/vurderinger/{assessment.public_id}/moede"
    return f"{base}/{row.question_id}" if row else base


def form_for(client, assessment, row) -> dict:
    import re

    page = client.get(url(assessment, row)).get_data(as_text=True)
    values = dict(re.findall(r'name="(csrf_token|row_version|base)"[^>]*value="([^"]*)"', page))
    values["base"] = values.get("base", "").replace("&#34;", '"').replace("&quot;", '"')
    return values


def test_the_meeting_starts_at_the_first_question(client, org, assessment):
    login(client, make_user(org, role="member"))
    response = client.get(url(assessment))
    assert response.status_code == 302
    assert response.location.endswith(url(assessment, assessment.questions[0]))


def test_one_question_with_its_explanation_position_and_keys(client, org, assessment):
    login(client, make_user(org, role="editor"))
    first = assessment.questions[0]
    first.explanation = "Tænk på *samtykke*."
    db.session.commit()
    page = client.get(url(assessment, first)).get_data(as_text=True)
    assert "<em>samtykke</em>" in page
    assert f"Spørgsmål 1 af {len(assessment.questions)}" in page
    assert first.text in page and "Tænketankens forklaring" in page
    assert 'name="discussion"' in page and "data-meeting-next" in page and "data-meeting-previous" not in page
    assert "<kbd>→</kbd>" in page and "meeting.js" in page


def test_save_and_next_saves_then_moves_on(client, org, assessment):
    login(client, make_user(org, role="editor"))
    first, second = assessment.questions[:2]
    data = {
        **form_for(client, assessment, first),
        "discussion": "Udvalget drøftede samtykke.",
        "answer": "Samtykke er en betingelse.",
        "goto": second.question_id,
    }
    response = client.post(url(assessment, first), data=data)
    assert response.status_code == 302 and response.location.endswith(url(assessment, second))
    db.session.refresh(first)
    assert (first.discussion, first.answer) == ("Udvalget drøftede samtykke.", "Samtykke er en betingelse.")


def test_a_stale_save_is_a_conflict_showing_both_texts(client, org, assessment):
    from app.assessments import services

    editor = make_user(org, role="editor")
    login(client, editor)
    first = assessment.questions[0]
    stale = form_for(client, assessment, first)
    services.save_question(
        first,
        {"discussion": "Skrevet ved skrivebordet."},
        expected_version=first.row_version,
        user=make_user(org, role="editor"),
    )
    db.session.commit()
    response = client.post(url(assessment, first), data={**stale, "discussion": "Skrevet på projektoren."})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Skrevet ved skrivebordet." in page and "Skrevet på projektoren." in page
    db.session.refresh(first)
    assert first.discussion == "Skrevet ved skrivebordet."  # nothing overwritten


def test_too_long_text_comes_back_with_a_danish_message(client, org, assessment):
    login(client, make_user(org, role="editor"))
    first = assessment.questions[0]
    text = "lang " * 5000
    response = client.post(url(assessment, first), data={**form_for(client, assessment, first), "discussion": text})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Teksten må højst være" in page and text[:200] in page
    db.session.refresh(first)
    assert first.discussion == ""


def test_members_follow_along_but_cannot_save(client, org, assessment):
    login(client, make_user(org, role="member"))
    first = assessment.questions[0]
    page = client.get(url(assessment, first)).get_data(as_text=True)
    assert 'name="discussion"' not in page and 'rel="next"' in page
    assert client.post(url(assessment, first), data={"discussion": "x"}).status_code == 403


def test_a_signed_assessment_is_read_only_in_meeting_mode(client, org):
    signed = make_signed(org)
    login(client, make_user(org, role="editor"))
    page = client.get(url(signed, signed.questions[0])).get_data(as_text=True)
    assert 'name="discussion"' not in page


def test_another_municipality_gets_nothing(client, assessment):
    login(client, make_user(make_org("Andenby Kommune"), role="admin"))
    assert client.get(url(assessment, assessment.questions[0])).status_code == 404
    assert client.get(url(assessment)).status_code == 404
