"""ASVS level 2 controls that cut across features: sessions, headers, CSRF on every POST, logs.

Each test would fail if its control were removed; access per route is in test_access_matrix.
"""

from __future__ import annotations

import logging
import time

import pytest
from factories import PASSWORD, login, make_org, make_user

from app import create_app

# --- Sessions ------------------------------------------------------------------------------


def test_an_idle_session_ends_after_30_minutes(client):
    login(client, make_user())
    assert client.get("/intern/").status_code == 200
    with client.session_transaction() as sess:
        sess["seen_at"] = time.time() - 31 * 60
    response = client.get("/intern/")
    assert response.status_code == 302 and "/intern/login" in response.location
    with client.session_transaction() as sess:
        assert "_user_id" not in sess


def test_activity_keeps_a_session_alive_until_the_absolute_limit(client):
    login(client, make_user())
    with client.session_transaction() as sess:
        sess["seen_at"] = time.time() - 20 * 60
    assert client.get("/intern/").status_code == 200
    with client.session_transaction() as sess:
        assert time.time() - sess["seen_at"] < 5  # activity moved the idle clock
        sess["login_at"] = time.time() - 12 * 3600 - 1
    response = client.get("/intern/")
    assert response.status_code == 302 and "/intern/login" in response.location


def test_a_session_without_timestamps_is_not_trusted(client):
    user = make_user()
    login(client, user)
    with client.session_transaction() as sess:
        del sess["login_at"]
    assert client.get("/intern/").status_code == 302


def test_a_password_change_logs_out_every_other_session(app):
    user = make_user()
    first, second = app.test_client(), app.test_client()
    login(first, user)
    login(second, user)
    response = first.post(
        "/intern/konto",
        data={
            "current_password": PASSWORD,
            "new_password": "en helt ny lang frase 42",
            "new_password_repeat": "en helt ny lang frase 42",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert first.get("/intern/").status_code == 200
    assert second.get("/intern/").status_code == 302


def production_app(monkeypatch, tmp_path):
    monkeypatch.setenv("ETIKDIALOG_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 48)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'prod.db'}")
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://etik.example.dk")
    return create_app({"TESTING": True})


def test_production_cookies_are_host_prefixed_secure_httponly_and_samesite(monkeypatch, tmp_path):
    app = production_app(monkeypatch, tmp_path)
    with app.test_request_context("/"):
        from flask import session

        session["probe"] = 1
        response = app.make_response("ok")
        app.session_interface.save_session(app, session, response)
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-etikdialog=")
    for flag in ("Secure", "HttpOnly", "SameSite=Lax", "Path=/"):
        assert flag in cookie
    assert "Domain=" not in cookie


# --- Headers -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/hoeringer", "/intern/login", "/api/v1/vurderinger", "/findes-ikke"])
def test_every_response_carries_the_security_headers(client, path):
    headers = client.get(path).headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in headers  # plain HTTP in tests


def test_hsts_under_https(client):
    assert "max-age=31536000" in client.get("/", base_url="https://localhost").headers["Strict-Transport-Security"]


def test_nothing_under_intern_is_cached(client):
    login(client, make_user())
    for path in ("/intern/", "/intern/login", "/intern/konto"):
        assert client.get(path).headers["Cache-Control"] == "no-store", path


def test_no_template_has_inline_script_or_event_handlers(app):
    import re
    from pathlib import Path

    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=", re.IGNORECASE)
    offenders = [str(p) for p in Path(app.root_path).rglob("*.html") if inline.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


# --- CSRF on every POST --------------------------------------------------------------------


def post_rules(app):
    return [r for r in app.url_map.iter_rules() if "POST" in r.methods]


@pytest.mark.parametrize("app_overrides", [{"WTF_CSRF_ENABLED": True}])
def test_every_post_route_refuses_a_request_without_a_csrf_token(app, client):
    from consultation_factories import make_signed_with_consultation
    from test_access_matrix import url_for_rule

    org = make_org()
    assessment, _ = make_signed_with_consultation(org)
    users = {"member": make_user(org, role="admin")}
    # The one deliberate exemption: the SAML IdP posts its signed response cross-site, so the
    # signature, InResponseTo and RelayState stand in for the token (tests/test_sso_saml.py).
    exempt = {"sso.saml_acs"}
    assert {r.endpoint for r in post_rules(app) if _csrf_exempt(app, r)} == exempt
    rules = [r for r in post_rules(app) if r.endpoint not in exempt]
    assert len(rules) >= 20  # the URL map is really walked
    for logged_in in (False, True):
        if logged_in:
            _login_with_token(client, users["member"])
        for rule in rules:
            url = url_for_rule(rule, assessment, users)
            response = client.post(url, data={"anything": "1"})
            assert response.status_code == 400, (logged_in, url, response.status_code)
            assert "Formularen er udløbet" in response.get_data(as_text=True)


def _csrf_exempt(app, rule) -> bool:
    from app.extensions import csrf

    view = app.view_functions[rule.endpoint]
    return f"{view.__module__}.{view.__name__}" in csrf._exempt_views


def _login_with_token(client, user):
    import re

    page = client.get("/intern/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/intern/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302


# --- Logs ----------------------------------------------------------------------------------


def test_no_password_token_or_session_value_reaches_the_log(app, client, caplog):
    caplog.set_level(logging.DEBUG)
    user = make_user()
    login(client, user, password="forkert adgangskode 1234")
    login(client, user)
    client.post(
        "/intern/konto",
        data={
            "current_password": PASSWORD,
            "new_password": "hemmelig ny frase 99",
            "new_password_repeat": "hemmelig ny frase 99",
        },
    )
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    logged = "\n".join(record.getMessage() + " " + str(getattr(record, "fields", "")) for record in caplog.records)
    assert "user.login" in logged  # logins are logged …
    for secret in (PASSWORD, "forkert adgangskode 1234", "hemmelig ny frase 99", cookie):
        assert secret not in logged  # … but never a secret


def test_an_error_page_shows_the_request_reference(client):
    response = client.get("/findes-ikke", headers={"X-Request-ID": "abcdef0123456789"})
    assert response.headers["X-Request-ID"] == "abcdef0123456789"
    assert "abcdef0123456789" in response.get_data(as_text=True)


def test_a_nul_character_is_refused_before_it_reaches_the_database(client):
    assert client.post("/intern/login", data={"email": "a\x00@example.dk", "password": "x"}).status_code == 400
    assert client.get("/vurderinger", query_string={"q": "sensor\x00"}).status_code == 400


def test_denials_are_logged_with_who_and_where(client, caplog):
    caplog.set_level(logging.INFO)
    member = make_user(role="member")
    login(client, member)
    assert client.get("/intern/vurderinger/ny").status_code == 403
    denial = next(r for r in caplog.records if r.getMessage() == "access.denied")
    assert denial.fields == {"path": "/intern/vurderinger/ny", "method": "GET", "user": str(member.id)}


@pytest.mark.parametrize("app_overrides", [{"WTF_CSRF_ENABLED": True}])
def test_a_refused_csrf_token_is_logged(client, caplog):
    caplog.set_level(logging.INFO)
    client.post("/intern/login", data={"email": "a@example.dk", "password": "x"})
    assert any(r.getMessage() == "csrf.refused" for r in caplog.records)
