"""Single sign-on through OpenID Connect (issue 22), against a real provider (oidc-provider on
127.0.0.1): login, linking, just-in-time accounts, roles, lock-out, logout, signing with a fresh
login, and the refusals (stale auth_time, another audience, a bad signature, another
municipality's people, a replayed callback)."""

# ruff: noqa: F811 - the provider fixtures are imported from sso_helpers and named as arguments
import base64
import json
import re
import time

import pytest
import requests
from factories import PASSWORD, login, make_user
from sqlalchemy import func, select
from sso_helpers import (  # noqa: F401 - fixtures
    APP_URL,
    PROVIDER_PASSWORD,
    configure,
    make_organisation,
    oidc_provider,
    path_of,
    provider,
    through_provider,
)

from app.accounts import passwords
from app.accounts import services as accounts_services
from app.audit.models import AuditEvent
from app.extensions import db
from app.signoff.models import Signature
from app.sso import oidc
from app.sso import services as sso_services
from app.sso.models import SsoIdentity


@pytest.fixture
def aarhus(app, provider):
    organisation = make_organisation("Aarhus Kommune")
    configure(organisation, provider, domain="aarhus.example.dk")
    return organisation


def sso_login(client, provider, email: str, account: str):
    """Type the e-mail on the login page, log in at the provider, come back. Returns the answer."""
    response = client.post("/intern/login", data={"email": email, "password": ""})
    assert response.status_code == 302 and "/intern/sso/" in response.location, response.status_code
    response = client.get(response.location)
    assert response.status_code == 302 and response.location.startswith(provider.url)
    assert "code_challenge_method=S256" in response.location and "nonce=" in response.location
    back = through_provider(response.location, account)
    return client.get(path_of(back))


def test_the_e_mail_decides_and_an_invited_user_logs_in_through_the_provider(client, aarhus, provider):
    user = make_user(aarhus, role="member", email="formand@aarhus.example.dk", name="Anna Formand")
    provider.set_account("anna", email="formand@aarhus.example.dk", name="Anna A.")
    response = sso_login(client, provider, "formand@aarhus.example.dk", "anna")
    assert response.status_code == 302 and response.location.endswith("/intern/")
    assert "Anna Formand" in client.get("/intern/").get_data(as_text=True)
    identity = db.session.scalar(select(SsoIdentity).where(SsoIdentity.user_id == user.id))
    assert (identity.provider, identity.subject) == (provider.url, "sub-anna")
    # Next time the subject matches, whatever e-mail the provider now sends.
    provider.set_account("anna", email="anna.omdoebt@aarhus.example.dk")
    client.post("/intern/logout")
    assert sso_login(client, provider, "formand@aarhus.example.dk", "anna").location.endswith("/intern/")


def test_without_just_in_time_accounts_an_uninvited_person_is_refused(client, aarhus, provider):
    provider.set_account("bo", email="bo@aarhus.example.dk")
    response = sso_login(client, provider, "bo@aarhus.example.dk", "bo")
    assert response.status_code == 302 and response.location.endswith("/intern/login")
    assert "Du kan ikke logge ind i Etikdialog" in client.get("/intern/login").get_data(as_text=True)
    assert accounts_services.get_user_by_email("bo@aarhus.example.dk") is None
    assert client.get("/intern/").status_code == 302


