"""Login through the municipality's identity provider (OpenID Connect or SAML 2.0), the fresh login
a signature needs, single logout, and the administrators' page for it. Views are thin: load or 404, check access, validate,
call one service, redirect (the request commits in one place, ADR 0008)."""

from __future__ import annotations

import logging
import time

from authlib.common.security import generate_token
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.access import admin_required, safe_next_url
from app.accounts.views import HOME_URL, start_session
from app.core.forms import Form
from app.core.transactions import discard
from app.core.urls import public_url
from app.extensions import csrf
from app.sso import flows, oidc, saml, services
from app.sso.forms import SsoConfigForm
from app.sso.models import OIDC, SAML

log = logging.getLogger(__name__)

bp = Blueprint("sso", __name__, url_prefix="/intern", template_folder="templates")

MAX_PARAMETER = 2048


def _redirect_uri(slug: str) -> str:
    """On PUBLIC_BASE_URL, never the request's Host (app/core/urls.py)."""
    return public_url("sso.oidc_callback", slug=slug)


def _load(slug: str, protocol: str = OIDC):
    config = services.config_for_slug(slug)
    if config is None or config.protocol != protocol:
        abort(404)
    return config


def _unreachable(slug: str, error: Exception):
    log.warning("SSO start failed for %s: %s", slug, getattr(error, "reason", error))
    flash(_("Kommunens login svarer ikke lige nu. Prøv igen om lidt."), "error")


def _start(config, slug: str, *, purpose: str, fresh: bool, login_hint: str | None = None, **data):
    """Send the person to the provider; the callback finds this flow by its state."""
    try:
        request_ = oidc.authorization_request(
            services.client_settings(config, _redirect_uri(slug)),
            login_hint=login_hint,
            fresh=fresh,
            extra_scope=config.group_claim,
        )
    except (oidc.OidcError, services.SsoError) as error:
        _unreachable(slug, error)
        return None
    flows.remember(
        request_["state"],
        {"org": slug, "purpose": purpose, "nonce": request_["nonce"], "verifier": request_["verifier"], **data},
    )
    return redirect(request_["url"])


@bp.get("/sso/<slug>/login")
def oidc_login(slug: str):
    config = _load(slug)
    next_url = safe_next_url(request.args.get("next"))
    hint = (request.args.get("login_hint") or "")[:254] or None
    return _start(config, slug, purpose="login", fresh=False, login_hint=hint, next=next_url) or redirect(
        url_for("accounts.login")
    )


def _start_saml(config, slug: str, *, purpose: str, fresh: bool, **data):
    """Send the person to the IdP with a signed AuthnRequest; the ACS finds this flow by its
    RelayState and checks InResponseTo against the request's ID kept here."""
    state = generate_token(32)
    try:
        request_ = saml.authn_request(
            services.saml_settings(config),
            relay_state=state,
            fresh=fresh,
            loa=services.required_loa(config, signing=purpose == "sign"),
        )
    except saml.SamlError as error:
        _unreachable(slug, error)
        return None
    flows.remember(state, {"org": slug, "purpose": purpose, "request_id": request_["request_id"], **data})
    return redirect(request_["url"])


@bp.get("/saml/<slug>/login")
def saml_login(slug: str):
    config = _load(slug, SAML)
    next_url = safe_next_url(request.args.get("next"))
    return _start_saml(config, slug, purpose="login", fresh=False, next=next_url) or redirect(url_for("accounts.login"))


def begin_signing(user, public_id: str, *, record_sha256: str, seen_at: str):
    """Called by the sign view: send a single sign-on signer to the provider for a fresh login
    (OIDC prompt=login and max_age=0; SAML ForceAuthn). Returns the redirect, or None if the
    provider cannot be reached."""
    config = services.signing_config(user)
    slug = config.organisation.slug
    data = {"user_id": user.id, "public_id": public_id, "record_sha256": record_sha256, "seen_at": seen_at}
    if config.protocol == SAML:
        return _start_saml(config, slug, purpose="sign", fresh=True, **data)
    return _start(config, slug, purpose="sign", fresh=True, login_hint=user.email, **data)


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
    return _finish(config, flow, login, OIDC)


def _finish(config, flow: dict, login: oidc.Login, protocol: str, **session_data):
    """A checked login from the provider: sign with it, or log in as whom it is."""
    slug = config.organisation.slug
    if flow["purpose"] == "sign":
        return _signing_callback(config, flow, login, protocol)
    try:
        user = services.resolve_login(config, login, protocol=protocol)
    except services.SsoRefused as refused:
        discard()
        log.warning("SSO login refused for %s: %s", slug, refused.reason)
        return _refuse(refused.message, flow)
    # Committed after the view (ADR 0008): a commit that fails leaves the browser not logged in.
    start_session(user)
    session["sso"] = {"org": slug, "provider": login.issuer, "subject": login.subject, **session_data}
    flash(_("Du er logget ind som %(name)s.", name=user.name), "success")
    return redirect(safe_next_url(flow.get("next")) or HOME_URL)


