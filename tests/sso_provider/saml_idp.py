"""A real SAML 2.0 identity provider for the tests: pysaml2's IdP (saml2.server.Server, signing
with xmlsec1) behind a small WSGI app on 127.0.0.1, run in a thread by tests/sso_helpers.py.

It takes signed AuthnRequests by HTTP-Redirect (it refuses unsigned ones), shows a login form,
keeps its own session (a cookie), asks again when the request says ForceAuthn, and answers by
HTTP-POST with a signed assertion. ``behaviour`` makes it misbehave as a test asks: an unsigned
assertion, a signature by a key that is not in its metadata, a changed assertion after signing,
another audience, an old AuthnInstant, SHA-1. It also answers single logout by HTTP-Redirect.
"""

from __future__ import annotations

import datetime
import html
import secrets
import shutil
import time
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.authn_context import PASSWORD
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.pack import http_form_post_message
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server
from saml2.xmldsig import DIGEST_SHA1, DIGEST_SHA256, SIG_RSA_SHA1, SIG_RSA_SHA256
from werkzeug.wrappers import Request, Response

EMAIL = "https://data.gov.dk/model/core/eid/email"
NAME = "https://data.gov.dk/model/core/eid/fullName"


def make_key_pair(directory: Path, name: str) -> tuple[str, str]:
    """A fresh RSA key and a self-signed certificate for it, as PEM files."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"etikdialog-test-{name}")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .sign(key, hashes.SHA256())
    )
    key_path, cert_path = directory / f"{name}.key", directory / f"{name}.crt"
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return str(key_path), str(cert_path)


LOGIN_FORM = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test IdP</title></head>
<body><h1>Test IdP: sign in</h1><form method="post" action="/login">
<input type="hidden" name="key" value="{key}">
<label for="login">Login</label> <input id="login" name="login" autocomplete="username">
<label for="password">Password</label> <input id="password" name="password" type="password">
<button type="submit">Sign in</button></form></body></html>"""


