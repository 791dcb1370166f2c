"""Rules of a consultation: opening, receiving, moderating, answering, purging addresses.

Services flush and audit; they never commit. What a consultation adds to the assessment (its
section of the canonical record and the sign-off check) is in app/consultation/record.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta

from etikdialog_verify.record import canonical_bytes, sha256_hex
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.accounts.models import User
from app.assessments.declaration import declaration
from app.assessments.models import EDITABLE_STATUSES, Assessment
from app.assessments.services import AssessmentError, NotEditable, require_editor  # noqa: F401 - views catch it here
from app.audit.services import SYSTEM, record
from app.consultation import intake, submission
from app.consultation.intake import (  # noqa: F401 - the shared rules, named here as before
    ADDRESS_RETENTION,
    CONTROL,
    RATE_WINDOW,
    address_hash,
    clean_text,
    sender,
)
from app.consultation.models import ANSWER_STATUSES, APPROVED, Consultation, ConsultationResponse
from app.consultation.record import consultations_of
from app.consultation.submission import ANSWER_MAX, BODY_MAX, NAME_MAX, ORGANISATION_MAX  # noqa: F401
from app.content.loader import ContentSet, get_content
from app.core.formatting import local_date
from app.core.time import danish_today, utcnow
from app.core.wiring import provided
from app.extensions import db
from app.i18n import line

INTRODUCTION_MAX = 5000
LONGEST_PERIOD = timedelta(days=180)
# A consultation ends at most a year from today: far enough to plan, near enough that a typing
# slip (9999-12-31) cannot keep sign-off closed for ever.
FURTHEST_AHEAD = timedelta(days=365)
# Per address and consultation (the shared rule of app/consultation/intake.py).
RESPONSES_PER_ADDRESS = intake.PER_ADDRESS
# The parts of the canonical record a consultation freezes (plus the questions' texts).
SNAPSHOT_KEYS = ("schema_version", "public_id", "version_number", "title", "organisation", "technology", "proposal")

# A rule refused the change or the response; the message is in the reader's language. The same
# class as the shared rules' refusal, so clean_text's refusals are consultation errors here.
ConsultationError = intake.InputRefused


class ConsultationClosed(ConsultationError):
    pass


class TooManyResponses(intake.TooMany):
    pass


# What clean_text calls the text in its messages ("Introduktionen må ikke være tom.").
INTRODUCTION_LABEL = _l("Introduktionen")
BODY_LABEL = _l("Høringssvaret")
ANSWER_LABEL = _l("Begrundelsen")


# --- Opening and closing -------------------------------------------------------------------


def current_consultation(assessment: Assessment, today: date | None = None) -> Consultation | None:
    """The consultation that is open or planned; at most one at a time per assessment."""
    today = today or danish_today()
    return next((c for c in consultations_of(assessment) if c.phase(today) != "closed"), None)


def latest_close(today: date) -> date:
    return today + FURTHEST_AHEAD


def _check_period(opens: date, closes: date, *, today: date, opens_fixed: bool = False) -> None:
    """The dates' bounds; `opens_fixed`: a running consultation keeps the first day it had."""
    if closes > latest_close(today):
        raise ConsultationError(
            _("Høringen skal slutte senest %(date)s, et år fra i dag.", date=local_date(latest_close(today)))
        )
    if closes < opens:
        raise ConsultationError(_("Høringen skal slutte samme dag eller efter, den begynder."))
    if closes - opens > LONGEST_PERIOD:
        raise ConsultationError(_("En høring kan højst vare 180 dage."))
    if opens < today and not opens_fixed:
        raise ConsultationError(_("Høringen kan tidligst begynde i dag."))


def _check_questions(assessment: Assessment, question_ids: list[str]) -> list[str]:
    known = [q.question_id for q in assessment.questions]
    unknown = [q for q in question_ids if q not in known]
    if unknown:
        raise ConsultationError(_("Vælg spørgsmål fra vurderingen."))
    chosen = set(question_ids)
    return [q for q in known if q in chosen]


