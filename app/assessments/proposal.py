"""The proposal's fields in one table: label, hint, kind, bound, when a complete proposal needs it,
and the group it stands in.

The form, the completeness check, the conflict page, the canonical record, the transparency
declaration, the PDF, the public page, the API and the CSV all read this table, so a field is
described once. A field's `value` in the record is what was stored (an ISO date, a whole number,
a choice's key); its `text` is what a person reads (labels for choices, Danish dates and amounts).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from app.assessments.models import (
    BENEFIT_TYPES,
    INVOLVEMENT_PHASES,
    INVOLVEMENT_SCALE,
    PARTICIPATION,
)
from app.core.formatting import local_date, local_number

TITLE_MAX = 200
SHORT_MAX = 200
TEXT_MAX = 5000
URL_MAX = 500
AMOUNT_MAX = 1_000_000_000  # kroner: a bound no welfare technology reaches
HOURS_MAX = 10_000_000  # staff hours a year
COUNT_MAX = 10_000_000
# The technology catalogue's category for freedom-restricting technology (seed 002).
FREEDOM_CATEGORY = "tryghedsskabende-teknologi"
# The technology catalogue's category for artificial intelligence (content/technologies/17-…).
AI_CATEGORY = "kunstig-intelligens"

YES_NO = {"ja": _l("Ja"), "nej": _l("Nej")}
# What the technology does by itself (issue 17 item 1c), from least to most on its own.
AUTOMATION_LEVELS = {
    "indsamler": _l("Den indsamler eller viser kun oplysninger"),
    "foreslaar": _l("Den foreslår eller giver en alarm, og et menneske tager stilling"),
    "beslutter": _l("Den træffer selv beslutninger"),
}

# The eight high-risk areas of Annex III to Regulation (EU) 2024/1689 (the AI Act), in its order,
# as short Danish names of Etikdialog's own, and "none of them" (issue 20 item 1).
ANNEX_III_AREAS = {
    "biometri": _l("1. Biometri"),
    "kritisk_infrastruktur": _l("2. Kritisk infrastruktur"),
    "uddannelse": _l("3. Uddannelse og erhvervsuddannelse"),
    "beskaeftigelse": _l("4. Beskæftigelse, forvaltning af arbejdstagere og adgang til selvstændig virksomhed"),
    "offentlige_ydelser": _l(
        "5. Adgang til væsentlige private og offentlige tjenester og ydelser (fx vurdering af, om en borger "
        "er berettiget til offentlige ydelser og tjenester, herunder sundhedsydelser)"
    ),
    "retshaandhaevelse": _l("6. Retshåndhævelse"),
    "migration": _l("7. Migration, asyl og grænsekontrol"),
    "retspleje": _l("8. Retspleje og demokratiske processer"),
    "ingen": _l("Ingen af områderne i bilag III"),
}

# The groups of the form, the PDF's "Forslaget" and the public page, in order.
GROUPS = {
    "formaal": _l("Formål"),
    "teknologi": _l("Teknologien"),
    "effekt": _l("Effekt (KL's effektguide)"),
    "oekonomi": _l("Økonomi"),
    "alternativer": _l("Alternativer"),
    "automatisering": _l("Automatisering og menneskelig kontrol"),
    "ai": _l("Kunstig intelligens og profilering"),
    "data": _l("Data, hjemmel og frivillighed"),
    "frihed": _l("Frihedsbegrænsende teknologi (magtanvendelse)"),
    "afproevning": _l("Afprøvning, nødplan og barrierer"),
    "inddragelse": _l("Inddragelse"),
    "beslutning": _l("Den formelle beslutning"),
    "klage": _l("Klagevejledning"),
    "praktisk": _l("Praktiske oplysninger"),
}


def amount_text(value: int) -> str:
    return _("%(amount)s kr.", amount=local_number(value))


def hours_text(value: int) -> str:
    return ngettext("%(hours)s time", "%(hours)s timer", value, hours=local_number(value))


def restricts_freedom(value: Callable[[str], object]) -> bool:
    """The freedom-restricting answers are needed when the board says the technology restricts
    freedom, or when its category is tryghedsskabende teknologi (issue 17 item 1d)."""
    return value("restricts_freedom") == "ja" or value("technology_category") == FREEDOM_CATEGORY


def uses_ai(value: Callable[[str], object]) -> bool:
    """The screening says the technology uses AI or machine learning, or profiles citizens."""
    return value("uses_ai") == "ja"


def high_risk_ai(value: Callable[[str], object]) -> bool:
    """The screening places the AI in one of Annex III's areas: a high-risk AI system."""
    return uses_ai(value) and value("ai_annex_area") in ANNEX_III_AREAS and value("ai_annex_area") != "ingen"


