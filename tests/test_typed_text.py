"""What a person typed comes back when it is refused, and a line break counts as one character."""

import pytest
from assessment_factories import make_assessment
from factories import login, make_org, make_user

from app.extensions import db


@pytest.fixture
def editor(app):
    return make_user(make_org("Tekstby Kommune"), role="editor")


@pytest.fixture
def assessment(editor):
    return make_assessment(editor)


def comment_url(assessment):
    return f"/intern/vurderinger/{assessment.public_id}/spoergsmaal/{assessment.questions[0].question_id}/kommentarer"


def test_a_too_long_comment_comes_back_in_the_form_with_its_text(client, editor, assessment):
    login(client, editor)
    text = "Et langt indlæg om samtykke. " * 200
    response = client.post(comment_url(assessment), data={"body": text})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Teksten må højst være 4.000 tegn." in html
    assert "Et langt indlæg om samtykke. Et langt" in html.split('name="body"')[1].split("</textarea>")[0]
    assert assessment.questions[0].comments == []


def test_a_line_break_counts_as_one_character_as_in_the_browser(client, editor, assessment):
    login(client, editor)
    text = "\r\n".join(["x" * 99] * 40)  # 40 lines: 3,999 characters with LF, 4,038 with CRLF
    response = client.post(comment_url(assessment), data={"body": text})
    assert response.status_code == 302
    db.session.expire_all()
    assert assessment.questions[0].comments[0].body == text.replace("\r\n", "\n")


@pytest.mark.parametrize("app_overrides", [{"MAX_CONTENT_LENGTH": 200_000}])
def test_a_text_form_over_the_size_limit_says_the_text_was_too_long(client, editor, assessment):
    login(client, editor)
    response = client.post(comment_url(assessment), data={"body": "x" * 300_000})
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "Filen er for stor" not in html
    assert "Teksten er for lang" in html
