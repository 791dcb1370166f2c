"""Where people land and what they are asked: the thank-you after a consultation response is in view,
irreversible actions ask first (also without JavaScript), and publishing links to the public page."""

import pytest
from assessment_factories import make_assessment, make_signed
from consultation_factories import open_consultation
from factories import log_in, make_org, make_user
from playwright.sync_api import expect

from app.extensions import db

pytestmark = pytest.mark.browser


def test_a_citizen_lands_on_the_thank_you_after_responding(page, app, assert_accessible):
    editor = make_user(make_org("Svarby Kommune"), role="editor")
    consultation = open_consultation(make_assessment(editor), editor)
    db.session.commit()
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"/hoeringer/{consultation.public_id}")
    page.get_by_label("Dit høringssvar").fill("Husk de pårørende, når I beslutter.")
    page.get_by_role("button", name="Send høringssvar").click()
    page.wait_for_load_state()
    thanks = page.get_by_text("Tak for dit høringssvar")
    expect(thanks).to_be_in_viewport()
    expect(page.get_by_role("button", name="Send høringssvar")).not_to_be_in_viewport()
    assert_accessible(page)


@pytest.mark.parametrize("javascript", [True, False])
def test_publishing_asks_first_and_then_links_to_the_public_page(browser, live_server, app, javascript):
    assessment = make_signed(make_org("Bekræftby Kommune"), title="Skærmbesøg om aftenen")
    admin = make_user(assessment.organisation, role="admin")
    context = browser.new_context(base_url=live_server.url, locale="da-DK", java_script_enabled=javascript)
    page = context.new_page()
    log_in(page, admin)
    page.goto(f"/intern/vurderinger/{assessment.public_id}")
    confirm = page.get_by_role("button", name="Ja, offentliggør")
    expect(confirm).to_be_hidden()  # the first press only asks
    page.locator("summary", has_text="Offentliggør").click()
    expect(page.get_by_text("Vurderingen bliver offentlig på portalen med det samme")).to_be_visible()
    confirm.click()
    page.wait_for_load_state()
    public = page.get_by_role("link", name="Se den offentlige side")
    expect(public).to_be_visible()
    public.click()
    page.wait_for_url(f"**/vurderinger/{assessment.public_id}")
    assert page.locator("h1").inner_text() == "Skærmbesøg om aftenen"
    context.close()


def test_closing_a_consultation_early_and_reopening_ask_first(page, app, assert_accessible):
    editor = make_user(make_org("Lukkeby Kommune"), role="editor")
    assessment = make_assessment(editor)
    consultation = open_consultation(assessment, editor)
    db.session.commit()
    log_in(page, editor)
    page.goto(f"/intern/vurderinger/{assessment.public_id}/hoeringer")
    expect(page.get_by_role("button", name="Ja, afslut høringen nu")).to_be_hidden()
    page.locator("summary", has_text="Afslut høringen nu").click()
    assert_accessible(page)
    page.get_by_role("button", name="Ja, afslut høringen nu").click()
    page.wait_for_load_state()
    db.session.expire_all()
    assert db.session.get(type(consultation), consultation.id).closed_early_on is not None

    signed = make_signed(make_org("Genåbneby Kommune"))
    signed_editor = make_user(signed.organisation, role="editor")
    page.context.clear_cookies()
    log_in(page, signed_editor)
    page.goto(f"/intern/vurderinger/{signed.public_id}")
    assert page.get_by_role("link", name="Hent udkast som PDF").count() == 0  # signed: the draft is gone
    expect(page.get_by_role("button", name="Ja, genåbn som ny version")).to_be_hidden()
    page.locator("summary", has_text="Genåbn som ny version").click()
    expect(page.get_by_role("button", name="Ja, genåbn som ny version")).to_be_visible()
