"""Login, logout, own account and the administrators' user pages. Views are thin: load or 404,
check access, validate, call one service, redirect; the request's transaction ends in one place
(ADR 0008)."""

from __future__ import annotations

import time

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user

from app.accounts import notices, services
from app.accounts.access import admin_required, safe_next_url
from app.accounts.forms import LoginForm, PasswordChangeForm, UserCreateForm, UserRoleForm
from app.accounts.models import User
from app.core.transactions import discard
from app.core.urls import public_url
from app.extensions import limiter
from app.sso import services as sso_services

bp = Blueprint("accounts", __name__, url_prefix="/intern", template_folder="templates")

# The assessments package serves the start page behind login.
HOME_URL = "/intern/"


@bp.before_app_request
def load_login_state_per_request() -> None:
    """Flask-Login and Flask-WTF cache the user and the CSRF token on ``g``. Each request starts
    without them, so a password change or deactivation applies at once even where requests
    share an application context (as the test client does)."""
    g.pop("_login_user", None)
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)
    if "_user_id" in session:
        end_expired_session()


def end_expired_session() -> None:
    """Idle and absolute timeouts (ASVS 3.3): a session ends after 30 idle minutes or 12 hours."""
    now = time.time()
    started, seen = session.get("login_at"), session.get("seen_at")
    idle = current_app.config["SESSION_IDLE_MINUTES"] * 60
    absolute = current_app.config["SESSION_MAX_HOURS"] * 3600
    if not isinstance(started, int | float) or not isinstance(seen, int | float):
        expired = True
    else:
        expired = now - seen > idle or now - started > absolute
    if expired:
        logout_user()
        renew_session()
        flash(
            _("Du er blevet logget ud, fordi du ikke har været aktiv i et stykke tid. Log ind igen."),
            "info",
        )
    elif now - seen > 60:  # write the cookie again at most once a minute
        session["seen_at"] = now


def renew_session() -> None:
    """Drop everything of the old session, including the CSRF token cached for this request."""
    session.clear()
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)


def start_session(user: User) -> None:
    renew_session()  # a new session at login: nothing from before survives
    login_user(user)
    session["login_at"] = session["seen_at"] = time.time()


def show_error(form, error: services.AccountError) -> None:
    """Put a service's refusal at its field, or at the top of the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors.append(error.message)
    else:
        form.form_errors.append(error.message)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"])  # coarse flood guard, per process
def login():
    next_url = safe_next_url(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url or HOME_URL)
    form = LoginForm()
    submitted = form.validate_on_submit()
    if submitted and not form.password.data:
        # E-mail first: the domain decides. The municipality's own login, or a password here.
        config = sso_services.config_for_email(form.email.data)
        if config is not None:  # sso.oidc_login or sso.saml_login
            return redirect(
                url_for(
                    f"sso.{config.protocol}_login",
                    slug=config.organisation.slug,
                    next=next_url,
                    login_hint=form.email.data,
                )
            )
        form.password.errors.append(_("Skriv din adgangskode."))
    elif submitted:
        try:
            user = services.authenticate(form.email.data, form.password.data, client=get_remote_address())
        except services.LoginRefused as refused:  # its count is committed already (record_now)
            form.form_errors.append(refused.message)
            if isinstance(refused, services.TooManyAttempts):
                return render_template("accounts/login.html", form=form), 429
        else:
            # Committed after the view (ADR 0008); a commit that fails (503) leaves the browser's
            # session as it was, so it is not logged in (app.core.transactions).
            start_session(user)
            flash(_("Du er logget ind som %(name)s.", name=user.name), "success")
            return redirect(next_url or HOME_URL)
    status = 422 if form.is_submitted() else 200
    return render_template("accounts/login.html", form=form), status


@bp.post("/logout")
def logout():
    provider_logout = sso_services.provider_logout_url(session.get("sso"), public_url("public.index"))
    if current_user.is_authenticated:
        services.end_sessions(current_user._get_current_object())
    logout_user()
    renew_session()
    flash(_("Du er logget ud."), "success")
    if provider_logout:  # logged in through the municipality's provider: offer to log out there too
        return render_template("sso/logged_out.html", logout_url=provider_logout)
    return redirect(url_for("public.index"))


def _account_limit_key() -> str:
    return f"konto:{current_user.id}"


@bp.route("/konto", methods=["GET", "POST"])
@login_required
@limiter.limit("10 per minute", methods=["POST"], key_func=_account_limit_key)
def account():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            services.change_own_password(user, form.current_password.data, form.new_password.data)
        except services.LoginRefused as error:  # its count is committed already (record_now)
            show_error(form, error)
        except services.AccountError as error:
            discard()
            show_error(form, error)
        else:
            login_user(user)  # this session follows the new session_version; all others end
            flash(_("Din adgangskode er ændret. Du er logget ud alle andre steder."), "success")
            return redirect(url_for("accounts.account"))
    status = 422 if form.is_submitted() else 200
    return render_template("accounts/account.html", form=form), status


@bp.app_context_processor
def notice_helpers():
    """The header's count of unread notices, asked only where the header shows a logged-in user."""
    return {"unread_notices": lambda: notices.unread_count(current_user) if current_user.is_authenticated else 0}


