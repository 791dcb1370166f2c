"""SAML 2.0 (OIOSAML profile), service-provider side, with pysaml2 (which signs and checks with
Debian's xmlsec1). Protocol only: no database, no session, no Flask request.

What is required of an answer (parse_login): the assertion itself signed by the IdP's key from
its metadata (want_assertions_signed; a signed response around an unsigned assertion is not
enough), our entity id as its audience, our ACS as the response's Destination and the bearer
confirmation's Recipient, NotOnOrAfter not passed, InResponseTo the request this browser has
outstanding (no unsolicited responses), and an AuthnInstant. Replay across requests is the caller's
part (services.record_assertion keeps each assertion's ID until it expires).

Requests are signed (HTTP-Redirect binding, RSA-SHA256); ForceAuthn asks for a new login.
"""

from __future__ import annotations

import base64
import calendar
import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path

import requests
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAMEID_FORMAT_PERSISTENT, NameID
from saml2.samlp import SessionIndex
from saml2.time_util import str_to_time
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

from app.sso.oidc import HTTP_TIMEOUT, LEEWAY_SECONDS, Login, OidcError, cached

# The attributes a person's e-mail address and name are read from: OIOSAML 3, OIOSAML 2 (OIDs),
# Microsoft Entra ID / AD FS claims, and plain names.
EMAIL_ATTRIBUTES = (
    "https://data.gov.dk/model/core/eid/email",
    "urn:oid:0.9.2342.19200300.100.1.3",
    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
    "mail",
    "email",
)
NAME_ATTRIBUTES = (
    "https://data.gov.dk/model/core/eid/fullName",
    "urn:oid:2.5.4.3",
    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
    "displayName",
    "cn",
    "name",
)
# OIOSAML 3: the NSIS assurance level the IdP vouches for ("Low", "Substantial" or "High").
LOA_ATTRIBUTE = "https://data.gov.dk/concept/core/nsis/loa"
LOA_LEVELS = ("low", "substantial", "high")
SIGNATURE_ALGORITHMS = {
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384",
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256",
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384",
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512",
}
MAX_MESSAGE = 200_000  # a SAMLResponse larger than this (base64) is not read


class SamlError(OidcError):
    """The IdP or its answer cannot be trusted; ``reason`` is for the log, never the page."""


@dataclass(frozen=True)
class SpSettings:
    """Our side (entity id, endpoints, key and certificate files) and the IdP (entity id and its
    metadata's XML, None where only our metadata is wanted)."""

    entity_id: str
    acs_url: str
    slo_url: str
    key_file: str
    cert_file: str
    idp_entity_id: str
    idp_metadata: str | None = None


@dataclass(frozen=True)
class SamlLogin:
    """A checked assertion: the login, and what single logout and the replay guard need."""

    login: Login
    assertion_id: str
    not_on_or_after: int  # epoch seconds; the assertion is worthless after it
    name_id: dict
    session_index: str | None


def xmlsec_binary() -> str:
    path = shutil.which("xmlsec1")
    if path is None:
        raise SamlError("xmlsec1 is not installed (apt-get install xmlsec1)")
    return path


def load_metadata(ref: str) -> str:
    """The IdP's metadata XML from a URL (read at most every few minutes) or ``file:/path``."""
    if ref.startswith("file:"):
        try:
            return Path(ref[5:]).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise SamlError(f"could not read metadata {ref}: {error}") from None

    def load() -> str:
        try:
            response = requests.get(ref, timeout=HTTP_TIMEOUT)
            response.raise_for_status()
            return response.text
        except requests.RequestException as error:
            raise SamlError(f"could not read metadata {ref}: {error}") from None

    return cached("saml-metadata:" + ref, load)


def _config(settings: SpSettings) -> SPConfig:
    config = {
        "entityid": settings.entity_id,
        "key_file": settings.key_file,
        "cert_file": settings.cert_file,
        # The IdP may encrypt assertions to our certificate (OIOSAML asks for it).
        "encryption_keypairs": [{"key_file": settings.key_file, "cert_file": settings.cert_file}],
        "xmlsec_binary": xmlsec_binary(),
        "allow_unknown_attributes": True,
        "accepted_time_diff": LEEWAY_SECONDS,
        "signing_algorithm": SIG_RSA_SHA256,
        "digest_algorithm": DIGEST_SHA256,
        "service": {
            "sp": {
                "endpoints": {
                    "assertion_consumer_service": [(settings.acs_url, BINDING_HTTP_POST)],
                    "single_logout_service": [(settings.slo_url, BINDING_HTTP_REDIRECT)],
                },
                "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                "want_assertions_signed": True,
                "want_response_signed": False,
                "want_assertions_or_response_signed": True,
                "authn_requests_signed": True,
                "logout_requests_signed": True,
                "allow_unsolicited": False,
            }
        },
    }
    if settings.idp_metadata is not None:
        config["metadata"] = {"inline": [settings.idp_metadata]}
    try:
        return SPConfig().load(config)
    except Exception as error:  # noqa: BLE001 - a bad key, certificate or metadata
        raise SamlError(f"unusable SAML configuration: {type(error).__name__}: {error}") from None


