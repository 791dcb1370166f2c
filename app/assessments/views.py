"""The board's pages under /intern/. Views are thin: load or 404, check access, validate, call one
service, redirect; the request's transaction ends in one place (ADR 0008)."""

from __future__ import annotations

from functools import partial

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app.accounts.access import editors_post
from app.assessments import forms, services, workflow
from app.assessments.access import load_assessment, load_question, refusal, refused
from app.assessments.chart import chart_data
from app.assessments.declaration import CITIZEN_FIELDS
from app.assessments.models import (
    CONCERN_LEVELS,
    RECOMMENDATION_STATUSES,
    Action,
    Assessment,
    AssessmentQuestion,
    RecommendationReview,
    Status,
)
from app.assessments.proposal import PROPOSAL_FIELDS, absent_text, display_value, grouped
from app.assessments.saving import neighbours, prepare, save_versioned, versioned_page
from app.audit.models import AuditEvent
from app.content.loader import get_content
from app.core.errors import require
from app.core.forms import options
from app.core.readability import AIM, lix
from app.extensions import db

bp = Blueprint("assessments", __name__, url_prefix="/intern", template_folder="templates")


@bp.before_request
@login_required
def require_login():
    """Everything under /intern/ needs a logged-in user of a municipality."""


@bp.app_template_filter("proposal_value")
def proposal_value(value, spec) -> str:
    choices = _proposal_choices().get(spec.name)
    if choices and value:
        return choices.get(value, value)
    return display_value(spec, value)


@bp.app_template_filter("concern_label")
def concern_label(value: str) -> str:
    return CONCERN_LEVELS.get(value, "")


@bp.app_template_filter("review_status_label")
def review_status_label(value: str) -> str:
    return RECOMMENDATION_STATUSES.get(value, "")


bp.add_app_template_global(lix, "lix")  # assessments/_lix.html: the LIX of a citizen-facing answer
bp.add_app_template_global(AIM, "lix_aim")
bp.add_app_template_global(CITIZEN_FIELDS, "citizen_fields")
bp.add_app_template_global(absent_text, "proposal_absent")  # templates/record.html, as the PDF says it
bp.add_app_template_global(chart_data, "chart_data")  # templates/chart.html, the same data as the PDF's


# --- Overview ------------------------------------------------------------------------------


@bp.get("/")
def dashboard():
    assessments = db.session.scalars(services.organisation_assessments(current_user.organisation_id)).all()
    groups = {status: [a for a in assessments if a.status == status] for status in Status}
    return render_template("assessments/dashboard.html", groups=groups, Status=Status)


@bp.route("/vurderinger/ny", methods=["GET", "POST"])
def create():
    require(current_user.can_edit)
    content = get_content()
    form = forms.NewAssessmentForm()
    form.dilemmas.choices = _dilemma_choices(content)
    if form.validate_on_submit():
        assessment = services.create_assessment(
            user=current_user, title=form.title.data, dilemma_ids=form.dilemmas.data or [], content=content
        )
        flash(_("Vurderingen er oprettet. Begynd med formålet: hvilket problem skal løses, og for hvem?"), "success")
        return redirect(url_for(".proposal", public_id=assessment.public_id))
    return render_template("assessments/new.html", form=form), 422 if form.errors else 200


@bp.get("/vurderinger/<public_id>")
def overview(public_id: str):
    assessment = load_assessment(public_id)
    transitions = workflow.available(assessment.status)
    blocked = {t.name: workflow.missing_for(t, assessment) for t in transitions if t.name != "withdraw"}
    return render_template(
        "assessments/overview.html",
        assessment=assessment,
        progress=services.progress(assessment),
        transitions=transitions,
        blocked=blocked,
        form=forms.TransitionForm(),
        my_position=next((p for p in assessment.positions if p.user_id == current_user.id), None),
    )


@bp.post("/vurderinger/<public_id>/status")
@editors_post
def change_status(public_id: str):
    assessment = load_assessment(public_id)
    form = forms.TransitionForm()
    if not form.validate_on_submit():
        flash(_("Handlingen kunne ikke udføres. Prøv igen."), "error")
        return redirect(url_for(".overview", public_id=public_id))
    try:
        step = services.transition(assessment, form.transition.data, user=current_user, reason=form.reason.data or "")
    except services.AlreadyDone as done:
        # A double click, or a retry after an answer that was lost (the first one committed): show
        # the result, the published page after publishing, instead of a refusal.
        flash(refusal(done), "info")
        if done.transition.name == "publish":
            return redirect(url_for("public.assessment", public_id=public_id))
        return redirect(url_for(".overview", public_id=public_id))
    except services.AssessmentError as error:
        return refused(error, url_for(".overview", public_id=public_id))
    flash(_("Status er nu „%(status)s“.", status=step.target.label), "success")
    return redirect(url_for(".overview", public_id=public_id))


