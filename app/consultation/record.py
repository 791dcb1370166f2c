"""What a consultation adds to the assessment: the "consultations" section of the canonical record
(app/signoff/canonical.py calls it) and the check that keeps sign-off closed while a consultation
runs or a response waits for moderation or an answer (a row of app/assessments/workflow.py).

Kept apart from `services`, which builds on the canonical record, so both can be called directly.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from app.assessments.models import Assessment
from app.consultation.models import APPROVED, PENDING, Consultation
from app.core.formatting import local_date
from app.core.time import danish_today
from app.extensions import db


def consultations_of(assessment: Assessment) -> list[Consultation]:
    return list(
        db.session.scalars(
            select(Consultation)
            .where(Consultation.assessment_id == assessment.id)
            .order_by(Consultation.opens, Consultation.id)
        )
    )


def consultation_section(assessment: Assessment) -> list[dict]:
    """What goes into the signed record: every consultation, its approved responses and answers."""
    section = []
    for consultation in consultations_of(assessment):
        section.append(
            {
                "opens": consultation.opens.isoformat(),
                "closes": consultation.last_day.isoformat(),
                "introduction": consultation.introduction,
                "questions": [q.text for q in consultation.questions()],
                "responses": [
                    {
                        "author": r.public_author,
                        "question_text": r.question_text,
                        "body": r.body,
                        "received_at": r.received_at.isoformat(),
                        "answer_status": r.answer_status,
                        "answer_status_label": r.answer_status_label,
                        "answer": r.answer,
                    }
                    for r in consultation.responses_with(APPROVED)
                ],
            }
        )
    return section


def consultations_settled(assessment: Assessment, **_arguments) -> list[str]:
    """Every response must be moderated and every approved one answered before anyone signs."""
    missing = []
    today = danish_today()
    for consultation in consultations_of(assessment):
        phase = consultation.phase(today)
        if phase == "open":
            missing.append(_("Høringen er åben til og med %(date)s.", date=local_date(consultation.closes)))
        elif phase == "upcoming":
            missing.append(_("Høringen begynder først %(date)s.", date=local_date(consultation.opens)))
        pending = consultation.responses_with(PENDING)
        if pending:
            missing.append(_("%(number)s høringssvar venter på at blive godkendt eller afvist.", number=len(pending)))
        approved = consultation.responses_with(APPROVED)
        unanswered = [(n, r) for n, r in enumerate(approved, start=1) if not r.is_answered]
        if unanswered:
            listed = "; ".join(
                _(
                    "nr. %(number)s (%(author)s, om %(question)s)",
                    number=n,
                    author=r.public_author or _("en borger"),
                    question=r.question_text or _("hele forslaget"),
                )
                for n, r in unanswered[:5]
            )
            if len(unanswered) > 5:
                listed = _("%(listed)s og %(number)s flere", listed=listed, number=len(unanswered) - 5)
            missing.append(
                _(
                    "%(number)s godkendte høringssvar mangler udvalgets svar: %(listed)s.",
                    number=len(unanswered),
                    listed=listed,
                )
            )
    return missing
