"""A real SAML identity provider for the single sign-on tests (tests/sso_provider/saml_idp.py:
pysaml2's IdP on 127.0.0.1, in a thread), the keys it and Etikdialog sign with (made here), and
helpers that act as the browser between the two."""

from __future__ import annotations

import html
import os
import re
import shutil
import threading
from urllib.parse import urljoin

import pytest
import requests
from sso_helpers import free_port, path_of
from sso_provider.saml_idp import SamlIdp, make_key_pair
from werkzeug.serving import make_server

from app.extensions import db
from app.sso import oidc
from app.sso import services as sso_services

IDP_PASSWORD = "idp-pw"


def sp_entity_id(slug: str) -> str:
    return f"https://etikdialog.test/saml/{slug}"


def _serve_idp(tmp_path_factory, host: str):
    """Run an IdP on 127.0.0.1; ``host`` is the name it is reached by (its URLs and entity id)."""
    if shutil.which("xmlsec1") is None:
        message = "xmlsec1 is needed for SAML (make install, as root, or apt-get install xmlsec1)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    directory = tmp_path_factory.mktemp("saml")
    port = free_port()
    idp = SamlIdp(f"http://{host}:{port}", directory)
    idp.sp_key, idp.sp_cert = make_key_pair(directory, "sp")
    server = make_server("127.0.0.1", port, idp, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield idp
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def saml_idp_server(tmp_path_factory):
    yield from _serve_idp(tmp_path_factory, "127.0.0.1")


@pytest.fixture(scope="session")
def cross_site_idp_server(tmp_path_factory):
    """An IdP on another site than the app (localhost, not 127.0.0.1), as a municipality's is: its
    post to the ACS carries no SameSite=Lax cookie."""
    yield from _serve_idp(tmp_path_factory, "localhost")


@pytest.fixture
def saml_idp(saml_idp_server):
    oidc.clear_cache()  # the IdP's metadata is read through the same cache
    saml_idp_server.reset()
    return saml_idp_server


def configure_saml(
    organisation,
    idp: SamlIdp,
    *,
    domain: str,
    base_url: str = "http://localhost",
    client=None,
    allow_jit: bool = False,
    group_claim: str = "",
    role_map: str = "",
):
    """Let the municipality log in through the test IdP (as `flask org sso set --saml` does), and
    register Etikdialog at the IdP from the metadata it publishes."""
    config = sso_services.set_config(
        organisation,
        protocol="saml",
        issuer=idp.entity_id,
        client_id=sp_entity_id(organisation.slug),
        secret_ref=f"file:{idp.sp_key}",
        cert_ref=f"file:{idp.sp_cert}",
        metadata_ref=f"{idp.url}/metadata",
        domains=domain,
        allow_jit=allow_jit,
        group_claim=group_claim,
        role_map=role_map,
    )
    db.session.commit()
    path = f"/intern/saml/{organisation.slug}/metadata.xml"
    if client is not None:
        response = client.get(path)
        assert response.status_code == 200, response.status_code
        xml = response.get_data(as_text=True)
    else:
        response = requests.get(base_url + path, timeout=10)
        assert response.status_code == 200, response.status_code
        xml = response.text
    idp.register(sp_entity_id(organisation.slug), xml)
    return config


def _form(page: str) -> tuple[str, dict]:
    action = html.unescape(re.search(r'<form[^>]*action="([^"]+)"', page).group(1))
    fields = {
        html.unescape(name): html.unescape(value)
        for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page)
    }
    return action, fields


def through_idp(
    location: str, login: str | None, *, browser: requests.Session | None = None, password: str = IDP_PASSWORD
) -> tuple[str, dict]:
    """Follow an AuthnRequest at the IdP as a browser would (logging in as ``login`` if it shows
    its form) up to its auto-posting form. Returns the form's action and fields (SAMLResponse,
    RelayState)."""
    browser = browser or requests.Session()
    response = browser.get(location, allow_redirects=False)
    assert response.status_code == 200, response.text[:300]
    if 'action="/login"' in response.text:
        assert login is not None, "the IdP asked for a login"
        key = re.search(r'name="key" value="([^"]+)"', response.text).group(1)
        response = browser.post(urljoin(location, "/login"), data={"key": key, "login": login, "password": password})
        assert response.status_code == 200, response.text[:300]
    assert "SAMLResponse" in response.text, response.text[:300]
    return _form(response.text)


def post_to_acs(client, action: str, fields: dict):
    """Post the IdP's form to the ACS, and, as the browser's script would, post again from the
    page the ACS answers with when the post carried no session cookie."""
    response = client.post(path_of(action), data=fields)
    if response.status_code == 200 and 'name="again"' in response.get_data(as_text=True):
        action, fields = _form(response.get_data(as_text=True))
        response = client.post(action, data=fields)
    return response
