"""Single sign-on through SAML 2.0 (OIOSAML profile, issue 22), against a real IdP (pysaml2's
IdP on 127.0.0.1, tests/sso_provider/saml_idp.py): login, signing with ForceAuthn, single
logout, the published metadata, and the refusals (a replayed response, an unsigned or badly
signed assertion, another audience, a stale AuthnInstant, another municipality's people)."""

# ruff: noqa: F811 - the IdP fixtures are imported from saml_helpers and named as arguments
import re
import time
from pathlib import Path

import pytest
import requests
from factories import make_user
from saml_helpers import (  # noqa: F401 - fixtures
    IDP_PASSWORD,
    configure_saml,
    post_to_acs,
    saml_idp,
    saml_idp_server,
    sp_entity_id,
    through_idp,
)
from sqlalchemy import func, select
from sso_helpers import make_organisation, path_of

from app.accounts import services as accounts_services
from app.extensions import db
from app.sso import flows
from app.sso import services as sso_services
from app.sso.models import SamlAssertion, SsoIdentity


@pytest.fixture
def aarhus(app, client, saml_idp):
    organisation = make_organisation("Aarhus Kommune")
    configure_saml(organisation, saml_idp, domain="aarhus.example.dk", client=client)
    return organisation


def start_login(client, email: str) -> str:
    """Type the e-mail on the login page; returns where Etikdialog sends the browser (the IdP)."""
    response = client.post("/intern/login", data={"email": email, "password": ""})
    assert response.status_code == 302 and "/intern/saml/" in response.location, response.status_code
    response = client.get(response.location)
    assert response.status_code == 302, response.status_code
    return response.location


def saml_login(client, idp, email: str, account: str):
    location = start_login(client, email)
    assert location.startswith(f"{idp.url}/sso/redirect?SAMLRequest=") and "Signature=" in location
    action, fields = through_idp(location, account)
    return post_to_acs(client, action, fields)


def test_a_board_member_logs_in_through_the_idp(client, aarhus, saml_idp):
    user = make_user(aarhus, role="member", email="formand@aarhus.example.dk", name="Anna Formand")
    saml_idp.set_account("anna", password=IDP_PASSWORD, email="formand@aarhus.example.dk")
    response = saml_login(client, saml_idp, "formand@aarhus.example.dk", "anna")
    assert response.status_code == 302 and response.location.endswith("/intern/"), response.location
    assert "Anna Formand" in client.get("/intern/").get_data(as_text=True)
    identity = db.session.scalar(select(SsoIdentity).where(SsoIdentity.user_id == user.id))
    assert (identity.provider, identity.subject) == (saml_idp.entity_id, "saml-anna")
    assert saml_idp.requests[-1]["force_authn"] is False
    assert saml_idp.requests[-1]["sp"] == sp_entity_id(aarhus.slug)
    assert saml_idp.requests[-1]["authn_context"] == []  # no level required, none asked for


def test_the_metadata_is_public_and_names_our_endpoints_and_certificate(client, aarhus, saml_idp):
    response = client.get(f"/intern/saml/{aarhus.slug}/metadata.xml")
    xml = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "application/samlmetadata+xml"
    assert f'entityID="{sp_entity_id(aarhus.slug)}"' in xml
    assert f'Location="http://etikdialog.test/intern/saml/{aarhus.slug}/acs"' in xml
    assert f'Location="http://etikdialog.test/intern/saml/{aarhus.slug}/slo"' in xml
    assert 'WantAssertionsSigned="true"' in xml and 'AuthnRequestsSigned="true"' in xml
    certificate = Path(saml_idp.sp_cert).read_text().split("-----")[2].replace("\n", "")
    assert certificate in xml.replace("\n", "")
    assert "PRIVATE KEY" not in xml
    assert client.get("/intern/saml/no-such-kommune/metadata.xml").status_code == 404