class SamlIdp:
    def __init__(self, url: str, directory: Path):
        self.url = url
        self.entity_id = f"{url}/idp"
        self.key, self.cert = make_key_pair(directory, "idp")
        self.rogue_key, self.rogue_cert = make_key_pair(directory, "rogue")
        self.sp_metadata: dict[str, str] = {}
        self.reset()

    def reset(self) -> None:
        self.accounts: dict[str, dict] = {}
        self.behaviour: dict = {}
        self.requests: list[dict] = []  # the AuthnRequests seen: id, sp, force_authn
        self.logouts: list[dict] = []
        self.responses: list[str] = []  # the SAMLResponses sent (base64), for replay tests
        self.pending: dict[str, dict] = {}

    # --- configuration ---------------------------------------------------------------------

    def _config(self, key: str, cert: str) -> IdPConfig:
        config = {
            "entityid": self.entity_id,
            "key_file": key,
            "cert_file": cert,
            "xmlsec_binary": shutil.which("xmlsec1"),
            "signing_algorithm": SIG_RSA_SHA256,
            "digest_algorithm": DIGEST_SHA256,
            "service": {
                "idp": {
                    "endpoints": {
                        "single_sign_on_service": [(f"{self.url}/sso/redirect", BINDING_HTTP_REDIRECT)],
                        "single_logout_service": [(f"{self.url}/slo/redirect", BINDING_HTTP_REDIRECT)],
                    },
                    "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                    "want_authn_requests_signed": True,
                    "policy": {
                        "default": {
                            "lifetime": {"minutes": 5},
                            "attribute_restrictions": None,
                            "name_form": NAME_FORMAT_URI,
                        }
                    },
                }
            },
        }
        if self.sp_metadata:
            config["metadata"] = {"inline": list(self.sp_metadata.values())}
        return IdPConfig().load(config)

    def server(self, *, rogue: bool = False) -> Server:
        if rogue:  # signs with a key its metadata does not publish
            return Server(config=self._config(self.rogue_key, self.rogue_cert))
        return Server(config=self._config(self.key, self.cert))

    def metadata(self) -> str:
        return create_metadata_string(None, config=self._config(self.key, self.cert)).decode()

    def register(self, sp_entity_id: str, metadata_xml: str) -> None:
        """Trust a service provider (its metadata, as Etikdialog publishes it)."""
        self.sp_metadata[sp_entity_id] = metadata_xml

    def set_account(self, login: str, *, password: str, email: str = "", name: str = "", **attributes) -> None:
        self.accounts[login] = {
            "password": password,
            "sub": f"saml-{login}",
            "email": email,
            "name": name or login,
            "attributes": attributes,
        }

    # --- WSGI --------------------------------------------------------------------------------

    def __call__(self, environ, start_response):
        request = Request(environ)
        try:
            response = self._route(request)
        except Exception as error:  # noqa: BLE001 - the IdP refuses, as a real one would
            response = Response(f"IdP error: {type(error).__name__}: {error}", status=400)
        return response(environ, start_response)

    def _route(self, request: Request) -> Response:
        if request.path == "/metadata":
            return Response(self.metadata(), mimetype="application/samlmetadata+xml")
        if request.path == "/sso/redirect":
            return self._sso(request)
        if request.path == "/login" and request.method == "POST":
            return self._login(request)
        if request.path == "/slo/redirect":
            return self._slo(request)
        return Response("not found", status=404)

    def _sso(self, request: Request) -> Response:
        args = request.args
        parsed = self.server().parse_authn_request(
            args["SAMLRequest"],
            BINDING_HTTP_REDIRECT,
            relay_state=args.get("RelayState"),
            sigalg=args.get("SigAlg"),
            signature=args.get("Signature"),
        )
        message = parsed.message
        force = str(message.force_authn).lower() == "true"
        wanted = message.requested_authn_context
        self.requests.append(
            {
                "id": message.id,
                "sp": message.issuer.text,
                "force_authn": force,
                "authn_context": [ref.text for ref in wanted.authn_context_class_ref] if wanted else [],
                "comparison": wanted.comparison if wanted else None,
            }
        )
        key = secrets.token_urlsafe(16)
        self.pending[key] = {"request": message, "relay_state": args.get("RelayState", "")}
        user = request.cookies.get("idp_user")
        if user in self.accounts and not force:  # a session at the IdP already: no form
            return self._answer(key, user)
        return Response(LOGIN_FORM.format(key=key), mimetype="text/html")

    def _login(self, request: Request) -> Response:
        login = request.form.get("login", "")
        account = self.accounts.get(login)
        if account is None or account["password"] != request.form.get("password"):
            return Response(
                LOGIN_FORM.format(key=html.escape(request.form.get("key", ""))), status=401, mimetype="text/html"
            )
        response = self._answer(request.form["key"], login)
        response.set_cookie("idp_user", login, httponly=True)
        return response

    def _answer(self, key: str, login: str) -> Response:
        pending = self.pending.pop(key)
        message, account, behaviour = pending["request"], self.accounts[login], self.behaviour
        server = self.server(rogue=behaviour.get("rogue_key", False))
        sp_entity_id = message.issuer.text
        destination = server.metadata.assertion_consumer_service(sp_entity_id, BINDING_HTTP_POST)[0]["location"]
        identity = {EMAIL: [account["email"]], NAME: [account["name"]]}
        for name, values in account["attributes"].items():
            identity[name] = values if isinstance(values, list) else [values]
        signed = behaviour.get("sign_assertion", True)
        response = server.create_authn_response(
            identity,
            in_response_to=message.id,
            destination=destination,
            sp_entity_id=behaviour.get("audience", sp_entity_id),
            name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=account["sub"]),
            authn={"class_ref": PASSWORD, "authn_instant": int(time.time()) - behaviour.get("auth_age", 0)},
            sign_assertion=signed,
            sign_alg=SIG_RSA_SHA1 if behaviour.get("sha1") else SIG_RSA_SHA256,
            digest_alg=DIGEST_SHA1 if behaviour.get("sha1") else DIGEST_SHA256,
            sign_response=behaviour.get("sign_response", False),
        )
        xml = str(response)
        if behaviour.get("tamper"):  # a value changed after the IdP signed it
            xml = xml.replace(account["email"], behaviour["tamper"])
        info = http_form_post_message(xml, destination, pending["relay_state"], "SAMLResponse")
        self.responses.append(info["data"].split('name="SAMLResponse" value="')[1].split('"')[0])
        return Response(info["data"], mimetype="text/html")

    def _slo(self, request: Request) -> Response:
        args = request.args
        server = self.server()
        parsed = server.parse_logout_request(
            args["SAMLRequest"],
            BINDING_HTTP_REDIRECT,
            relay_state=args.get("RelayState"),
            sigalg=args.get("SigAlg"),
            signature=args.get("Signature"),
        )
        message = parsed.message
        self.logouts.append({"sp": message.issuer.text, "name_id": message.name_id.text})
        answer = server.create_logout_response(message, [BINDING_HTTP_REDIRECT], sign=False)
        destination = server.metadata.single_logout_service(message.issuer.text, BINDING_HTTP_REDIRECT, "spsso")[0]
        info = server.apply_binding(
            BINDING_HTTP_REDIRECT,
            str(answer),
            destination["location"],
            args.get("RelayState", ""),
            response=True,
            sign=True,
        )
        response = Response(status=302, headers={"Location": dict(info["headers"])["Location"]})
        response.delete_cookie("idp_user")
        return response