def _client(settings: SpSettings) -> Saml2Client:
    client = Saml2Client(config=_config(settings))
    if settings.idp_entity_id not in client.metadata.identity_providers():
        raise SamlError(f"the metadata does not describe the IdP {settings.idp_entity_id!r}")
    return client


def sp_metadata(settings: SpSettings) -> str:
    """Our metadata (entity id, signing and encryption certificate, ACS, single logout), for the
    IdP to read at /intern/saml/<org>/metadata.xml."""
    try:
        return create_metadata_string(None, config=_config(settings), valid=None).decode("utf-8")
    except SamlError:
        raise
    except Exception as error:  # noqa: BLE001
        raise SamlError(f"could not write metadata: {type(error).__name__}: {error}") from None


def sso_location(settings: SpSettings) -> str:
    """Where the IdP takes authentication requests (HTTP-Redirect), for CSP form-action; kept
    as long as the metadata it was read from, so the login page does not parse it each time."""

    def load() -> str:
        try:
            return _client(settings).metadata.single_sign_on_service(settings.idp_entity_id, BINDING_HTTP_REDIRECT)[0][
                "location"
            ]
        except (IndexError, KeyError, TypeError) as error:
            raise SamlError(f"the IdP has no HTTP-Redirect SSO endpoint: {error}") from None

    digest = hashlib.sha256((settings.idp_metadata or "").encode()).hexdigest()
    return cached(f"saml-sso:{settings.idp_entity_id}:{digest}", load)


def authn_request(settings: SpSettings, *, relay_state: str, fresh: bool = False, loa: str = "") -> dict:
    """A signed AuthnRequest by HTTP-Redirect: the URL to send the person to and the request's ID
    (kept server-side, checked against InResponseTo). ``fresh`` sets ForceAuthn; ``loa`` (an NSIS
    level the municipality requires) asks for at least that level, as OIOSAML 3 lets a service
    provider (RequestedAuthnContext, Comparison="minimum"). The answer's level is checked all the
    same: the request is a wish, the signed assertion is what counts."""
    client = _client(settings)
    extra = {}
    if loa in LOA_LEVELS:
        extra["requested_authn_context"] = {
            "authn_context_class_ref": [f"{LOA_ATTRIBUTE}/{loa.capitalize()}"],
            "comparison": "minimum",
        }
    try:
        request_id, info = client.prepare_for_authenticate(
            entityid=settings.idp_entity_id,
            relay_state=relay_state,
            binding=BINDING_HTTP_REDIRECT,
            sign=True,
            sigalg=SIG_RSA_SHA256,
            digest_alg=DIGEST_SHA256,
            force_authn="true" if fresh else None,
            **extra,
        )
    except Exception as error:  # noqa: BLE001 - no endpoint, signing failed
        raise SamlError(f"could not build the AuthnRequest: {type(error).__name__}: {error}") from None
    location = dict(info["headers"])["Location"]
    return {"url": location, "request_id": request_id}


def _values(assertion) -> dict[str, list[str]]:
    """The assertion's attributes by name (and friendly name), as lists of strings."""
    attributes: dict[str, list[str]] = {}
    for statement in assertion.attribute_statement or []:
        for attribute in statement.attribute or []:
            values = [v.text.strip() for v in attribute.attribute_value or [] if v.text]
            for key in {attribute.name, attribute.friendly_name} - {None, ""}:
                attributes.setdefault(key, []).extend(values)
    return attributes


def assurance_level(attributes: dict) -> str | None:
    """The NSIS level an assertion's attributes state ("low", "substantial" or "high"), or None
    when they state none, an unknown one, or two that differ."""
    values = attributes.get(LOA_ATTRIBUTE) if isinstance(attributes, dict) else None
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list):
        return None
    levels = {v.strip().lower() if isinstance(v, str) else None for v in values}
    level = levels.pop() if len(levels) == 1 else None
    return level if level in LOA_LEVELS else None


def _first(attributes: dict, names: tuple[str, ...]) -> str:
    for name in names:
        for value in attributes.get(name, []):
            if value:
                return value
    return ""