def test_just_in_time_accounts_and_roles_from_a_group_attribute(client, app, saml_idp):
    organisation = make_organisation("Aarhus Kommune")
    configure_saml(
        organisation,
        saml_idp,
        domain="aarhus.example.dk",
        client=client,
        allow_jit=True,
        group_claim="groups",
        role_map="etik-sekretariat=editor",
    )
    saml_idp.set_account(
        "cille",
        password=IDP_PASSWORD,
        email="cille@aarhus.example.dk",
        name="Cille Ny",
        groups=["andet", "etik-sekretariat"],
    )
    assert saml_login(client, saml_idp, "cille@aarhus.example.dk", "cille").location.endswith("/intern/")
    user = accounts_services.get_user_by_email("cille@aarhus.example.dk")
    assert (user.role, user.name, user.organisation_id) == ("editor", "Cille Ny", organisation.id)


def test_without_an_invitation_or_just_in_time_accounts_a_person_is_refused(client, aarhus, saml_idp):
    saml_idp.set_account("bo", password=IDP_PASSWORD, email="bo@aarhus.example.dk")
    response = saml_login(client, saml_idp, "bo@aarhus.example.dk", "bo")
    assert response.location.endswith("/intern/login")
    assert "Du kan ikke logge ind i Etikdialog" in client.get("/intern/login").get_data(as_text=True)
    assert accounts_services.get_user_by_email("bo@aarhus.example.dk") is None


def test_an_assertion_refused_by_the_rules_is_used_all_the_same(client, aarhus, saml_idp):
    """The assertion's ID is committed when it is checked (record_now, ADR 0008), before the rules
    refuse the person: the refusal rolls back its own work, not the record of a used assertion."""
    saml_idp.set_account("bo", password=IDP_PASSWORD, email="bo@aarhus.example.dk")
    assert saml_login(client, saml_idp, "bo@aarhus.example.dk", "bo").location.endswith("/intern/login")
    db.session.rollback()
    with db.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(SamlAssertion)) == 1


def test_a_replayed_saml_response_is_refused(client, aarhus, saml_idp):
    make_user(aarhus, role="member", email="eva@aarhus.example.dk")
    saml_idp.set_account("eva", password=IDP_PASSWORD, email="eva@aarhus.example.dk")
    action, fields = through_idp(start_login(client, "eva@aarhus.example.dk"), "eva")
    assert post_to_acs(client, action, fields).location.endswith("/intern/")
    assert db.session.scalar(select(func.count()).select_from(SamlAssertion)) == 1
    client.post("/intern/logout")
    # The same response again: its request is no longer outstanding in this browser.
    assert post_to_acs(client, action, fields).location.endswith("/intern/login")
    assert client.get("/intern/").status_code == 302
    # Even with the outstanding request put back (a stolen session and response), the assertion's
    # ID is kept in the database until it expires and is refused the second time.
    with client.session_transaction() as session:
        assert fields["RelayState"] not in (session.get("sso_flows") or [])
        session["sso_flows"] = [fields["RelayState"]]
    flow = {"org": aarhus.slug, "purpose": "login", "started": time.time(), "request_id": saml_idp.requests[-1]["id"]}
    flows._store(flows.FLOW, fields["RelayState"], flow, flows.FLOW_SECONDS)
    db.session.commit()
    response = post_to_acs(client, action, fields)
    assert response.location.endswith("/intern/login")
    assert "allerede brugt" in client.get("/intern/login").get_data(as_text=True)
    assert client.get("/intern/").status_code == 302


def test_an_unsolicited_response_is_refused(client, aarhus, saml_idp):
    make_user(aarhus, role="member", email="eva@aarhus.example.dk")
    saml_idp.set_account("eva", password=IDP_PASSWORD, email="eva@aarhus.example.dk")
    action, fields = through_idp(start_login(client, "eva@aarhus.example.dk"), "eva")
    other = client.application.test_client()  # another browser, which never asked
    other.set_cookie("etikdialog", "x")
    assert post_to_acs(other, action, fields).location.endswith("/intern/login")
    assert other.get("/intern/").status_code == 302