def _require_open_for_changes(assessment: Assessment) -> None:
    if assessment.status not in EDITABLE_STATUSES:
        raise NotEditable(assessment)


def proposal_snapshot(assessment: Assessment, content: ContentSet | None = None) -> dict:
    """What is put to consultation: the proposal and the questions as they stand now, without the
    deliberation, the members' positions or a decision (nothing is decided while citizens are asked)."""
    record = provided("record.snapshot")(assessment, content=content or get_content())  # app/signoff/canonical.py
    snapshot = {key: record[key] for key in SNAPSHOT_KEYS}
    snapshot["questions"] = [
        {"id": q["id"], "group_title": q["group_title"], "text": q["text"]} for q in record["questions"]
    ]
    return snapshot


def _freeze_proposal(consultation: Consultation, assessment: Assessment, content: ContentSet | None) -> None:
    data = canonical_bytes(proposal_snapshot(assessment, content))
    consultation.snapshot_json, consultation.snapshot_sha256 = data.decode("utf-8"), sha256_hex(data)


@dataclass
class ConsultedProposal:
    """The proposal as it was put to consultation, read from the consultation's frozen snapshot."""

    snapshot: dict | None  # None: not kept (opened before snapshots were kept) or changed since
    changed: bool = False  # the stored snapshot no longer matches its hash

    def questions(self, question_ids) -> list[dict]:
        chosen = set(question_ids or [])
        return [q for q in (self.snapshot or {}).get("questions", []) if q["id"] in chosen]

    def declaration(self) -> list:
        """The declaration of the frozen proposal, without the questions about a decision: there
        is none while citizens are asked, and an unsigned one is never presented as decided."""
        if self.snapshot is None:
            return []
        return declaration(self.snapshot, consultation=True)


def consulted_proposal(consultation: Consultation) -> ConsultedProposal:
    if consultation.snapshot_json is None:
        return ConsultedProposal(None)
    if sha256_hex(consultation.snapshot_json.encode("utf-8")) != consultation.snapshot_sha256:
        return ConsultedProposal(None, changed=True)
    return ConsultedProposal(json.loads(consultation.snapshot_json))


def open_consultation(
    assessment: Assessment,
    *,
    user: User,
    opens: date,
    closes: date,
    introduction: str,
    question_ids: list[str],
    today: date | None = None,
    content: ContentSet | None = None,
) -> Consultation:
    """Open (or plan) a consultation on a draft or an assessment in deliberation; the proposal as
    it stands now is frozen on it, and that is what the public page shows."""
    require_editor(user)
    _require_open_for_changes(assessment)
    today = today or danish_today()
    if current_consultation(assessment, today) is not None:
        raise ConsultationError(_("Der er allerede en åben eller planlagt høring om vurderingen."))
    if closes < today:
        raise ConsultationError(_("Høringen skal slutte i dag eller senere."))
    _check_period(opens, closes, today=today)
    consultation = Consultation(
        assessment_id=assessment.id,
        opens=opens,
        closes=closes,
        created_by_id=user.id,
        introduction=clean_text(introduction, label=INTRODUCTION_LABEL, maximum=INTRODUCTION_MAX),
        question_ids=_check_questions(assessment, question_ids),
    )
    _freeze_proposal(consultation, assessment, content)
    db.session.add(consultation)
    db.session.flush()
    record(
        "consultation.opened",
        line("Høring fra %(opens)s til %(closes)s", opens=opens, closes=closes),
        assessment=assessment,
        user=user,
        consultation=consultation.public_id,
    )
    return consultation


def _before_change(
    consultation: Consultation, user: User, today: date | None, closed: str
) -> tuple[Assessment, date, str]:
    """The checks before the board changes a consultation: the role, an assessment still open for
    changes, and a consultation not yet closed (`closed` says so); its assessment, today and phase."""
    require_editor(user)
    _require_open_for_changes(consultation.assessment)
    today = today or danish_today()
    phase = consultation.phase(today)
    if phase == "closed":
        raise ConsultationClosed(closed)
    return consultation.assessment, today, phase


