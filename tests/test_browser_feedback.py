"""Browser journeys for citizens' feedback on a published record: a citizen on a phone (375 px)
asks a question, and axe-core finds no violations on the record's page, the form and the board's
pages at 1280 and 375 px."""

import pytest
from assessment_factories import make_published
from factories import log_in, make_org, make_user
from sqlalchemy import select

from app.extensions import db
from app.feedback import services
from app.feedback.models import Feedback
from app.public.models import Publication

pytestmark = pytest.mark.browser


@pytest.fixture
def record(app):
    org = make_org("Aarhus Kommune")
    assessment = make_published(org, title="Nattilsyn med sensorer")
    editor = make_user(org, role="editor", name="Jonas Lund")
    publication = db.session.scalar(select(Publication).where(Publication.assessment_id == assessment.id))
    return editor, publication


def test_a_citizen_on_a_phone_reports_an_error(record, page, assert_accessible):
    _, publication = record
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"/vurderinger/{publication.public_id}")
    page.get_by_role("link", name="Meld en fejl eller stil et spørgsmål").click()
    page.wait_for_load_state()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # nothing wider than the phone

    # A first try without text comes back with the error and keeps what was typed.
    page.get_by_label("Organisation (frivilligt)").fill("Ældrerådet")
    page.get_by_role("button", name="Send henvendelsen").click()
    page.wait_for_load_state()
    assert "Skriv dit spørgsmål eller den fejl, du har fundet." in page.locator(".alert-error").inner_text()
    assert page.get_by_label("Organisation (frivilligt)").input_value() == "Ældrerådet"
    assert_accessible(page)

    page.get_by_label("En fejl i vurderingen").check()
    page.get_by_label("Dit spørgsmål eller din rettelse").fill("Telefonnummeret under kontakt er <b>forkert</b>.")
    page.get_by_role("button", name="Send henvendelsen").click()
    page.wait_for_load_state()
    assert "Tak for din henvendelse" in page.locator("body").inner_text()
    assert "1 henvendelse modtaget, 0 besvaret" in page.locator("main").inner_text()
    assert_accessible(page)
    stored = db.session.scalars(select(Feedback)).one()
    assert stored.kind == "fejl" and stored.author_organisation == "Ældrerådet"


@pytest.mark.parametrize("width", [1280, 375])
def test_feedback_pages_are_accessible_on_desktop_and_mobile(record, page, assert_accessible, width):
    editor, publication = record
    item = services.receive(
        publication,
        kind="spoergsmaal",
        body="Hvor længe gemmes hændelserne?",
        author_name="Inge Hansen",
        author_organisation="",
        publish_name=True,
        address="192.0.2.5",
    )
    services.answer(item, user=editor, text="I 14 dage.")
    services.moderate(item, user=editor, approve=True)
    db.session.commit()
    page.set_viewport_size({"width": width, "height": 900})
    for url in [f"/vurderinger/{publication.public_id}", f"/vurderinger/{publication.public_id}/spoerg"]:
        page.goto(url)
        assert_accessible(page)
    assert "Udvalgets svar, " in page.goto(f"/vurderinger/{publication.public_id}").text()
    log_in(page, editor)
    for url in ["/intern/henvendelser", f"/intern/henvendelser/{item.id}"]:
        page.goto(url)
        assert_accessible(page)
