"""An assessment of one proposed technology: its proposal, deliberation, decision and action plan."""

from __future__ import annotations

import enum
import secrets
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, BigInteger, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from app.core.time import utcnow
from app.extensions import db


class Status(enum.StrEnum):
    DRAFT = "draft"
    DELIBERATION = "deliberation"
    AWAITING_SIGNOFF = "awaiting_signoff"
    SIGNED = "signed"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    Status.DRAFT: _l("Udkast"),
    Status.DELIBERATION: _l("Drøftelse"),
    Status.AWAITING_SIGNOFF: _l("Afventer underskrift"),
    Status.SIGNED: _l("Underskrevet"),
    Status.PUBLISHED: _l("Offentliggjort"),
    Status.WITHDRAWN: _l("Trukket tilbage"),
}

# Statuses in which the board's text can still change.
EDITABLE_STATUSES = (Status.DRAFT, Status.DELIBERATION)
# Statuses before the record is signed: signatories can still be named and members state a stance.
UNSIGNED_STATUSES = (*EDITABLE_STATUSES, Status.AWAITING_SIGNOFF)

DECISIONS = {
    "anbefales": _l("Anbefales"),
    "anbefales_med_betingelser": _l("Anbefales med betingelser"),
    "anbefales_ikke": _l("Anbefales ikke"),
}
CONCERN_LEVELS = {"ingen": _l("Ingen"), "lav": _l("Lav"), "middel": _l("Middel"), "hoej": _l("Høj")}
RECOMMENDATION_STATUSES = {
    "opfyldt": _l("Opfyldt"),
    "delvist_opfyldt": _l("Delvist opfyldt"),
    "ikke_opfyldt": _l("Ikke opfyldt"),
    "ikke_relevant": _l("Ikke relevant"),
}
# Seed 004's four-step scale, used for how citizens, relatives and staff were involved.
INVOLVEMENT_SCALE = {
    "hoej": _l("I høj grad"),
    "nogen": _l("I nogen grad"),
    "mindre": _l("I mindre grad"),
    "slet_ikke": _l("Slet ikke"),
}
# Seed 004's benefit types.
BENEFIT_TYPES = {
    "livskvalitet": _l("Øget livskvalitet for borgerne"),
    "fysisk_arbejdsmiljoe": _l("Bedre fysisk arbejdsmiljø"),
    "arbejdsglaede": _l("Øget arbejdsglæde for medarbejderne"),
    "oekonomi": _l("Økonomiske besparelser"),
}
INVOLVEMENT_PHASES = {
    "ide": _l("Idéfasen"),
    "udvikling": _l("Udvikling og afprøvning"),
    "beslutning": _l("Før beslutningen"),
    "implementering": _l("Implementeringen"),
    "ikke_endnu": _l("Ikke endnu"),
}
PARTICIPATION = {
    "frivillig": _l("Frivilligt for borgeren"),
    "lovbestemt": _l("Lovbestemt"),
}
ACTION_STATUSES = {"planlagt": _l("Planlagt"), "i_gang": _l("I gang"), "gennemfoert": _l("Gennemført")}
# A member present agrees with the ethics board's recommendation, disagrees, or abstains (issue 28).
STANCES = {"enig": _l("Enig"), "uenig": _l("Uenig"), "undlader": _l("Undlader at tage stilling")}


def new_public_id() -> str:
    """16 URL-safe random characters: unguessable, so a draft's id reveals nothing."""
    return secrets.token_urlsafe(12)


class Versioned:
    """Optimistic locking: every UPDATE checks and bumps row_version; a stale one fails."""

    row_version: Mapped[int] = mapped_column(Integer)

    @declared_attr.directive
    def __mapper_args__(cls):
        return {"version_id_col": cls.__table__.c.row_version}


