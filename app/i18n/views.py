"""The language switch: a plain link, so cached public pages need no session or CSRF token.

Choosing a language changes nothing but a preference cookie, which is why a GET is enough.
"""

from flask import Blueprint, abort, redirect, request, url_for

from app.core.urls import safe_next_url
from app.i18n import COOKIE_MAX_AGE, COOKIE_NAME, LANGUAGES

bp = Blueprint("i18n", __name__)


def _safe_next(target: str | None) -> str:
    """Only a path on this site (the login's rule: no other host, no control characters), else "/"."""
    if target and len(target) > 2000:
        return url_for("public.index")
    return safe_next_url(target) or url_for("public.index")


@bp.get("/sprog/<lang>")
def switch_language(lang: str):
    if lang not in LANGUAGES:
        abort(404)
    response = redirect(_safe_next(request.args.get("next")), code=303)
    response.set_cookie(
        COOKIE_NAME, lang, max_age=COOKIE_MAX_AGE, httponly=True, samesite="Lax", secure=request.is_secure
    )
    response.headers["Cache-Control"] = "no-store"
    return response
