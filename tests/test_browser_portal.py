"""Browser journey: a citizen searches, reads an assessment, downloads the PDF and verifies it."""

import pytest

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
