"""The language switch: a plain link, so cached public pages need no session or CSRF token.

Choosing a language changes nothing but a preference cookie, which is why a GET is enough.
"""

from urllib.parse import urlsplit

from flask import Blueprint, abort, redirect, request, url_for

from app.i18n import COOKIE_MAX_AGE, COOKIE_NAME, LANGUAGES

bp = Blueprint("i18n", __name__)


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never another host, never a scheme-relative URL."""
    if not target or len(target) > 2000 or not target.startswith("/"):
        return url_for("public.index")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("//") or "\\" in target:
        return url_for("public.index")
    return target


@bp.get("/sprog/<lang>")
def switch_language(lang: str):
    if lang not in LANGUAGES:
        abort(404)
    response = redirect(_safe_next(request.args.get("next")), code=303)
    response.set_cookie(COOKIE_NAME, lang, max_age=COOKIE_MAX_AGE, httponly=True,
                        samesite="Lax", secure=request.is_secure)  # fmt: skip
    response.headers["Cache-Control"] = "no-store"
    return response
