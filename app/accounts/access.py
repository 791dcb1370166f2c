"""Who is logged in, and who may do what. create_app calls init_login after login_manager.init_app.

Every blueprint under /intern/ requires a login for all its views (a ``before_request`` with
Flask-Login's ``login_required``); the administrators' pages add ``admin_required``, and the
services check roles themselves. An assessment is loaded through
``app.assessments.services.get_for_organisation(public_id, current_user.organisation_id)``, so
another municipality's is simply not found (404).
"""

from __future__ import annotations

from functools import wraps

from flask import request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.accounts.models import Role, User
from app.core.errors import require
from app.core.urls import safe_next_url  # noqa: F401 - the views import it from here
from app.extensions import db, login_manager


def init_login() -> None:
    """Called by create_app after login_manager.init_app: the login page, its message and the
    user loader."""
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Log ind for at se siden.")
    # Flash plain text in the interface language: a lazy string cannot go into the session.
    login_manager.localize_callback = str
    login_manager.login_message_category = "info"
    login_manager.user_loader(load_user)


def load_user(user_id: str) -> User | None:
    """Parse "id:session_version"; a changed version (new password, deactivation) ends the
    session, and so does deactivation itself."""
    try:
        raw_id, raw_version = str(user_id).split(":", 1)
        ident, version = int(raw_id), int(raw_version)
    except ValueError:
        return None
    user = db.session.get(User, ident)
    if user is None or not user.active or user.session_version != version:
        return None
    return user


def role_required(*roles: Role | str):
    """Only logged-in users with one of these roles; others get the login page or 403.

    Without roles, any logged-in user passes (like login_required).
    """
    allowed = {Role(role).value for role in roles}

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            require(not allowed or current_user.role in allowed)
            return view(*args, **kwargs)

        return wrapper

    return decorator


admin_required = role_required(Role.ADMIN)


def editors_post(view):
    """Every member of the municipality may read the page; only editors and administrators may
    send it. A POST from anyone else is refused (403) before its form is read, so the answer does
    not depend on what was sent; the services check the role again (NotAllowed)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if request.method == "POST":
            require(current_user.is_authenticated and current_user.can_edit)
        return view(*args, **kwargs)

    return wrapper
