"""The municipality's follow-up page, and each decided assessment's follow-up log, under /intern/."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.accounts.access import editors_post
from app.assessments.access import load_assessment
from app.core.forms import options
from app.core.text import shorten
from app.core.time import danish_today
from app.core.transactions import discard
from app.followup import services
from app.followup.forms import EffectForm, FollowupForm
from app.signoff import integrity

bp = Blueprint("followup", __name__, url_prefix="/intern", template_folder="templates")


@bp.before_request
@login_required
def require_login():
    """Everything under /intern/ needs a logged-in user of a municipality."""


@bp.get("/opfoelgning")
def overview():
    items = services.due_items(current_user.organisation_id)
    return render_template("followup/overview.html", items=items, today=danish_today())


@bp.route("/vurderinger/<public_id>/opfoelgning", methods=["GET", "POST"])
@editors_post
def assessment_log(public_id: str):
    assessment = load_assessment(public_id)
    items = services.plan_items(assessment)
    form = FollowupForm()
    form.action.choices = options((item.action_id, shorten(item.description, 120)) for item in items)
    status = 200
    if form.is_submitted():
        if form.validate():
            action = next(a for a in assessment.actions if a.id == form.action.data)
            try:
                services.record_followup(action, status=form.status.data, note=form.note.data, user=current_user)
            except services.FollowupError as error:
                discard()
                form.status.errors = [str(error)]
                status = 422
            else:
                flash(_("Opfølgningen er registreret."), "success")
                return redirect(url_for(".assessment_log", public_id=public_id), code=303)
        else:
            status = 422
    return _log_page(assessment, items, form, EffectForm(formdata=None)), status


@bp.post("/vurderinger/<public_id>/opfoelgning/effekt")
@editors_post
def record_effect(public_id: str):
    assessment = load_assessment(public_id)
    effect_form = EffectForm()
    if effect_form.validate():
        try:
            services.record_effect(
                assessment, outcome=effect_form.outcome.data, measured=effect_form.measured.data, user=current_user
            )
        except services.FollowupError as error:
            discard()
            effect_form.measured.errors = [str(error)]
        else:
            flash(_("Den målte effekt er registreret."), "success")
            return redirect(url_for(".assessment_log", public_id=public_id, _anchor="effekt"), code=303)
    items = services.plan_items(assessment)
    form = FollowupForm(formdata=None)
    form.action.choices = options((item.action_id, shorten(item.description, 120)) for item in items)
    return _log_page(assessment, items, form, effect_form), 422


def _log_page(assessment, items, form, effect_form) -> str:
    return render_template(
        "followup/assessment_log.html",
        assessment=assessment,
        form=form,
        effect_form=effect_form,
        items=items,
        log=services.followup_log(assessment),
        effects=services.effect_log(assessment),
        expected=services.expected_effect(
            integrity.signed_content(assessment.signed_record) if assessment.signed_record else None
        ),
        can_follow_up=services.can_follow_up(assessment),
    )