@bp.post("/saml/<slug>/acs")
@csrf.exempt  # the IdP's form posts here; RelayState, InResponseTo and the signature stand in
def saml_acs(slug: str):
    config = _load(slug, SAML)
    relay_state = request.form.get("RelayState", "")[:MAX_PARAMETER]
    saml_response = request.form.get("SAMLResponse", "")
    if current_app.config["SESSION_COOKIE_NAME"] not in request.cookies and not request.form.get("again"):
        # A post from the IdP's site carries no SameSite=Lax cookie: post it once more from ours.
        return render_template(
            "sso/saml_continue.html",
            relay_state=relay_state,
            saml_response=saml_response,
            action=url_for("sso.saml_acs", slug=slug),
        )
    flow = flows.take(relay_state)
    if flow is None or flow.get("org") != slug or "request_id" not in flow:
        return _refuse(_("Login-forsøget er udløbet eller ugyldigt. Prøv igen."), None)
    try:
        result = saml.parse_login(services.saml_settings(config), saml_response, request_id=flow["request_id"])
        services.record_assertion(config, result.assertion_id, result.not_on_or_after)
    except saml.SamlError as error:
        log.warning("SAML response refused for %s: %s", slug, error.reason)
        return _refuse(_("Svaret fra kommunens login kunne ikke godkendes. Prøv igen."), flow)
    except services.SsoRefused as refused:
        discard()
        log.warning("SAML response refused for %s: %s", slug, refused.reason)
        return _refuse(refused.message, flow)
    return _finish(config, flow, result.login, SAML, name_id=result.name_id, session_index=result.session_index)


@bp.get("/saml/<slug>/metadata.xml")
def saml_metadata(slug: str):
    """Our service provider's metadata, public: the municipality's IdP reads it."""
    config = _load(slug, SAML)
    try:
        xml = saml.sp_metadata(services.saml_settings(config, with_idp=False))
    except saml.SamlError as error:
        log.warning("SAML metadata failed for %s: %s", slug, error.reason)
        abort(503)
    return Response(xml, mimetype="application/samlmetadata+xml")


@bp.get("/saml/<slug>/slo")
def saml_slo(slug: str):
    """Back from single logout at the IdP (its LogoutResponse). The local session ended before."""
    config = _load(slug, SAML)
    try:
        saml.parse_logout_response(services.saml_settings(config), request.args.get("SAMLResponse", ""))
    except saml.SamlError as error:
        log.warning("SAML logout response refused for %s: %s", slug, error.reason)
        flash(_("Kommunens login bekræftede ikke, at du er logget ud dér."), "warning")
    else:
        flash(_("Du er også logget ud hos kommunens login."), "success")
    return redirect(url_for("public.index"))


def _signing_callback(config, flow: dict, login: oidc.Login, protocol: str):
    if not current_user.is_authenticated or current_user.id != flow.get("user_id"):
        return _refuse(_("Log ind igen for at underskrive."), None)
    try:
        services.check_fresh_signing_login(current_user, config, login, started=flow["started"], now=time.time())
    except services.SsoRefused as refused:
        log.warning("SSO signing login refused for user %s: %s", current_user.id, refused.reason)
        return _refuse(refused.message, flow)
    flows.leave_ticket(
        {
            "user_id": current_user.id,
            "public_id": flow["public_id"],
            "method": protocol,
            "provider": login.issuer,
            "subject": login.subject,
            "auth_time": login.auth_time,
            "record_sha256": flow["record_sha256"],
            "seen_at": flow["seen_at"],
        }
    )
    return redirect(url_for("signoff.sign_sso", public_id=flow["public_id"]))


# --- The administrators' page --------------------------------------------------------------


@bp.route("/admin/login", methods=["GET", "POST"])
@admin_required
def admin():
    organisation = current_user.organisation
    config = services.config_for(organisation.id)
    form = SsoConfigForm()
    if not form.is_submitted() and config is not None:
        form.process(
            data={
                "protocol": config.protocol,
                "issuer": config.issuer,
                "client_id": config.client_id,
                "secret_ref": config.secret_ref,
                "domains": config.email_domains,
                "allow_jit": config.allow_jit,
                "group_claim": config.group_claim,
                "role_map": config.role_map,
                "metadata_ref": config.metadata_ref,
                "cert_ref": config.cert_ref,
                "require_loa": config.require_loa,
                "require_signing_loa": config.require_signing_loa,
            }
        )
    if form.validate_on_submit():
        try:
            services.set_config(
                organisation,
                protocol=form.protocol.data,
                issuer=form.issuer.data,
                client_id=form.client_id.data,
                secret_ref=form.secret_ref.data,
                domains=form.domains.data,
                allow_jit=form.allow_jit.data,
                group_claim=form.group_claim.data,
                role_map=form.role_map.data,
                metadata_ref=form.metadata_ref.data,
                cert_ref=form.cert_ref.data,
                require_loa=form.require_loa.data,
                require_signing_loa=form.require_signing_loa.data,
                actor=current_user,
            )
        except services.SsoError as error:
            discard()
            field = getattr(form, error.field, None) if error.field else None
            (field.errors if field is not None else form.form_errors).append(error.message)
        else:
            flash(_("Kommunens login er gemt."), "success")
            return redirect(url_for("sso.admin"))
    status = 422 if form.is_submitted() else 200
    slug = organisation.slug
    return render_template(
        "sso/admin.html",
        form=form,
        config=config,
        redirect_uri=_redirect_uri(slug),
        saml_urls={
            "metadata": public_url("sso.saml_metadata", slug=slug),
            "acs": public_url("sso.saml_acs", slug=slug),
            "slo": public_url("sso.saml_slo", slug=slug),
        },
        after_logout=public_url("public.index"),
    ), status


@bp.post("/admin/login/fra")
@admin_required
def admin_remove():
    if not Form().validate_on_submit():
        abort(400)
    services.remove_config(current_user.organisation, actor=current_user)
    flash(_("Kommunens login er slået fra. Brugerne logger ind med adgangskode."), "success")
    return redirect(url_for("sso.admin"))
