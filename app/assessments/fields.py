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

from app.assessments.board import TEXT_MAX as BOARD_TEXT_MAX
from app.assessments.models import (
    ACTION_STATUSES,
    CONCERN_LEVELS,
    DECISIONS,
    RECOMMENDATION_STATUSES,
)
from app.assessments.proposal import PROPOSAL_FIELDS, TEXT_MAX, TITLE_MAX
from app.core.text import shorten
from app.i18n import Line, line

ACTION_MAX = 2000
OWNER_MAX = 200
YES_NO_CONDITION = {"ja": _l("Ja, en betingelse"), "nej": _l("Nej, en handling")}


@dataclass(frozen=True)
class Field:
    name: str
    label: str  # lazy: the field's name on the conflict page and in the PDF
    kind: str = "text"  # text, line, date, radio, select, flag (a yes/no radio stored as a bool), count
    form_label: str = ""  # lazy: the form's fuller label, where it differs from `label`
    max_length: int = TEXT_MAX
    choices: dict[str, str] | None = None  # radio and select; flag: the texts of "ja" and "nej"
    hint: str = ""
    required: bool = False  # the form refuses it empty
    citation: str = ""  # where the question comes from in a regulation ("artikel 27, stk. 1, litra a")

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
    summary: Callable[[object], Line]  # the audit log's line for a save of the row (app.i18n.line)
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
    lambda row: line("Svar på „%(question)s“ er gemt", question=shorten(row.text, 80)),
    details=lambda row: {"question_id": row.question_id},
    stamp_author=True,
)

REVIEW = FieldTable(
    (
        Field("status", _l("Status"), kind="radio", choices=RECOMMENDATION_STATUSES),
        Field("justification", _l("Begrundelse")),
    ),
    "recommendation.saved",
    lambda row: line("Anbefaling %(number)s er vurderet", number=row.number),
    details=lambda row: {"recommendation_id": row.recommendation_id},
    stamp_author=True,
)

# The meeting that deliberated (issue 28 item 2): the lines are read by app/assessments/board.py.
BOARD_FIELDS = (
    Field(
        "board_present",
        _l("Medlemmer til stede"),
        form_label=_l("Medlemmer til stede på mødet"),
        max_length=BOARD_TEXT_MAX,
        hint=_l("Ét medlem pr. linje: navn, titel – som i det offentlige referat."),
    ),
    Field(
        "board_absent_count",
        _l("Fraværende medlemmer"),
        kind="count",
        form_label=_l("Antal fraværende medlemmer"),
        hint=_l("Skriv 0, hvis alle var til stede."),
    ),
    Field(
        "board_conflicts",
        _l("Inhabilitet"),
        form_label=_l("Inhabilitet (forvaltningsloven § 3)"),
        max_length=BOARD_TEXT_MAX,
        hint=_l(
            "Ét medlem pr. linje: navn: begrundelse. Et inhabilt medlem deltager ikke i drøftelsen og tager "
            "ikke stilling."
        ),
    ),
)
BOARD_NAMES = tuple(f.name for f in BOARD_FIELDS)

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
        *BOARD_FIELDS,
    ),
    "decision.saved",
    lambda row: line("Beslutningen er gemt"),
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
    lambda row: line("Handling ændret: %(action)s", action=shorten(row.description, 80)),
)

# The fundamental-rights impact assessment of a high-risk AI system (Regulation (EU) 2024/1689,
# Article 27), needed before sign-off when app/assessments/proposal.py's `requires_fria` holds.
# The questions are Etikdialog's own wording (FRIA_WORDING), each citing the article and letter it
# answers; app/ai has its page, its precondition, its part of the signed record and its PDF annex.
FRIA_MAX = 5000
DPIA_REFERENCE_MAX = 500
FRIA_WORDING = _l("Etikdialogs formulering – ikke forordningens officielle tekst")
YES_NO_NOTIFIED = {"ja": _l("Ja, anmeldelsen er sendt"), "nej": _l("Nej, ikke endnu")}
FRIA = FieldTable(
    (
        Field(
            "fria_processes",
            _l("Kommunens processer"),
            form_label=_l("I hvilke af kommunens arbejdsgange bruges systemet, og til hvilket formål?"),
            max_length=FRIA_MAX,
            citation="artikel 27, stk. 1, litra a",
        ),
        Field(
            "fria_period",
            _l("Periode og hyppighed"),
            form_label=_l("I hvilken periode skal systemet bruges, og hvor ofte?"),
            max_length=FRIA_MAX,
            hint=_l("For eksempel: fra 1. maj 2026 i to år, ved hver visitation, cirka 40 gange om ugen."),
            citation="artikel 27, stk. 1, litra b",
        ),
        Field(
            "fria_persons",
            _l("Berørte personer og grupper"),
            form_label=_l("Hvilke grupper af borgere og andre personer vil sandsynligvis blive berørt?"),
            max_length=FRIA_MAX,
            citation="artikel 27, stk. 1, litra c",
        ),
        Field(
            "fria_risks",
            _l("Risici for skade"),
            form_label=_l("Hvilke særlige risici for skade kan systemet påføre disse grupper?"),
            max_length=FRIA_MAX,
            hint=_l("Inddrag de oplysninger, leverandøren skal give efter artikel 13 (brugsanvisningen)."),
            citation="artikel 27, stk. 1, litra d",
        ),
        Field(
            "fria_oversight",
            _l("Menneskeligt tilsyn"),
            form_label=_l("Hvordan fører medarbejderne menneskeligt tilsyn med systemet?"),
            max_length=FRIA_MAX,
            hint=_l("Hvem ser systemets resultater, hvem kan tilsidesætte dem, og hvordan er de oplært?"),
            citation="artikel 27, stk. 1, litra e",
        ),
        Field(
            "fria_measures",
            _l("Tiltag, hvis risiciene indtræffer"),
            form_label=_l(
                "Hvad gør kommunen, hvis risiciene indtræffer, herunder den interne ledelse af systemet og "
                "borgernes mulighed for at klage?"
            ),
            max_length=FRIA_MAX,
            citation="artikel 27, stk. 1, litra f",
        ),
        Field(
            "fria_dpia",
            _l("Konsekvensanalyse efter databeskyttelsesforordningen"),
            kind="line",
            form_label=_l("Hvor findes konsekvensanalysen vedrørende databeskyttelse (DPIA)?"),
            max_length=DPIA_REFERENCE_MAX,
            hint=_l(
                "Et link, et journalnummer eller en titel. Analysen efter artikel 27 supplerer konsekvensanalysen "
                "efter GDPR artikel 35 (artikel 27, stk. 4)."
            ),
            citation="artikel 27, stk. 4",
        ),
        Field(
            "fria_notified",
            _l("Anmeldt til markedsovervågningsmyndigheden"),
            kind="flag",
            form_label=_l("Er resultatet anmeldt til markedsovervågningsmyndigheden?"),
            choices=YES_NO_NOTIFIED,
            required=True,
            citation="artikel 27, stk. 3",
        ),
        Field(
            "fria_notified_date",
            _l("Anmeldt den"),
            kind="date",
            form_label=_l("Dato for anmeldelsen"),
            hint=_l("Udfyldes, når anmeldelsen er sendt."),
            citation="artikel 27, stk. 3",
        ),
    ),
    "fria.saved",
    lambda row: line("AI-konsekvensanalysen er gemt"),
)

TITLE = Field("title", _l("Titel"), kind="line", max_length=TITLE_MAX, required=True)
PROPOSAL = FieldTable((TITLE, *PROPOSAL_FIELDS), "proposal.saved", lambda row: line("Forslaget er gemt"))
