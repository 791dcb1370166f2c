"""OpenID Connect, relying-party side: discovery, the authorisation code flow with PKCE, and ID
token validation. Protocol only: no database, no session, no Flask request.

Authlib's OAuth2Session builds the authorisation URL (state, nonce, S256 code challenge) and
redeems the code; joserfc (Authlib's JOSE library) checks the ID token: signature against the
provider's published keys, issuer, audience, expiry, issued-at, nonce and, where asked, auth_time.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from flask import current_app, has_app_context
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

# Asymmetric signatures only: "none" and HMAC (which a public key could be abused as) are refused.
ALLOWED_ALGORITHMS = [
    "RS256",
    "RS384",
    "RS512",
    "PS256",
    "PS384",
    "PS512",
    "ES256",
    "ES384",
    "ES512",
]
SCOPES = "openid email profile"
LEEWAY_SECONDS = 60
HTTP_TIMEOUT = 10
METADATA_TTL = 300


class OidcError(Exception):
    """The provider or its answer cannot be trusted; ``reason`` is for the log, never the page."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ClientSettings:
    issuer: str
    client_id: str
    client_secret: str | None  # None: a public client, PKCE only
    redirect_uri: str


@dataclass(frozen=True)
class Login:
    """A validated ID token: who, where from, and when they authenticated."""

    issuer: str
    subject: str
    email: str
    name: str
    claims: dict
    auth_time: int | None


CACHE_KEY = "etikdialog.sso_metadata"  # the app's cache of providers' metadata and keys
_cache_lock = threading.Lock()


def _cache() -> dict[str, tuple[float, dict]]:
    return current_app.extensions.setdefault(CACHE_KEY, {})


def _get_json(url: str) -> dict:
    try:
        response = requests.get(url, timeout=HTTP_TIMEOUT)
        response.raise_for_status()
        return response.json()
    except (requests.RequestException, ValueError) as error:
        raise OidcError(f"could not read {url}: {error}") from None


def cached(key: str, load, *, refresh: bool = False):
    now = time.monotonic()
    cache = _cache()
    with _cache_lock:
        hit = cache.get(key)
    if hit and not refresh and now - hit[0] < METADATA_TTL:
        return hit[1]
    value = load()
    with _cache_lock:
        cache[key] = (now, value)
    return value


def clear_cache() -> None:
    """Forget the current app's providers' metadata (tests; each app starts with none)."""
    if has_app_context():
        with _cache_lock:
            _cache().clear()


def discover(issuer: str) -> dict:
    """The provider's metadata (OpenID Connect Discovery 1.0), whose issuer must be the one asked."""
    issuer = issuer.rstrip("/")

    def load() -> dict:
        metadata = _get_json(f"{issuer}/.well-known/openid-configuration")
        if metadata.get("issuer", "").rstrip("/") != issuer:
            raise OidcError(f"discovery answered issuer {metadata.get('issuer')!r}, not {issuer!r}")
        for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
            if not isinstance(metadata.get(key), str):
                raise OidcError(f"discovery lacks {key}")
        return metadata

    return cached("metadata:" + issuer, load)


def _keys(metadata: dict, *, refresh: bool = False) -> KeySet:
    data = cached("jwks:" + metadata["jwks_uri"], lambda: _get_json(metadata["jwks_uri"]), refresh=refresh)
    try:
        return KeySet.import_key_set(data)
    except (JoseError, ValueError, TypeError) as error:
        raise OidcError(f"unusable JWKS: {error}") from None


def _session(client: ClientSettings, scope: str = SCOPES, **kwargs) -> OAuth2Session:
    return OAuth2Session(
        client.client_id,
        client.client_secret,
        scope=scope,
        redirect_uri=client.redirect_uri,
        code_challenge_method="S256",
        token_endpoint_auth_method="client_secret_basic" if client.client_secret else "none",
        **kwargs,
    )


