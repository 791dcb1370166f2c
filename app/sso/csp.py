"""The Content-Security-Policy's form-action for the pages whose form ends at a provider.

Browsers apply form-action to every redirect after a form is sent, so the login page (whose
e-mail form is redirected to the municipality's provider) and the signing page (redirected there
for a fresh login) must name the providers' origins. Every other page keeps form-action 'self'.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import request
from flask_login import current_user
from sqlalchemy import select

from app.core.security import CONTENT_SECURITY_POLICY
from app.extensions import db
from app.sso import services
from app.sso.models import SsoConfig


def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def _policy(origins: set[str]) -> str:
    return CONTENT_SECURITY_POLICY.replace("form-action 'self'", " ".join(["form-action 'self'", *sorted(origins)]))


def form_action_for_providers(response):
    """An after_request hook (wired in create_app). An error page (5xx) has no form that goes to
    a provider and must need no database, nor the signed-in user (who is loaded from it): the
    503 page of a database outage keeps the default policy (issue 31 item 8)."""
    if response.status_code >= 500:
        return response
    if request.endpoint == "accounts.login" and response.mimetype == "text/html":
        configs = db.session.scalars(select(SsoConfig)).all()
    elif request.endpoint == "signoff.sign" and current_user.is_authenticated and response.mimetype == "text/html":
        config = services.signing_config(current_user)
        configs = [config] if config else []
    else:
        return response
    urls = [url for config in configs for url in services.form_action_origins(config)]
    origins = {origin for origin in map(_origin, urls) if origin}
    if origins:
        response.headers["Content-Security-Policy"] = _policy(origins)
    return response