def requires_fria(value: Callable[[str], object]) -> bool:
    """The fundamental-rights impact assessment (AI Act Article 27) is needed before sign-off when the
    screening says high-risk AI, or when the category is kunstig intelligens (issue 20 item 1)."""
    return high_risk_ai(value) or value("technology_category") == AI_CATEGORY


@dataclass(frozen=True)
class ProposalField:
    name: str
    label: str  # lazy: read it in the interface's language, or under force_locale("da") for the record
    group: str  # a key of GROUPS
    kind: str = "text"  # text, line, integer, date, url, choice, multi
    max_length: int = TEXT_MAX
    required: bool = True  # needed before the proposal is complete
    required_when: Callable[[Callable[[str], object]], bool] | None = None  # needed only when this holds
    choices: dict[str, str] | None = None
    hint: str = ""
    purpose: bool = False  # purpose before technology: must be written first
    maximum: int = COUNT_MAX  # integers: 0 … maximum
    unit: Callable[[int], str] | None = None  # integers: how a number reads ("450.000 kr.")

    def is_required(self, value: Callable[[str], object]) -> bool:
        """Whether a complete proposal needs this field; `value(name)` reads any field's value."""
        return self.required and (self.required_when is None or self.required_when(value))


def _barrier(name: str, label: str, note: str) -> tuple[ProposalField, ProposalField]:
    """One of seed 004's barriers, rated on its four-step scale, with a note."""
    return (
        ProposalField(name, label, "afproevning", kind="choice", choices=INVOLVEMENT_SCALE),
        ProposalField(f"{name}_note", note, "afproevning", kind="line", max_length=500, required=False),
    )


