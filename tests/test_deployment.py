"""Several app instances on one PostgreSQL database, as in production behind nginx: a save on
one is visible on the other, and a stale save across instances is a conflict, never an overwrite."""

import pytest
from assessment_factories import make_assessment
from conftest import TEST_DATABASE_URL, make_app
from factories import login, make_org, make_user
from test_assessment_views import hidden, question_url

from app.assessments.models import AssessmentQuestion
from app.extensions import db

pytestmark = pytest.mark.skipif(not TEST_DATABASE_URL, reason="instances share PostgreSQL (TEST_DATABASE_URL)")


def test_two_instances_see_each_others_saves_and_refuse_stale_ones(app, tmp_path, postgres_schema):
    second_instance = make_app(tmp_path / "second", postgres_schema)
    org = make_org()
    editor, colleague = make_user(org, role="editor"), make_user(org, role="editor")
    assessment = make_assessment(editor)
    first, second = app.test_client(), second_instance.test_client()
    login(first, editor)
    login(second, colleague)  # a session from one instance is a session on the other too
    url = question_url(assessment, assessment.questions[0].question_id)
    stale_form = second.get(url).get_data(as_text=True)

    fresh_form = first.get(url).get_data(as_text=True)
    saved = first.post(
        url,
        data={
            "row_version": hidden(fresh_form, "row_version"),
            "base": hidden(fresh_form, "base"),
            "answer": "Gemt på instans 1",
            "concern": "lav",
        },
    )
    assert saved.status_code == 302
    assert "Gemt på instans 1" in second.get(url).get_data(as_text=True)

    stale = second.post(
        url,
        data={
            "row_version": hidden(stale_form, "row_version"),
            "base": hidden(stale_form, "base"),
            "answer": "Gammelt svar fra instans 2",
            "concern": "middel",
        },
    )
    assert stale.status_code == 409
    row = db.session.scalar(db.select(AssessmentQuestion).filter_by(id=assessment.questions[0].id))
    db.session.refresh(row)
    assert (row.answer, row.concern) == ("Gemt på instans 1", "lav")
    with second_instance.app_context():
        db.engine.dispose()
