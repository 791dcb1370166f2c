"""Feedback pages: the citizen's form beside a published record, and the board's list, reading,
answering and moderation under /intern/, scoped to the user's municipality."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.accounts.access import editors_post
from app.assessments import access
from app.assessments.services import AssessmentError
from app.consultation.views import take_citizen_input
from app.core import mail
from app.core.transactions import after_commit
from app.core.wiring import provided
from app.feedback import forms, services

public_bp = Blueprint("feedback", __name__, template_folder="templates")
bp = Blueprint("feedback_board", __name__, url_prefix="/intern/henvendelser", template_folder="templates")


# --- Public --------------------------------------------------------------------------------


def _notify_email(form) -> str:
    """The address for the answer, once the form asked for and got the consent that goes with it."""
    if "notify_email" not in form or not form.notify_consent.data:
        return ""
    return (form.notify_email.data or "").strip()


@public_bp.route("/vurderinger/<public_id>/spoerg", methods=["GET", "POST"])
def ask(public_id: str):
    publication = provided("public.publication")(public_id) or abort(404)  # app/public/services.py
    form = forms.FeedbackForm()
    if not mail.enabled():  # no mail server: nothing to offer, and nothing to keep
        del form.notify_email
        del form.notify_consent
    closed = services.closed_reason(publication)
    refusal, status = None, 200
    if request.method == "POST":
        receive = partial(services.receive, publication, kind=form.kind.data, notify_email=_notify_email(form))
        refusal, status, taken = take_citizen_input(form, closed, receive)
        if taken:
            flash(
                _("Tak for din henvendelse. Udvalget svarer på den, og svaret kan blive vist under vurderingen."),
                "success",
            )
            return redirect(url_for("public.assessment", public_id=publication.public_id), code=303)
    return render_template(
        "feedback/ask.html", publication=publication, form=form, closed=closed, refusal=refusal
    ), status


@dataclass(frozen=True)
class PublicFeedback:
    counts: services.Counts
    shown: list
    closed: str | None  # why the form is closed, or None
    capped: bool = False  # more are shown than the page lists (services.SHOWN_MAX)


@public_bp.app_template_global()
def citizen_feedback(publication) -> PublicFeedback:
    """What the record's public page shows of its feedback (feedback/_public.html)."""
    counts = services.counts(publication)
    shown, capped = services.shown(publication) if counts.answered else ([], False)  # nothing answered: nothing to read
    return PublicFeedback(counts, shown, services.closed_reason(publication), capped)


# --- The board -----------------------------------------------------------------------------


@bp.before_request
@login_required
def require_login():
    """Everything under /intern/ needs a logged-in user of a municipality."""


def load(feedback_id: int):
    return services.get_for_organisation(feedback_id, current_user.organisation_id) or abort(404)


@bp.get("")
def index():
    return render_template(
        "feedback/board_index.html", groups=services.groups(services.for_organisation(current_user.organisation_id))
    )


def _render(feedback, *, visibility=None, answer=None, status=200):
    return render_template(
        "feedback/board_show.html",
        feedback=feedback,
        visibility=visibility or forms.VisibilityForm(formdata=None, prefix="v"),
        answer=answer or forms.AnswerForm(formdata=None, obj=feedback, prefix="a"),
        can_change=current_user.can_edit,
    ), status


@bp.get("/<int:feedback_id>")
def show(feedback_id: int):
    return _render(load(feedback_id))


def _say(message) -> None:
    if message:
        flash(*message)


def _on_feedback(feedback_id: int, form, act, done: str, which: str, after=None):
    """The shared POST flow of moderating and answering: validate, call the service, redirect; the
    page comes back with the form as sent when it is invalid or refused. `after(feedback)` runs
    once the change is committed (the answer's mail; app.core.transactions.after_commit) and may
    return one more message to show."""
    feedback = load(feedback_id)
    if form.validate_on_submit():
        try:
            act(feedback, form)
        except AssessmentError as error:
            flash(access.refusal(error), "error")
        else:
            flash(done, "success")
            if after is not None:
                after_commit(lambda: _say(after(feedback)))
            return redirect(url_for(".show", feedback_id=feedback.id))
    return _render(feedback, **{which: form}, status=422)


@bp.post("/<int:feedback_id>/vis")
@editors_post
def moderate(feedback_id: int):
    def act(feedback, form):
        services.moderate(
            feedback, user=current_user, approve=form.decision.data == "approve", reason=form.reason.data or ""
        )

    return _on_feedback(feedback_id, forms.VisibilityForm(prefix="v"), act, _("Valget er gemt."), "visibility")


@bp.post("/<int:feedback_id>/besvar")
@editors_post
def answer(feedback_id: int):
    def act(feedback, form):
        services.answer(feedback, user=current_user, text=form.answer.data)

    def mail_it(feedback):
        sent = services.mail_answer(feedback)
        if sent is None:
            return None
        if sent:
            return _("Svaret er sendt til borgerens e-mail, og adressen er slettet."), "success"
        return _("Svaret kunne ikke sendes på e-mail. Det sendes igen, næste gang I gemmer svaret."), "warning"

    return _on_feedback(
        feedback_id, forms.AnswerForm(prefix="a"), act, _("Udvalgets svar er gemt."), "answer", after=mail_it
    )