@bp.get("/beskeder")
@login_required
def notices_list():
    """The user's notices, newest first; opening the list marks them read."""
    shown = notices.latest(current_user)
    unread = {n.id for n in shown if n.read_at is None}
    if unread:
        notices.mark_read(current_user)
    return render_template("accounts/notices.html", shown=shown, unread=unread, text=notices.text)


# --- Administration of the organisation's users --------------------------------------------


def load_user_or_404(user_id: int) -> User:
    return services.get_user_in_organisation(user_id, current_user.organisation_id) or abort(404)


@bp.get("/admin/brugere")
@admin_required
def users():
    members = services.users_of_organisation(current_user.organisation_id)
    return render_template("accounts/users.html", users=members)


@bp.route("/admin/brugere/ny", methods=["GET", "POST"])
@admin_required
def user_new():
    form = UserCreateForm()
    if form.validate_on_submit():
        try:
            user = services.create_user(
                current_user.organisation,
                form.email.data,
                form.name.data,
                form.title.data,
                form.role.data,
                form.password.data,
                actor=current_user,
            )
        except services.AccountError as error:
            discard()
            show_error(form, error)
        else:
            flash(_("Brugeren %(name)s er oprettet.", name=user.name), "success")
            return redirect(url_for("accounts.users"))
    status = 422 if form.is_submitted() else 200
    return render_template("accounts/user_new.html", form=form), status


@bp.get("/admin/brugere/<int:user_id>")
@admin_required
def user_detail(user_id: int):
    user = load_user_or_404(user_id)
    form = UserRoleForm(role=user.role)
    return render_template("accounts/user.html", user=user, form=form)


@bp.post("/admin/brugere/<int:user_id>/rolle")
@admin_required
def user_role(user_id: int):
    user = load_user_or_404(user_id)
    form = UserRoleForm()
    if form.validate_on_submit():
        try:
            services.change_role(user, form.role.data, actor=current_user)
        except services.AccountError as error:
            discard()
            show_error(form, error)
        else:
            role = str(user.role_enum.label).lower()
            flash(_("%(name)s har nu rollen %(role)s.", name=user.name, role=role), "success")
            if not current_user.is_admin:  # stepped down: the admin pages are closed now
                return redirect(HOME_URL)
            return redirect(url_for("accounts.user_detail", user_id=user.id))
    return render_template("accounts/user.html", user=user, form=form), 422


@bp.post("/admin/brugere/<int:user_id>/deaktiver")
@admin_required
def user_deactivate(user_id: int):
    user = load_user_or_404(user_id)
    try:
        services.deactivate(user, actor=current_user)
    except services.AccountError as error:
        discard()
        flash(error.message, "error")
    else:
        flash(_("%(name)s er deaktiveret og kan ikke længere logge ind.", name=user.name), "success")
    return redirect(url_for("accounts.user_detail", user_id=user.id))


@bp.post("/admin/brugere/<int:user_id>/aktiver")
@admin_required
def user_reactivate(user_id: int):
    user = load_user_or_404(user_id)
    services.reactivate(user, actor=current_user)
    flash(_("%(name)s er aktiveret igen og kan logge ind.", name=user.name), "success")
    return redirect(url_for("accounts.user_detail", user_id=user.id))
