"""View plumbing every package's board pages share: loading an assessment of the person's own
municipality (another's is simply not found: 404, never 403), its question, and turning a
service's refusal into what the person sees.

A refusal for the person's role (services.NotAllowed) is answered 403 by the app's error handler
(app/core/errors.py); views do not catch it.
"""

from __future__ import annotations

from flask import abort, flash, redirect
from flask_login import current_user

from app.assessments import services
from app.assessments.models import Assessment, AssessmentQuestion
from app.core.transactions import discard


def load_assessment(public_id: str) -> Assessment:
    return services.get_for_organisation(public_id, current_user.organisation_id) or abort(404)


def load_question(assessment: Assessment, question_id: str) -> AssessmentQuestion:
    return next((q for q in assessment.questions if q.question_id == question_id), None) or abort(404)


def refusal(error: services.AssessmentError) -> str:
    """A service refused: nothing it did is kept; the text to show with the form. A refusal for
    the person's role goes on to the 403 handler."""
    if isinstance(error, services.NotAllowed):
        raise error
    discard()
    return str(error)


def refused(error: services.AssessmentError, url: str):
    """A service refused: nothing it did is kept, and the person reads why on the page they are
    sent back to."""
    flash(refusal(error), "error")
    return redirect(url)
