"""The language switch in a real browser: English is remembered and stays accessible."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_reader_switches_to_english_and_back(page, assert_accessible):
    page.goto("/vurderinger")
    expect(page.locator("html")).to_have_attribute("lang", "da")
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/vurderinger")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("navigation", name="Main menu")).to_be_visible()
    expect(page.locator(".language-note")).to_contain_text("are in Danish")
    assert_accessible(page)

    page.goto("/hoeringer")  # remembered on the next page
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert_accessible(page)

    page.get_by_role("link", name="Dansk").click()
    expect(page.locator("html")).to_have_attribute("lang", "da")
    expect(page.get_by_role("navigation", name="Hovedmenu")).to_be_visible()
