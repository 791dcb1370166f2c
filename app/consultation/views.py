"""Consultation pages: the public /hoeringer and the board's moderation under /intern/."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.accounts.access import editors_post
from app.assessments import access
from app.consultation import forms, intake, services
from app.consultation.models import APPROVED, PENDING, REJECTED
from app.content.loader import get_content
from app.core.forms import options
from app.core.time import danish_today
from app.core.transactions import discard

public_bp = Blueprint("consultations", __name__, template_folder="templates")
bp = Blueprint(
    "consultation_board", __name__, url_prefix="/intern/vurderinger/<public_id>/hoeringer", template_folder="templates"
)


# --- Public --------------------------------------------------------------------------------


@public_bp.get("/hoeringer")
def index():
    consultations = services.public_consultations()
    return render_template(
        "consultation/public_index.html",
        consultations=consultations,
        today=danish_today(),
        proposals={c.id: services.consulted_proposal(c) for c in consultations},
    )


@public_bp.route("/hoeringer/<consultation_id>", methods=["GET", "POST"])
def show(consultation_id: str):
    consultation = services.get_public(consultation_id) or abort(404)
    form = forms.ResponseForm()
    form.question.choices = options(
        [
            (forms.WHOLE_PROPOSAL, _("Hele forslaget")),
            *((q.question_id, question_label(q.group_title, q.text)) for q in consultation.questions()),
        ]
    )
    today = danish_today()
    refusal, status = None, 200
    if request.method == "POST":
        closed = (
            _("Høringen modtager ikke svar nu. Se datoerne herunder.") if consultation.phase(today) != "open" else None
        )
        receive = partial(services.receive_response, consultation, question_id=form.question.data or None, today=today)
        refusal, status, taken = take_citizen_input(form, closed, receive)
        if taken:
            flash(
                _(
                    "Tak for dit høringssvar. Det bliver vist her, når kommunen har godkendt det, og udvalget svarer på det, før vurderingen underskrives."
                ),
                "success",
            )
            # The form posts to #svar; "#top" lands the citizen on the thank-you message above.
            return redirect(url_for(".show", consultation_id=consultation.public_id, _anchor="top"), code=303)
    return render_template(
        "consultation/public_show.html",
        consultation=consultation,
        form=form,
        refusal=refusal,
        phase=consultation.phase(today),
        proposal=services.consulted_proposal(consultation),
        assessment=consultation.assessment,
        responses=consultation.responses_with(APPROVED),
    ), status


def take_citizen_input(form, closed: str | None, receive) -> tuple[str | None, int, bool]:
    """The POST flow of every citizen's form (a consultation response, feedback on a published
    record): closed → 409 with `closed`, invalid → 422, refused by a rule → 422, too many from the
    address → 429, each with nothing kept; otherwise `receive` (the service, given the form's text,
    the sender's fields and the address) is kept (committed when the request ends). Returns (refusal, status, taken)."""
    if closed:
        return closed, 409, False
    if not form.validate_on_submit():
        return None, 422, False
    try:
        receive(
            body=form.body.data,
            author_name=form.author_name.data,
            author_organisation=form.author_organisation.data,
            publish_name=form.publish_name.data,
            address=request.remote_addr or "",
        )
    except intake.TooMany as error:
        discard()
        return str(error), 429, False
    except intake.InputRefused as error:
        discard()
        return str(error), 422, False
    return None, 200, True


# --- The board -----------------------------------------------------------------------------


@bp.before_request
@login_required
def require_login():
    """Everything under /intern/ needs a logged-in user of a municipality."""


def load(public_id: str, consultation_id: str):
    assessment = access.load_assessment(public_id)
    return assessment, services.get_for_assessment(assessment, consultation_id) or abort(404)


@bp.app_template_global()
def question_label(group_title: str, text: str) -> str:
    """A question named with its group (a dilemma or the central questions), so two questions with
    the same wording stay apart; a group title ending in "?" gets no colon after it."""
    return f"{(group_title or '').rstrip(' :')} – {text}" if group_title else text


def _question_choices(assessment) -> list:
    return options((q.question_id, question_label(q.group_title, q.text)) for q in assessment.questions)


@bp.get("")
def overview(public_id: str):
    assessment = access.load_assessment(public_id)
    return render_template(
        "consultation/board_overview.html",
        assessment=assessment,
        consultations=services.consultations_of(assessment),
        today=danish_today(),
        current=services.current_consultation(assessment),
    )


def _consultation_form(assessment, form, consultation, save, done: str):
    """The shared POST flow of opening and changing: validate, call the service, redirect."""
    refusal = None
    if request.method == "POST" and form.validate_on_submit():
        try:
            save(
                opens=form.opens.data,
                closes=form.closes.data,
                introduction=form.introduction.data,
                question_ids=form.questions.data or [],
                user=current_user,
            )
        except services.AssessmentError as error:
            refusal = access.refusal(error)
        else:
            flash(done, "success")
            return redirect(url_for(".overview", public_id=assessment.public_id))
    status = 422 if (form.errors or refusal) else 200
    return render_template(
        "consultation/board_form.html", assessment=assessment, form=form, refusal=refusal, consultation=consultation
    ), status


@bp.route("/ny", methods=["GET", "POST"])
def new(public_id: str):
    assessment = access.load_assessment(public_id)
    services.require_editor(current_user)  # the form is the secretariat's; its service checks again
    if not assessment.is_editable:
        flash(_("Der kan kun oprettes en høring, mens vurderingen er et udkast eller i drøftelse."), "error")
        return redirect(url_for(".overview", public_id=public_id))
    form = forms.ConsultationForm()
    form.questions.choices = _question_choices(assessment)
    if request.method == "GET":
        today = danish_today()
        form.opens.data, form.closes.data = today, today + timedelta(days=28)  # no question chosen for the board
    return _consultation_form(
        assessment,
        form,
        None,
        partial(services.open_consultation, assessment, content=get_content()),
        _("Høringen er oprettet. Den vises på Etikdialogs høringsside i perioden."),
    )


@bp.route("/<consultation_id>/rediger", methods=["GET", "POST"])
def edit(public_id: str, consultation_id: str):
    assessment, consultation = load(public_id, consultation_id)
    services.require_editor(current_user)  # the form is the secretariat's; its service checks again
    if not assessment.is_editable or consultation.phase(danish_today()) == "closed":
        flash(_("Høringen kan ikke længere ændres."), "error")
        return redirect(url_for(".overview", public_id=public_id))
    form = forms.ConsultationForm(obj=consultation if request.method == "GET" else None)
    form.questions.choices = _question_choices(assessment)
    if request.method == "GET":
        form.questions.data = list(consultation.question_ids or [])
    return _consultation_form(
        assessment,
        form,
        consultation,
        partial(services.update_consultation, consultation, content=get_content()),
        _("Høringen er ændret."),
    )


@bp.post("/<consultation_id>/luk")
def close(public_id: str, consultation_id: str):
    _assessment, consultation = load(public_id, consultation_id)
    form = forms.Form()
    if not form.validate_on_submit():
        flash(_("Handlingen kunne ikke udføres. Genindlæs siden, og prøv igen."), "error")
        return redirect(url_for(".overview", public_id=public_id))
    try:
        services.close_consultation(consultation, user=current_user)
    except services.AssessmentError as error:
        flash(access.refusal(error), "error")
    else:
        flash(_("Høringen er afsluttet."), "success")
    return redirect(url_for(".overview", public_id=public_id))


def _render_responses(assessment, consultation, *, failed=None, status=200):
    """The responses page; `failed` is (response id, form) of a form that came back with errors."""
    moderation_forms, answer_forms = {}, {}
    for response in consultation.responses:
        moderation_forms[response.id] = forms.ModerationForm(formdata=None, prefix=f"m{response.id}")
        answer_forms[response.id] = forms.AnswerForm(formdata=None, obj=response, prefix=f"a{response.id}")
    if failed:
        response_id, form = failed
        target = moderation_forms if isinstance(form, forms.ModerationForm) else answer_forms
        target[response_id] = form
    groups = {key: consultation.responses_with(key) for key in (PENDING, APPROVED, REJECTED)}
    return render_template(
        "consultation/board_responses.html",
        assessment=assessment,
        consultation=consultation,
        groups=groups,
        moderation_forms=moderation_forms,
        answer_forms=answer_forms,
        today=danish_today(),
        can_change=current_user.can_edit and assessment.is_editable,
    ), status


@bp.get("/<consultation_id>")
def responses(public_id: str, consultation_id: str):
    assessment, consultation = load(public_id, consultation_id)
    return _render_responses(assessment, consultation)


def _on_response(public_id: str, consultation_id: str, response_id: int, form_class, prefix: str, act, done):
    """The shared POST flow of moderating and answering one response: validate its form, call the
    service through `act(response, form)`, redirect; the responses page comes back with the form as
    sent when it is invalid or refused."""
    assessment, consultation = load(public_id, consultation_id)
    response = services.get_response(consultation, response_id) or abort(404)
    form = form_class(prefix=f"{prefix}{response.id}")
    if form.validate_on_submit():
        try:
            act(response, form)
        except services.AssessmentError as error:
            flash(access.refusal(error), "error")
        else:
            flash(done(response), "success")
            return redirect(
                url_for(
                    ".responses", public_id=public_id, consultation_id=consultation_id, _anchor=f"svar-{response.id}"
                )
            )
    return _render_responses(assessment, consultation, failed=(response.id, form), status=422)


@bp.post("/<consultation_id>/svar/<int:response_id>/moderer")
@editors_post
def moderate(public_id: str, consultation_id: str, response_id: int):
    def act(response, form):
        services.moderate(
            response, user=current_user, approve=form.decision.data == "approve", reason=form.reason.data or ""
        )

    return _on_response(
        public_id,
        consultation_id,
        response_id,
        forms.ModerationForm,
        "m",
        act,
        lambda r: _("Svaret er godkendt.") if r.status == APPROVED else _("Svaret er afvist."),
    )


@bp.post("/<consultation_id>/svar/<int:response_id>/besvar")
@editors_post
def answer(public_id: str, consultation_id: str, response_id: int):
    def act(response, form):
        services.answer_response(
            response, user=current_user, answer_status=form.answer_status.data, answer=form.answer.data
        )

    return _on_response(
        public_id, consultation_id, response_id, forms.AnswerForm, "a", act, lambda r: _("Udvalgets svar er gemt.")
    )
