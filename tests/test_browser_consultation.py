"""Browser journeys for a consultation: a citizen responds without an account; the secretary
approves and answers. axe-core finds no violations on any page on the way."""

import pytest
from assessment_factories import make_assessment
from consultation_factories import open_consultation
from factories import PASSWORD, make_org, make_user

from app.extensions import db

pytestmark = pytest.mark.browser


@pytest.fixture
def hearing(app):
    editor = make_user(make_org("Aarhus Kommune"), role="editor", name="Jonas Lund")
    assessment = make_assessment(editor, title="Skærmbesøg i hjemmeplejen")
    consultation = open_consultation(assessment, editor)
    db.session.commit()
    return editor, consultation


def test_a_citizen_responds_and_the_secretary_approves_and_answers(page, hearing, assert_accessible):
    editor, consultation = hearing
    page.goto("/")
    page.get_by_role("link", name="Høringer").first.click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_role("link", name="Skærmbesøg i hjemmeplejen").click()
    page.wait_for_load_state()
    assert_accessible(page)

    # A first try without text comes back with the error and keeps what was typed.
    page.get_by_label("Organisation (frivilligt)").fill("Ældrerådet")
    page.get_by_role("button", name="Send høringssvar").click()
    page.wait_for_load_state()
    assert "Skriv dit høringssvar." in page.locator(".alert-error").inner_text()
    assert page.get_by_label("Organisation (frivilligt)").input_value() == "Ældrerådet"
    assert_accessible(page)

    page.get_by_label("Dit høringssvar").fill("Skærmbesøg må ikke erstatte alle fysiske besøg. <b>Tak</b>")
    page.get_by_label("Navn (frivilligt)").fill("Grethe Møller")
    page.get_by_label("Mit navn og min organisation må vises sammen med svaret").check()
    page.get_by_role("button", name="Send høringssvar").click()
    page.wait_for_load_state()
    assert "Tak for dit høringssvar" in page.locator("body").inner_text()
    assert_accessible(page)

    page.goto("/intern/login")
    page.get_by_label("E-mail").fill(editor.email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url("**/intern/")
    page.get_by_role("link", name="Skærmbesøg i hjemmeplejen").click()
    page.get_by_role("link", name="Høring", exact=True).click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_role("link", name="Høringssvar", exact=True).click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label("Godkend").check()
    page.get_by_role("button", name="Gem afgørelsen").click()
    page.wait_for_load_state()
    page.get_by_label("Delvist indarbejdet").check()
    page.get_by_label("Udvalgets begrundelse").fill("Vi tilføjer en betingelse om ét fysisk besøg om dagen.")
    page.get_by_role("button", name="Gem udvalgets svar").click()
    page.wait_for_load_state()
    assert "Udvalgets svar er gemt." in page.locator("body").inner_text()
    assert_accessible(page)

    page.goto(f"/hoeringer/{consultation.public_id}")
    text = page.locator("main").inner_text()
    assert "Høringssvar 1 fra Grethe Møller, Ældrerådet" in text
    assert "<b>Tak</b>" in text  # markup shown as text
    assert "Udvalgets svar: Delvist indarbejdet" in text
    assert_accessible(page)


@pytest.mark.parametrize("width", [1280, 375])
def test_consultation_pages_are_accessible_on_desktop_and_mobile(page, hearing, assert_accessible, width):
    _, consultation = hearing
    page.set_viewport_size({"width": width, "height": 900})
    for url in ["/hoeringer", f"/hoeringer/{consultation.public_id}"]:
        page.goto(url)
        assert_accessible(page)
