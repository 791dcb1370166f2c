"""Factories for assessments at each stage; they call the real services, so every rule applies.

``make_assessment(editor)`` gives a draft with the first dilemma; ``answer_everything`` fills the
proposal, answers every question, reviews every recommendation and sets a decision, so the
assessment can go all the way to sign-off. Each helper flushes; make_assessment commits.
"""

from __future__ import annotations

from datetime import date

from app.assessments import services
from app.assessments.models import Assessment
from app.content.loader import get_content
from app.extensions import db

PROPOSAL = {
    "problem": "Borgere med demens falder om natten og ligger længe, før nogen opdager det.",
    "target_group": "Borgere med demens i plejeboliger og deres pårørende.",
    "target_group_size": 40,
    "technology_name": "Nattilsyn med sensorer",
    "technology_description": "Sensorer registrerer fald og uro og giver personalet besked.",
    "expected_effect": "Færre uopdagede fald og mere uforstyrret søvn.",
    "effect_followup": "Faldregistrering følges op hver tredje måned.",
    "expected_benefits": ["livskvalitet", "fysisk_arbejdsmiljoe"],
    "personal_data": "Tidspunkter for bevægelse og fald i boligen.",
    "special_categories": "Helbredsoplysninger",
    "participation": "frivillig",
    "legal_basis": "Samtykke efter databeskyttelsesforordningens artikel 6 og 9.",
    "data_access": "Plejepersonalet på afdelingen; data slettes efter 30 dage.",
    "opt_out": "Ja, borgeren får i stedet fysisk tilsyn om natten.",
    "proxy_consent": "Værge eller nærmeste pårørende inddrages efter reglerne.",
    "involvement_citizens": "nogen",
    "involvement_relatives": "hoej",
    "involvement_staff": "hoej",
    "involvement_phase": "ide",
    "involvement_description": "Workshops med beboere, pårørende og nattevagter.",
    "public_contact": "Sundhed og Omsorg, telefon 70 00 00 00",
}


def complete_proposal(assessment: Assessment, editor, **overrides) -> None:
    content = get_content()
    values = {
        **PROPOSAL,
        "technology_category": content.technologies[0].id,
        "sector_area": content.sector_areas[0].id if content.sector_areas else content.sectors[0].id,
        **overrides,
    }
    services.save_proposal(assessment, values, expected_version=None, user=editor)


def make_assessment(editor, *, title: str = "Sensorer i plejeboliger", dilemma_ids=None) -> Assessment:
    content = get_content()
    if dilemma_ids is None:
        dilemma_ids = [content.dilemmas[0].id]
    assessment = services.create_assessment(user=editor, title=title, dilemma_ids=dilemma_ids, content=content)
    db.session.commit()
    return assessment


def answer_everything(assessment: Assessment, editor, *, decision: str = "anbefales_med_betingelser") -> None:
    """Fill every part a sign-off needs: proposal, answers, reviews, decision and a condition."""
    complete_proposal(assessment, editor)
    for row in assessment.questions:
        services.save_question(
            row,
            {"discussion": f"Udvalget drøftede: {row.text}", "answer": "Udvalgets svar.", "concern": "lav"},
            expected_version=None,
            user=editor,
        )
    for review in assessment.reviews:
        services.save_review(
            review, {"status": "opfyldt", "justification": "Begrundet i forslaget."}, expected_version=None, user=editor
        )
    services.add_action(
        assessment,
        {"description": "Evaluér ordningen efter et år.", "owner": "Leder af Sundhed og Omsorg",
         "due_date": date(2027, 6, 1), "is_condition": True},
        user=editor,
    )  # fmt: skip
    services.save_decision(
        assessment,
        {"decision": decision, "decision_reasoning": "Gevinsten for borgerne opvejer ulemperne.",
         "review_date": date(2027, 12, 1)},
        expected_version=None,
        user=editor,
    )  # fmt: skip
    db.session.flush()
