"""Typed text is never lost: leaving a page at once saves it (autosave forms) or asks first (the rest)."""

import time

import pytest
from assessment_factories import make_assessment
from factories import log_in, make_org, make_user

from app.assessments.models import AssessmentQuestion
from app.extensions import db

pytestmark = pytest.mark.browser


@pytest.fixture
def board(app, page):
    editor = make_user(make_org("Gemmeby Kommune"), role="editor")
    assessment = make_assessment(editor)
    log_in(page, editor)
    return assessment


def stored_answer(row_id):
    db.session.expire_all()
    return db.session.get(AssessmentQuestion, row_id).answer


def test_leaving_a_question_at_once_after_typing_keeps_the_answer(page, board):
    first, second = board.questions[:2]
    page.goto(f"/intern/vurderinger/{board.public_id}/spoergsmaal/{first.question_id}")
    page.get_by_label("Udvalgets svar").click()
    page.keyboard.type("Svaret skrevet lige før jeg gik videre.")
    page.get_by_role("link", name="Næste spørgsmål").click()  # well within the 1.5 s autosave delay
    page.wait_for_url(f"**/spoergsmaal/{second.question_id}")
    deadline = time.monotonic() + 10
    while stored_answer(first.id) != "Svaret skrevet lige før jeg gik videre." and time.monotonic() < deadline:
        time.sleep(0.2)
    assert stored_answer(first.id) == "Svaret skrevet lige før jeg gik videre."


def test_leaving_a_comment_unsent_asks_first_and_sending_it_does_not(page, board):
    first = board.questions[0]
    page.goto(f"/intern/vurderinger/{board.public_id}/spoergsmaal/{first.question_id}")
    dialogs = []

    def stay(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    page.get_by_label("Din kommentar").click()
    page.keyboard.type("En kommentar, jeg ikke har sendt.")
    page.locator("nav.pager").get_by_role("link", name="Overblik").click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert "/spoergsmaal/" in page.url
    assert page.get_by_label("Din kommentar").input_value() == "En kommentar, jeg ikke har sendt."

    page.get_by_role("button", name="Tilføj kommentar").click()
    page.wait_for_load_state()
    assert dialogs == ["beforeunload"]
    assert page.get_by_text("En kommentar, jeg ikke har sendt.").count() == 1
