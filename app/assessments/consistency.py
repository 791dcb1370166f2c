"""Consistency rules: the signed record must not contradict itself (issue 28 item 1).

One table, RULES. Each rule is a small pure function over the record being built (the canonical
record's plain dict, app/signoff/canonical.py, before its `consistency` section is added) and
returns a Danish message naming the fields involved, or None. The board resolves a finding by
changing the fields, or by writing an explanation (ConsistencyExplanation, per assessment and rule
id); sign-off is refused while a finding has neither (app/signoff/checks.py), and the explained
findings go into the signed record as `consistency`. Anyone holding a record can run the rules
again over it: they read nothing but the record.

The record is always Danish, so the messages are plain Danish, built from the record's own labels.
README "Consistency rules" lists each rule with the seed passage or law behind it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from app.core.formatting import danish_date

EXPLANATION_MAX = 2000
FREEDOM_CATEGORY = "tryghedsskabende-teknologi"  # as app/assessments/proposal.py
AI_CATEGORY = "kunstig-intelligens"
RECOMMENDING = ("anbefales", "anbefales_med_betingelser")


@dataclass(frozen=True)
class Rule:
    id: str  # stable: explanations are stored and signed under it
    title: str  # Danish, short: what contradicts what
    source: str  # the seed passage or law behind the rule
    check: Callable[[dict], str | None]
    advice: str = ""  # for the board (the page "Sammenhæng"), never signed: how to resolve it


@dataclass(frozen=True)
class Finding:
    rule: str
    title: str
    message: str


# --- Reading the record --------------------------------------------------------------------


def _items(record: dict) -> dict[str, dict]:
    return {item["field"]: item for item in record.get("proposal") or [] if isinstance(item, dict)}


def _value(record: dict, name: str):
    item = _items(record).get(name)
    return item.get("value") if item else None


def _text(record: dict, name: str) -> str:
    value = _value(record, name)
    return value.strip() if isinstance(value, str) else ""


def _label(record: dict, name: str) -> str:
    """A proposal field as the board read it: its question, in Danish quotation marks."""
    item = _items(record).get(name)
    return f"„{item['label'] if item else name}“"


def _category(record: dict) -> str:
    return (record.get("technology") or {}).get("category") or _text(record, "technology_category")


def _freedom(record: dict) -> bool:
    return _value(record, "restricts_freedom") == "ja" or _category(record) == FREEDOM_CATEGORY


def _decision(record: dict) -> dict:
    return record.get("decision") or {}


def _document(record: dict, kind: str) -> dict:
    return next((d for d in record.get("documents") or [] if d.get("kind") == kind), {})


def _date(value) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) and value else None
    except ValueError:
        return None


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?;])\s+", text) if s.strip()]


# --- The rules -----------------------------------------------------------------------------

CONSENT_FIELDS = (
    "legal_basis",
    "proxy_consent",
    "opt_out",
    "force_legal_basis",
    "individual_decision",
    "freedom_consent",
)
# A decision without the citizen's consent: the Social Services Act's use-of-force rules
# (serviceloven §§ 124-137, among them § 125 on alarm and tracking systems), or the words.
WITHOUT_CONSENT = re.compile(r"uden\s+(?:\w+\s+)?samtykke|§§?\s*1(?:2[4-9]|3[0-7])\b", re.IGNORECASE)


def voluntary_without_consent(record: dict) -> str | None:
    """ "Voluntary" combined with use without consent: the declaration tells the citizen "Det er
    frivilligt for dig", while the legal basis cites decisions made without consent."""
    if _value(record, "participation") != "frivillig":
        return None
    cited = [name for name in CONSENT_FIELDS if WITHOUT_CONSENT.search(_text(record, name))]
    if not cited:
        return None
    labels = [_label(record, name) for name in cited[:3]]
    fields = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " og " + labels[-1]
    return (
        f"{_label(record, 'participation')} er besvaret „Frivilligt“, men {fields} henviser til afgørelser uden "
        "borgerens samtykke (servicelovens regler om magtanvendelse). Borgeren læser „Det er frivilligt for dig“."
    )


TRIAL_CLAIMED = re.compile(r"\b(?:afprøve[dt]|testet|pilotprojekt)\b", re.IGNORECASE)
TRIAL_DENIED = re.compile(r"\b(?:ikke|aldrig)\s+(?:\w+\s+){0,3}(?:afprøve[dt]|testet)\b", re.IGNORECASE)


def trial_without_evaluation(record: dict) -> str | None:
    """The proposal says the technology was tried, but the evaluation of the trial is marked "not
    needed"."""
    trial = _text(record, "trial")
    evaluation = _document(record, "evaluering")
    if evaluation.get("status") != "ikke_noedvendigt" or not TRIAL_CLAIMED.search(trial):
        return None
    if TRIAL_DENIED.search(trial):
        return None
    return (
        f"{_label(record, 'trial')} siger, at teknologien er afprøvet, men dokumentet „Evaluering af "
        "afprøvningen“ er markeret „ikke nødvendigt“"
        + (f" („{evaluation['reason'].strip()}“)" if (evaluation.get("reason") or "").strip() else "")
        + "."
    )


