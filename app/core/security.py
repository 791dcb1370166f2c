"""Security headers on every response (OWASP ASVS V14): no inline script, no framing, no sniffing."""

from flask import Flask, abort, request

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


OPEN_DATA_ENDINGS = (".json", ".csv", ".atom", ".pdf", ".xml", ".pem")


def is_open_data(path: str) -> bool:
    """The API and the machine-readable files: records, proofs, feed, sitemap, CSV, trust roots."""
    return path.startswith("/api/") or (path.endswith(OPEN_DATA_ENDINGS) and not path.startswith("/intern"))


def _has_nul(values) -> bool:
    return any("\x00" in value for value in values)


def register(app: Flask) -> None:
    @app.before_request
    def refuse_nul_bytes():
        """No page takes a NUL character; PostgreSQL cannot store or compare one, so refuse it at
        the door: in the path no such page exists (404), in a query or a form it is a bad request."""
        if "\x00" in request.path:
            abort(404)
        if _has_nul(request.args.values()) or _has_nul(request.args.keys()):
            abort(400)
        is_form = request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data")
        if is_form and (_has_nul(request.form.values()) or _has_nul(request.form.keys())):
            abort(400)

    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if request.is_secure or app.config.get("SESSION_COOKIE_SECURE"):
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if request.path.startswith("/intern"):
            # Drafts and personal data must never sit in a shared or back-button cache.
            headers["Cache-Control"] = "no-store"
        elif is_open_data(request.path) and request.method in ("GET", "HEAD"):
            # Public, cookie-free data: any site's browser application may read it (never with
            # credentials, so a reader's session is never sent or exposed).
            headers["Access-Control-Allow-Origin"] = "*"
            headers["Access-Control-Expose-Headers"] = "ETag, Content-Disposition, X-Etikdialog-Witnessed"
        return response
