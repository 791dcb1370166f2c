"""Browser journey: a citizen searches, reads an assessment, downloads the PDF and verifies it."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PUBLIC_PAGES = [
    "/",
    "/vurderinger",
    "/vurderinger?q=zzzz",
    "/verificer",
    "/tilgaengelighed",
    "/teknologier",
    "/vejledning",
    "/hoeringer",
]


def test_citizen_finds_reads_downloads_and_verifies(page, published, assert_accessible):
    page.goto("/")
    page.get_by_label("Søg i kommunernes vurderinger").fill("sensorer")
    page.get_by_role("button", name="Søg").click()
    page.wait_for_load_state()
    assert "1 vurdering" in page.locator("#resultater").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Nattilsyn med sensorer").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Nattilsyn med sensorer"
    assert_accessible(page)

    link = page.get_by_role("link", name="Hent det underskrevne dokument (PDF)")
    response = page.request.get(link.get_attribute("href"))
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    assert response.body() == bytes(published.signed_record.pdf)

    page.get_by_role("link", name=published.signed_record.verification_code).click()
    page.wait_for_load_state()
    text = page.locator("main").inner_text()
    assert "Koden passer til en underskrevet vurdering" in text
    assert "Dokumentet er ægte" not in text  # a code checks no document; the reader compares
    assert "Nattilsyn med sensorer" in text and published.signed_record.verification_code in text
    assert_accessible(page)


@pytest.mark.parametrize("width", [1280, 375])
def test_every_public_page_is_accessible_on_desktop_and_mobile(page, published, assert_accessible, width):
    page.set_viewport_size({"width": width, "height": 900})
    for url in [
        *PUBLIC_PAGES,
        f"/vurderinger/{published.public_id}",
        f"/teknologier/{published.technology_category}",
        f"/verificer?kode={published.signed_record.verification_code}",
    ]:
        page.goto(url)
        assert_accessible(page)


@pytest.mark.parametrize("width", [1280, 375])
def test_the_record_and_consultation_pages_read_in_short_lines_and_fold(page, published, assert_accessible, width):
    """Issue 34 item 1: a summary first, lines of at most about 75 characters, sections that fold
    away and open again from the in-page menu; axe finds nothing on either page."""
    from assessment_factories import make_assessment
    from consultation_factories import open_consultation
    from factories import make_user

    from app.extensions import db

    editor = make_user(published.organisation, role="editor")
    consultation = open_consultation(make_assessment(editor, title="Skærmbesøg"), editor)
    db.session.commit()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/vurderinger/{published.public_id}")
    summary = page.locator(".record-summary")
    assert summary.bounding_box()["y"] < 900  # on the first screen, phone or desktop
    assert "Evaluér ordningen efter et år." in summary.locator(".record-conditions").inner_text()
    widest = page.evaluate(
        """() => Math.max(...[...document.querySelectorAll('.record-page p, .record-page li')].map(e => {
             const probe = document.createElement('span'); probe.textContent = '0'.repeat(10);
             e.appendChild(probe); const ch = probe.getBoundingClientRect().width / 10; probe.remove();
             return e.getBoundingClientRect().width / ch; }))"""
    )
    assert widest <= 80, widest  # 75ch, measured in the paragraph's own font
    assert_accessible(page)

    fold = page.get_by_role("button", name="Forslaget", exact=True)
    content = page.locator("#forslaget-indhold")
    fold.click()
    expect(content).to_be_hidden()
    page.locator(".record-menu").get_by_role("link", name="Forslaget", exact=True).click()
    expect(content).to_be_visible()

    page.goto(f"/hoeringer/{consultation.public_id}")
    assert page.locator(".record-summary").bounding_box()["y"] < 900
    expect(page.locator(".record-menu").get_by_role("link", name="Send dit høringssvar")).to_be_visible()
    assert_accessible(page)
