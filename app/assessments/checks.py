"""The assessment's own preconditions, called from the rows of the state table (workflow.py).

Each takes the assessment and the transition's arguments and returns the sentences saying what is
missing (empty when it holds): Danish msgids translated with gettext when they are called.
"""

from __future__ import annotations

from flask_babel import gettext as _

from app.assessments.proposal import missing_fields


def proposal_complete(assessment, **_arguments) -> list[str]:
    missing = [str(f.label) for f in missing_fields(assessment)]
    return [_("Forslaget mangler: %(fields)s.", fields=", ".join(missing))] if missing else []


def questions_answered(assessment, **_arguments) -> list[str]:
    open_questions = [q for q in assessment.questions if not q.is_answered]
    if not open_questions:
        return []
    listed = "; ".join(f"„{q.text}“" for q in open_questions[:5])
    if len(open_questions) > 5:
        return [
            _(
                "%(count)s spørgsmål mangler svar og bekymringsniveau: %(questions)s og %(more)s flere.",
                count=len(open_questions),
                questions=listed,
                more=len(open_questions) - 5,
            )
        ]
    return [
        _(
            "%(count)s spørgsmål mangler svar og bekymringsniveau: %(questions)s.",
            count=len(open_questions),
            questions=listed,
        )
    ]


def recommendations_reviewed(assessment, **_arguments) -> list[str]:
    open_reviews = [r for r in assessment.reviews if not r.is_answered]
    if not open_reviews:
        return []
    numbers = ", ".join(str(r.number) for r in open_reviews)
    return [_("Anbefaling %(numbers)s mangler status og begrundelse.", numbers=numbers)]


def decision_set(assessment, **_arguments) -> list[str]:
    missing = []
    if not assessment.decision:
        missing.append(_("Beslutningen er ikke truffet."))
    if not assessment.decision_reasoning.strip():
        missing.append(_("Beslutningen mangler en begrundelse."))
    if assessment.decision == "anbefales_med_betingelser" and not any(a.is_condition for a in assessment.actions):
        missing.append(_("En beslutning med betingelser skal have mindst én betingelse i handlingsplanen."))
    if assessment.review_date is None:
        missing.append(_("Der er ikke sat en dato for revurdering."))
    return missing


def reason_given(assessment, reason: str = "", **_arguments) -> list[str]:
    return [] if reason and reason.strip() else [_("Skriv en begrundelse.")]