def update_consultation(
    consultation: Consultation,
    *,
    user: User,
    opens: date,
    closes: date,
    introduction: str,
    question_ids: list[str],
    today: date | None = None,
    content: ContentSet | None = None,
) -> Consultation:
    """Change a planned or running consultation; once open, its first day and the proposal it
    put to the public stay as they were (a planned one takes the proposal as it stands now)."""
    assessment, today, phase = _before_change(consultation, user, today, _("Høringen er afsluttet og kan ikke ændres."))
    if phase == "open" and opens != consultation.opens:
        raise ConsultationError(_("Høringen er begyndt, så startdatoen kan ikke ændres."))
    if closes < today:
        raise ConsultationError(
            _("Høringen skal slutte i dag eller senere. Brug „Afslut høringen nu“ for at lukke den.")
        )
    _check_period(opens, closes, today=today, opens_fixed=phase == "open")
    consultation.opens, consultation.closes = opens, closes
    if phase == "upcoming":
        _freeze_proposal(consultation, assessment, content)
    consultation.introduction = clean_text(introduction, label=INTRODUCTION_LABEL, maximum=INTRODUCTION_MAX)
    consultation.question_ids = _check_questions(assessment, question_ids)
    db.session.flush()
    record(
        "consultation.changed",
        line("Høringen er ændret: %(opens)s til %(closes)s", opens=opens, closes=closes),
        assessment=assessment,
        user=user,
        consultation=consultation.public_id,
    )
    return consultation


def close_consultation(consultation: Consultation, *, user: User, today: date | None = None) -> None:
    """Close a running consultation now, or call off a planned one (it cannot have responses yet)."""
    assessment, today, phase = _before_change(consultation, user, today, _("Høringen er allerede afsluttet."))
    if phase == "upcoming" and not consultation.responses:
        db.session.delete(consultation)
        db.session.flush()
        record(
            "consultation.cancelled",
            line("Den planlagte høring er aflyst"),
            assessment=assessment,
            user=user,
            consultation=consultation.public_id,
        )
        return
    consultation.closed_early_on = today
    db.session.flush()
    record(
        "consultation.closed",
        line("Høringen er afsluttet før tid"),
        assessment=assessment,
        user=user,
        consultation=consultation.public_id,
    )


def public_consultations(today: date | None = None) -> list[Consultation]:
    """Consultations taking responses today, the ones closing soonest first."""
    today = today or danish_today()
    return list(
        db.session.scalars(
            select(Consultation)
            .where(Consultation.opens <= today, Consultation.closes >= today, Consultation.closed_early_on.is_(None))
            .order_by(Consultation.closes, Consultation.id)
        )
    )


def get_public(public_id: str) -> Consultation | None:
    return db.session.scalar(select(Consultation).where(Consultation.public_id == public_id))


def get_for_assessment(assessment: Assessment, public_id: str) -> Consultation | None:
    return db.session.scalar(
        select(Consultation).where(Consultation.public_id == public_id, Consultation.assessment_id == assessment.id)
    )


def get_response(consultation: Consultation, response_id: int) -> ConsultationResponse | None:
    return db.session.scalar(
        select(ConsultationResponse).where(
            ConsultationResponse.id == response_id, ConsultationResponse.consultation_id == consultation.id
        )
    )


# --- Receiving -----------------------------------------------------------------------------


