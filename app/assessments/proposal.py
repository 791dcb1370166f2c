"""The proposal's fields in one table: label, bound, and whether a complete proposal needs it.

Forms, the completeness check, the conflict page and the transparency declaration all read this
table, so a field is described once.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.assessments.models import (
    BENEFIT_TYPES,
    INVOLVEMENT_PHASES,
    INVOLVEMENT_SCALE,
    PARTICIPATION,
)

TITLE_MAX = 200
SHORT_MAX = 200
TEXT_MAX = 5000


@dataclass(frozen=True)
class ProposalField:
    name: str
    label: str  # lazy: read it in the interface's language, or under force_locale("da") for the record
    kind: str = "text"  # text, line, integer, choice, multi
    max_length: int = TEXT_MAX
    required: bool = True  # needed before the proposal is complete
    choices: dict[str, str] | None = None
    hint: str = ""
    purpose: bool = False  # purpose before technology: must be written first


PROPOSAL_FIELDS: tuple[ProposalField, ...] = (
    ProposalField("problem", _l("Hvilket problem skal løses?"), purpose=True,
                  hint=_l("Formål før teknologi: beskriv problemet, før I beskriver løsningen.")),
    ProposalField("target_group", _l("For hvem?"), purpose=True,
                  hint=_l("Hvilke borgere (og medarbejdere) drejer det sig om?")),
    ProposalField("target_group_size", _l("Målgruppens størrelse (antal borgere)"), kind="integer",
                  required=False),
    ProposalField("technology_name", _l("Teknologi"), kind="line", max_length=SHORT_MAX,
                  hint=_l("For eksempel: Nattilsyn med sensorer i plejeboliger")),
    ProposalField("technology_category", _l("Teknologikategori"), kind="choice",
                  hint=_l("Fra teknologikataloget")),
    ProposalField("sector_area", _l("Område"), kind="choice"),
    ProposalField("technology_description", _l("Hvad gør teknologien?")),
    ProposalField("expected_effect", _l("Forventet effekt"),
                  hint=_l("KL's effektguide: hvilken forandring forventer I for målgruppen?")),
    ProposalField("effect_followup", _l("Hvordan følges effekten op?")),
    ProposalField("expected_benefits", _l("Forventede gevinster"), kind="multi", choices=BENEFIT_TYPES),
    ProposalField("personal_data", _l("Hvilke personoplysninger behandles?")),
    ProposalField("special_categories", _l("Følsomme oplysninger (særlige kategorier)"), required=False,
                  hint=_l("For eksempel helbredsoplysninger. Skriv 'Ingen', hvis der ikke er nogen.")),
    ProposalField("participation", _l("Er det frivilligt eller lovbestemt?"), kind="choice",
                  choices=PARTICIPATION),
    ProposalField("legal_basis", _l("Hjemmel eller samtykke"),
                  hint=_l("Hvilken lov giver hjemmel, eller hvordan gives samtykke?")),
    ProposalField("data_access", _l("Hvem ser oplysningerne, og hvor længe gemmes de?")),
    ProposalField("opt_out", _l("Kan borgeren sige nej, og hvad tilbydes i stedet?")),
    ProposalField("proxy_consent", _l("Borgere, der ikke selv kan give samtykke"),
                  hint=_l("Hvordan håndteres stedfortrædende samtykke?")),
    ProposalField("involvement_citizens", _l("Inddragelse af borgere"), kind="choice",
                  choices=INVOLVEMENT_SCALE),
    ProposalField("involvement_relatives", _l("Inddragelse af pårørende"), kind="choice",
                  choices=INVOLVEMENT_SCALE),
    ProposalField("involvement_staff", _l("Inddragelse af medarbejdere"), kind="choice",
                  choices=INVOLVEMENT_SCALE),
    ProposalField("involvement_phase", _l("Fra hvilken fase er der inddraget?"), kind="choice",
                  choices=INVOLVEMENT_PHASES),
    ProposalField("involvement_description", _l("Hvordan er borgere, pårørende og medarbejdere inddraget?")),
    ProposalField("supplier", _l("Leverandør"), kind="line", max_length=SHORT_MAX, required=False),
    ProposalField("case_number", _l("Journalnummer"), kind="line", max_length=64, required=False),
    ProposalField("public_contact", _l("Kontakt for borgere"), kind="line", max_length=300,
                  hint=_l("Navn, afdeling, telefon eller e-mail, som borgere kan henvende sig til")),
)  # fmt: skip

FIELDS_BY_NAME = {f.name: f for f in PROPOSAL_FIELDS}
PURPOSE_FIELDS = tuple(f.name for f in PROPOSAL_FIELDS if f.purpose)


def is_blank(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple | set):
        return not value
    return False


def missing_fields(assessment) -> list[ProposalField]:
    return [f for f in PROPOSAL_FIELDS if f.required and is_blank(getattr(assessment, f.name))]


def display_value(field: ProposalField, value) -> str:
    """The value as a person reads it: labels for choices, a list joined for several."""
    if is_blank(value):
        return ""
    if field.kind == "multi":
        return ", ".join(str((field.choices or {}).get(v, v)) for v in value)
    if field.kind == "choice" and field.choices:
        return str(field.choices.get(value, value))
    return str(value)
