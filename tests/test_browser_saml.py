"""Browser journey through a real SAML IdP (pysaml2's, on another site than the app, as a
municipality's is; issue 22): a board member types only their e-mail at Etikdialog, logs in at
the IdP, and its cross-site post of the signed assertion reaches the ACS without the SameSite=Lax
session cookie, so Etikdialog's own page posts it once more and the login completes."""

# ruff: noqa: F811 - the fixtures are imported from the helpers and named as arguments
import pytest
from factories import make_user
from saml_helpers import IDP_PASSWORD, configure_saml, cross_site_idp_server  # noqa: F401 - fixtures
from sso_helpers import make_organisation, sso_live_server  # noqa: F401 - fixtures

from app.sso import oidc

pytestmark = pytest.mark.browser


@pytest.fixture
def idp(cross_site_idp_server):
    oidc.clear_cache()
    cross_site_idp_server.reset()
    return cross_site_idp_server


def test_a_board_member_logs_in_through_the_saml_idp(browser, sso_live_server, app, idp, assert_accessible):
    aarhus = make_organisation("Aarhus Kommune")
    configure_saml(aarhus, idp, domain="aarhus.example.dk", base_url=sso_live_server.url)
    make_user(aarhus, role="member", email="formand@aarhus.example.dk", name="Anna Formand")
    idp.set_account("anna", password=IDP_PASSWORD, email="formand@aarhus.example.dk")
    context = browser.new_context(base_url=sso_live_server.url, locale="da-DK")
    page = context.new_page()
    acs_posts = []
    page.on("request", lambda r: r.method == "POST" and "/acs" in r.url and acs_posts.append(r.url))
    page.goto("/intern/login")
    page.get_by_label("E-mail").fill("formand@aarhus.example.dk")
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"{idp.url}/sso/redirect**")
    page.get_by_label("Login").fill("anna")
    page.get_by_label("Password").fill(IDP_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/intern/")
    assert "Du er logget ind som Anna Formand" in page.locator("body").inner_text()
    assert len(acs_posts) == 2  # the IdP's post, without our cookie, then our own page's
    assert idp.requests[-1]["force_authn"] is False
    assert_accessible(page)
    page.get_by_role("button", name="Log ud").first.click()
    page.wait_for_load_state()
    assert "Du er logget ud af Etikdialog" in page.locator("h1").inner_text()
    page.get_by_role("link", name="Log også ud hos kommunens login").click()
    page.wait_for_url("**/")
    assert idp.logouts and idp.logouts[-1]["name_id"] == "saml-anna"
    assert "Du er også logget ud hos kommunens login" in page.locator("body").inner_text()
    page.goto("/intern/")
    assert "/intern/login" in page.url
    context.close()