def test_just_in_time_accounts_get_the_lowest_role_and_groups_map_to_roles(client, app, provider):
    organisation = make_organisation("Aarhus Kommune")
    configure(
        organisation,
        provider,
        domain="aarhus.example.dk",
        allow_jit=True,
        group_claim="groups",
        role_map="etik-sekretariat=editor\netik-admin=admin",
    )
    make_user(organisation, role="admin", email="it@aarhus.example.dk")  # so a demotion is possible
    provider.set_account("cille", email="cille@aarhus.example.dk", name="Cille Ny")
    assert sso_login(client, provider, "cille@aarhus.example.dk", "cille").location.endswith("/intern/")
    user = accounts_services.get_user_by_email("cille@aarhus.example.dk")
    assert (user.role, user.name, user.organisation_id) == ("member", "Cille Ny", organisation.id)
    assert user.password_hash == passwords.UNUSABLE_HASH  # just-in-time accounts have no password to guess
    client.post("/intern/logout")
    provider.set_account("cille", email="cille@aarhus.example.dk", groups=["andet", "etik-sekretariat"])
    sso_login(client, provider, "cille@aarhus.example.dk", "cille")
    db.session.refresh(user)
    assert user.role == "editor"
    client.post("/intern/logout")
    provider.set_account("cille", email="cille@aarhus.example.dk", groups=[])
    sso_login(client, provider, "cille@aarhus.example.dk", "cille")
    db.session.refresh(user)
    assert user.role == "member"


def test_a_deactivated_user_is_locked_out_whatever_the_provider_says(client, aarhus, provider):
    user = make_user(aarhus, role="member", email="dorte@aarhus.example.dk")
    provider.set_account("dorte", email="dorte@aarhus.example.dk")
    assert sso_login(client, provider, "dorte@aarhus.example.dk", "dorte").location.endswith("/intern/")
    admin = make_user(aarhus, role="admin", email="chef@aarhus.example.dk")
    accounts_services.deactivate(user, actor=admin)
    db.session.commit()
    assert client.get("/intern/").status_code == 302  # the session ended
    response = sso_login(client, provider, "dorte@aarhus.example.dk", "dorte")
    assert response.location.endswith("/intern/login")
    assert "deaktiveret" in client.get("/intern/login").get_data(as_text=True)
    assert client.get("/intern/").status_code == 302


def test_one_municipality_cannot_get_into_another_by_changing_the_claims(client, app, aarhus, provider):
    odense = make_organisation("Odense Kommune")
    configure(odense, provider, domain="odense.example.dk")
    odense_chair = make_user(odense, role="admin", email="formand@odense.example.dk")
    provider.set_account("olga", email="formand@odense.example.dk")
    assert sso_login(client, provider, "formand@odense.example.dk", "olga").location.endswith("/intern/")
    client.post("/intern/logout")
    # The Odense account goes through Aarhus's login: its subject is linked in Odense.
    response = client.get(f"/intern/sso/{aarhus.slug}/login")
    back = through_provider(response.location, "olga")
    assert client.get(path_of(back)).location.endswith("/intern/login")
    # A person at the provider claims the Odense chair's address through Aarhus's login.
    provider.set_account("mallory", email="formand@odense.example.dk")
    response = client.get(f"/intern/sso/{aarhus.slug}/login")
    assert client.get(path_of(through_provider(response.location, "mallory"))).location.endswith("/intern/login")
    # ... or through Odense's own: the address is linked to another subject already.
    response = client.get(f"/intern/sso/{odense.slug}/login")
    assert client.get(path_of(through_provider(response.location, "mallory"))).location.endswith("/intern/login")
    assert client.get("/intern/").status_code == 302
    assert db.session.scalar(select(SsoIdentity).where(SsoIdentity.subject == "sub-mallory")) is None
    assert odense_chair.organisation_id == odense.id


def test_a_replayed_or_forged_callback_is_refused(client, aarhus, provider):
    make_user(aarhus, role="member", email="eva@aarhus.example.dk")
    provider.set_account("eva", email="eva@aarhus.example.dk")
    response = client.get(f"/intern/sso/{aarhus.slug}/login")
    back = path_of(through_provider(response.location, "eva"))
    assert client.get(back).location.endswith("/intern/")
    client.post("/intern/logout")
    # The same code and state again: the state was used once and is gone.
    assert client.get(back).location.endswith("/intern/login")
    assert client.get("/intern/").status_code == 302
    # A state this browser never started.
    response = client.get(f"/intern/sso/{aarhus.slug}/callback?code=abc&state=made-up")
    assert response.location.endswith("/intern/login")