def receive_response(
    consultation: Consultation,
    *,
    body: str,
    question_id: str | None,
    author_name: str,
    author_organisation: str,
    publish_name: bool,
    address: str,
    today: date | None = None,
) -> ConsultationResponse:
    """Take one citizen's response; it waits for moderation before anyone else sees it."""
    today = today or danish_today()
    phase = consultation.phase(today)
    if phase == "upcoming":
        raise ConsultationClosed(
            _("Høringen er ikke begyndt. Du kan svare fra %(date)s.", date=local_date(consultation.opens))
        )
    if phase == "closed":
        raise ConsultationClosed(
            _("Høringen sluttede %(date)s og modtager ikke flere svar.", date=local_date(consultation.last_day))
        )
    hashed = address_hash(address)
    if intake.over_limit(ConsultationResponse, ConsultationResponse.consultation_id == consultation.id, hashed):
        raise TooManyResponses(
            _(
                "Der er allerede modtaget %(number)s høringssvar fra din forbindelse det seneste døgn. Prøv igen i morgen, eller saml dine bemærkninger i ét svar.",
                number=RESPONSES_PER_ADDRESS,
            )
        )
    question_text = ""
    if question_id:
        question = next((q for q in consultation.questions() if q.question_id == question_id), None)
        if question is None:
            raise ConsultationError(_("Vælg et af høringens spørgsmål eller „Hele forslaget“."))
        question_text = question.text
    response = ConsultationResponse(
        consultation_id=consultation.id,
        question_id=question_id or None,
        question_text=question_text,
        body=clean_text(body, label=BODY_LABEL, maximum=submission.BODY_MAX),
        **sender(author_name, author_organisation, publish_name),
        address_hash=hashed,
    )
    db.session.add(response)
    db.session.flush()
    # The audit log names no one: the sender's name is personal data until they are published.
    record(
        "consultation.response_received",
        line("Nyt høringssvar venter på godkendelse"),
        assessment=consultation.assessment,
        user=None,
        organisation_id=consultation.assessment.organisation_id,
        consultation=consultation.public_id,
        response=response.id,
    )
    return response


# --- Moderating and answering --------------------------------------------------------------


def moderate(response: ConsultationResponse, *, user: User, approve: bool, reason: str = "") -> None:
    """Approve a response, or reject it for one of the defined reasons; either can be reconsidered."""
    require_editor(user)
    assessment = response.consultation.assessment
    _require_open_for_changes(assessment)
    rejected_for = intake.set_moderation(response, user=user, approve=approve, reason=reason)
    summary = (
        line("Høringssvar afvist: %(reason)s", reason=rejected_for) if rejected_for else line("Høringssvar godkendt")
    )
    db.session.flush()
    record(
        "consultation.response_moderated",
        summary,
        assessment=assessment,
        user=user,
        response=response.id,
        status=response.status,
        reason=reason if not approve else "",
    )


def answer_response(response: ConsultationResponse, *, user: User, answer_status: str, answer: str) -> None:
    """The board's answer: did the response change the proposal, and why (or why not)."""
    require_editor(user)
    assessment = response.consultation.assessment
    _require_open_for_changes(assessment)
    if response.status != APPROVED:
        raise ConsultationError(_("Kun godkendte høringssvar kan besvares."))
    if answer_status not in ANSWER_STATUSES:
        raise ConsultationError(_("Vælg, om svaret er indarbejdet, delvist indarbejdet eller ikke indarbejdet."))
    response.answer_status = answer_status
    response.answer = clean_text(answer, label=ANSWER_LABEL, maximum=submission.ANSWER_MAX)
    response.answered_by_id, response.answered_at = user.id, utcnow()
    db.session.flush()
    summary = line("Høringssvar besvaret: %(status)s", status=ANSWER_STATUSES[answer_status])
    record("consultation.response_answered", summary, assessment=assessment, user=user, response=response.id)


# --- Personal data -------------------------------------------------------------------------


def purge_addresses(today: date | None = None) -> int:
    """Erase the address hashes of consultations closed more than 30 days ago; safe to run daily."""
    today = today or danish_today()
    cutoff = today - ADDRESS_RETENTION
    purged = 0
    for consultation in db.session.scalars(select(Consultation).where(Consultation.addresses_purged_at.is_(None))):
        if consultation.last_day >= cutoff:
            continue
        for response in consultation.responses:
            if response.address_hash is not None:
                response.address_hash = None
                purged += 1
        consultation.addresses_purged_at = utcnow()
        record(
            "consultation.addresses_purged",
            line("Afsendernes adresser er slettet 30 dage efter høringen"),
            assessment=consultation.assessment,
            user=SYSTEM,
            organisation_id=consultation.assessment.organisation_id,
        )
    db.session.flush()
    return purged