def parse_login(settings: SpSettings, saml_response: str, *, request_id: str) -> SamlLogin:
    """Check a SAMLResponse (HTTP-POST, base64) answering our request ``request_id``."""
    if not saml_response or len(saml_response) > MAX_MESSAGE:
        raise SamlError("no SAMLResponse, or too large")
    try:
        base64.b64decode(saml_response, validate=True)
    except ValueError:
        raise SamlError("the SAMLResponse is not base64") from None
    client = _client(settings)
    try:
        response = client.parse_authn_request_response(saml_response, BINDING_HTTP_POST, outstanding={request_id: "/"})
    except Exception as error:  # noqa: BLE001 - pysaml2 raises many kinds; all are refusals
        raise SamlError(f"response refused: {type(error).__name__}: {error}") from None
    if response is None or response.assertion is None:
        raise SamlError("no assertion in the response")
    assertion = response.assertion
    # pysaml2 checks these; say so here too, so a change in the library cannot silently drop them.
    if assertion.signature is None:
        raise SamlError("the assertion is not signed")
    algorithm = assertion.signature.signed_info.signature_method.algorithm
    if algorithm not in SIGNATURE_ALGORITHMS:  # OIOSAML: SHA-256 or stronger, never SHA-1
        raise SamlError(f"the assertion is signed with {algorithm}")
    if response.in_response_to != request_id:
        raise SamlError("InResponseTo is not our outstanding request")
    issuer = response.issuer()
    if issuer != settings.idp_entity_id:
        raise SamlError(f"issuer {issuer!r} is not the configured IdP")
    audiences = [
        audience.text.strip()
        for restriction in (assertion.conditions.audience_restriction if assertion.conditions else [])
        for audience in restriction.audience
        if audience.text
    ]
    if settings.entity_id not in audiences:
        raise SamlError(f"audience {audiences!r} is not ours")
    name_id = assertion.subject.name_id if assertion.subject else None
    subject = (name_id.text or "").strip() if name_id is not None else ""
    if not subject or len(subject) > 255:
        raise SamlError("NameID missing or too long")
    info = response.authn_info()
    if not info or not info[0][2]:
        raise SamlError("no AuthnInstant")
    try:
        auth_time = calendar.timegm(str_to_time(info[0][2]))
    except (ValueError, TypeError):
        raise SamlError("AuthnInstant unreadable") from None
    if not response.not_on_or_after:
        raise SamlError("no NotOnOrAfter")
    session_index = None
    if assertion.authn_statement and assertion.authn_statement[0].session_index:
        session_index = assertion.authn_statement[0].session_index
    attributes = _values(assertion)
    login = Login(
        issuer,
        subject,
        _first(attributes, EMAIL_ATTRIBUTES).lower(),
        _first(attributes, NAME_ATTRIBUTES),
        attributes,
        auth_time,
    )
    name_id_data = {key: getattr(name_id, key) for key in ("format", "name_qualifier", "sp_name_qualifier", "text")}
    return SamlLogin(login, assertion.id, int(response.not_on_or_after), name_id_data, session_index)


def logout_url(settings: SpSettings, *, name_id: dict, session_index: str | None, relay_state: str) -> str | None:
    """A signed LogoutRequest by HTTP-Redirect to the IdP's single logout, where it has one."""
    client = _client(settings)
    try:
        destinations = client.metadata.single_logout_service(settings.idp_entity_id, BINDING_HTTP_REDIRECT, "idpsso")
    except Exception:  # noqa: BLE001
        return None
    if not destinations:
        return None
    try:
        _request_id, request = client.create_logout_request(
            destinations[0]["location"],
            settings.idp_entity_id,
            name_id=NameID(**name_id),
            session_indexes=[SessionIndex(session_index)] if session_index else None,
            sign=False,
        )
        info = client.apply_binding(
            BINDING_HTTP_REDIRECT,
            str(request),
            destinations[0]["location"],
            relay_state,
            sign=True,
            sigalg=SIG_RSA_SHA256,
        )
    except Exception:  # noqa: BLE001 - no single logout then
        return None
    return dict(info["headers"])["Location"]


def parse_logout_response(settings: SpSettings, saml_response: str) -> None:
    """Check the IdP's LogoutResponse (HTTP-Redirect): its signature or status. Raises SamlError."""
    if not saml_response or len(saml_response) > MAX_MESSAGE:
        raise SamlError("no SAMLResponse, or too large")
    client = _client(settings)
    try:
        response = client.parse_logout_request_response(saml_response, BINDING_HTTP_REDIRECT)
    except Exception as error:  # noqa: BLE001
        raise SamlError(f"logout response refused: {type(error).__name__}: {error}") from None
    if response is None or not response.status_ok():
        raise SamlError("logout not confirmed")
