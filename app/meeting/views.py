"""Meeting mode under /intern/: one question per page, large type, keyboard first.

It saves through the same service and the same versioned save flow as the question form, so a
secretary typing on the projector and a member typing at their desk see each other's conflicts.
"""

from flask import Blueprint, abort, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.assessments.access import load_assessment, load_question
from app.assessments.saving import neighbours, versioned_page
from app.meeting import services as meeting
from app.meeting.forms import MeetingForm

bp = Blueprint("meeting", __name__, url_prefix="/intern/vurderinger/<public_id>/moede", template_folder="templates")


@bp.before_request
@login_required
def require_login():
    """Everything under /intern/ needs a logged-in user of a municipality."""


@bp.get("")
def start(public_id: str):
    assessment = load_assessment(public_id)
    if not assessment.questions:
        abort(404)
    return redirect(url_for(".question", public_id=public_id, question_id=assessment.questions[0].question_id))


@bp.get("/aktuelt")
def current(public_id: str):
    """The secretary's current question, polled by members watching read-only (meeting.js)."""
    assessment = load_assessment(public_id)
    state = meeting.current(assessment)
    if state is None or state.question_id not in {q.question_id for q in assessment.questions}:
        response = jsonify(question_id=None)
    else:
        response = jsonify(
            question_id=state.question_id, url=url_for(".question", public_id=public_id, question_id=state.question_id)
        )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<question_id>", methods=["GET", "POST"])
def question(public_id: str, question_id: str):
    assessment = load_assessment(public_id)
    row = load_question(assessment, question_id)
    questions = assessment.questions
    editable = assessment.is_editable and current_user.can_edit

    def render(form, **extra):
        return render_template(
            "meeting/question.html",
            assessment=assessment,
            row=row,
            form=form,
            position=questions.index(row) + 1,
            total=len(questions),
            **neighbours(questions, row),
            editable=editable,
            **extra,
        )

    if request.method == "GET" and editable:  # the secretary leads; members follow
        meeting.move_to(assessment, row.question_id, user=current_user)
    # "Save and next/previous" send the question to show after saving.
    target = next((q for q in questions if q.question_id == request.form.get("goto")), row)
    return versioned_page(
        MeetingForm, row, render, done_url=url_for(".question", public_id=public_id, question_id=target.question_id)
    )