def authorization_request(
    client: ClientSettings,
    *,
    login_hint: str | None = None,
    fresh: bool = False,
    extra_scope: str = "",
) -> dict:
    """The URL to send the person to, and the one-time values the callback needs (kept in the
    session): state, nonce and the PKCE verifier. ``fresh`` forces a new authentication
    (prompt=login, max_age=0), as signing requires. ``extra_scope`` (the group claim's name) is
    asked for only where the provider lists it among its scopes."""
    metadata = discover(client.issuer)
    scope = SCOPES
    if extra_scope and extra_scope in (metadata.get("scopes_supported") or []):
        scope = f"{SCOPES} {extra_scope}"
    state, nonce, verifier = generate_token(32), generate_token(32), generate_token(64)
    extra = {"nonce": nonce}
    if login_hint:
        extra["login_hint"] = login_hint
    if fresh:
        extra.update(prompt="login", max_age="0")
    with _session(client, scope) as session:
        url, _state = session.create_authorization_url(
            metadata["authorization_endpoint"], state=state, code_verifier=verifier, **extra
        )
    return {"url": url, "state": state, "nonce": nonce, "verifier": verifier}


def redeem(client: ClientSettings, *, code: str, verifier: str) -> str:
    """Exchange the code (with the PKCE verifier) for tokens; returns the raw ID token."""
    metadata = discover(client.issuer)
    try:
        with _session(client) as session:
            token = session.fetch_token(
                metadata["token_endpoint"], code=code, code_verifier=verifier, timeout=HTTP_TIMEOUT
            )
    except Exception as error:  # noqa: BLE001 - any failure of the exchange is a refusal
        raise OidcError(f"token exchange failed: {type(error).__name__}: {error}") from None
    id_token = token.get("id_token")
    if not isinstance(id_token, str):
        raise OidcError("the token response has no ID token")
    return id_token


def validate_id_token(client: ClientSettings, id_token: str, *, nonce: str, now: float | None = None) -> Login:
    """Check the ID token's signature (the provider's JWKS, asymmetric algorithms only), issuer,
    audience (and azp), expiry, issued-at and nonce. Raises OidcError."""
    metadata = discover(client.issuer)
    try:
        token = jwt.decode(id_token, _keys(metadata), algorithms=ALLOWED_ALGORITHMS)
    except JoseError as error:
        if "key" not in str(error).lower():
            raise OidcError(f"ID token refused: {error}") from None
        try:  # the provider may have rotated its keys: read them once more
            token = jwt.decode(id_token, _keys(metadata, refresh=True), algorithms=ALLOWED_ALGORITHMS)
        except JoseError as again:
            raise OidcError(f"ID token refused: {again}") from None
    except ValueError as error:
        raise OidcError(f"ID token unreadable: {error}") from None
    claims = token.claims
    registry = jwt.JWTClaimsRegistry(
        now=int(now if now is not None else time.time()),
        leeway=LEEWAY_SECONDS,
        iss={"essential": True, "value": metadata["issuer"]},
        aud={"essential": True, "value": client.client_id},
        sub={"essential": True},
        exp={"essential": True},
        iat={"essential": True},
        nonce={"essential": True, "value": nonce},
    )
    try:
        registry.validate(claims)
    except JoseError as error:
        raise OidcError(f"ID token claims refused: {error}") from None
    audience = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if len(audience) > 1 and claims.get("azp") != client.client_id:
        raise OidcError("ID token for several audiences without our azp")
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject or len(subject) > 255:
        raise OidcError("ID token subject missing or too long")
    auth_time = claims.get("auth_time")
    if auth_time is not None and not isinstance(auth_time, int):
        raise OidcError("auth_time is not a number")
    email = claims.get("email") if isinstance(claims.get("email"), str) else ""
    name = claims.get("name") if isinstance(claims.get("name"), str) else ""
    return Login(metadata["issuer"], subject, email.strip().lower(), name.strip(), dict(claims), auth_time)


def logout_url(issuer: str, *, client_id: str, post_logout_redirect_uri: str) -> str | None:
    """RP-initiated logout at the provider, where it publishes an end_session_endpoint."""
    try:
        metadata = discover(issuer)
    except OidcError:
        return None
    endpoint = metadata.get("end_session_endpoint")
    if not isinstance(endpoint, str):
        return None
    from urllib.parse import urlencode

    query = urlencode({"client_id": client_id, "post_logout_redirect_uri": post_logout_redirect_uri})
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"