def _real_token(provider, client_settings, account: str) -> tuple[str, str]:
    request = oidc.authorization_request(client_settings)
    back = through_provider(request["url"], account, stop_at=client_settings.redirect_uri)
    code = dict(part.split("=", 1) for part in back.split("?", 1)[1].split("&"))["code"]
    return oidc.redeem(client_settings, code=code, verifier=request["verifier"]), request["nonce"]


def test_a_token_for_another_audience_or_with_a_bad_signature_is_refused(app, aarhus, provider):
    provider.set_account("frida", email="frida@aarhus.example.dk")
    ours = sso_services.client_settings(
        sso_services.config_for(aarhus.id), f"{APP_URL}/intern/sso/{aarhus.slug}/callback"
    )
    token, nonce = _real_token(provider, ours, "frida")
    assert oidc.validate_id_token(ours, token, nonce=nonce).subject == "sub-frida"
    # A genuine token the provider issued to another application.
    another = oidc.ClientSettings(
        provider.url, "another-application", "another-secret", "http://localhost/another/callback"
    )
    foreign, foreign_nonce = _real_token(provider, another, "frida")
    with pytest.raises(oidc.OidcError, match="aud"):
        oidc.validate_id_token(ours, foreign, nonce=foreign_nonce)
    # Our token with one character of its signature changed.
    header, payload, signature = token.split(".")
    tampered = ".".join([header, payload, ("A" if signature[0] != "A" else "B") + signature[1:]])
    with pytest.raises(oidc.OidcError, match="signature"):
        oidc.validate_id_token(ours, tampered, nonce=nonce)
    # The same claims signed with a key of our own under the provider's key id.
    from joserfc import jwt
    from joserfc.jwk import RSAKey

    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    kid = json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))["kid"]
    forged = jwt.encode({"alg": "RS256", "kid": kid}, claims, RSAKey.generate_key(2048))
    with pytest.raises(oidc.OidcError, match="signature"):
        oidc.validate_id_token(ours, forged, nonce=nonce)
    # Unsigned ("alg": "none"), the wrong nonce, and after it expired.
    with pytest.raises(oidc.OidcError):
        oidc.validate_id_token(ours, f"eyJhbGciOiJub25lIn0.{payload}.", nonce=nonce)
    with pytest.raises(oidc.OidcError, match="nonce"):
        oidc.validate_id_token(ours, token, nonce="another-nonce")
    with pytest.raises(oidc.OidcError, match="exp"):
        oidc.validate_id_token(ours, token, nonce=nonce, now=time.time() + 2 * 3600)


def test_only_administrators_keep_a_password_in_a_municipality_with_single_sign_on(client, aarhus, provider):
    member = make_user(aarhus, role="member", email="gert@aarhus.example.dk")
    admin = make_user(aarhus, role="admin", email="it-chef@aarhus.example.dk")
    response = login(client, member)
    assert response.status_code == 422
    assert "Din kommune logger ind via sit eget login" in response.get_data(as_text=True)
    assert client.get("/intern/").status_code == 302
    assert login(client, admin, PASSWORD).status_code == 302  # break-glass
    assert client.get("/intern/").status_code == 200


def test_a_right_password_refused_by_single_sign_on_counts_only_the_client(app, client, aarhus, provider):
    """The guard refuses after the password was right: the client's refused attempt is committed
    (record_now, ADR 0008), and the account's earlier failed count is neither reset nor raised,
    since the password is accepted only once every guard has passed."""
    from app.accounts.models import FailedAttempt

    app.config["RATELIMIT_ENABLED"] = True  # the per-client count (the suite turns it off)
    member = make_user(aarhus, role="member", email="lise@aarhus.example.dk")
    member.failed_logins = 2
    db.session.commit()
    response = login(client, member)
    assert response.status_code == 422
    assert "Din kommune logger ind via sit eget login" in response.get_data(as_text=True)
    db.session.rollback()
    with db.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(FailedAttempt)) == 1
        assert connection.scalar(select(func.min(FailedAttempt.scope))) == "login"
    db.session.refresh(member)
    assert member.failed_logins == 2


