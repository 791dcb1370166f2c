"""Browser journey for the board: log in, create, fill the proposal, answer a question, see progress."""

import pytest
from factories import PASSWORD, make_org, make_user
from playwright.sync_api import expect
from test_readability import KNOWN as KNOWN_LIX

from app.core.readability import lix

pytestmark = pytest.mark.browser


def test_secretary_takes_a_technology_from_proposal_to_an_answered_question(page, assert_accessible):
    editor = make_user(make_org("Browserby Kommune"), role="editor", name="Sekretær Browser")

    page.goto("/intern/login")
    assert_accessible(page)
    page.get_by_label("E-mail").fill(editor.email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url("**/intern/")
    assert_accessible(page)

    page.get_by_role("link", name="Ny vurdering").click()
    assert_accessible(page)
    page.get_by_label("Titel").fill("Sensorer i soveværelser om natten")
    page.locator("input[name=dilemmas]").first.check()
    page.get_by_role("button", name="Opret vurdering").click()
    page.wait_for_url("**/forslag")
    assert_accessible(page)

    page.get_by_label("Hvilket problem skal løses?").fill("Beboere forstyrres af tilsyn om natten.")
    # Its LIX is shown while typing (js/lix.js), as the server computes it (issue 28 item 6).
    expect(page.locator("#problem-lix")).to_have_text("Læsbarhed: LIX 39. Sigt efter under 40.")
    for text, *_counts in KNOWN_LIX:
        assert page.evaluate("text => window.etikdialogLix(text)", text) == lix(text).score, text
    page.get_by_label("For hvem?").fill("Beboere på plejecentre med demens.")
    page.get_by_label("Teknologi", exact=True).fill("Sengesensor")
    page.get_by_role("button", name="Gem forslaget").click()
    page.wait_for_load_state()
    assert page.get_by_text("Gemt.").count() >= 1
    assert page.get_by_label("Teknologi", exact=True).input_value() == "Sengesensor"
    assert page.locator("#target_group-lix").inner_text().startswith("Læsbarhed: LIX ")

    page.get_by_role("link", name="Overblik").first.click()
    assert_accessible(page)
    before = page.locator("[data-section]").nth(1).inner_text()
    assert before.startswith("0 af")

    page.locator("ol.question-list a").first.click()
    assert_accessible(page)
    page.get_by_label("Udvalgets svar").fill("Udvalget finder værdien klar for borgeren.")
    page.get_by_label("Middel").check()
    page.get_by_role("button", name="Gem svaret").click()
    page.wait_for_load_state()

    page.get_by_role("link", name="Overblik").first.click()
    after = page.locator("[data-section]").nth(1).inner_text()
    assert after.startswith("1 af"), after


def test_background_save_says_when_it_last_saved(page):
    editor = make_user(make_org("Autosave Kommune"), role="editor")
    page.goto("/intern/login")
    page.get_by_label("E-mail").fill(editor.email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url("**/intern/")
    page.get_by_role("link", name="Ny vurdering").click()
    page.get_by_label("Titel").fill("Skærmbesøg")
    page.get_by_role("button", name="Opret vurdering").click()
    page.wait_for_url("**/forslag")
    page.get_by_label("Hvilket problem skal løses?").fill("Lang transporttid i hjemmeplejen")
    status = page.locator("[data-save-status]")
    status.filter(has_text="Gemt kl.").wait_for(timeout=10_000)
    page.reload()
    assert page.get_by_label("Hvilket problem skal løses?").input_value() == "Lang transporttid i hjemmeplejen"


def test_the_follow_up_page_is_accessible(page, assert_accessible):
    from assessment_factories import make_signed

    assessment = make_signed(make_org("Opfølgningsby Kommune"))
    member = make_user(assessment.organisation, role="member")
    page.goto("/intern/login")
    page.get_by_label("E-mail").fill(member.email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url("**/intern/")
    page.get_by_role("link", name="Opfølgning", exact=True).click()
    page.wait_for_load_state()
    assert "Evaluér ordningen efter et år." in page.locator("main").inner_text()
    assert_accessible(page)
