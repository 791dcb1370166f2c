"""Browser journey: an administrator logs in, creates a user after a mistake, and logs out; the
pages are accessible."""

import pytest
from factories import PASSWORD, make_org, make_user

pytestmark = pytest.mark.browser


def test_admin_logs_in_creates_a_user_and_logs_out(page, assert_accessible):
    admin = make_user(make_org("Aarhus Kommune"), role="admin", name="Anne Admin")

    page.goto("/intern/admin/brugere")
    assert "/intern/login" in page.url
    assert "Log ind for at se siden." in page.content()
    assert_accessible(page)

    page.fill("#email", admin.email)
    page.fill("#password", "forkert-kodeord-1")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "Forkert e-mail eller adgangskode." in page.locator(".alert-error").inner_text()
    assert page.input_value("#email") == admin.email
    assert_accessible(page)

    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert page.url.endswith("/intern/admin/brugere")
    assert "Anne Admin" in page.locator("table").inner_text()
    assert_accessible(page)

    page.click("text=Opret bruger")
    page.wait_for_load_state()
    page.fill("#email", "ikke-en-adresse")
    page.fill("#name", "Bent Sekretær")
    page.fill("#title", "Konsulent")
    page.select_option("#role", "editor")
    page.fill("#password", "lang-nok-og-ukendt-9")
    page.fill("#password_repeat", "lang-nok-og-ukendt-9")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "Skriv en gyldig e-mailadresse." in page.locator(".alert-error").inner_text()
    assert page.input_value("#name") == "Bent Sekretær"
    assert_accessible(page)

    page.fill("#email", "bent@aarhus.dk")
    page.fill("#password", "lang-nok-og-ukendt-9")
    page.fill("#password_repeat", "lang-nok-og-ukendt-9")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "Brugeren Bent Sekretær er oprettet." in page.content()
    assert "bent@aarhus.dk" in page.locator("table").inner_text()

    page.click("text=Log ud")
    page.wait_for_load_state()
    assert "Du er logget ud." in page.content()
    # The header (and on phones its drawer) offers login again, and no logout is left.
    assert page.locator("header a:visible", has_text="Log ind").count() >= 1
    assert page.locator('form[action="/intern/logout"]').count() == 0