def test_logout_ends_the_session_and_offers_the_providers_logout(client, aarhus, provider):
    make_user(aarhus, role="member", email="hans@aarhus.example.dk")
    provider.set_account("hans", email="hans@aarhus.example.dk")
    sso_login(client, provider, "hans@aarhus.example.dk", "hans")
    cookie = client.get_cookie("etikdialog").value
    response = client.post("/intern/logout")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"{provider.url}/session/end?client_id=etikdialog-{aarhus.slug}" in html
    client.set_cookie("etikdialog", cookie)  # a copy of the cookie from before the logout
    assert client.get("/intern/").status_code == 302
    end = requests.get(
        f"{provider.url}/session/end?client_id=etikdialog-{aarhus.slug}&post_logout_redirect_uri=http%3A%2F%2Fetikdialog.test%2F",
        timeout=10,
    )
    assert end.status_code == 200  # the provider offers its own logout for our client


# --- Signing -------------------------------------------------------------------------------


@pytest.fixture
def awaiting(aarhus, provider):
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
    return assessment, chair, director


def sign_through_provider(client, assessment, account: str, provider):
    url = f"/intern/vurderinger/{assessment.public_id}/underskrift"
    html = client.get(url).get_data(as_text=True)
    assert "Underskriv via kommunens login" in html and 'name="password"' not in html
    fields = {
        name: re.search(rf'name="{name}"[^>]*value="([^"]+)"', html).group(1) for name in ("record_sha256", "seen_at")
    }
    response = client.post(url, data={**fields, "read_text": "y"})
    assert response.status_code == 302 and response.location.startswith(provider.url)
    assert "prompt=login" in response.location and "max_age=0" in response.location
    return client.get(path_of(through_provider(response.location, account)))


def test_signing_sends_the_signer_back_to_the_provider_and_records_how(client, awaiting, provider):
    assessment, chair, director = awaiting
    sso_login(client, provider, "formand@aarhus.example.dk", "anna")
    response = sign_through_provider(client, assessment, "anna", provider)
    assert response.status_code == 302 and response.location.endswith("/underskrift/sso")
    response = client.get(response.location)  # the fresh login's one-time ticket signs
    assert response.status_code == 302 and response.location.endswith(f"/intern/vurderinger/{assessment.public_id}")
    assert "Din underskrift er gemt." in client.get(response.location).get_data(as_text=True)
    signature = db.session.scalar(select(Signature).where(Signature.user_id == chair.id))
    assert (signature.auth_method, signature.auth_provider, signature.auth_subject) == (
        "oidc",
        provider.url,
        "sub-anna",
    )
    assert abs((signature.authenticated_at - signature.signed_at).total_seconds()) < 60
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "signature.added"))
    assert event.user_id == chair.id
    # The director signs with a fresh password (break-glass administrator, never linked): the last
    # signature freezes the record, and its signatures list how each one authenticated.
    client.post("/intern/logout")
    login(client, director)
    html = client.get(f"/intern/vurderinger/{assessment.public_id}/underskrift").get_data(as_text=True)
    fields = {n: re.search(rf'name="{n}"[^>]*value="([^"]+)"', html).group(1) for n in ("record_sha256", "seen_at")}
    client.post(
        f"/intern/vurderinger/{assessment.public_id}/underskrift",
        data={**fields, "password": PASSWORD, "read_text": "y"},
    )
    db.session.expire_all()
    frozen = db.session.get(type(assessment), assessment.id).signed_record
    listed = {s["name"]: s.get("authentication") for s in json.loads(frozen.signatures_json)}
    assert listed["Dir Dahl"] is None
    assert listed["Anna Formand"]["method"] == "oidc" and listed["Anna Formand"]["subject"] == "sub-anna"
    # The signed JSON is what both signed, unchanged by how they authenticated.
    assert all(set(s) == {"name", "title"} for s in json.loads(frozen.canonical_json)["signatories"])