GUARDIAN_NOT_ENOUGH = re.compile(
    r"værge\w*\s+samtykke\s+(?:rækker|er|gælder)\s+ikke"
    r"|samtykke\s+fra\s+(?:en\s+)?værge\w*\s+(?:alene\s+)?(?:er|rækker|gælder)\s+ikke"
    r"|værge\w*\s+kan\s+ikke\s+(?:give\s+)?samtykke",
    re.IGNORECASE,
)
GUARDIAN_CONSENTS = re.compile(
    r"samtykke\s+fra\s+[^.;]{0,40}værge|værge\w*\s+(?:giver|kan\s+give)\s+samtykke|værge\w*\s+samtykke",
    re.IGNORECASE,
)


def guardian_consent_both_ways(record: dict) -> str | None:
    """One answer rests on the guardian's consent; another says the guardian's consent is not
    enough."""
    relies, denies = [], []
    for name in CONSENT_FIELDS:
        for sentence in _sentences(_text(record, name)):
            if GUARDIAN_NOT_ENOUGH.search(sentence):
                denies.append(name)
            elif GUARDIAN_CONSENTS.search(sentence):
                relies.append(name)
    if not relies or not denies:
        return None
    return (
        f"{_label(record, relies[0])} bygger på samtykke fra værgen, men {_label(record, denies[0])} siger, at "
        "værgens samtykke ikke rækker."
    )


def not_on_councils_list(record: dict) -> str | None:
    """A technology not on the Council's list, recommended for a use-of-force situation."""
    if not _freedom(record) or _value(record, "council_listed") != "nej":
        return None
    if _decision(record).get("decision") not in RECOMMENDING:
        return None
    return (
        f"Teknologien kan bruges i en magtanvendelsessituation ({_label(record, 'restricts_freedom')}), "
        f"{_label(record, 'council_listed')} er besvaret „Nej“, og anbefalingen er „{_decision(record).get('label')}“."
    )


def decision_against_majority(record: dict) -> str | None:
    """More members disagree with the decision than agree with it."""
    counts = record.get("position_counts") or {}
    agree, disagree = int(counts.get("enig") or 0), int(counts.get("uenig") or 0)
    if disagree <= agree:
        return None
    return (
        f"Anbefalingen „{_decision(record).get('label') or 'ikke valgt'}“ går imod flertallet af etikrådets holdninger: "
        f"{disagree} uenige og {agree} enige."
    )


INVOLVEMENT = ("involvement_citizens", "involvement_relatives", "involvement_staff")


def involvement_met_without_involvement(record: dict) -> str | None:
    """Recommendation 5 (citizen involvement) marked "Opfyldt" while the proposal says people were
    not involved at all, or not yet."""
    review = next((r for r in record.get("recommendations") or [] if r.get("number") == 5), None)
    if not review or review.get("status") != "opfyldt":
        return None
    fields = [name for name in INVOLVEMENT if _value(record, name) == "slet_ikke"]
    if _value(record, "involvement_phase") == "ikke_endnu":
        fields.append("involvement_phase")
    if not fields:
        return None
    named = ", ".join(_label(record, name) for name in fields)
    return (
        f"Anbefaling 5 („{review.get('title', '')}“) er markeret „Opfyldt“, men {named} er besvaret "
        "„Slet ikke“ eller „Ikke endnu“."
    )


def no_ai_in_the_ai_category(record: dict) -> str | None:
    """AI "nej" in a record whose technology category is "Kunstig intelligens"."""
    if _value(record, "uses_ai") != "nej" or _category(record) != AI_CATEGORY:
        return None
    return (
        f"{_label(record, 'uses_ai')} er besvaret „Nej“, men {_label(record, 'technology_category')} er "
        "„Kunstig intelligens“."
    )


def dates_before_the_decision(record: dict) -> str | None:
    """Action deadlines or the review date before the date of the decision."""
    decided = _date(_value(record, "decision_meeting_date"))
    if decided is None:
        return None
    early = []
    review = _date(_decision(record).get("review_date"))
    if review is not None and review < decided:
        early.append(f"revurderingsdatoen ({danish_date(review)})")
    for number, action in enumerate(record.get("actions") or [], start=1):
        due = _date(action.get("due_date"))
        if due is not None and due < decided:
            early.append(f"fristen for handling {number} ({danish_date(due)})")
    if not early:
        return None
    return (
        f"{' og '.join(early[:3]).capitalize()} ligger før {_label(record, 'decision_meeting_date')} "
        f"({danish_date(decided)})."
    )


MONITORING = re.compile(r"overvåg|sensor|kamera|gps|position|lokalis|alarm|video", re.IGNORECASE)


def dpia_not_needed_for_monitoring(record: dict) -> str | None:
    """A DPIA marked "not needed" while sensitive data is processed to monitor citizens."""
    dpia = _document(record, "dpia")
    if dpia.get("status") != "ikke_noedvendigt" or not _text(record, "special_categories"):
        return None
    described = " ".join(_text(record, name) for name in ("technology_description", "personal_data"))
    if not (_freedom(record) or MONITORING.search(described)):
        return None
    return (
        "Konsekvensanalysen (DPIA) er markeret „ikke nødvendig“, men "
        f"{_label(record, 'special_categories')} er udfyldt, og teknologien overvåger borgerne "
        f"({_label(record, 'technology_description')})."
    )


