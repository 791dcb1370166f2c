"""Sign-off pages under /intern/: signatories, signing, draft PDF, reopening."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.accounts import services as accounts_services
from app.accounts.access import editors_post
from app.assessments import consistency as rules
from app.assessments import explanations
from app.assessments import services as assessment_services
from app.assessments.access import load_assessment, refusal, refused
from app.assessments.declaration import declaration
from app.content.loader import get_content
from app.core.downloads import content_disposition
from app.core.errors import require
from app.core.forms import options
from app.core.time import utcnow
from app.core.transactions import discard
from app.extensions import db, limiter
from app.pdf.glyphs import describe_character
from app.signoff import canonical, forms, services
from app.signoff.models import SignedRecord
from app.sso import flows as sso_flows
from app.sso import services as sso_services
from app.sso import views as sso_views

bp = Blueprint("signoff", __name__, url_prefix="/intern/vurderinger", template_folder="templates")


@bp.before_request
@login_required
def require_login():
    """Everything here needs a logged-in user."""


def _password_ok(user, password: str) -> bool:
    """Signing asks for the password again: the lock and the count of wrong passwords are login's
    (accounts.confirm_password), but no login is recorded and last_login_at stays."""
    try:
        accounts_services.confirm_password(user, password)
    except accounts_services.LoginRefused:
        return False
    return True


@bp.app_context_processor
def signoff_helpers():
    def signoff_state(assessment):
        """What the overview shows about sign-off: who signs, who has, and the frozen record."""
        named = services.signatories(assessment)
        if assessment.signed_record is not None:
            frozen = assessment.signed_record
            return {
                "named": named,
                "signed": {},
                "frozen": frozen,
                "next": assessment_services.next_version(assessment),
            }
        _snapshot, record_sha256 = services.current_record(assessment, get_content())
        signed = {s.user_id: s for s in services.valid_signatures(assessment, record_sha256)}
        return {"named": named, "signed": signed, "frozen": None, "next": None}

    return {"signoff_state": signoff_state}


@bp.route("/<public_id>/sammenhaeng", methods=["GET", "POST"])
@editors_post
def consistency(public_id: str):
    """The consistency rules' findings over the record as it stands, each with the board's
    explanation (issue 28 item 1): resolve by changing the fields, or explain here."""
    assessment = load_assessment(public_id)
    form = forms.ExplanationForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                explanations.save_explanation(
                    assessment, form.rule.data, form.explanation.data or "", user=current_user
                )
            except assessment_services.AssessmentError as error:
                form.explanation.errors.append(refusal(error))
                status = 422
            else:
                flash(_("Forklaringen er gemt."), "success")
                return redirect(url_for(".consistency", public_id=public_id) + f"#regel-{form.rule.data}")
        else:
            status = 422
    snapshot = canonical.snapshot(assessment, content=get_content())
    return render_template(
        "signoff/consistency.html",
        assessment=assessment,
        findings=rules.findings(snapshot),
        explained={e.rule: e.explanation for e in assessment.explanations},
        rules=rules.RULES_BY_ID,
        form=form,
    ), status


@bp.route("/<public_id>/underskrivere", methods=["GET", "POST"])
def signatories(public_id: str):
    assessment = load_assessment(public_id)
    require(current_user.can_edit)
    form = forms.SignatoriesForm()
    form.signatories.choices = options(
        (u.id, f"{u.name}{', ' + u.title if u.title else ''}") for u in services.eligible_signers(assessment)
    )
    status = 200
    if form.validate_on_submit():
        try:
            services.name_signatories(assessment, form.signatories.data or [], user=current_user)
        except assessment_services.AssessmentError as error:
            form.signatories.errors.append(refusal(error))
            status = 422
        else:
            flash(_("Underskriverne er gemt."), "success")
            return redirect(url_for("assessments.overview", public_id=public_id))
    elif form.is_submitted():
        status = 422
    else:
        form.signatories.data = [s.user_id for s in services.signatories(assessment)]
    return render_template(
        "signoff/signatories.html", assessment=assessment, form=form, required=services.required_signatories()
    ), status


def _sign_page(assessment, form, *, status=200, changes=None):
    content = get_content()
    snapshot, record_sha256 = services.current_record(assessment, content)
    if not form.is_submitted() or changes is not None:
        form.record_sha256.data = record_sha256
        form.seen_at.data = utcnow().isoformat()
    named = services.signatories(assessment)
    signed = {s.user_id: s for s in services.valid_signatures(assessment, record_sha256)}
    return render_template(
        "signoff/sign.html",
        assessment=assessment,
        form=form,
        record=snapshot,
        record_sha256=record_sha256,
        declaration=declaration(snapshot),
        signatories=named,
        signed=signed,
        changes=changes,
        too_large=services.bounds_problems(snapshot),
        sso=isinstance(form, forms.SsoSignForm),
    ), status


def _signing_limit_key() -> str:
    return f"sign:{current_user.get_id()}"


@bp.route("/<public_id>/underskrift", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"], key_func=_signing_limit_key)
def sign(public_id: str):
    assessment = load_assessment(public_id)
    require(current_user.id in {s.user_id for s in services.signatories(assessment)})
    closed = services.signing_closed(assessment, current_user)
    if closed is not None:  # said before any password or round trip to the provider's login
        if isinstance(closed, services.AlreadySigned) and request.method == "POST":
            flash(refusal(closed), "info")  # a second click: the first one's result
            return redirect(url_for("assessments.overview", public_id=public_id))
        page = render_template("signoff/sign_closed.html", assessment=assessment, reason=refusal(closed))
        return page, 409 if request.method == "POST" else 200
    # A signer who logs in through the municipality's provider signs after a fresh login there.
    single_sign_on = sso_services.signing_config(current_user) is not None
    form = forms.SsoSignForm() if single_sign_on else forms.SignForm()
    if not form.validate_on_submit():
        return _sign_page(assessment, form, status=422 if form.is_submitted() else 200)
    if single_sign_on:
        return sso_views.begin_signing(
            current_user, assessment.public_id, record_sha256=form.record_sha256.data, seen_at=form.seen_at.data
        ) or redirect(url_for("signoff.sign", public_id=public_id))
    return _complete_sign(assessment, form, password=form.password.data, password_ok=_password_ok)


@bp.get("/<public_id>/underskrift/sso")
def sign_sso(public_id: str):
    """Back from the provider's fresh login (app/sso/views.py left a one-time ticket): sign."""
    assessment = load_assessment(public_id)
    require(current_user.id in {s.user_id for s in services.signatories(assessment)})
    ticket = sso_flows.take_ticket(current_user.id, assessment.public_id)
    if ticket is None or sso_services.signing_config(current_user) is None:
        flash(_("Bekræftelsen fra kommunens login er udløbet eller brugt. Underskriv igen."), "error")
        return redirect(url_for("signoff.sign", public_id=public_id))
    form = forms.SsoSignForm(
        formdata=None, data={"record_sha256": ticket["record_sha256"], "seen_at": ticket["seen_at"]}
    )
    authenticated_at = datetime.fromtimestamp(ticket["auth_time"], UTC).replace(tzinfo=None)
    authentication = {
        "method": ticket["method"],
        "provider": ticket["provider"],
        "subject": ticket["subject"],
        "authenticated_at": authenticated_at.isoformat(timespec="seconds"),
    }
    return _complete_sign(
        assessment, form, password=None, password_ok=lambda _user, _password: True, authentication=authentication
    )