def test_a_stale_auth_time_is_refused_for_signing(client, awaiting, provider):
    assessment, chair, _director = awaiting
    sso_login(client, provider, "formand@aarhus.example.dk", "anna")
    # A provider that reports an authentication an hour old (it ignored prompt=login).
    provider.set_account("anna", email="formand@aarhus.example.dk", auth_age_seconds=3600)
    response = sign_through_provider(client, assessment, "anna", provider)
    assert response.location.endswith(f"/intern/vurderinger/{assessment.public_id}/underskrift")
    assert "bekræftede ikke et nyt login" in client.get(response.location).get_data(as_text=True)
    assert db.session.scalar(select(Signature).where(Signature.user_id == chair.id)) is None


def test_signing_as_another_person_at_the_provider_is_refused(client, awaiting, provider):
    assessment, chair, _director = awaiting
    sso_login(client, provider, "formand@aarhus.example.dk", "anna")
    response = sign_through_provider(client, assessment, "dir", provider)
    assert "en anden person" in client.get(response.location).get_data(as_text=True)
    assert db.session.scalar(select(Signature).where(Signature.user_id == chair.id)) is None


def test_the_signing_ticket_is_used_once(client, awaiting, provider):
    assessment, chair, _director = awaiting
    sso_login(client, provider, "formand@aarhus.example.dk", "anna")
    url = f"/intern/vurderinger/{assessment.public_id}/underskrift/sso"
    response = client.get(url)  # no fresh login behind it
    assert response.location.endswith(f"/intern/vurderinger/{assessment.public_id}/underskrift")
    assert db.session.scalar(select(Signature).where(Signature.user_id == chair.id)) is None


# --- Addresses and one-time values (issue 31 item 9) ---------------------------------------


def test_the_redirect_uri_comes_from_public_base_url_whatever_the_host(client, aarhus, provider):
    make_user(aarhus, role="member", email="eva@aarhus.example.dk")
    provider.set_account("eva", email="eva@aarhus.example.dk")
    forged = {"Host": "evil.example", "X-Forwarded-Host": "evil.example"}
    response = client.get(f"/intern/sso/{aarhus.slug}/login", headers=forged)
    assert response.status_code == 302 and response.location.startswith(provider.url)
    ours = f"redirect_uri=http%3A%2F%2Fetikdialog.test%2Fintern%2Fsso%2F{aarhus.slug}%2Fcallback"
    assert ours in response.location and "evil" not in response.location
    # The provider sends the browser to PUBLIC_BASE_URL, and the code is redeemed with the same address.
    back = through_provider(response.location, "eva")
    assert back.startswith(f"{APP_URL}/intern/sso/{aarhus.slug}/callback?")
    assert client.get(path_of(back), headers=forged).location.endswith("/intern/")
    # The administrators' page shows what to register, on the same base.
    admin = make_user(aarhus, role="admin", email="it@aarhus.example.dk")
    client.post("/intern/logout", headers=forged)
    client.post("/intern/login", data={"email": admin.email, "password": PASSWORD}, headers=forged)
    page = client.get("/intern/admin/login", headers=forged)
    assert page.status_code == 200, (page.status_code, page.location)
    page = page.get_data(as_text=True)
    assert f"{APP_URL}/intern/sso/{aarhus.slug}/callback" in page and "evil.example" not in page


