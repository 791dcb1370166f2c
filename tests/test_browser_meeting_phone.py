"""Meeting mode on a phone (issue 34): at 375 px the question's heading scales down from about
45 px, so it no longer fills the first screen, and the bar's "Afslut mødetilstand" is a 24 × 24 px
target (WCAG 2.2, 2.5.8)."""

import pytest
from assessment_factories import make_assessment
from factories import PASSWORD, make_org, make_user

from app.extensions import db

pytestmark = pytest.mark.browser


def test_the_heading_fits_a_phone_and_the_exit_is_a_large_enough_target(page, assert_accessible):
    editor = make_user(make_org("Mødeby Kommune"), role="editor")
    assessment = make_assessment(editor)
    db.session.commit()
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto("/intern/login")
    page.get_by_label("E-mail").fill(editor.email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url("**/intern/")
    page.goto(f"/intern/vurderinger/{assessment.public_id}/moede")
    page.wait_for_load_state()
    heading = page.locator(".meeting-question")
    size = float(heading.evaluate("element => getComputedStyle(element).fontSize").removesuffix("px"))
    assert size <= 30, size
    assert heading.bounding_box()["y"] + heading.bounding_box()["height"] < 740 * 0.75  # room below it
    exit_link = page.get_by_role("link", name="Afslut mødetilstand").bounding_box()
    assert exit_link["height"] >= 24 and exit_link["width"] >= 24, exit_link
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(page)
