"""Browser: a citizen compares two published versions, on a desktop and on a phone, and axe-core
finds nothing on the comparison page or the record page that offers it."""

import pytest
from assessment_factories import make_published
from browser_helpers import off_the_browser_loop
from factories import make_org
from test_public_compare import new_version

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 375])
def test_a_citizen_sees_what_changed_between_two_versions(app, page, assert_accessible, width):
    def two_versions():
        first = make_published(make_org("Aarhus Kommune"), title="Nattilsyn med sensorer")
        return new_version(
            first,
            problem="Borgere med demens falder ofte om natten og ligger længe, før nogen opdager det.",
            action="Informér de pårørende om ordningen, før den tages i brug.",
            owner="Sundhedschefen",
        ).public_id

    second = off_the_browser_loop(app, two_versions)  # signing runs an asyncio loop of its own
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/vurderinger/{second}")
    assert_accessible(page)
    page.get_by_role("link", name="Se ændringer siden forrige version (version 1)").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Ændringer fra version 1 til version 2"
    added = page.locator("ins", has_text="ofte").first
    assert added.inner_text() == "[Tilføjet: ofte]"  # the label is text, not colour alone
    assert page.locator("del", has_text="Leder af Sundhed og Omsorg").first.inner_text().startswith("[Fjernet:")
    assert_accessible(page)
    width_used = page.evaluate("document.documentElement.scrollWidth")
    assert width_used <= width, f"the page is {width_used} px wide at {width} px"

    # The form compares any two versions; backwards, the added word reads as removed.
    page.get_by_label("Fra version").select_option("2")
    page.get_by_label("Til version").select_option("1")
    page.get_by_role("button", name="Se ændringer").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Ændringer fra version 2 til version 1"
    assert page.locator("del", has_text="ofte").first.inner_text() == "[Fjernet: ofte]"
    assert_accessible(page)

    # A refusal is a page of its own with the form to choose again.
    page.goto(f"/vurderinger/{second}/aendringer?fra=1&til=1")
    assert "Vælg to forskellige versioner." in page.locator("main").inner_text()
    assert_accessible(page)