# --- Proposal ------------------------------------------------------------------------------


def _dilemma_choices(content) -> list:
    return options((d.id, _("Dilemma %(number)s: %(title)s", number=d.number, title=d.title)) for d in content.dilemmas)


def _proposal_choices() -> dict[str, dict[str, str]]:
    content = get_content()
    return {
        "technology_category": {t.id: t.label for t in content.technologies},  # in the reader's language
        "sector_area": {a.id: a.label for a in content.sector_areas},
    }


@bp.route("/vurderinger/<public_id>/forslag", methods=["GET", "POST"])
@editors_post
def proposal(public_id: str):
    assessment = load_assessment(public_id)
    form_class = forms.proposal_form_class(_proposal_choices())
    form = form_class(obj=assessment if request.method == "GET" else None)
    names = ["title", *(f.name for f in PROPOSAL_FIELDS)]

    def render(**extra):
        return render_template("assessments/proposal.html", assessment=assessment, form=form, groups=grouped(), **extra)

    if request.method == "GET":
        prepare(form, assessment, names)
        return render()

    def save():
        services.save_proposal(
            assessment,
            form.proposal_data(),
            expected_version=form.expected_version(),
            base=form.base_hashes(),
            user=current_user,
        )

    return save_versioned(
        form, assessment, names, save, render=render, done_url=url_for(".proposal", public_id=public_id)
    )


@bp.route("/vurderinger/<public_id>/dilemmaer", methods=["GET", "POST"])
def dilemmas(public_id: str):
    assessment = load_assessment(public_id)
    require(current_user.can_edit)
    content = get_content()
    form = forms.DilemmaSelectionForm()
    form.dilemmas.choices = _dilemma_choices(content)
    if request.method == "GET":
        form.dilemmas.data = services.selected_dilemma_ids(assessment)
    elif form.validate_on_submit():
        try:
            services.change_dilemmas(assessment, form.dilemmas.data or [], user=current_user, content=content)
        except services.AssessmentError as error:
            flash(refusal(error), "error")
        else:
            flash(_("Valget af dilemmaer er gemt."), "success")
            return redirect(url_for(".overview", public_id=public_id))
    return render_template("assessments/dilemmas.html", assessment=assessment, form=form)


# --- Questions and recommendations ---------------------------------------------------------


def question_page(assessment: Assessment, row: AssessmentQuestion, form, comment_form, **extra) -> str:
    """A question's page: the answer form, the comments and the way to the neighbouring questions."""
    return render_template(
        "assessments/question.html",
        assessment=assessment,
        row=row,
        form=form,
        comment_form=comment_form,
        position=assessment.questions.index(row) + 1,
        **neighbours(assessment.questions, row),
        **extra,
    )


@bp.route("/vurderinger/<public_id>/spoergsmaal/<question_id>", methods=["GET", "POST"])
def question(public_id: str, question_id: str):
    assessment = load_assessment(public_id)
    row = load_question(assessment, question_id)

    def render(form, **extra):
        return question_page(assessment, row, form, forms.CommentForm(formdata=None), **extra)

    return versioned_page(
        forms.QuestionForm, row, render, done_url=url_for(".question", public_id=public_id, question_id=question_id)
    )


@bp.post("/vurderinger/<public_id>/spoergsmaal/<question_id>/kommentarer")
def comment(public_id: str, question_id: str):
    assessment = load_assessment(public_id)
    row = load_question(assessment, question_id)
    form = forms.CommentForm()
    target = url_for(".question", public_id=public_id, question_id=question_id) + "#kommentarer"

    def again(**extra):
        """The question's page with the comment form as sent, so the text is never lost."""
        question_form = forms.QuestionForm(formdata=None, obj=row)
        prepare(question_form, row, question_form.TABLE.names)
        return question_page(assessment, row, question_form, form, **extra), 422

    if not form.validate_on_submit():
        return again()
    try:
        services.add_comment(row, form.body.data, user=current_user)
    except services.AssessmentError as error:
        return again(comment_refusal=refusal(error))
    flash(_("Kommentaren er gemt."), "success")
    return redirect(target)


def load_review(assessment: Assessment, recommendation_id: str) -> RecommendationReview:
    return next((r for r in assessment.reviews if r.recommendation_id == recommendation_id), None) or abort(404)


