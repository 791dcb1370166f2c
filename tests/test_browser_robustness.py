"""Browser: autosave says what happened when the database or the server fails, not "no connection"."""

import pytest
from assessment_factories import make_assessment
from factories import PASSWORD, make_org, make_user
from test_robustness import failing_database

from app.extensions import db

pytestmark = pytest.mark.browser


def _proposal_page(page):
    """The proposal form of a fresh assessment, logged in as its editor."""
    editor = make_user(make_org("Fejlby Kommune"), role="editor")
    assessment = make_assessment(editor, title="Skærmbesøg")
    db.session.commit()
    page.goto("/intern/login")
    page.get_by_label("E-mail").fill(editor.email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url("**/intern/")
    page.goto(f"/intern/vurderinger/{assessment.public_id}/forslag")


def test_autosave_says_the_database_failed_and_keeps_the_text(page, monkeypatch):
    _proposal_page(page)
    status = page.locator("[data-save-status]")
    with failing_database(monkeypatch, writes_only=True):
        page.get_by_label("Hvilket problem skal løses?").fill("Lang transporttid i hjemmeplejen")
        status.filter(has_text="Databasen svarer ikke").wait_for(timeout=10_000)
    assert "ingen forbindelse" not in status.inner_text()
    assert page.get_by_label("Hvilket problem skal løses?").input_value() == "Lang transporttid i hjemmeplejen"
    page.get_by_label("Hvilket problem skal løses?").fill("Lang transporttid i hjemmeplejen.")
    status.filter(has_text="Gemt kl.").wait_for(timeout=10_000)  # back again: the next save goes through


def test_autosave_names_a_server_error_that_is_not_json(page):
    _proposal_page(page)
    page.route(
        "**/forslag",
        lambda route: (
            route.fulfill(status=502, body="<html>Bad Gateway</html>", content_type="text/html")
            if route.request.method == "POST"
            else route.continue_()
        ),
    )
    page.get_by_label("Hvilket problem skal løses?").fill("Lang transporttid i hjemmeplejen")
    status = page.locator("[data-save-status]")
    status.filter(has_text="(502)").wait_for(timeout=10_000)
    assert "serveren svarede med en fejl" in status.inner_text()