PROPOSAL_FIELDS: tuple[ProposalField, ...] = (
    ProposalField(
        "problem",
        _l("Hvilket problem skal løses?"),
        "formaal",
        purpose=True,
        hint=_l("Formål før teknologi: beskriv problemet, før I beskriver løsningen."),
    ),
    ProposalField(
        "target_group",
        _l("For hvem?"),
        "formaal",
        purpose=True,
        hint=_l("Hvilke borgere (og medarbejdere) drejer det sig om?"),
    ),
    ProposalField(
        "target_group_size", _l("Målgruppens størrelse (antal borgere)"), "formaal", kind="integer", required=False
    ),
    ProposalField(
        "technology_name",
        _l("Teknologi"),
        "teknologi",
        kind="line",
        max_length=SHORT_MAX,
        hint=_l("For eksempel: Nattilsyn med sensorer i plejeboliger"),
    ),
    ProposalField(
        "technology_category", _l("Teknologikategori"), "teknologi", kind="choice", hint=_l("Fra teknologikataloget")
    ),
    ProposalField("sector_area", _l("Område"), "teknologi", kind="choice"),
    ProposalField("technology_description", _l("Hvad gør teknologien?"), "teknologi"),
    ProposalField(
        "effect_baseline",
        _l("Hvordan er det i dag, og hvordan er det målt?"),
        "effekt",
        hint=_l("Udgangspunktet for målgruppen, for eksempel antal fald om måneden i faldregistreringen."),
    ),
    ProposalField(
        "expected_effect",
        _l("Forventet effekt"),
        "effekt",
        hint=_l("KL's effektguide: hvilken forandring forventer I for målgruppen?"),
    ),
    ProposalField(
        "effect_size",
        _l("Hvor stor forventes forandringen at være?"),
        "effekt",
        hint=_l("Skriv en hel sætning, for eksempel: „Vi forventer en tredjedel færre fald det første år.“"),
    ),
    ProposalField("behaviour_change", _l("Hvilken ny adfærd kræver det af borgere og medarbejdere?"), "effekt"),
    ProposalField(
        "professional_bottom_line",
        _l("Faglig bundlinje"),
        "effekt",
        hint=_l("Hvad betyder det for kvaliteten af hjælpen og for borgerens hverdag?"),
    ),
    ProposalField("expected_benefits", _l("Forventede gevinster"), "effekt", kind="multi", choices=BENEFIT_TYPES),
    ProposalField(
        "effect_followup",
        _l("Hvordan og hvornår måles effekten?"),
        "effekt",
        hint=_l("Hvilke data, hvem måler, og hvornår gøres status op?"),
    ),
    ProposalField(
        "cost_one_off",
        _l("Engangsudgift (kr.)"),
        "oekonomi",
        kind="integer",
        maximum=AMOUNT_MAX,
        unit=amount_text,
        hint=_l("Indkøb, installation og oplæring. Skriv 0, hvis der ingen er."),
    ),
    ProposalField(
        "cost_yearly",
        _l("Årlig driftsudgift (kr.)"),
        "oekonomi",
        kind="integer",
        maximum=AMOUNT_MAX,
        unit=amount_text,
        hint=_l("Licenser, service og medarbejdertid til drift."),
    ),
    ProposalField(
        "funding",
        _l("Hvordan finansieres udgiften?"),
        "oekonomi",
        kind="line",
        max_length=300,
        hint=_l("Så det kan stå efter „Udgiften finansieres af“, for eksempel „ældreområdets driftsbudget“."),
    ),
    ProposalField(
        "freed_hours_yearly",
        _l("Forventet frigjort medarbejdertid (timer om året)"),
        "oekonomi",
        kind="integer",
        maximum=HOURS_MAX,
        unit=hours_text,
        hint=_l("Skriv 0, hvis I ikke forventer at frigøre tid."),
    ),
    ProposalField("without_technology", _l("Hvad sker der, hvis kommunen ikke bruger teknologien?"), "alternativer"),
    ProposalField(
        "alternatives_considered", _l("Hvilke andre løsninger er overvejet, og hvorfor er de fravalgt?"), "alternativer"
    ),
    ProposalField(
        "automation_level", _l("Hvad gør teknologien selv?"), "automatisering", kind="choice", choices=AUTOMATION_LEVELS
    ),
    ProposalField(
        "human_response", _l("Hvem reagerer på en alarm eller et forslag, og hvor hurtigt?"), "automatisering"
    ),
    ProposalField("override", _l("Kan medarbejdere eller borgeren tilsidesætte teknologien?"), "automatisering"),
    ProposalField(
        "error_rates",
        _l("Kendte fejlrater (falske alarmer, oversete hændelser)"),
        "automatisering",
        required=False,
        hint=_l("Som leverandøren oplyser dem. Skriv, hvis de ikke er kendt."),
    ),
    ProposalField(
        "uses_ai",
        _l("Bruger teknologien kunstig intelligens eller maskinlæring, eller profilerer den borgere?"),
        "ai",
        kind="choice",
        choices=YES_NO,
        hint=_l(
            "Svar ja, hvis teknologien lærer af data, forudsiger, anbefaler eller vurderer noget om den enkelte "
            "borger. Er svaret ja, skal de to spørgsmål herunder besvares."
        ),
    ),
    ProposalField(
        "ai_purpose",
        _l("Hvad bruges den kunstige intelligens eller profileringen til?"),
        "ai",
        max_length=2000,
        required_when=uses_ai,
        hint=_l("Skriv i et sprog, borgerne forstår: hvad vurderer eller foreslår systemet, og om hvem?"),
    ),
    ProposalField(
        "ai_annex_area",
        _l("Hvilket område i bilag III til AI-forordningen hører brugen under?"),
        "ai",
        kind="choice",
        choices=ANNEX_III_AREAS,
        required_when=uses_ai,
        hint=_l(
            "Forordning (EU) 2024/1689, bilag III. Et område gør systemet højrisiko, og så skal "
            "konsekvensanalysen for grundlæggende rettigheder (artikel 27) udfyldes før underskrift."
        ),
    ),
    ProposalField("personal_data", _l("Hvilke personoplysninger behandles?"), "data"),
    ProposalField(
        "special_categories",
        _l("Følsomme oplysninger (særlige kategorier)"),
        "data",
        required=False,
        hint=_l("For eksempel helbredsoplysninger. Skriv 'Ingen', hvis der ikke er nogen."),
    ),
    ProposalField(
        "participation", _l("Er det frivilligt eller lovbestemt?"), "data", kind="choice", choices=PARTICIPATION
    ),
    ProposalField(
        "legal_basis",
        _l("Hjemmel eller samtykke"),
        "data",
        hint=_l("Hvilken lov giver hjemmel, eller hvordan gives samtykke?"),
    ),
    ProposalField("data_access", _l("Hvem ser oplysningerne, og hvor længe gemmes de?"), "data"),
    ProposalField("opt_out", _l("Kan borgeren sige nej, og hvad tilbydes i stedet?"), "data"),
    ProposalField(
        "proxy_consent",
        _l("Borgere, der ikke selv kan give samtykke"),
        "data",
        hint=_l("Hvordan håndteres stedfortrædende samtykke?"),
    ),
    ProposalField(
        "restricts_freedom",
        _l("Begrænser teknologien borgerens frihed, eller kan den bruges i en magtanvendelsessituation?"),
        "frihed",
        kind="choice",
        choices=YES_NO,
        hint=_l("Er svaret ja, eller er teknologien tryghedsskabende, skal spørgsmålene herunder besvares."),
    ),
    ProposalField(
        "force_legal_basis",
        _l("Hjemmel efter servicelovens regler om magtanvendelse"),
        "frihed",
        required_when=restricts_freedom,
        hint=_l(
            "Hvilken bestemmelse giver hjemmel (reglerne gældende fra 1. januar 2020, og KL's juridiske "
            "vejledning om sensorer)?"
        ),
    ),
    ProposalField(
        "individual_decision",
        _l("Kræver det en individuel afgørelse for hver borger, og hvem træffer den?"),
        "frihed",
        required_when=restricts_freedom,
    ),
    ProposalField(
        "council_listed",
        _l("Står teknologien på Rådet for Tryghedsskabende Velfærdsteknologis liste?"),
        "frihed",
        kind="choice",
        choices=YES_NO,
        required_when=restricts_freedom,
        hint=_l("Rådet lister de teknologier, der er godkendt til brug i magtanvendelsessituationer."),
    ),
    ProposalField(
        "freedom_consent",
        _l("Hvordan indhentes samtykke eller stedfortrædende samtykke?"),
        "frihed",
        required_when=restricts_freedom,
    ),
    ProposalField(
        "trial",
        _l("Er teknologien afprøvet? Hvor, hvor længe og med hvilket resultat?"),
        "afproevning",
        hint=_l("KL: test først nye teknologier dér, hvor fejl ikke får direkte menneskelige konsekvenser."),
    ),
    ProposalField(
        "failure_plan",
        _l("Hvad sker der, når teknologien svigter?"),
        "afproevning",
        hint=_l("Strømsvigt, netværksnedbrud, falsk alarm, leverandøren forsvinder."),
    ),
    *_barrier(
        "barrier_implementation",
        _l("Er implementering i praksis en barriere?"),
        _l("Bemærkning om implementering i praksis"),
    ),
    *_barrier("barrier_economy", _l("Er økonomien en barriere?"), _l("Bemærkning om økonomien")),
    *_barrier("barrier_management", _l("Er manglende ledelsesfokus en barriere?"), _l("Bemærkning om ledelsesfokus")),
    *_barrier("barrier_maturity", _l("Er umoden teknologi en barriere?"), _l("Bemærkning om teknologiens modenhed")),
    ProposalField(
        "involvement_citizens", _l("Inddragelse af borgere"), "inddragelse", kind="choice", choices=INVOLVEMENT_SCALE
    ),
    ProposalField(
        "involvement_relatives", _l("Inddragelse af pårørende"), "inddragelse", kind="choice", choices=INVOLVEMENT_SCALE
    ),
    ProposalField(
        "involvement_staff", _l("Inddragelse af medarbejdere"), "inddragelse", kind="choice", choices=INVOLVEMENT_SCALE
    ),
    ProposalField(
        "involvement_phase",
        _l("Fra hvilken fase er der inddraget?"),
        "inddragelse",
        kind="choice",
        choices=INVOLVEMENT_PHASES,
    ),
    ProposalField(
        "involvement_description", _l("Hvordan er borgere, pårørende og medarbejdere inddraget?"), "inddragelse"
    ),
    ProposalField(
        "decision_body",
        _l("Udvalg eller organ, der træffer beslutningen"),
        "beslutning",
        kind="line",
        max_length=SHORT_MAX,
        hint=_l("For eksempel: Ældre- og Handicapudvalget"),
    ),
    ProposalField("decision_meeting_date", _l("Mødedato"), "beslutning", kind="date"),
    ProposalField(
        "decision_minutes_url",
        _l("Link til dagsordenspunkt eller referat"),
        "beslutning",
        kind="url",
        max_length=URL_MAX,
        required=False,
        hint=_l("En adresse, der begynder med https://"),
    ),
    ProposalField(
        "case_number",
        _l("Journalnummer"),
        "beslutning",
        kind="line",
        max_length=64,
        hint=_l("Offentliggøres med vurderingen."),
    ),
    ProposalField("in_use_date", _l("Hvornår tages teknologien i brug?"), "beslutning", kind="date", required=False),
    ProposalField(
        "complaint_to",
        _l("Hvem kan borgeren klage til?"),
        "klage",
        kind="line",
        max_length=300,
        hint=_l("Så det kan stå efter „Du kan klage til“, for eksempel „Ankestyrelsen“."),
    ),
    ProposalField(
        "complaint_how",
        _l("Hvordan klager man?"),
        "klage",
        max_length=2000,
        hint=_l("Skriv hele sætninger: hvor sendes klagen hen, og hvem hjælper?"),
    ),
    ProposalField(
        "complaint_deadline",
        _l("Klagefrist"),
        "klage",
        kind="line",
        max_length=200,
        hint=_l("Så det kan stå efter „Klagefristen er“, for eksempel „4 uger fra du har fået afgørelsen“."),
    ),
    ProposalField("supplier", _l("Leverandør"), "praktisk", kind="line", max_length=SHORT_MAX, required=False),
    ProposalField(
        "public_contact",
        _l("Kontakt for borgere"),
        "praktisk",
        kind="line",
        max_length=300,
        hint=_l("Navn, afdeling, telefon eller e-mail, som borgere kan henvende sig til"),
    ),
)

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
    def value(name):
        return getattr(assessment, name)

    return [f for f in PROPOSAL_FIELDS if f.is_required(value) and is_blank(value(f.name))]