@bp.route("/vurderinger/<public_id>/anbefalinger/<recommendation_id>", methods=["GET", "POST"])
def review(public_id: str, recommendation_id: str):
    assessment = load_assessment(public_id)
    row = load_review(assessment, recommendation_id)

    def render(form, **extra):
        return render_template(
            "assessments/review.html",
            assessment=assessment,
            row=row,
            form=form,
            **neighbours(assessment.reviews, row),
            **extra,
        )

    return versioned_page(
        forms.ReviewForm,
        row,
        render,
        done_url=url_for(".review", public_id=public_id, recommendation_id=recommendation_id),
    )


# --- Decision, action plan, positions ------------------------------------------------------


@bp.route("/vurderinger/<public_id>/beslutning", methods=["GET", "POST"])
def decision(public_id: str):
    assessment = load_assessment(public_id)

    def render(form, **extra):
        return render_template(
            "assessments/decision.html",
            assessment=assessment,
            form=form,
            action_form=forms.ActionForm(formdata=None),
            **extra,
        )

    form_class = partial(forms.DecisionForm, decided_on=assessment.decision_meeting_date)
    return versioned_page(form_class, assessment, render, done_url=url_for(".decision", public_id=public_id))


@bp.post("/vurderinger/<public_id>/handlinger")
@editors_post
def add_action(public_id: str):
    assessment = load_assessment(public_id)
    action_form = forms.ActionForm()
    form = forms.DecisionForm(formdata=None, obj=assessment)
    prepare(form, assessment, form.TABLE.names)
    if not action_form.validate_on_submit():
        return render_template(
            "assessments/decision.html", assessment=assessment, form=form, action_form=action_form
        ), 422
    try:
        services.add_action(assessment, action_form.changes(), user=current_user)
    except services.AssessmentError as error:
        return render_template(
            "assessments/decision.html",
            assessment=assessment,
            form=form,
            action_form=action_form,
            refusal=refusal(error),
        ), 422
    flash(_("Handlingen er tilføjet."), "success")
    return redirect(url_for(".decision", public_id=public_id) + "#handlingsplan")


def load_action(assessment: Assessment, action_id: int) -> Action:
    return next((a for a in assessment.actions if a.id == action_id), None) or abort(404)


@bp.route("/vurderinger/<public_id>/handlinger/<int:action_id>", methods=["GET", "POST"])
@editors_post
def action(public_id: str, action_id: int):
    assessment = load_assessment(public_id)
    row = load_action(assessment, action_id)

    def render(form, **extra):
        return render_template("assessments/action.html", assessment=assessment, row=row, form=form, **extra)

    return versioned_page(
        forms.ActionForm, row, render, done_url=url_for(".decision", public_id=public_id) + "#handlingsplan"
    )


@bp.post("/vurderinger/<public_id>/handlinger/<int:action_id>/fjern")
def remove_action(public_id: str, action_id: int):
    assessment = load_assessment(public_id)
    row = load_action(assessment, action_id)
    form = forms.Form()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.remove_action(row, user=current_user)
    except services.AssessmentError as error:
        return refused(error, url_for(".decision", public_id=public_id))
    flash(_("Handlingen er fjernet."), "success")
    return redirect(url_for(".decision", public_id=public_id) + "#handlingsplan")


@bp.route("/vurderinger/<public_id>/holdning", methods=["GET", "POST"])
def position(public_id: str):
    assessment = load_assessment(public_id)
    mine = next((p for p in assessment.positions if p.user_id == current_user.id), None)
    form = forms.PositionForm(obj=mine if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            services.save_position(assessment, form.stance.data, form.dissent.data or "", user=current_user)
        except services.AssessmentError as error:
            return render_template(
                "assessments/position.html", assessment=assessment, form=form, refusal=refusal(error), my_position=mine
            ), 422
        flash(_("Din holdning er gemt."), "success")
        return redirect(url_for(".overview", public_id=public_id))
    status = 422 if form.errors else 200
    return render_template("assessments/position.html", assessment=assessment, form=form, my_position=mine), status


@bp.post("/vurderinger/<public_id>/holdning/traek-tilbage")
def withdraw_position(public_id: str):
    assessment = load_assessment(public_id)
    if not forms.Form().validate_on_submit():
        abort(400)
    try:
        services.withdraw_position(assessment, user=current_user)
    except services.AssessmentError as error:
        return refused(error, url_for(".position", public_id=public_id))
    flash(_("Din holdning er trukket tilbage."), "success")
    return redirect(url_for(".position", public_id=public_id))


@bp.get("/vurderinger/<public_id>/log")
def audit_log(public_id: str):
    assessment = load_assessment(public_id)
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.assessment_id == assessment.id).order_by(AuditEvent.id.desc())
    ).all()
    return render_template("assessments/log.html", assessment=assessment, events=events)
