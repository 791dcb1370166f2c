"""Browser journey: a reader opens /indhold, follows a dilemma, and the pages are accessible."""

import pytest

pytestmark = pytest.mark.browser


def test_reader_follows_a_dilemma(page, assert_accessible):
    page.goto("/indhold")
    assert page.locator("h1").inner_text() == "Tænketankens spørgsmål og anbefalinger"
    assert_accessible(page)

    page.locator("a[href^='/indhold/dilemmaer/']").first.click()
    page.wait_for_load_state()
    assert "/indhold/dilemmaer/" in page.url
    assert page.locator("h2", has_text="Uddybende spørgsmål").count() == 1
    assert page.locator("main h3").count() == 3
    assert_accessible(page)

    page.locator("a[href^='/indhold/anbefalinger/']").first.click()
    page.wait_for_load_state()
    assert page.locator("h2", has_text="Kontrolspørgsmål").count() == 1
    assert_accessible(page)