RULES: tuple[Rule, ...] = (
    Rule(
        "frivillig_uden_samtykke",
        "Frivilligt, men uden samtykke",
        "Serviceloven §§ 124-137 (magtanvendelse; § 125 om alarm- og pejlesystemer): en afgørelse efter "
        "reglerne træffes uden borgerens samtykke, så ordningen er ikke frivillig for den borger",
        voluntary_without_consent,
        advice="Ret svaret til „Lovbestemt“, ret hjemlen, eller forklar, hvordan begge dele gælder.",
    ),
    Rule(
        "afproevet_uden_evaluering",
        "Afprøvet, men ingen evaluering",
        "Seed 003 (KL, „Gentænk velfærden“): test først nye teknologier dér, hvor fejl ikke får direkte "
        "menneskelige konsekvenser; seed 002 (KL's effektguide): følg op på effekten",
        trial_without_evaluation,
        advice="Vedlæg evalueringen, ret svaret om afprøvningen, eller forklar forskellen.",
    ),
    Rule(
        "vaerge_samtykke_begge_veje",
        "Værgens samtykke både nok og ikke nok",
        "Databeskyttelsesforordningen artikel 7 og serviceloven kapitel 24: hvem der kan give samtykke, "
        "skal fremgå entydigt",
        guardian_consent_both_ways,
        advice="Ret det ene svar, eller forklar, hvornår hvad gælder.",
    ),
    Rule(
        "ikke_paa_raadets_liste",
        "Anbefalet til magtanvendelse uden at stå på Rådets liste",
        "Serviceloven kapitel 24 og Rådet for Tryghedsskabende Velfærdsteknologi: i "
        "magtanvendelsessituationer bruges de teknologier, Rådet har godkendt",
        not_on_councils_list,
        advice="Skriv som betingelse, at teknologien ikke bruges til magtanvendelse, før den står på listen, eller forklar, hvorfor den alligevel anbefales.",
    ),
    Rule(
        "beslutning_mod_flertal",
        "Beslutning imod flertallet",
        "Kommunestyrelsesloven § 13 (afgørelser træffes ved stemmeflerhed), som etikrådets egen afstemning afspejler",
        decision_against_majority,
        advice="Ret anbefalingen, eller forklar, hvorfor den står.",
    ),
    Rule(
        "anbefaling5_uden_inddragelse",
        "Anbefaling 5 opfyldt uden inddragelse",
        "Seed 001, KL's tænketank, anbefaling 5 („Tænk i samarbejde og borgerinddragelse“): borgerne "
        "inviteres ind allerede fra idéfasen",
        involvement_met_without_involvement,
        advice="Ret status eller svarene om inddragelse, eller forklar det.",
    ),
    Rule(
        "ai_nej_i_ai_kategori",
        "Ingen AI i kategorien Kunstig intelligens",
        "AI-forordningen (forordning (EU) 2024/1689) artikel 3, nr. 1 (definitionen af et AI-system), og "
        "teknologikataloget (content/technologies/), kategorien „Kunstig intelligens“",
        no_ai_in_the_ai_category,
        advice="Ret et af svarene, eller forklar det.",
    ),
    Rule(
        "frist_foer_beslutning",
        "Frist før beslutningen",
        "Forvaltningsretlig orden: betingelser og revurdering følger beslutningen og kan ikke forfalde før den",
        dates_before_the_decision,
        advice="Ret datoerne, eller forklar det.",
    ),
    Rule(
        "dpia_ikke_noedvendig_ved_overvaagning",
        "Ingen konsekvensanalyse ved overvågning med følsomme oplysninger",
        "Databeskyttelsesforordningen artikel 35, stk. 1 og stk. 3, litra b, og Datatilsynets liste over "
        "behandlinger, der altid kræver en konsekvensanalyse",
        dpia_not_needed_for_monitoring,
        advice="Lav konsekvensanalysen, eller forklar, hvorfor den ikke er nødvendig.",
    ),
)
RULES_BY_ID = {rule.id: rule for rule in RULES}


def findings(record: dict) -> list[Finding]:
    """Every rule's finding over the record, in the table's order."""
    found = []
    for rule in RULES:
        message = rule.check(record)
        if message:
            found.append(Finding(rule.id, rule.title, message))
    return found


def section(record: dict, explanations: dict[str, str]) -> list[dict]:
    """The record's `consistency`: each finding the board explained, with its explanation."""
    return [
        {"rule": f.rule, "message": f.message, "explanation": explanations[f.rule].strip()}
        for f in findings(record)
        if (explanations.get(f.rule) or "").strip()
    ]


def unresolved(record: dict) -> list[Finding]:
    """The findings over a record (with its `consistency` section) that no explanation covers."""
    explained = {entry.get("rule") for entry in record.get("consistency") or []}
    return [f for f in findings(record) if f.rule not in explained]
