"""Meeting mode in a real browser, driven by the keyboard alone."""

import pytest
from assessment_factories import make_assessment
from factories import PASSWORD, make_org, make_user
from playwright.sync_api import expect

from app.extensions import db

pytestmark = pytest.mark.browser


def test_a_secretary_runs_the_meeting_with_the_keyboard(page, assert_accessible):
    org = make_org("Mødeby Kommune")
    editor = make_user(org, role="editor")
    assessment = make_assessment(editor)
    first, second = assessment.questions[:2]
    first.explanation = "Tænk på samtykke og på dem, der ikke selv kan give det."
    db.session.commit()

    page.goto("/intern/login")
    page.keyboard.press("Tab")  # skip link, then the fields, all by keyboard
    page.get_by_label("E-mail").focus()
    page.keyboard.type(editor.email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/intern/")

    page.goto(f"/intern/vurderinger/{assessment.public_id}/moede")
    page.wait_for_url(f"**/moede/{first.question_id}")
    assert_accessible(page)
    timer = page.locator("[data-meeting-timer]")
    assert timer.is_visible()
    expect(timer).not_to_have_text("0:00", timeout=5000)

    explanation = page.locator("[data-meeting-explanation]")
    assert explanation.get_attribute("open") is None
    page.keyboard.press("e")
    assert explanation.get_attribute("open") is not None
    assert_accessible(page)

    page.keyboard.press("t")
    assert page.locator("[data-meeting-paused]").is_visible()
    page.keyboard.press("t")

    page.keyboard.press("n")
    expect(page.locator("textarea[name=discussion]")).to_be_focused()
    page.keyboard.type("Udvalget drøftede samtykke.")
    page.keyboard.press("Escape")
    page.keyboard.press("ArrowRight")  # saves, then shows the next question
    page.wait_for_url(f"**/moede/{second.question_id}")
    assert "Spørgsmål 2 af" in page.locator(".meeting-bar").inner_text()

    page.keyboard.press("ArrowLeft")
    page.wait_for_url(f"**/moede/{first.question_id}")
    assert page.locator("textarea[name=discussion]").input_value() == "Udvalget drøftede samtykke."
    db.session.expire_all()
    assert db.session.get(type(first), first.id).discussion == "Udvalget drøftede samtykke."

    page.keyboard.press("n")
    page.keyboard.type(" Og om værgen.")
    with page.expect_navigation():
        page.keyboard.press("Control+Enter")
    expect(page.locator(".meeting-flash")).to_have_text("Gemt.")
    assert page.locator("textarea[name=discussion]").input_value() == "Udvalget drøftede samtykke. Og om værgen."
    assert_accessible(page)