def test_an_earlier_copy_of_the_session_cookie_fails_the_state_check(app, client, aarhus, provider, monkeypatch):
    make_user(aarhus, role="member", email="eva@aarhus.example.dk")
    provider.set_account("eva", email="eva@aarhus.example.dk")
    response = client.get(f"/intern/sso/{aarhus.slug}/login")
    before_callback = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value  # the flow's state is named in it
    back = path_of(through_provider(response.location, "eva"))
    assert client.get(back).location.endswith("/intern/")
    client.post("/intern/logout")
    redeemed = []
    monkeypatch.setattr(oidc, "redeem", lambda *args, **kwargs: redeemed.append(args) or "token")
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], before_callback, domain="localhost")
    response = client.get(back)
    assert response.location.endswith("/intern/login")
    assert "Login-forsøget er udløbet eller ugyldigt" in client.get("/intern/login").get_data(as_text=True)
    assert redeemed == []  # refused at the state, before the code is sent anywhere
    assert client.get("/intern/").status_code == 302


def test_an_earlier_copy_of_the_cookie_does_not_bring_the_signing_ticket_back(app, client, awaiting, provider):
    assessment, chair, _director = awaiting
    sso_login(client, provider, "formand@aarhus.example.dk", "anna")
    response = sign_through_provider(client, assessment, "anna", provider)
    assert response.location.endswith("/underskrift/sso")
    with_ticket = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    signature = db.session.scalar(select(Signature).where(Signature.user_id == chair.id))
    assert signature is None
    assert "Din underskrift er gemt." in client.get(client.get(response.location).location).get_data(as_text=True)
    db.session.execute(Signature.__table__.delete().where(Signature.user_id == chair.id))  # as if never signed
    db.session.commit()
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], with_ticket, domain="localhost")
    again = client.get(response.location)
    assert again.location.endswith(f"/intern/vurderinger/{assessment.public_id}/underskrift")
    assert "Bekræftelsen fra kommunens login er udløbet eller brugt" in client.get(again.location).get_data(
        as_text=True
    )
    assert db.session.scalar(select(Signature).where(Signature.user_id == chair.id)) is None


def test_of_parallel_callbacks_with_one_state_only_one_takes_the_flow(app):
    import threading

    from app.sso import flows

    with app.test_request_context():
        flows._store(flows.FLOW, "the-state", {"org": "x", "purpose": "login"}, flows.FLOW_SECONDS)
        flows._store(flows.FLOW, "old-state", {"org": "x", "purpose": "login"}, -1)  # expired
        db.session.commit()
    barrier = threading.Barrier(6)
    taken = []

    def callback():
        with app.test_request_context():
            barrier.wait(timeout=10)
            try:
                taken.append(flows._consume(flows.FLOW, "the-state"))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=callback) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(taken) == 6 and sum(flow is not None for flow in taken) == 1
    with app.test_request_context():
        assert flows._consume(flows.FLOW, "old-state") is None  # expired: never given out
        assert flows._consume(flows.FLOW, "x" * 10_000) is None
        flows._store(flows.FLOW, "new-state", {}, flows.FLOW_SECONDS)  # storing purges the expired
        db.session.commit()
        from app.sso.models import SsoFlow

        assert db.session.scalar(select(func.count()).select_from(SsoFlow)) == 1


def test_a_login_whose_commit_fails_leaves_the_browser_logged_out(client, aarhus, provider, monkeypatch):
    """The callback's last commit (the login's own rows) fails as on a full disk: 503, and no
    session was started before it (a login is committed first, then the session begins)."""
    make_user(aarhus, role="member", email="formand@aarhus.example.dk", name="Anna Formand")
    provider.set_account("anna", email="formand@aarhus.example.dk")
    response = client.post("/intern/login", data={"email": "formand@aarhus.example.dk", "password": ""})
    response = client.get(response.location)
    back = through_provider(response.location, "anna")
    dialect, commits = db.engine.dialect, []
    original = dialect.do_commit

    def commit(connection):  # the flow is consumed (one commit); the login's commit then fails
        commits.append(1)
        if len(commits) > 1:
            raise dialect.dbapi.OperationalError("database or disk is full")
        return original(connection)

    monkeypatch.setattr(dialect, "do_commit", commit)
    assert client.get(path_of(back)).status_code == 503
    monkeypatch.setattr(dialect, "do_commit", original)
    db.session.rollback()
    assert client.get("/intern/").status_code == 302  # not logged in
