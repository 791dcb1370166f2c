"""The editable fields of every versioned row in one table each, as the proposal has PROPOSAL_FIELDS.

A question's answer, a recommendation's review, the decision and an action item each have a
FieldTable: its fields (name, label, kind, bound, choices, hint) and how a save of them is written
in the audit log. The forms are built from it (app/assessments/forms.py), `services.save_fields`
saves through it and names a conflicting field by its label, and the canonical record and the PDF
take their labels and choice labels from it. The proposal's own table is PROPOSAL_FIELDS
(app/assessments/proposal.py); PROPOSAL here adds the title to it for saving.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from app.assessments.models import (
    ACTION_STATUSES,
    CONCERN_LEVELS,
    DECISIONS,
    RECOMMENDATION_STATUSES,
)
from app.assessments.proposal import PROPOSAL_FIELDS, TEXT_MAX, TITLE_MAX
from app.core.text import shorten

ACTION_MAX = 2000
OWNER_MAX = 200
YES_NO_CONDITION = {"ja": _l("Ja, en betingelse"), "nej": _l("Nej, en handling")}


@dataclass(frozen=True)
class Field:
    name: str
    label: str  # lazy: the field's name on the conflict page and in the PDF
    kind: str = "text"  # text, line, date, radio, select, flag (a yes/no radio stored as a bool)
    form_label: str = ""  # lazy: the form's fuller label, where it differs from `label`
    max_length: int = TEXT_MAX
    choices: dict[str, str] | None = None  # radio and select; flag: the texts of "ja" and "nej"
    hint: str = ""
    required: bool = False  # the form refuses it empty

    def choice_label(self, value) -> str:
        """A stored choice as a person reads it ("" for none or an unknown one)."""
        return (self.choices or {}).get(value, "") if value else ""


def _no_details(row) -> dict:
    return {}


@dataclass(frozen=True)
class FieldTable:
    """One versioned row's editable fields, and how a save of them is written in the audit log."""

    fields: tuple
    event: str  # the audit event of a save
    summary: Callable[[object], str]  # the audit log's Danish line for a save of the row
    details: Callable[[object], dict] = field(default=_no_details)  # more for the audit event
    stamp_author: bool = False  # the row keeps who saved it last (updated_by_id)

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields]

    @property
    def labels(self) -> dict[str, str]:
        return {f.name: f.label for f in self.fields}

    def __getitem__(self, name: str):
        return next(f for f in self.fields if f.name == name)


QUESTION = FieldTable(
    (
        Field("discussion", _l("Drøftelse"), form_label=_l("Drøftelse (referat)"), hint=_l("Hvad drøftede udvalget?")),
        Field("answer", _l("Udvalgets svar"), hint=_l("Udvalgets samlede svar på spørgsmålet.")),
        Field("concern", _l("Bekymringsniveau"), kind="radio", choices=CONCERN_LEVELS),
    ),
    "question.saved",
    lambda row: f"Svar på „{shorten(row.text, 80)}“ er gemt",
    details=lambda row: {"question_id": row.question_id},
    stamp_author=True,
)

REVIEW = FieldTable(
    (
        Field("status", _l("Status"), kind="radio", choices=RECOMMENDATION_STATUSES),
        Field("justification", _l("Begrundelse")),
    ),
    "recommendation.saved",
    lambda row: f"Anbefaling {row.number} er vurderet",
    details=lambda row: {"recommendation_id": row.recommendation_id},
    stamp_author=True,
)

DECISION = FieldTable(
    (
        Field("decision", _l("Beslutning"), kind="radio", choices=DECISIONS),
        Field("decision_reasoning", _l("Begrundelse"), form_label=_l("Begrundelse for beslutningen")),
        Field(
            "review_date",
            _l("Revurderingsdato"),
            kind="date",
            form_label=_l("Dato for revurdering"),
            hint=_l("Hvornår skal udvalget se på teknologien igen?"),
        ),
    ),
    "decision.saved",
    lambda row: "Beslutningen er gemt",
)

ACTION = FieldTable(
    (
        Field(
            "description",
            _l("Handling"),
            form_label=_l("Handling eller betingelse"),
            max_length=ACTION_MAX,
            required=True,
        ),
        Field("owner", _l("Ansvarlig"), kind="line", max_length=OWNER_MAX),
        Field("due_date", _l("Frist"), kind="date"),
        Field("status", _l("Status"), kind="select", choices=ACTION_STATUSES, required=True),
        Field(
            "is_condition",
            _l("Betingelse"),
            kind="flag",
            form_label=_l("Er det en betingelse for beslutningen?"),
            choices=YES_NO_CONDITION,
            required=True,
        ),
    ),
    "action.saved",
    lambda row: f"Handling ændret: {shorten(row.description, 80)}",
)

TITLE = Field("title", _l("Titel"), kind="line", max_length=TITLE_MAX, required=True)
PROPOSAL = FieldTable((TITLE, *PROPOSAL_FIELDS), "proposal.saved", lambda row: "Forslaget er gemt")
