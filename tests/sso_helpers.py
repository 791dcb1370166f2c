"""A real OpenID Provider for the single sign-on tests: the npm package `oidc-provider`, run by
tests/sso_provider/oidc_provider.mjs on 127.0.0.1, and helpers that drive its login form.

The provider is started once per test run. Its clients' redirect URIs must be exact: the app's
PUBLIC_BASE_URL in the tests (APP_URL), or a live server on a port chosen here.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests

from app.accounts import services as accounts_services
from app.extensions import db
from app.sso import oidc
from app.sso import services as sso_services

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SCRIPT = PROJECT_ROOT / "tests" / "sso_provider" / "oidc_provider.mjs"
SLUGS = ("aarhus-kommune", "odense-kommune")
SECRETS = {"aarhus-kommune": "aarhus-client-secret", "odense-kommune": "odense-client-secret"}
PROVIDER_PASSWORD = "provider-pw"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


LIVE_PORT = free_port()
LIVE_URL = f"http://127.0.0.1:{LIVE_PORT}"
# The tests' PUBLIC_BASE_URL (tests/conftest.py): every address the app gives a provider is on it,
# whatever Host the request came with; the Flask test client itself is reached at http://localhost.
APP_URL = "http://etikdialog.test"


class Provider:
    def __init__(self, url: str, config_path: Path, config: dict):
        self.url = url
        self.config_path = config_path
        self.config = config

    def set_account(self, login: str, **claims) -> None:
        """Create or change a person at the provider; the provider reads this at every login."""
        self.config["accounts"][login] = {
            "password": PROVIDER_PASSWORD,
            "sub": f"sub-{login}",
            **claims,
        }
        self.config_path.write_text(json.dumps(self.config), encoding="utf-8")


def _clients() -> list[dict]:
    clients = []
    for slug in SLUGS:
        clients.append(
            {
                "client_id": f"etikdialog-{slug}",
                "client_secret": SECRETS[slug],
                "redirect_uris": [f"{base}/intern/sso/{slug}/callback" for base in (APP_URL, LIVE_URL)],
                "post_logout_redirect_uris": [f"{APP_URL}/", f"{LIVE_URL}/"],
            }
        )
    clients.append(
        {
            "client_id": "another-application",
            "client_secret": "another-secret",
            "redirect_uris": ["http://localhost/another/callback"],
        }
    )
    return clients


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):
    node = shutil.which("node")
    if node is None or not (PROJECT_ROOT / "node_modules" / "oidc-provider").exists():
        message = "node and the npm package oidc-provider are needed (make install)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    port = free_port()
    config_path = tmp_path_factory.mktemp("oidc") / "provider.json"
    config = {"clients": _clients(), "accounts": {}}
    config_path.write_text(json.dumps(config), encoding="utf-8")
    log = open(config_path.with_suffix(".log"), "w")  # noqa: SIM115 - open while the provider runs
    process = subprocess.Popen(
        [node, str(SCRIPT), "--port", str(port), "--config", str(config_path)],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=PROJECT_ROOT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if requests.get(f"{url}/.well-known/openid-configuration", timeout=2).ok:
                break
        except requests.RequestException:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"oidc-provider did not start: {config_path.with_suffix('.log').read_text()}")
        time.sleep(0.2)
    yield Provider(url, config_path, config)
    process.terminate()
    process.wait(timeout=10)
    log.close()


@pytest.fixture
def provider(oidc_provider, monkeypatch):
    oidc.clear_cache()
    for slug, secret in SECRETS.items():
        monkeypatch.setenv(f"ETIKDIALOG_TEST_{slug.split('-')[0].upper()}_SECRET", secret)
    oidc_provider.config["accounts"] = {}
    oidc_provider.set_account("nobody", email="nobody@example.invalid")
    return oidc_provider


def configure(
    organisation, provider: Provider, *, domain: str, allow_jit: bool = False, group_claim: str = "", role_map: str = ""
):
    """Let the municipality log in through the test provider (as `flask org sso set` does)."""
    slug = organisation.slug
    config = sso_services.set_config(
        organisation,
        protocol="oidc",
        issuer=provider.url,
        client_id=f"etikdialog-{slug}",
        secret_ref=f"env:ETIKDIALOG_TEST_{slug.split('-')[0].upper()}_SECRET",
        domains=domain,
        allow_jit=allow_jit,
        group_claim=group_claim,
        role_map=role_map,
    )
    db.session.commit()
    return config


def make_organisation(name: str):
    organisation = accounts_services.create_organisation(name)
    db.session.commit()
    return organisation


def through_provider(
    location: str, login: str, *, password: str = PROVIDER_PASSWORD, stop_at: str = f"{APP_URL}/"
) -> str:
    """Follow an authorisation request at the provider as a browser would, logging in as
    ``login`` on its form, until it sends the browser back to ``stop_at``. Returns that URL."""
    browser = requests.Session()
    response = browser.get(location, allow_redirects=False)
    for _hop in range(20):
        if response.status_code in (301, 302, 303):
            target = urljoin(response.url, response.headers["location"])
            if target.startswith(stop_at):
                return target
            response = browser.get(target, allow_redirects=False)
            continue
        match = re.search(r'action="(/interaction/[^"]+/login)"', response.text)
        assert match, f"no login form at the provider: {response.status_code} {response.text[:300]}"
        response = browser.post(
            urljoin(response.url, match.group(1)), data={"login": login, "password": password}, allow_redirects=False
        )
    raise AssertionError("the provider never sent the browser back")


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


@pytest.fixture
def sso_live_server(app):
    """The test app on the port the provider's redirect URIs name."""
    from werkzeug.serving import make_server

    app.config["PUBLIC_BASE_URL"] = LIVE_URL
    server = make_server("127.0.0.1", LIVE_PORT, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = LIVE_URL
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)
