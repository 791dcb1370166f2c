"""Browser journeys through a real OpenID Provider (oidc-provider on 127.0.0.1, issue 22): a board
member logs in with only their e-mail at Etikdialog and their password at the provider, and signs
with a forced new login there; the signed PDF says how each signatory authenticated."""

# ruff: noqa: F811 - the provider fixtures are imported from sso_helpers and named as arguments
import io

import pytest
from factories import make_user
from pypdf import PdfReader
from sqlalchemy import select
from sso_helpers import (  # noqa: F401 - fixtures
    PROVIDER_PASSWORD,
    configure,
    make_organisation,
    oidc_provider,
    provider,
    sso_live_server,
)

from app.extensions import db
from app.signoff.models import Signature

pytestmark = pytest.mark.browser


@pytest.fixture
def sso_page(browser, sso_live_server):
    context = browser.new_context(base_url=sso_live_server.url, locale="da-DK")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def aarhus(app, provider):
    organisation = make_organisation("Aarhus Kommune")
    configure(organisation, provider, domain="aarhus.example.dk")
    return organisation


def log_in_at_provider(page, login: str):
    page.wait_for_url("**/interaction/**")
    page.get_by_label("Login").fill(login)
    page.get_by_label("Password").fill(PROVIDER_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def log_in(page, email: str, login: str):
    page.goto("/intern/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_role("button", name="Log ind").click()
    log_in_at_provider(page, login)
    page.wait_for_url("**/intern/")


def test_a_board_member_logs_in_through_the_provider_and_out_again(sso_page, aarhus, provider, assert_accessible):
    make_user(aarhus, role="member", email="formand@aarhus.example.dk", name="Anna Formand")
    provider.set_account("anna", email="formand@aarhus.example.dk")
    log_in(sso_page, "formand@aarhus.example.dk", "anna")
    assert "Du er logget ind som Anna Formand" in sso_page.locator("body").inner_text()
    assert_accessible(sso_page)
    sso_page.get_by_role("button", name="Log ud").first.click()
    sso_page.wait_for_load_state()
    assert "Du er logget ud af Etikdialog" in sso_page.locator("h1").inner_text()
    assert_accessible(sso_page)
    sso_page.get_by_role("link", name="Log også ud hos kommunens login").click()
    sso_page.wait_for_url(f"{provider.url}/**")
    sso_page.goto("/intern/")
    assert "/intern/login" in sso_page.url


def test_a_board_member_signs_with_a_forced_new_login(
    browser, sso_live_server, app, aarhus, provider, assert_accessible
):
    from test_signoff import ready

    editor = make_user(aarhus, role="editor", email="sekretaer@aarhus.example.dk")
    chair = make_user(
        aarhus,
        role="member",
        email="formand@aarhus.example.dk",
        name="Anna Formand",
        title="Formand",
    )
    director = make_user(aarhus, role="admin", email="direktoer@aarhus.example.dk", name="Dir Dahl", title="Direktør")
    assessment = ready(editor, chair, director)
    provider.set_account("anna", email="formand@aarhus.example.dk")
    provider.set_account("dir", email="direktoer@aarhus.example.dk")

    people = (
        ("formand@aarhus.example.dk", "anna", chair),
        ("direktoer@aarhus.example.dk", "dir", director),
    )
    for email, login, person in people:
        context = browser.new_context(base_url=sso_live_server.url, locale="da-DK")  # each on their own device
        page = context.new_page()
        log_in(page, email, login)
        page.goto(f"/intern/vurderinger/{assessment.public_id}/underskrift")
        assert page.locator("input[name=password]").count() == 0
        assert_accessible(page)
        page.get_by_label("Jeg har læst teksten").check()
        page.get_by_role("button", name="Underskriv via kommunens login").click()
        # The provider asks for the password again although the person is logged in there.
        log_in_at_provider(page, login)
        page.wait_for_url(f"**/intern/vurderinger/{assessment.public_id}")
        text = page.locator("body").inner_text()
        assert "Din underskrift er gemt." in text or "Alle har underskrevet" in text
        signature = db.session.scalar(select(Signature).where(Signature.user_id == person.id))
        assert (signature.auth_method, signature.auth_subject) == ("oidc", f"sub-{login}")
        context.close()

    db.session.expire_all()
    pdf = db.session.get(type(assessment), assessment.id).signed_record.pdf
    text = " ".join("".join(page.extract_text() for page in PdfReader(io.BytesIO(bytes(pdf))).pages).split())
    assert "Sådan bekræftede underskriverne deres identitet" in text
    assert "sub-anna" in text and "sub-dir" in text and "OpenID Connect" in text
