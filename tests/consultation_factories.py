"""Factories for consultations; they call the real services, so every rule applies.

``open_consultation(assessment, editor)`` opens one today for four weeks with the assessment's
guiding questions; ``respond(consultation)`` sends a citizen's response from a test address;
``make_signed_with_consultation()`` gives a signed assessment whose record holds an answered
consultation. Each helper flushes; the make_* helpers commit.
"""

from __future__ import annotations

import itertools
from datetime import timedelta

from assessment_factories import answer_everything, make_assessment, sign_off

from app.consultation import services
from app.consultation.models import Consultation, ConsultationResponse
from app.core.time import danish_today
from app.extensions import db

_addresses = (f"192.0.2.{n}" for n in itertools.count(1))


def open_consultation(
    assessment, editor, *, opens=None, closes=None, introduction: str | None = None, question_ids=None
) -> Consultation:
    today = danish_today()
    if question_ids is None:
        question_ids = [q.question_id for q in assessment.questions if q.kind == "guiding"]
    consultation = services.open_consultation(
        assessment,
        user=editor,
        opens=opens or today,
        closes=closes or today + timedelta(days=28),
        introduction=introduction or "Udvalget vil gerne høre borgere og råd, før det beslutter.",
        question_ids=question_ids,
    )
    db.session.flush()
    return consultation


def respond(
    consultation,
    *,
    body: str = "Jeg er bekymret for, om min mor bliver overvåget.",
    question_id=None,
    author_name: str = "",
    author_organisation: str = "",
    publish_name: bool = False,
    address: str | None = None,
) -> ConsultationResponse:
    return services.receive_response(
        consultation,
        body=body,
        question_id=question_id,
        author_name=author_name,
        author_organisation=author_organisation,
        publish_name=publish_name,
        address=address or next(_addresses),
        today=consultation.opens,
    )


def answered_consultation(assessment, editor, responses) -> Consultation:
    """Open a consultation, take the given responses (dicts for respond), approve, answer and close it."""
    consultation = open_consultation(assessment, editor)
    for values in responses:
        response = respond(consultation, **values)
        services.moderate(response, user=editor, approve=True)
        services.answer_response(
            response,
            user=editor,
            answer_status="delvist_indarbejdet",
            answer="Udvalget har tilføjet en betingelse om information til pårørende.",
        )
    services.close_consultation(consultation, user=editor)
    return consultation


def make_signed_with_consultation(org=None, *, responses=None):
    """A signed assessment whose record holds one closed, answered consultation."""
    from factories import make_org, make_user

    org = org or make_org()
    editor = make_user(org, role="editor")
    signers = [make_user(org, role="member"), make_user(org, role="admin")]
    assessment = make_assessment(editor)
    answer_everything(assessment, editor)
    consultation = answered_consultation(
        assessment,
        editor,
        responses
        or [
            {"author_name": "Inge Hansen", "author_organisation": "Ældrerådet", "publish_name": True},
            {"body": "<b>Husk</b> de pårørende", "author_name": "Skjult Person", "publish_name": False},
        ],
    )
    sign_off(assessment, editor, signers)
    db.session.commit()
    return assessment, consultation
