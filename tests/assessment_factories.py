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
    # Record schema 2.
    "effect_baseline": "I dag registreres 14 fald om måneden, heraf 5 om natten (faldregistreringen 2025).",
    "effect_size": "Vi forventer halvt så mange uopdagede fald inden for et år.",
    "behaviour_change": "Nattevagten går ind ved besked i stedet for at gå faste runder.",
    "professional_bottom_line": "Beboerne får hjælp hurtigere efter et fald og sover mere uforstyrret.",
    "cost_one_off": 450000,
    "cost_yearly": 120000,
    "funding": "ældreområdets driftsbudget",
    "freed_hours_yearly": 1200,
    "without_technology": "Nattevagten fortsætter med faste runder, der vækker beboerne.",
    "alternatives_considered": "Flere nattevagter blev fravalgt, fordi der ikke kan rekrutteres.",
    "automation_level": "foreslaar",
    "human_response": "Nattevagten får besked på telefonen og går ind inden for fem minutter.",
    "override": "Ja, medarbejderen kan slå sensoren fra, og beboeren kan bede om det.",
    "error_rates": "Leverandøren oplyser cirka to falske alarmer pr. beboer om ugen.",
    "restricts_freedom": "nej",
    "trial": "Afprøvet på Plejecenter Solhaven i seks måneder med færre uopdagede fald.",
    "failure_plan": "Ved strøm- eller netsvigt går nattevagten faste runder igen.",
    "barrier_implementation": "nogen",
    "barrier_economy": "mindre",
    "barrier_management": "slet_ikke",
    "barrier_maturity": "mindre",
    "decision_body": "Ældre- og Sundhedsudvalget",
    "decision_meeting_date": date(2026, 3, 2),
    "decision_minutes_url": "https://kommune.example/dagsorden/2026-03-02#punkt-7",
    "case_number": "27.00.00-G01-12-26",
    "in_use_date": date(2026, 5, 1),
    "complaint_to": "Ældre- og Sundhedsforvaltningen",
    "complaint_how": "Skriv til forvaltningen via borger.dk; sagsbehandleren hjælper gerne.",
    "complaint_deadline": "4 uger fra du har fået afgørelsen",
    # Record schema 3: the AI screening.
    "uses_ai": "nej",
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


def answer_everything(
    assessment: Assessment, editor, *, decision: str = "anbefales_med_betingelser", meeting: bool = True
) -> None:
    """Fill every part a sign-off needs: proposal, answers, reviews, decision and a condition, and
    (unless meeting=False) the meeting: the editor present, with a stance (record_board)."""
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
        {
            "description": "Evaluér ordningen efter et år.",
            "owner": "Leder af Sundhed og Omsorg",
            "due_date": date(2027, 6, 1),
            "is_condition": True,
        },
        user=editor,
    )
    services.save_decision(
        assessment,
        {
            "decision": decision,
            "decision_reasoning": "Gevinsten for borgerne opvejer ulemperne.",
            "review_date": date(2027, 12, 1),
        },
        expected_version=None,
        user=editor,
    )
    if meeting:
        record_board(assessment, editor)
    db.session.flush()


def record_board(assessment: Assessment, editor) -> None:
    """The meeting that deliberated (issue 28 item 2), unless the test wrote its own: every member
    with a stance was present and none was absent. The editor takes a stance ("enig") when there
    is none yet, or when more disagree than agree (the decision must have its majority). Called
    again (by request_signoff), it brings a meeting it wrote itself up to the stances taken since."""
    if assessment.board_present and assessment.board_present != getattr(assessment, "_factory_board", None):
        return
    agree = sum(p.stance == "enig" for p in assessment.positions)
    disagree = sum(p.stance == "uenig" for p in assessment.positions)
    if (not assessment.positions or disagree > agree) and all(p.user_id != editor.id for p in assessment.positions):
        services.save_position(assessment, "enig", "", user=editor)
    present = "\n".join(f"{p.user.name}, {p.user.title}" for p in assessment.positions)
    services.save_decision(
        assessment, {"board_present": present, "board_absent_count": 0}, expected_version=None, user=editor
    )
    assessment._factory_board = present


def request_signoff(assessment: Assessment, editor, signers) -> None:
    """Start the deliberation if needed, record the meeting, name the signers and send the
    assessment to sign-off."""
    from app.signoff import services as signoff

    if assessment.status == "draft":
        services.transition(assessment, "start_deliberation", user=editor)
    record_board(assessment, editor)
    signoff.name_signatories(assessment, [s.id for s in signers], user=editor)
    services.transition(assessment, "request_signoff", user=editor)


def sign_off(assessment: Assessment, editor, signers) -> None:
    """Name the signers, send to sign-off and sign as each (the password check is the caller's)."""

    request_signoff(assessment, editor, signers)
    sign_as_each(assessment, signers)
    db.session.flush()


def sign_as_each(assessment: Assessment, signers) -> None:
    """Each signer signs what the assessment now says (the password check is the caller's)."""
    from app.signoff import services as signoff

    content = get_content()
    for signer in signers:
        _, record_sha256 = signoff.current_record(assessment, content)
        signoff.sign(
            assessment,
            user=signer,
            password="",
            seen_hash=record_sha256,
            seen_at=None,
            content=content,
            password_ok=lambda user, password: True,
        )


def make_signed(org=None, *, title: str = "Sensorer i plejeboliger", **proposal) -> Assessment:
    """A signed (not yet published) assessment in a municipality of its own unless org is given."""
    from factories import make_org, make_user

    org = org or make_org()
    editor = make_user(org, role="editor")
    signers = [make_user(org, role="member"), make_user(org, role="admin")]
    assessment = make_assessment(editor, title=title)
    answer_everything(assessment, editor)
    if proposal:
        complete_proposal(assessment, editor, **proposal)
    sign_off(assessment, editor, signers)
    db.session.commit()
    return assessment


def make_published(org=None, **kwargs) -> Assessment:
    from factories import make_user

    assessment = make_signed(org, **kwargs)
    admin = make_user(assessment.organisation, role="admin")
    services.transition(assessment, "publish", user=admin)
    db.session.commit()
    return assessment