@pytest.mark.parametrize(
    "behaviour",
    [
        {"sign_assertion": False},  # nothing signed
        {"sign_assertion": False, "sign_response": True},  # only the response around it signed
        {"rogue_key": True},  # signed by a key that is not in the IdP's metadata
        {"tamper": "direktoer@aarhus.example.dk"},  # changed after signing
        {"sha1": True},  # signed, but with RSA-SHA1, which OIOSAML no longer allows
    ],
    ids=["unsigned", "response-only", "wrong-key", "tampered", "sha1"],
)
def test_an_unsigned_or_badly_signed_assertion_is_refused(client, aarhus, saml_idp, behaviour, caplog):
    make_user(aarhus, role="member", email="eva@aarhus.example.dk")
    make_user(aarhus, role="admin", email="direktoer@aarhus.example.dk")
    saml_idp.set_account("eva", password=IDP_PASSWORD, email="eva@aarhus.example.dk")
    saml_idp.behaviour.update(behaviour)
    response = saml_login(client, saml_idp, "eva@aarhus.example.dk", "eva")
    assert response.location.endswith("/intern/login")
    assert "kunne ikke godkendes" in client.get("/intern/login").get_data(as_text=True)
    assert client.get("/intern/").status_code == 302
    assert db.session.scalar(select(func.count()).select_from(SsoIdentity)) == 0
    assert "SignatureError" in caplog.text or "signed with" in caplog.text  # for its signature


def test_an_assertion_for_another_audience_is_refused(client, app, aarhus, saml_idp, caplog):
    odense = make_organisation("Odense Kommune")
    configure_saml(odense, saml_idp, domain="odense.example.dk", client=client)
    make_user(aarhus, role="member", email="eva@aarhus.example.dk")
    saml_idp.set_account("eva", password=IDP_PASSWORD, email="eva@aarhus.example.dk")
    saml_idp.behaviour["audience"] = sp_entity_id(odense.slug)  # genuine, signed, but for Odense
    response = saml_login(client, saml_idp, "eva@aarhus.example.dk", "eva")
    assert response.location.endswith("/intern/login")
    assert client.get("/intern/").status_code == 302
    assert "AudienceRestriction" in caplog.text


def test_one_municipality_cannot_get_into_another_by_changing_attributes(client, app, aarhus, saml_idp):
    odense = make_organisation("Odense Kommune")
    configure_saml(odense, saml_idp, domain="odense.example.dk", client=client)
    odense_chair = make_user(odense, role="admin", email="formand@odense.example.dk")
    saml_idp.set_account("olga", password=IDP_PASSWORD, email="formand@odense.example.dk")
    assert saml_login(client, saml_idp, "formand@odense.example.dk", "olga").location.endswith("/intern/")
    client.post("/intern/logout")
    # Olga (linked in Odense) through Aarhus's login: her subject belongs to Odense.
    action, fields = through_idp(client.get(f"/intern/saml/{aarhus.slug}/login").location, "olga")
    assert post_to_acs(client, action, fields).location.endswith("/intern/login")
    # Someone at the IdP whose attributes claim the Odense chair's address, through either login.
    saml_idp.set_account("mallory", password=IDP_PASSWORD, email="formand@odense.example.dk", groups=["etik-admin"])
    for slug in (aarhus.slug, odense.slug):
        action, fields = through_idp(client.get(f"/intern/saml/{slug}/login").location, "mallory")
        assert post_to_acs(client, action, fields).location.endswith("/intern/login")
    assert client.get("/intern/").status_code == 302
    assert db.session.scalar(select(SsoIdentity).where(SsoIdentity.subject == "saml-mallory")) is None
    assert odense_chair.organisation_id == odense.id


def test_a_post_without_our_cookie_is_sent_again_from_our_own_page(client, aarhus, saml_idp):
    """The IdP's cross-site post carries no SameSite=Lax cookie; the ACS answers with a page that
    posts it once more (and starts no session of its own), then the login completes."""
    make_user(aarhus, role="member", email="eva@aarhus.example.dk", name="Eva E")
    saml_idp.set_account("eva", password=IDP_PASSWORD, email="eva@aarhus.example.dk")
    action, fields = through_idp(start_login(client, "eva@aarhus.example.dk"), "eva")
    cookie = client.get_cookie("etikdialog")
    client.delete_cookie("etikdialog")
    page = client.post(path_of(action), data=fields)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Set-Cookie" not in page.headers
    assert 'name="again" value="1"' in html and "js/saml-continue.js" in html
    client.set_cookie("etikdialog", cookie.value)
    again = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', html))
    assert client.post(f"/intern/saml/{aarhus.slug}/acs", data=again).location.endswith("/intern/")
    # Without the cookie a second time, it is refused rather than looped.
    other = client.application.test_client()
    assert other.post(f"/intern/saml/{aarhus.slug}/acs", data=again).location.endswith("/intern/login")