class Assessment(Versioned, db.Model):
    __tablename__ = "assessment"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(22), unique=True, default=new_public_id)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    status: Mapped[str] = mapped_column(String(20), default=Status.DRAFT.value, index=True)
    content_version: Mapped[str] = mapped_column(String(16))
    version_number: Mapped[int] = mapped_column(default=1)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("assessment.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    # Proposal (DESIGN §2 step 1). Purpose before technology: problem and for whom come first.
    title: Mapped[str] = mapped_column(String(200))
    problem: Mapped[str] = mapped_column(Text, default="")
    target_group: Mapped[str] = mapped_column(Text, default="")
    target_group_size: Mapped[int | None]
    technology_name: Mapped[str] = mapped_column(String(200), default="")
    technology_category: Mapped[str] = mapped_column(String(64), default="")
    sector_area: Mapped[str] = mapped_column(String(64), default="")
    technology_description: Mapped[str] = mapped_column(Text, default="")
    expected_effect: Mapped[str] = mapped_column(Text, default="")
    effect_followup: Mapped[str] = mapped_column(Text, default="")
    expected_benefits: Mapped[list] = mapped_column(JSON, default=list)
    personal_data: Mapped[str] = mapped_column(Text, default="")
    special_categories: Mapped[str] = mapped_column(Text, default="")
    participation: Mapped[str] = mapped_column(String(16), default="")
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    data_access: Mapped[str] = mapped_column(Text, default="")
    opt_out: Mapped[str] = mapped_column(Text, default="")
    proxy_consent: Mapped[str] = mapped_column(Text, default="")
    involvement_citizens: Mapped[str] = mapped_column(String(16), default="")
    involvement_relatives: Mapped[str] = mapped_column(String(16), default="")
    involvement_staff: Mapped[str] = mapped_column(String(16), default="")
    involvement_phase: Mapped[str] = mapped_column(String(16), default="")
    involvement_description: Mapped[str] = mapped_column(Text, default="")
    supplier: Mapped[str] = mapped_column(String(200), default="")
    case_number: Mapped[str] = mapped_column(String(64), default="")
    public_contact: Mapped[str] = mapped_column(String(300), default="")
    # Record schema 2 (issue 17 item 1, migration 0010): effect case, economy, alternatives,
    # automation and oversight, freedom-restricting technology, trial and fallback, the formal
    # decision and the complaint route. Labels and bounds: app/assessments/proposal.py.
    effect_baseline: Mapped[str] = mapped_column(Text, default="")
    effect_size: Mapped[str] = mapped_column(Text, default="")
    behaviour_change: Mapped[str] = mapped_column(Text, default="")
    professional_bottom_line: Mapped[str] = mapped_column(Text, default="")
    cost_one_off: Mapped[int | None] = mapped_column(BigInteger)
    cost_yearly: Mapped[int | None] = mapped_column(BigInteger)
    funding: Mapped[str] = mapped_column(String(300), default="")
    freed_hours_yearly: Mapped[int | None] = mapped_column(Integer)
    without_technology: Mapped[str] = mapped_column(Text, default="")
    alternatives_considered: Mapped[str] = mapped_column(Text, default="")
    automation_level: Mapped[str] = mapped_column(String(16), default="")
    human_response: Mapped[str] = mapped_column(Text, default="")
    override: Mapped[str] = mapped_column(Text, default="")
    error_rates: Mapped[str] = mapped_column(Text, default="")
    restricts_freedom: Mapped[str] = mapped_column(String(16), default="")
    force_legal_basis: Mapped[str] = mapped_column(Text, default="")
    individual_decision: Mapped[str] = mapped_column(Text, default="")
    council_listed: Mapped[str] = mapped_column(String(16), default="")
    freedom_consent: Mapped[str] = mapped_column(Text, default="")
    trial: Mapped[str] = mapped_column(Text, default="")
    failure_plan: Mapped[str] = mapped_column(Text, default="")
    barrier_implementation: Mapped[str] = mapped_column(String(16), default="")
    barrier_implementation_note: Mapped[str] = mapped_column(String(500), default="")
    barrier_economy: Mapped[str] = mapped_column(String(16), default="")
    barrier_economy_note: Mapped[str] = mapped_column(String(500), default="")
    barrier_management: Mapped[str] = mapped_column(String(16), default="")
    barrier_management_note: Mapped[str] = mapped_column(String(500), default="")
    barrier_maturity: Mapped[str] = mapped_column(String(16), default="")
    barrier_maturity_note: Mapped[str] = mapped_column(String(500), default="")
    decision_body: Mapped[str] = mapped_column(String(200), default="")
    decision_meeting_date: Mapped[date | None] = mapped_column(Date)
    decision_minutes_url: Mapped[str] = mapped_column(String(500), default="")
    in_use_date: Mapped[date | None] = mapped_column(Date)
    complaint_to: Mapped[str] = mapped_column(String(300), default="")
    complaint_how: Mapped[str] = mapped_column(Text, default="")
    complaint_deadline: Mapped[str] = mapped_column(String(200), default="")
    # AI screening and the AI Act Article 27 fundamental-rights impact assessment (issue 20 item 1,
    # migration 0017). Labels and bounds: proposal.py (screening) and fields.py's FRIA.
    uses_ai: Mapped[str] = mapped_column(String(16), default="")
    ai_purpose: Mapped[str] = mapped_column(Text, default="")
    ai_annex_area: Mapped[str] = mapped_column(String(32), default="")
    fria_processes: Mapped[str] = mapped_column(Text, default="")
    fria_period: Mapped[str] = mapped_column(Text, default="")
    fria_persons: Mapped[str] = mapped_column(Text, default="")
    fria_risks: Mapped[str] = mapped_column(Text, default="")
    fria_oversight: Mapped[str] = mapped_column(Text, default="")
    fria_measures: Mapped[str] = mapped_column(Text, default="")
    fria_dpia: Mapped[str] = mapped_column(String(500), default="")
    fria_notified: Mapped[bool] = mapped_column(default=False)
    fria_notified_date: Mapped[date | None] = mapped_column(Date)

    # Decision and review (DESIGN §2 step 3).
    decision: Mapped[str] = mapped_column(String(32), default="")
    decision_reasoning: Mapped[str] = mapped_column(Text, default="")
    review_date: Mapped[date | None] = mapped_column(Date)
    # The board's meeting that deliberated (issue 28 item 2, migration 0022): the members present,
    # one a line ("Navn, titel"), how many were absent, and the declared conflicts of interest
    # (forvaltningsloven § 3), one a line ("Navn: begrundelse"). Parsed by app/assessments/board.py.
    board_present: Mapped[str] = mapped_column(Text, default="")
    board_absent_count: Mapped[int | None] = mapped_column(Integer)
    board_conflicts: Mapped[str] = mapped_column(Text, default="")

    organisation = relationship("Organisation")
    created_by = relationship("User", foreign_keys=[created_by_id])
    previous: Mapped[Assessment | None] = relationship(remote_side=[id], foreign_keys=[previous_id])
    questions: Mapped[list[AssessmentQuestion]] = relationship(
        back_populates="assessment", order_by="AssessmentQuestion.position", cascade="all, delete-orphan"
    )
    reviews: Mapped[list[RecommendationReview]] = relationship(
        back_populates="assessment", order_by="RecommendationReview.number", cascade="all, delete-orphan"
    )
    actions: Mapped[list[Action]] = relationship(
        back_populates="assessment", order_by="Action.position", cascade="all, delete-orphan"
    )
    positions: Mapped[list[Position]] = relationship(back_populates="assessment", cascade="all, delete-orphan")
    explanations: Mapped[list[ConsistencyExplanation]] = relationship(
        back_populates="assessment", order_by="ConsistencyExplanation.rule", cascade="all, delete-orphan"
    )

    @property
    def status_enum(self) -> Status:
        return Status(self.status)

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def decision_label(self) -> str:
        return DECISIONS.get(self.decision, "")

    def __repr__(self) -> str:
        return f"<Assessment {self.public_id} {self.status}>"


class AssessmentQuestion(Versioned, db.Model):
    """A question as it was asked (copied from the content) and the board's answer to it."""

    __tablename__ = "assessment_question"
    __table_args__ = (UniqueConstraint("assessment_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id"), index=True)
    question_id: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(16))  # "central" or "guiding"
    group_id: Mapped[str] = mapped_column(String(100))  # the central set's or dilemma's id
    group_title: Mapped[str] = mapped_column(String(300))
    position: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    explanation: Mapped[str] = mapped_column(Text, default="")

    discussion: Mapped[str] = mapped_column(Text, default="")
    answer: Mapped[str] = mapped_column(Text, default="")
    concern: Mapped[str] = mapped_column(String(16), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    assessment: Mapped[Assessment] = relationship(back_populates="questions")
    comments: Mapped[list[Comment]] = relationship(
        back_populates="question", order_by="Comment.created_at", cascade="all, delete-orphan"
    )

    @property
    def is_answered(self) -> bool:
        return bool(self.answer.strip() and self.concern)


class RecommendationReview(Versioned, db.Model):
    """One of the five recommendations, copied as it was, and the board's review of it."""

    __tablename__ = "recommendation_review"
    __table_args__ = (UniqueConstraint("assessment_id", "recommendation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id"), index=True)
    recommendation_id: Mapped[str] = mapped_column(String(100))
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    check_questions: Mapped[list] = mapped_column(JSON, default=list)  # [{"id", "text"}]

    status: Mapped[str] = mapped_column(String(16), default="")
    justification: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    assessment: Mapped[Assessment] = relationship(back_populates="reviews")

    @property
    def is_answered(self) -> bool:
        return bool(self.status and self.justification.strip())


class ConsistencyExplanation(db.Model):
    """The board's explanation of a consistency finding (app/assessments/consistency.py), kept per
    rule: it goes into the signed record while the rule still finds something (issue 28 item 1)."""

    __tablename__ = "consistency_explanation"
    __table_args__ = (UniqueConstraint("assessment_id", "rule"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id"), index=True)
    rule: Mapped[str] = mapped_column(String(60))
    explanation: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    assessment: Mapped[Assessment] = relationship(back_populates="explanations")


class Comment(db.Model):
    """A member's comment beside a question; comments are never edited or deleted."""

    __tablename__ = "comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id"), index=True)
    question_row_id: Mapped[int] = mapped_column(ForeignKey("assessment_question.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    question: Mapped[AssessmentQuestion] = relationship(back_populates="comments")
    author = relationship("User")


class Action(Versioned, db.Model):
    """An item of the action plan; the decision's conditions become action items."""

    __tablename__ = "action_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    description: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200), default="")
    due_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="planlagt")
    is_condition: Mapped[bool] = mapped_column(default=False)

    assessment: Mapped[Assessment] = relationship(back_populates="actions")

    @property
    def status_label(self) -> str:
        return ACTION_STATUSES.get(self.status, self.status)


class Position(Versioned, db.Model):
    """A member's stance on the decision and, where they disagree, their dissent."""

    __tablename__ = "member_position"
    __table_args__ = (UniqueConstraint("assessment_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    stance: Mapped[str] = mapped_column(String(16))
    dissent: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    assessment: Mapped[Assessment] = relationship(back_populates="positions")
    user = relationship("User")

    @property
    def stance_label(self) -> str:
        return STANCES.get(self.stance, self.stance)
