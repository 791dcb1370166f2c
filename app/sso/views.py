"""Login through the municipality's identity provider (OpenID Connect), the fresh login a signature
needs, and the administrators' page for it. Views are thin: load or 404, check access, validate,
call one service, commit, redirect."""

from __future__ import annotations

import logging
import time

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.access import admin_required, safe_next_url
from app.accounts.views import HOME_URL, start_session
from app.core.forms import Form
from app.extensions import db
from app.sso import flows, oidc, services
from app.sso.forms import SsoConfigForm
from app.sso.models import OIDC

log = logging.getLogger(__name__)

bp = Blueprint("sso", __name__, url_prefix="/intern", template_folder="templates")

MAX_PARAMETER = 2048


def _redirect_uri(slug: str) -> str:
    return url_for("sso.oidc_callback", slug=slug, _external=True)


def _load(slug: str):
    config = services.config_for_slug(slug)
    if config is None or config.protocol != OIDC:
        abort(404)
    return config


def _start(config, slug: str, *, purpose: str, fresh: bool, login_hint: str | None = None, **data):
    """Send the person to the provider; the callback finds this flow by its state."""
    try:
        request_ = oidc.authorization_request(
            services.client_settings(config, _redirect_uri(slug)), login_hint=login_hint, fresh=fresh,
            extra_scope=config.group_claim,
        )  # fmt: skip
    except (oidc.OidcError, services.SsoError) as error:
        log.warning("SSO start failed for %s: %s", slug, getattr(error, "reason", error))
        flash(_("Kommunens login svarer ikke lige nu. Prøv igen om lidt."), "error")
        return None
    flows.remember(request_["state"], {"org": slug, "purpose": purpose, "nonce": request_["nonce"],
                                       "verifier": request_["verifier"], **data})  # fmt: skip
    return redirect(request_["url"])


@bp.get("/sso/<slug>/login")
def oidc_login(slug: str):
    config = _load(slug)
    next_url = safe_next_url(request.args.get("next"))
    hint = (request.args.get("login_hint") or "")[:254] or None
    return _start(
        config, slug, purpose="login", fresh=False, login_hint=hint, next=next_url
    ) or redirect(url_for("accounts.login"))


def begin_signing(user, public_id: str, *, record_sha256: str, seen_at: str):
    """Called by the sign view: send a single sign-on signer to the provider for a fresh login
    (prompt=login, max_age=0). Returns the redirect, or None if the provider cannot be reached."""
    config = services.signing_config(user)
    slug = config.organisation.slug
    return _start(config, slug, purpose="sign", fresh=True, login_hint=user.email, user_id=user.id,
                  public_id=public_id, record_sha256=record_sha256, seen_at=seen_at)  # fmt: skip


def _refuse(message: str, flow: dict | None):
    flash(message, "error")
    if flow and flow.get("purpose") == "sign" and flow.get("public_id"):
        return redirect(url_for("signoff.sign", public_id=flow["public_id"]))
    return redirect(url_for("accounts.login"))


@bp.get("/sso/<slug>/callback")
def oidc_callback(slug: str):
    config = _load(slug)
    flow = flows.take(request.args.get("state"))
    if flow is None or flow.get("org") != slug:
        return _refuse(_("Login-forsøget er udløbet eller ugyldigt. Prøv igen."), None)
    if request.args.get("error"):
        return _refuse(_("Login hos kommunens login blev afbrudt. Prøv igen."), flow)
    returned_issuer = request.args.get("iss")
    code = request.args.get("code") or ""
    if (returned_issuer is not None and returned_issuer.rstrip("/") != config.provider) or not (
        0 < len(code) <= MAX_PARAMETER
    ):
        return _refuse(_("Svaret fra kommunens login kunne ikke godkendes. Prøv igen."), flow)
    try:
        client = services.client_settings(config, _redirect_uri(slug))
        id_token = oidc.redeem(client, code=code, verifier=flow["verifier"])
        login = oidc.validate_id_token(client, id_token, nonce=flow["nonce"])
    except (oidc.OidcError, services.SsoError) as error:
        log.warning("SSO callback refused for %s: %s", slug, getattr(error, "reason", error))
        return _refuse(_("Svaret fra kommunens login kunne ikke godkendes. Prøv igen."), flow)
    if flow["purpose"] == "sign":
        return _signing_callback(config, flow, login)
    try:
        user = services.resolve_login(config, login)
    except services.SsoRefused as refused:
        db.session.rollback()
        log.warning("SSO login refused for %s: %s", slug, refused.reason)
        return _refuse(refused.message, flow)
    start_session(user)
    session["sso"] = {"org": slug, "provider": login.issuer, "subject": login.subject}
    db.session.commit()
    flash(_("Du er logget ind som %(name)s.", name=user.name), "success")
    return redirect(safe_next_url(flow.get("next")) or HOME_URL)


def _signing_callback(config, flow: dict, login: oidc.Login):
    if not current_user.is_authenticated or current_user.id != flow.get("user_id"):
        return _refuse(_("Log ind igen for at underskrive."), None)
    try:
        services.check_fresh_signing_login(
            current_user, config, login, started=flow["started"], now=time.time()
        )
    except services.SsoRefused as refused:
        log.warning("SSO signing login refused for user %s: %s", current_user.id, refused.reason)
        return _refuse(refused.message, flow)
    flows.leave_ticket({"user_id": current_user.id, "public_id": flow["public_id"], "method": OIDC,
                        "provider": login.issuer, "subject": login.subject, "auth_time": login.auth_time,
                        "record_sha256": flow["record_sha256"], "seen_at": flow["seen_at"]})  # fmt: skip
    return redirect(url_for("signoff.sign_sso", public_id=flow["public_id"]))


# --- The administrators' page --------------------------------------------------------------


@bp.route("/admin/login", methods=["GET", "POST"])
@admin_required
def admin():
    organisation = current_user.organisation
    config = services.config_for(organisation.id)
    form = SsoConfigForm()
    if not form.is_submitted() and config is not None:
        form.process(data={"protocol": config.protocol, "issuer": config.issuer, "client_id": config.client_id,
                           "secret_ref": config.secret_ref, "domains": config.email_domains,
                           "allow_jit": config.allow_jit, "group_claim": config.group_claim,
                           "role_map": config.role_map})  # fmt: skip
    if form.validate_on_submit():
        try:
            services.set_config(
                organisation, protocol=form.protocol.data, issuer=form.issuer.data, client_id=form.client_id.data,
                secret_ref=form.secret_ref.data, domains=form.domains.data, allow_jit=form.allow_jit.data,
                group_claim=form.group_claim.data, role_map=form.role_map.data, actor=current_user,
            )  # fmt: skip
        except services.SsoError as error:
            db.session.rollback()
            field = getattr(form, error.field, None) if error.field else None
            (field.errors if field is not None else form.form_errors).append(error.message)
        else:
            db.session.commit()
            flash(_("Kommunens login er gemt."), "success")
            return redirect(url_for("sso.admin"))
    status = 422 if form.is_submitted() else 200
    redirect_uri = _redirect_uri(organisation.slug)
    return render_template(
        "sso/admin.html", form=form, config=config, redirect_uri=redirect_uri
    ), status


@bp.post("/admin/login/fra")
@admin_required
def admin_remove():
    if not Form().validate_on_submit():
        abort(400)
    services.remove_config(current_user.organisation, actor=current_user)
    db.session.commit()
    flash(_("Kommunens login er slået fra. Brugerne logger ind med adgangskode."), "success")
    return redirect(url_for("sso.admin"))