def test_logout_offers_single_logout_at_the_idp(client, aarhus, saml_idp):
    make_user(aarhus, role="member", email="hans@aarhus.example.dk")
    saml_idp.set_account("hans", password=IDP_PASSWORD, email="hans@aarhus.example.dk")
    saml_login(client, saml_idp, "hans@aarhus.example.dk", "hans")
    response = client.post("/intern/logout")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Log også ud hos kommunens login" in html
    link = re.search(r'href="([^"]*/slo/redirect[^"]*)"', html).group(1).replace("&amp;", "&")
    assert link.startswith(f"{saml_idp.url}/slo/redirect?SAMLRequest=") and "Signature=" in link
    assert client.get("/intern/").status_code == 302  # the local session ended first
    back = requests.get(link, allow_redirects=False, timeout=10)
    assert back.status_code == 302 and f"/intern/saml/{aarhus.slug}/slo?SAMLResponse=" in back.headers["location"]
    assert saml_idp.logouts[-1]["name_id"] == "saml-hans"
    client.get(path_of(back.headers["location"]))
    assert "Du er også logget ud hos kommunens login" in client.get("/").get_data(as_text=True)


# --- Signing -------------------------------------------------------------------------------


@pytest.fixture
def awaiting(client, aarhus, saml_idp):
    from test_signoff import ready

    editor = make_user(aarhus, role="editor", email="sekretaer@aarhus.example.dk")
    chair = make_user(aarhus, role="member", email="formand@aarhus.example.dk", name="Anna Formand", title="Formand")
    director = make_user(aarhus, role="admin", email="direktoer@aarhus.example.dk", name="Dir Dahl", title="Direktør")
    assessment = ready(editor, chair, director)
    saml_idp.set_account("anna", password=IDP_PASSWORD, email="formand@aarhus.example.dk")
    saml_idp.set_account("dir", password=IDP_PASSWORD, email="direktoer@aarhus.example.dk")
    return assessment, chair, director


def sign_through_idp(client, assessment, account: str | None, idp, browser=None):
    """Press "sign", follow the IdP (logging in as ``account`` if it asks) and post its answer."""
    url = f"/intern/vurderinger/{assessment.public_id}/underskrift"
    page = client.get(url)
    html = page.get_data(as_text=True)
    assert "Underskriv via kommunens login" in html and 'name="password"' not in html
    assert f"form-action 'self' {idp.url}" in page.headers["Content-Security-Policy"]
    fields = {n: re.search(rf'name="{n}"[^>]*value="([^"]+)"', html).group(1) for n in ("record_sha256", "seen_at")}
    response = client.post(url, data={**fields, "read_text": "y"})
    assert response.status_code == 302 and response.location.startswith(f"{idp.url}/sso/redirect")
    action, answer = through_idp(response.location, account, browser=browser)
    return post_to_acs(client, action, answer)


def test_signing_forces_a_new_login_at_the_idp_and_records_how(client, awaiting, saml_idp):
    from app.signoff.models import Signature

    assessment, chair, _director = awaiting
    browser = requests.Session()  # the person's browser at the IdP keeps its session there
    action, fields = through_idp(start_login(client, "formand@aarhus.example.dk"), "anna", browser=browser)
    assert post_to_acs(client, action, fields).location.endswith("/intern/")
    # Without ForceAuthn the IdP would let the person straight through on its session:
    assert through_idp(client.get(f"/intern/saml/{aarhus_slug(chair)}/login").location, None, browser=browser)
    response = sign_through_idp(client, assessment, "anna", saml_idp, browser=browser)
    assert saml_idp.requests[-1]["force_authn"] is True
    assert response.status_code == 302 and response.location.endswith("/underskrift/sso")
    response = client.get(response.location)
    assert response.location.endswith(f"/intern/vurderinger/{assessment.public_id}")
    assert "Din underskrift er gemt." in client.get(response.location).get_data(as_text=True)
    signature = db.session.scalar(select(Signature).where(Signature.user_id == chair.id))
    assert (signature.auth_method, signature.auth_provider, signature.auth_subject) == (
        "saml",
        saml_idp.entity_id,
        "saml-anna",
    )
    assert abs((signature.authenticated_at - signature.signed_at).total_seconds()) < 60