def absent_text(name: str, proposal: list[dict]) -> str:
    """What the record's proposal says for a field left empty (the PDF and the page alike): a
    follow-up question that does not apply, because the answer it follows was "Nej", is not
    relevant; an optional field is not given; only a needed one is "Ikke udfyldt". `proposal` is
    the record's proposal items."""
    spec = FIELDS_BY_NAME.get(name)
    values = {item.get("field"): item.get("value") for item in proposal}
    if spec is not None and spec.required_when is not None and not spec.required_when(values.get):
        return _("Ikke relevant for denne teknologi.")
    if spec is not None and not spec.required:
        return _("Ikke oplyst.")
    return _("Ikke udfyldt.")


def display_value(field: ProposalField, value) -> str:
    """The value as a person reads it: labels for choices, a list joined for several."""
    if is_blank(value):
        return ""
    if field.kind == "multi":
        return ", ".join(str((field.choices or {}).get(v, v)) for v in value)
    if field.kind == "choice" and field.choices:
        return str(field.choices.get(value, value))
    if field.kind == "integer":
        return str(field.unit(value)) if field.unit else local_number(value)
    if field.kind == "date":
        return local_date(value)
    return str(value)


def grouped(fields=PROPOSAL_FIELDS) -> list[tuple[str, list[ProposalField]]]:
    """The fields under their groups' titles, in the table's order."""
    groups: dict[str, list[ProposalField]] = {}
    for spec in fields:
        groups.setdefault(spec.group, []).append(spec)
    return [(GROUPS[key], groups[key]) for key in GROUPS if key in groups]
