"""The AI Act Article 27 assessment's page in a browser: axe finds nothing at 1280 and 375 px, it
fits the phone, a validation error keeps what was typed, and leaving with unsaved text asks first."""

import pytest
from assessment_factories import complete_proposal, make_assessment
from browser_helpers import assert_fits
from factories import log_in, make_org, make_user
from playwright.sync_api import expect
from test_ai_fria import SCREENING, make_ai_assessment

from app.extensions import db

pytestmark = pytest.mark.browser

SIZES = [{"width": 1280, "height": 900}, {"width": 375, "height": 740}]


@pytest.fixture
def draft(app):
    org = make_org("Algoritmeby Kommune")
    editor = make_user(org, role="editor", email="sekretaer@algoritmeby.dk")
    assessment = make_assessment(editor, title="Beslutningsstøtte i visitationen")
    complete_proposal(assessment, editor, **SCREENING)
    db.session.commit()
    return assessment, editor


@pytest.mark.parametrize("size", SIZES, ids=["1280", "375"])
def test_the_page_is_accessible_and_keeps_typed_text(page, draft, assert_accessible, size):
    assessment, editor = draft
    page.set_viewport_size(size)
    log_in(page, editor)
    page.goto(f"/intern/vurderinger/{assessment.public_id}/ai-konsekvensanalyse")
    expect(page.get_by_role("heading", level=1)).to_contain_text("grundlæggende rettigheder")
    assert_fits(page)
    assert_accessible(page)

    page.get_by_label("I hvilken periode skal systemet bruges, og hvor ofte?", exact=False).fill("Hver uge i to år")
    page.get_by_label("Ja, anmeldelsen er sendt").check()
    page.get_by_role("button", name="Gem analysen").click()
    expect(page.locator(".form-error-message").first).to_contain_text("Skriv datoen, hvor anmeldelsen blev sendt.")
    expect(page.get_by_label("I hvilken periode skal systemet bruges, og hvor ofte?", exact=False)).to_have_value(
        "Hver uge i to år"
    )
    assert_accessible(page)


def published_in_a_thread(app) -> str:
    """Signing runs its own event loop (the PDF signature's timestamp), which cannot start inside
    Playwright's: the signed assessment is made in a thread of its own, with its own app context."""
    from concurrent.futures import ThreadPoolExecutor

    def make():
        with app.app_context():
            return make_ai_assessment(make_org("Offentligby Kommune"), publish=True).public_id

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(make).result()


def test_the_signed_assessment_reads_well_on_the_public_page(page, app, assert_accessible):
    public_id = published_in_a_thread(app)
    for size in SIZES:
        page.set_viewport_size(size)
        page.goto(f"/vurderinger/{public_id}#ai-konsekvensanalyse")
        expect(page.locator("#ai-konsekvensanalyse")).to_be_visible()
        assert_accessible(page)


def test_leaving_at_once_after_typing_keeps_the_text(page, draft):
    """The unsaved-text protection of the board's other forms: leaving saves what was typed."""
    import time

    from app.assessments.models import Assessment

    assessment, editor = draft
    log_in(page, editor)
    page.goto(f"/intern/vurderinger/{assessment.public_id}/ai-konsekvensanalyse")
    page.get_by_label("Hvilke grupper af borgere", exact=False).click()
    page.keyboard.type("Ældre borgere, der søger hjemmehjælp")
    page.locator("nav.assessment-menu").get_by_role("link", name="Overblik").click()
    page.wait_for_url(f"**/vurderinger/{assessment.public_id}")

    def stored():
        db.session.expire_all()
        return db.session.get(Assessment, assessment.id).fria_persons

    deadline = time.monotonic() + 10
    while stored() != "Ældre borgere, der søger hjemmehjælp" and time.monotonic() < deadline:
        time.sleep(0.2)
    assert stored() == "Ældre borgere, der søger hjemmehjælp"