def aarhus_slug(user) -> str:
    return user.organisation.slug


def test_a_stale_authn_instant_is_refused_for_signing(client, awaiting, saml_idp):
    from app.signoff.models import Signature

    assessment, chair, _director = awaiting
    assert saml_login(client, saml_idp, "formand@aarhus.example.dk", "anna").location.endswith("/intern/")
    saml_idp.behaviour["auth_age"] = 3600  # an IdP that ignored ForceAuthn and reports an old login
    response = sign_through_idp(client, assessment, "anna", saml_idp)
    assert response.location.endswith(f"/intern/vurderinger/{assessment.public_id}/underskrift")
    assert "bekræftede ikke et nyt login" in client.get(response.location).get_data(as_text=True)
    assert db.session.scalar(select(Signature).where(Signature.user_id == chair.id)) is None


def test_signing_as_another_person_at_the_idp_is_refused(client, awaiting, saml_idp):
    from app.signoff.models import Signature

    assessment, chair, _director = awaiting
    saml_login(client, saml_idp, "formand@aarhus.example.dk", "anna")
    response = sign_through_idp(client, assessment, "dir", saml_idp)
    assert "en anden person" in client.get(response.location).get_data(as_text=True)
    assert db.session.scalar(select(Signature).where(Signature.user_id == chair.id)) is None


def test_flask_org_sso_set_configures_saml_from_files_and_checks_them(app, saml_idp, tmp_path):
    organisation = make_organisation("Vejle Kommune")
    runner = app.test_cli_runner()
    base = [
        "org",
        "sso",
        "set",
        organisation.slug,
        "--protocol",
        "saml",
        "--issuer",
        saml_idp.entity_id,
        "--idp-metadata",
        f"{saml_idp.url}/metadata",
        "--domain",
        "vejle.example.dk",
    ]
    missing = runner.invoke(
        args=[
            *base,
            "--sp-key-file",
            str(tmp_path / "nope.key"),
            "--sp-cert-file",
            saml_idp.sp_cert,
        ]
    )
    assert missing.exit_code != 0 and "SAML-opsætningen kan ikke bruges" in missing.output
    result = runner.invoke(args=[*base, "--sp-key-file", saml_idp.sp_key, "--sp-cert-file", saml_idp.sp_cert])
    assert result.exit_code == 0, result.output
    config = sso_services.config_for(organisation.id)
    assert (config.protocol, config.provider, config.secret_ref) == (
        "saml",
        saml_idp.entity_id,
        f"file:{saml_idp.sp_key}",
    )
    assert config.client_id.endswith(f"/intern/saml/{organisation.slug}/metadata.xml")
    assert "PRIVATE KEY" not in repr(vars(config))  # the key itself is never in the database
    shown = runner.invoke(args=["org", "sso", "show", organisation.slug]).output
    assert "saml" in shown and saml_idp.sp_cert in shown


def test_the_admin_page_sets_saml_and_refuses_a_key_typed_in(client, app, saml_idp):
    from factories import login

    organisation = make_organisation("Vejle Kommune")
    admin = make_user(organisation, role="admin", email="it@vejle.example.dk")
    login(client, admin)
    page = client.get("/intern/admin/login").get_data(as_text=True)
    assert f"/intern/saml/{organisation.slug}/acs" in page and f"/intern/saml/{organisation.slug}/metadata.xml" in page
    form = {
        "protocol": "saml",
        "issuer": saml_idp.entity_id,
        "client_id": sp_entity_id(organisation.slug),
        "secret_ref": "-----BEGIN PRIVATE KEY-----",
        "cert_ref": f"file:{saml_idp.sp_cert}",
        "metadata_ref": f"{saml_idp.url}/metadata",
        "domains": "vejle.example.dk",
    }
    response = client.post("/intern/admin/login", data=form)
    assert response.status_code == 422
    assert "Skriv hvor tjenestens private nøgle ligger" in response.get_data(as_text=True)
    assert 'value="vejle.example.dk"' in response.get_data(as_text=True)  # what was typed comes back
    response = client.post("/intern/admin/login", data={**form, "secret_ref": f"file:{saml_idp.sp_key}"})
    assert response.status_code == 302
    assert sso_services.config_for(organisation.id).metadata_ref == f"{saml_idp.url}/metadata"


