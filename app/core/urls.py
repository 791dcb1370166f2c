"""Absolute addresses on the portal's public base URL (`PUBLIC_BASE_URL`), never the request's Host.

`url_for(..., _external=True)` builds from the Host header the client sent, so a request with a
foreign Host would put that host into the API's links, the Atom feed, the sitemap and the CSV, and
into whatever is cached from them. Every absolute link the portal publishes is built here instead.
`PUBLIC_BASE_URL` names the app's root, including any path prefix the proxy serves it under.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app
from werkzeug.routing import MapAdapter

_ADAPTER_KEY = "etikdialog_public_urls"


def _adapter() -> MapAdapter:
    """A URL adapter bound to the public base, built once per app and base (tests change the base)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    base = app.config["PUBLIC_BASE_URL"]
    cached = app.extensions.get(_ADAPTER_KEY)
    if cached is None or cached[0] != base:
        parts = urlsplit(base)
        adapter = app.url_map.bind(parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme)
        cached = app.extensions[_ADAPTER_KEY] = (base, adapter)
    return cached[1]


def public_url(endpoint: str, **values) -> str:
    """The absolute public address of `endpoint` (values as in url_for; extra ones go into the
    query string, None ones are left out). Works in a request and in an app context alone (CLI)."""
    return _adapter().build(endpoint, values, force_external=True)


def safe_next_url(target: str | None) -> str | None:
    """``target`` if it is a path on this site ("/intern/…"), else None. Refuses absolute and
    protocol-relative URLs, backslash tricks and control characters (open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(char) < 32 or ord(char) == 127 for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