def _complete_sign(assessment, form, *, password, password_ok, authentication=None):
    public_id = assessment.public_id
    try:
        seen_at = datetime.fromisoformat(form.seen_at.data)
    except ValueError:
        seen_at = None
    try:
        result = services.sign_in_two_steps(
            assessment,
            user=current_user,
            password=password,
            seen_hash=form.record_sha256.data,
            seen_at=seen_at,
            content=get_content(),
            password_ok=password_ok,
            authentication=authentication,
        )
    except services.WrongPassword as error:  # the failed attempt is committed already (record_now)
        form.password.errors.append(str(error))
        return _sign_page(assessment, form, status=422)
    except services.RecordChanged as error:
        discard()
        flash(str(error), "warning")
        return _sign_page(assessment, form, status=409, changes=error.events)
    except services.AlreadySigned as done:  # a double click: the first one's result, not a refusal
        flash(refusal(done), "info")
        return redirect(url_for("assessments.overview", public_id=public_id))
    except services.SignRefused as error:
        return refused(error, url_for("assessments.overview", public_id=public_id))
    if result.frozen:
        flash(
            _(
                "Alle har underskrevet. Vurderingen er låst med verifikationskoden %(code)s.",
                code=result.frozen.verification_code,
            ),
            "success",
        )
    else:
        flash(_("Din underskrift er gemt."), "success")
    return redirect(url_for("assessments.overview", public_id=public_id))


def _draft_limit_key() -> str:
    return f"draft-pdf:{current_user.get_id()}"


def _rendered(response) -> bool:
    """Only a render counts toward the limit; a draft from the cache is free."""
    return response.headers.get("X-Draft-Cache") == "miss"


@bp.get("/<public_id>/udkast.pdf")
@limiter.limit("6 per minute", key_func=_draft_limit_key, deduct_when=_rendered)
def draft_pdf(public_id: str):
    assessment = load_assessment(public_id)
    try:
        draft = services.draft_pdf(assessment, get_content())
    except services.RenderTooSlow as error:
        flash(str(error), "error")
        return redirect(url_for("assessments.overview", public_id=public_id))
    if draft.unsupported:  # shown on the board's next page; the draft's cover lists them too
        flash(
            _(
                "Udkastet viser %(count)s tegn som �, fordi ingen af PDF'ens skrifttyper har dem: %(characters)s. "
                "Ret teksten, hvis tegnene skal stå i den underskrevne PDF. Den offentlige side viser dem, som de er "
                "skrevet.",
                count=len(draft.unsupported),
                characters=", ".join(describe_character(c) for c in draft.unsupported),
            ),
            "warning",
        )
    response = make_response(draft.pdf)
    response.headers["X-Draft-Cache"] = "hit" if draft.cached else "miss"
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = content_disposition(f"udkast-{assessment.public_id}.pdf", inline=True)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/<public_id>/underskrevet.pdf")
def signed_pdf(public_id: str):
    assessment = load_assessment(public_id)
    frozen = db.session.get(SignedRecord, assessment.signed_record.id) if assessment.signed_record else None
    if frozen is None:
        abort(404)
    response = make_response(frozen.pdf)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = content_disposition(f"vurdering-{assessment.public_id}.pdf", inline=True)
    return response


@bp.post("/<public_id>/genaabn")
def reopen(public_id: str):
    assessment = load_assessment(public_id)
    form = forms.Form()
    if not form.validate_on_submit():
        abort(400)
    try:
        copy = assessment_services.reopen(assessment, user=current_user)
    except assessment_services.AssessmentError as error:
        return refused(error, url_for("assessments.overview", public_id=public_id))
    flash(_("Version %(number)s er oprettet som udkast med alle svar kopieret.", number=copy.version_number), "success")
    return redirect(url_for("assessments.overview", public_id=copy.public_id))