# --- Addresses, one-time values and assurance levels (issue 31 item 9) ----------------------

FORGED_HOST = {"Host": "evil.example", "X-Forwarded-Host": "evil.example"}
LOA = "https://data.gov.dk/concept/core/nsis/loa"


def test_the_acs_slo_and_metadata_addresses_come_from_public_base_url(client, aarhus, saml_idp):
    xml = client.get(f"/intern/saml/{aarhus.slug}/metadata.xml", headers=FORGED_HOST).get_data(as_text=True)
    assert f'Location="http://etikdialog.test/intern/saml/{aarhus.slug}/acs"' in xml
    assert f'Location="http://etikdialog.test/intern/saml/{aarhus.slug}/slo"' in xml
    assert "evil.example" not in xml
    # A login started under a forged Host still names our ACS, and its answer is accepted there.
    make_user(aarhus, role="member", email="eva@aarhus.example.dk")
    saml_idp.set_account("eva", password=IDP_PASSWORD, email="eva@aarhus.example.dk")
    location = client.get(f"/intern/saml/{aarhus.slug}/login", headers=FORGED_HOST).location
    action, fields = through_idp(location, "eva")
    assert action == f"http://etikdialog.test/intern/saml/{aarhus.slug}/acs"
    response = client.post(path_of(action), data=fields, headers=FORGED_HOST)
    assert response.status_code == 302 and response.location.endswith("/intern/"), response.location


def test_an_earlier_copy_of_the_session_cookie_fails_the_relay_state_check(app, client, aarhus, saml_idp):
    make_user(aarhus, role="member", email="eva@aarhus.example.dk")
    saml_idp.set_account("eva", password=IDP_PASSWORD, email="eva@aarhus.example.dk")
    location = start_login(client, "eva@aarhus.example.dk")
    cookie = app.config["SESSION_COOKIE_NAME"]
    before_callback = client.get_cookie(cookie).value  # names the outstanding request's RelayState
    action, fields = through_idp(location, "eva")
    assert post_to_acs(client, action, fields).location.endswith("/intern/")
    client.post("/intern/logout")
    client.set_cookie(cookie, before_callback, domain="localhost")
    assert post_to_acs(client, action, fields).location.endswith("/intern/login")
    page = client.get("/intern/login").get_data(as_text=True)
    assert "Login-forsøget er udløbet eller ugyldigt" in page  # the flow, not only the assertion, is used
    assert client.get("/intern/").status_code == 302


@pytest.fixture
def demanding(aarhus):
    """Aarhus requires NSIS Substantial to log in and High to sign."""
    config = sso_services.config_for(aarhus.id)
    config.require_loa, config.require_signing_loa = "substantial", "high"
    db.session.commit()
    return aarhus


@pytest.mark.parametrize(
    ("level", "let_in", "message"),
    [
        ("Low", False, "Du loggede ind med sikringsniveau lav, men Etikdialog kræver mindst betydelig"),
        ("Substantial", True, None),
        ("High", True, None),
        (None, False, "Kommunens login oplyste ikke dit sikringsniveau (NSIS)"),
        ("Medium", False, "Kommunens login oplyste ikke dit sikringsniveau (NSIS)"),
    ],
)
def test_a_login_below_the_required_assurance_level_is_refused(
    client, demanding, saml_idp, caplog, level, let_in, message
):
    make_user(demanding, role="member", email="eva@aarhus.example.dk")
    attributes = {LOA: level} if level else {}
    saml_idp.set_account("eva", password=IDP_PASSWORD, email="eva@aarhus.example.dk", **attributes)
    response = saml_login(client, saml_idp, "eva@aarhus.example.dk", "eva")
    loa = "https://data.gov.dk/concept/core/nsis/loa/Substantial"
    assert (saml_idp.requests[-1]["authn_context"], saml_idp.requests[-1]["comparison"]) == ([loa], "minimum")
    if let_in:
        assert response.location.endswith("/intern/"), response.location
        assert client.get("/intern/").status_code == 200
        return
    assert response.location.endswith("/intern/login")
    page = client.get("/intern/login").get_data(as_text=True)
    assert message in page and "Du er ikke logget ind." in page
    assert client.get("/intern/").status_code == 302
    assert "below the required substantial" in caplog.text


