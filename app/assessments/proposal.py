"""The proposal's fields in one table: label, bound, and whether a complete proposal needs it.

Forms, the completeness check, the conflict page and the transparency declaration all read this
table, so a field is described once.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    label: str
    kind: str = "text"  # text, line, integer, choice, multi
    max_length: int = TEXT_MAX
    required: bool = True  # needed before the proposal is complete
    choices: dict[str, str] | None = None
    hint: str = ""
    purpose: bool = False  # purpose before technology: must be written first


PROPOSAL_FIELDS: tuple[ProposalField, ...] = (
    ProposalField("problem", "Hvilket problem skal løses?", purpose=True,
                  hint="Formål før teknologi: beskriv problemet, før I beskriver løsningen."),
    ProposalField("target_group", "For hvem?", purpose=True,
                  hint="Hvilke borgere (og medarbejdere) drejer det sig om?"),
    ProposalField("target_group_size", "Målgruppens størrelse (antal borgere)", kind="integer",
                  required=False),
    ProposalField("technology_name", "Teknologi", kind="line", max_length=SHORT_MAX,
                  hint="For eksempel: Nattilsyn med sensorer i plejeboliger"),
    ProposalField("technology_category", "Teknologikategori", kind="choice",
                  hint="Fra teknologikataloget"),
    ProposalField("sector_area", "Område", kind="choice"),
    ProposalField("technology_description", "Hvad gør teknologien?"),
    ProposalField("expected_effect", "Forventet effekt",
                  hint="KL's effektguide: hvilken forandring forventer I for målgruppen?"),
    ProposalField("effect_followup", "Hvordan følges effekten op?"),
    ProposalField("expected_benefits", "Forventede gevinster", kind="multi", choices=BENEFIT_TYPES),
    ProposalField("personal_data", "Hvilke personoplysninger behandles?"),
    ProposalField("special_categories", "Følsomme oplysninger (særlige kategorier)", required=False,
                  hint="For eksempel helbredsoplysninger. Skriv 'Ingen', hvis der ikke er nogen."),
    ProposalField("participation", "Er det frivilligt eller lovbestemt?", kind="choice",
                  choices=PARTICIPATION),
    ProposalField("legal_basis", "Hjemmel eller samtykke",
                  hint="Hvilken lov giver hjemmel, eller hvordan gives samtykke?"),
    ProposalField("data_access", "Hvem ser oplysningerne, og hvor længe gemmes de?"),
    ProposalField("opt_out", "Kan borgeren sige nej, og hvad tilbydes i stedet?"),
    ProposalField("proxy_consent", "Borgere, der ikke selv kan give samtykke",
                  hint="Hvordan håndteres stedfortrædende samtykke?"),
    ProposalField("involvement_citizens", "Inddragelse af borgere", kind="choice",
                  choices=INVOLVEMENT_SCALE),
    ProposalField("involvement_relatives", "Inddragelse af pårørende", kind="choice",
                  choices=INVOLVEMENT_SCALE),
    ProposalField("involvement_staff", "Inddragelse af medarbejdere", kind="choice",
                  choices=INVOLVEMENT_SCALE),
    ProposalField("involvement_phase", "Fra hvilken fase er der inddraget?", kind="choice",
                  choices=INVOLVEMENT_PHASES),
    ProposalField("involvement_description", "Hvordan er borgere, pårørende og medarbejdere inddraget?"),
    ProposalField("supplier", "Leverandør", kind="line", max_length=SHORT_MAX, required=False),
    ProposalField("case_number", "Journalnummer", kind="line", max_length=64, required=False),
    ProposalField("public_contact", "Kontakt for borgere", kind="line", max_length=300,
                  hint="Navn, afdeling, telefon eller e-mail, som borgere kan henvende sig til"),
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
        return ", ".join((field.choices or {}).get(v, v) for v in value)
    if field.kind == "choice" and field.choices:
        return field.choices.get(value, value)
    return str(value)