def test_signing_can_require_a_higher_assurance_level_than_login(client, awaiting, saml_idp):
    from app.signoff.models import Signature

    assessment, chair, _director = awaiting
    config = sso_services.config_for(chair.organisation_id)
    config.require_loa, config.require_signing_loa = "substantial", "high"
    db.session.commit()
    saml_idp.set_account("anna", password=IDP_PASSWORD, email="formand@aarhus.example.dk", **{LOA: "Substantial"})
    assert saml_login(client, saml_idp, "formand@aarhus.example.dk", "anna").location.endswith("/intern/")
    response = sign_through_idp(client, assessment, "anna", saml_idp)
    assert response.location.endswith(f"/intern/vurderinger/{assessment.public_id}/underskrift")
    assert saml_idp.requests[-1]["authn_context"] == ["https://data.gov.dk/concept/core/nsis/loa/High"]
    page = client.get(response.location).get_data(as_text=True)
    assert (
        "sikringsniveau betydelig, men Etikdialog kræver mindst høj" in page and "Underskriften er ikke gemt." in page
    )
    assert db.session.scalar(select(Signature).where(Signature.user_id == chair.id)) is None
    saml_idp.set_account("anna", password=IDP_PASSWORD, email="formand@aarhus.example.dk", **{LOA: "High"})
    response = sign_through_idp(client, assessment, "anna", saml_idp)
    assert response.location.endswith("/underskrift/sso")
    client.get(response.location)
    assert db.session.scalar(select(Signature).where(Signature.user_id == chair.id)) is not None


def test_the_required_levels_are_set_from_the_command_line_and_the_admin_page(client, app, saml_idp):
    from factories import login

    organisation = make_organisation("Vejle Kommune")
    runner = app.test_cli_runner()
    base = ["org", "sso", "set", organisation.slug, "--protocol", "saml", "--issuer", saml_idp.entity_id]
    base += ["--idp-metadata", f"{saml_idp.url}/metadata", "--domain", "vejle.example.dk"]
    base += ["--sp-key-file", saml_idp.sp_key, "--sp-cert-file", saml_idp.sp_cert]
    wrong = runner.invoke(args=[*base, "--require-loa", "low"])
    assert wrong.exit_code != 0 and "substantial" in wrong.output
    result = runner.invoke(args=[*base, "--require-loa", "substantial", "--require-signing-loa", "high"])
    assert result.exit_code == 0, result.output
    config = sso_services.config_for(organisation.id)
    assert (config.require_loa, config.require_signing_loa) == ("substantial", "high")
    assert (
        "for login: substantial; for underskrift: high"
        in runner.invoke(args=["org", "sso", "show", organisation.slug]).output
    )
    admin = make_user(organisation, role="admin", email="it@vejle.example.dk")
    login(client, admin)
    page = client.get("/intern/admin/login").get_data(as_text=True)
    selected = re.findall(r"<option ([^>]*)>", page)
    assert 'selected value="substantial"' in selected and 'selected value="high"' in selected  # login, signing
    form = {
        "protocol": "saml",
        "issuer": saml_idp.entity_id,
        "client_id": config.client_id,
        "secret_ref": config.secret_ref,
        "cert_ref": config.cert_ref,
        "metadata_ref": config.metadata_ref,
        "domains": "vejle.example.dk",
        "require_loa": "high",
        "require_signing_loa": "",
    }
    assert client.post("/intern/admin/login", data={**form, "require_loa": "medium"}).status_code == 422
    assert client.post("/intern/admin/login", data=form).status_code == 302
    db.session.expire_all()
    config = sso_services.config_for(organisation.id)
    assert (config.require_loa, config.require_signing_loa) == ("high", "")
    # Only SAML (OIOSAML 3) states a level: with OpenID Connect it cannot be required.
    oidc_form = {
        **form,
        "protocol": "oidc",
        "issuer": "https://login.example.dk",
        "client_id": "etik",
        "secret_ref": "",
    }
    response = client.post("/intern/admin/login", data=oidc_form)
    assert response.status_code == 422 and "kan kun kræves med SAML 2.0" in response.get_data(as_text=True)
