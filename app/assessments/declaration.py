"""The transparency declaration ("Kort fortalt"): the questions a citizen asks, answered from the record.

Built from the plain snapshot (canonical JSON), never from the database, so the PDF, the public
page and the consultation page say exactly the same thing (issue 28 item 5: one rule, one place).
An answer is whole sentences in parts: the item's own answer first, then each further answer
under a short question of its own, so a "Nej." is never followed by a "Ja." that answers
something else; a list (the conditions, the barriers) stands under its part.
"""

from __future__ import annotations

from typing import NamedTuple

from app.assessments.document_kinds import KINDS, NOT_NEEDED
from app.assessments.proposal import FREEDOM_CATEGORY, high_risk_ai
from app.core.formatting import danish_date
from app.core.readability import lix

NOT_GIVEN = "Ikke oplyst endnu."


class Part(NamedTuple):
    """One answer of an item: `question` is empty for the item's own answer, otherwise a short
    question of its own; `text` is paragraphs (one a line); `items` a list below them."""

    question: str
    text: str
    items: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.text.strip() and not self.items


class DeclarationItem(NamedTuple):
    question: str
    answer: str  # the whole answer as plain text, sub-questions included (comparison, bounds, tests)
    key: str  # stable: code finds an item by its key, never by its Danish question
    parts: tuple[Part, ...] = ()  # what the PDF and the page print: NOT_GIVEN when there are none


def _item(key: str, question: str, answer: str | list[Part]) -> DeclarationItem:
    parts = [Part("", answer)] if isinstance(answer, str) else answer
    parts = tuple(Part(p.question, p.text.strip(), tuple(i for i in p.items if i.strip())) for p in parts)
    parts = tuple(p for p in parts if not p.empty)
    if parts and parts[0].question:  # further answers, but not the item's own: say it is not given
        parts = (Part("", NOT_GIVEN), *parts)
    lines = []
    for part in parts:
        lines += [part.question, part.text, *part.items]
    answer_text = "\n".join(line for line in lines if line) or NOT_GIVEN
    return DeclarationItem(question, answer_text, key, parts)


def _proposal_texts(record: dict) -> dict[str, str]:
    return {item["field"]: (item.get("text") or "").strip() for item in record.get("proposal", [])}


def _join(*parts: str) -> str:
    return " ".join(p.strip() for p in parts if p and p.strip())


def _paragraphs(*parts: str) -> str:
    """Paragraphs of an answer, one a line (the PDF and the page set each line apart)."""
    return "\n".join(p.strip() for p in parts if p and p.strip())


def _proposal_values(record: dict) -> dict:
    return {item["field"]: item.get("value") for item in record.get("proposal", [])}


def _and_list(phrases: list[str]) -> str:
    return phrases[0] if len(phrases) == 1 else ", ".join(phrases[:-1]) + " og " + phrases[-1]


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


# The proposal's free-text fields whose words the citizen section prints as they were written:
# the board sees each one's LIX while writing it (issue 28 item 6), with the decision's reasoning.
CITIZEN_FIELDS = frozenset(
    {
        "problem", "target_group", "technology_description", "expected_effect", "effect_size",
        "effect_baseline", "effect_followup", "without_technology", "alternatives_considered",
        "human_response", "override", "error_rates", "ai_purpose", "personal_data", "legal_basis",
        "data_access", "opt_out", "proxy_consent", "force_legal_basis", "individual_decision",
        "freedom_consent", "trial", "failure_plan", "involvement_description", "complaint_how",
        "decision_reasoning",
    }
)  # fmt: skip


# Questions added with record schema 2: a record signed under schema 1 has no fields to answer them.
SCHEMA_2_KEYS = frozenset(
    {
        "decision_place",
        "automation",
        "effect",
        "cost",
        "without",
        "freedom",
        "trial",
        "barriers",
        "complaint",
        "documents",
    }
)
# Questions added with record schema 3 (issue 20): older records were never screened for AI.
SCHEMA_3_KEYS = frozenset({"ai"})
# Items about a decision: a proposal put to consultation has none (nothing is decided while
# citizens are asked), and an unsigned one is never presented as decided.
DECISION_ITEMS = frozenset({"decision", "review"})
# What the ethics board says when it does not recommend the technology (and the older records' label).
NOT_RECOMMENDED = "anbefales_ikke"
AUTOMATION_ANSWERS = {
    "indsamler": "Nej. Teknologien indsamler eller viser kun oplysninger. Det er medarbejderne, der træffer "
    "beslutningerne.",
    "foreslaar": "Nej. Teknologien foreslår eller giver en alarm, men det er et menneske, der tager stilling til, "
    "hvad der skal ske.",
    "beslutter": "Ja. Teknologien træffer selv beslutninger.",
}
INVOLVEMENT_PHASE_SENTENCES = {
    "ide": "Inddragelsen begyndte allerede i idéfasen.",
    "udvikling": "Inddragelsen begyndte, da teknologien blev udviklet og afprøvet.",
    "beslutning": "Inddragelsen begyndte lige før beslutningen.",
    "implementering": "Inddragelsen begynder, når teknologien bliver indført.",
    "ikke_endnu": "Ingen er inddraget endnu.",
}
COUNCIL_LIST = (
    "Rådet for Tryghedsskabende Velfærdsteknologis liste over teknologier, der er godkendt til brug i "
    "magtanvendelsessituationer"
)
# Seed 004's barriers, each as the subject of "… er i høj grad en barriere." (the level's label, lower case).
BARRIERS = (
    ("barrier_implementation", "At få teknologien til at fungere i praksis er {level} en barriere."),
    ("barrier_economy", "Økonomien er {level} en barriere."),
    ("barrier_management", "Manglende ledelsesfokus er {level} en barriere."),
    ("barrier_maturity", "At teknologien er umoden, er {level} en barriere."),
)


def _target(text: dict, value: dict) -> str:
    size = value.get("target_group_size")
    if not isinstance(size, int):
        return text.get("target_group", "")
    people = "borger" if size == 1 else "borgere"
    return _paragraphs(text.get("target_group", ""), f"Målgruppen er på cirka {text['target_group_size']} {people}.")


def _technology(text: dict) -> list[Part]:
    what = _join(
        text.get("technology_name", "") + (":" if text.get("technology_description") else ""),
        text.get("technology_description", ""),
    )
    parts = [Part("", what)]
    if "supplier" in text:  # every schema has the field; an empty one is said, not left out
        supplier = text["supplier"].rstrip(".")
        parts.append(
            Part(
                "Hvem leverer teknologien?",
                f"Leverandøren er {supplier}." if supplier else "Kommunen har ikke oplyst, hvem leverandøren er.",
            )
        )
    return parts


def _personal_data(text: dict) -> str:
    special = text.get("special_categories", "")
    if not special:
        return text.get("personal_data", "")
    if special.lower().rstrip(".") == "ingen":
        return _paragraphs(text.get("personal_data", ""), "Der behandles ingen følsomme oplysninger.")
    return _paragraphs(
        text.get("personal_data", ""),
        f"Blandt oplysningerne er disse følsomme oplysninger: {_sentence(_lower_first(special))}",
    )


def _voluntary(text: dict, value: dict) -> list[Part]:
    opening = {"frivillig": "Det er frivilligt for dig.", "lovbestemt": "Det er bestemt ved lov."}
    basis = text.get("legal_basis", "")
    if not opening.get(value.get("participation")):
        return [Part("", basis)]
    return [Part("", opening[value["participation"]]), Part("Hvilken lov eller hvilket samtykke bygger det på?", basis)]


def _involvement(text: dict, value: dict) -> str:
    """ "Borgerne er i nogen grad inddraget, de pårørende i høj grad og medarbejderne slet ikke." """
    groups = [
        (who, _lower_first(text[name]))
        for name, who in (
            ("involvement_citizens", "borgerne"),
            ("involvement_relatives", "de pårørende"),
            ("involvement_staff", "medarbejderne"),
        )
        if text.get(name)
    ]
    levels = ""
    if groups:
        (who, level), rest = groups[0], groups[1:]
        levels = _sentence(
            _and_list(
                [f"{who[:1].upper()}{who[1:]} er {level} inddraget", *(f"{other} {degree}" for other, degree in rest)]
            )
        )
    return _paragraphs(
        levels,
        INVOLVEMENT_PHASE_SENTENCES.get(value.get("involvement_phase"), ""),
        text.get("involvement_description", ""),
    )


def _effect(text: dict, *, hypothetical: bool) -> list[Part]:
    """What the technology is to give. Not recommended, it is what it would have given: the
    board's own words are introduced as the proposal's, and the benefits are said in the past."""
    benefits = [b.strip() for b in text.get("expected_benefits", "").split(", ") if b.strip()]  # labels have no commas
    expected = _paragraphs(text.get("expected_effect", ""), text.get("effect_size", ""))
    listed = _and_list([_lower_first(b) for b in benefits]) if benefits else ""
    if hypothetical:
        lead = "Teknologien er ikke anbefalet. Hvis den blev taget i brug, ville den ifølge forslaget give dette:"
        gains = f"Forslaget regnede med disse gevinster: {listed}." if listed else ""
        main = _paragraphs(lead if expected or gains else "", expected, gains)
    else:
        main = _paragraphs(expected, f"Kommunen forventer disse gevinster: {listed}." if listed else "")
    return [
        Part("", main),
        Part("Hvordan er det i dag?", text.get("effect_baseline", "")),
        Part("Hvordan og hvornår måles det?", text.get("effect_followup", "")),
    ]


def _cost(text: dict, value: dict, *, hypothetical: bool) -> str:
    """What it costs; for a technology that is not recommended, what it would cost ("ville koste")."""
    one_off, yearly, hours = value.get("cost_one_off"), value.get("cost_yearly"), value.get("freed_hours_yearly")
    be, cost = ("ville være", "ville koste") if hypothetical else ("er", "koster")
    parts = []
    if isinstance(one_off, int):
        parts.append(
            f"engangsudgiften {be} {text['cost_one_off']}"
            if one_off
            else ("der ville ikke være nogen engangsudgift" if hypothetical else "der er ingen engangsudgift")
        )
    if isinstance(yearly, int):
        parts.append(
            f"driften {cost} {text['cost_yearly']} om året"
            if yearly
            else ("der ville ikke være årlige driftsudgifter" if hypothetical else "der er ingen årlige driftsudgifter")
        )
    costs = _sentence(", og ".join(parts))
    funding = text.get("funding", "").rstrip(".")
    if funding:
        funding = (
            f"Udgiften ville blive finansieret af {funding}." if hypothetical else f"Udgiften finansieres af {funding}."
        )
    freed = ""
    if isinstance(hours, int) and hypothetical:
        freed = (
            f"Teknologien ville frigøre medarbejdertid svarende til cirka {text['freed_hours_yearly']} om året."
            if hours
            else "Teknologien ville ikke frigøre medarbejdertid."
        )
    elif isinstance(hours, int):
        freed = (
            f"Kommunen forventer, at teknologien frigør medarbejdertid svarende til cirka "
            f"{text['freed_hours_yearly']} om året."
            if hours
            else "Kommunen forventer ikke, at teknologien frigør medarbejdertid."
        )
    return _paragraphs(costs[:1].upper() + costs[1:], funding, freed)


def _automation(text: dict, value: dict) -> list[Part]:
    return [
        Part("", AUTOMATION_ANSWERS.get(value.get("automation_level"), "")),
        Part("Hvem reagerer, og hvor hurtigt?", text.get("human_response", "")),
        Part("Kan en medarbejder eller du selv sætte teknologien til side?", text.get("override", "")),
        Part("Hvor ofte tager den fejl?", text.get("error_rates", "")),
    ]


def _freedom(record: dict, text: dict, value: dict) -> list[Part]:
    restricts = value.get("restricts_freedom")
    opening = {
        "ja": "Ja. Teknologien kan begrænse din frihed eller bruges i en situation, hvor kommunen anvender magt. "
        "Derfor gælder servicelovens regler om magtanvendelse.",
        "nej": "Nej. Kommunen vurderer, at teknologien ikke begrænser din frihed og ikke kan bruges i en situation, "
        "hvor kommunen anvender magt.",
    }.get(restricts, "")
    category = (record.get("technology") or {}).get("category")
    if restricts == "nej" and category == FREEDOM_CATEGORY and text.get("force_legal_basis"):
        opening = _join(
            opening,
            "Teknologien hører dog til de tryghedsskabende teknologier, så kommunen har "
            "også beskrevet reglerne for magtanvendelse.",
        )
    listed = {"ja": f"Ja. Teknologien står på {COUNCIL_LIST}.", "nej": f"Nej. Teknologien står ikke på {COUNCIL_LIST}."}
    return [
        Part("", opening),
        Part("Hvilke regler giver kommunen lov?", text.get("force_legal_basis", "")),
        Part("Skal der træffes en afgørelse for hver borger?", text.get("individual_decision", "")),
        Part(
            "Står teknologien på Rådet for Tryghedsskabende Velfærdsteknologis liste?",
            listed.get(value.get("council_listed"), ""),
        ),
        Part("Hvordan spørges du eller din stedfortræder om samtykke?", text.get("freedom_consent", "")),
    ]


def _screening(record: dict) -> dict:
    """The AI screening: the record's `ai` section (schema 3), or, for a proposal frozen for a
    consultation (which keeps the proposal but not the section), the same answers read from its
    proposal fields."""
    section = record.get("ai")
    if isinstance(section, dict):
        return section
    value = _proposal_values(record)
    if "uses_ai" not in value:
        return {}
    text = _proposal_texts(record)
    return {
        "uses_ai": value.get("uses_ai") or "",
        "purpose": text.get("ai_purpose", ""),
        "annex_iii_area": value.get("ai_annex_area") or "",
        "annex_iii_title": text.get("ai_annex_area", ""),
        "high_risk": high_risk_ai(value.get),
    }


def _ai(record: dict) -> list[Part]:
    """ "Bruger teknologien kunstig intelligens?" from the screening (schema 3)."""
    section = _screening(record)
    uses = section.get("uses_ai")
    if uses == "nej":
        opening = (
            "Nej. Kommunen vurderer, at teknologien ikke bruger kunstig intelligens eller maskinlæring og ikke "
            "profilerer borgere."
        )
    elif uses == "ja":
        opening = "Ja. Teknologien bruger kunstig intelligens eller maskinlæring, eller den profilerer borgere."
    else:
        opening = ""
    area = ""
    if uses == "ja" and section.get("high_risk"):
        number, _dot, title = (section.get("annex_iii_title") or "").partition(". ")
        area = (
            f"Brugen hører under et af de områder, hvor EU's AI-forordning regner kunstig intelligens for "
            f"højrisiko (bilag III, punkt {number}: {_lower_first(title)})."
        )
    elif uses == "ja" and section.get("annex_iii_area") == "ingen":
        area = "Brugen hører ikke under de højrisikoområder, som EU's AI-forordning nævner i bilag III."
    fria = ""
    if section.get("fria"):
        fria = (
            "Kommunen har vurderet konsekvenserne for borgernes grundlæggende rettigheder efter AI-forordningens "
            "artikel 27. Vurderingen er en del af det underskrevne dokument."
        )
    return [
        Part("", opening),
        Part("Hvad bruges den til?", section.get("purpose", "") if uses == "ja" else ""),
        Part("Er det højrisiko efter EU's AI-forordning?", _paragraphs(area, fria)),
    ]


# Record schema 4 (issue 28): the ethics board's own recommendation and the formal decision of the
# deciding body are two things, each worded as what it is. The record does not know whether the
# meeting has been held when it is read, so the decision is said as what happens at that meeting.
RECOMMENDATIONS = {
    "anbefales": "Etikrådet anbefaler, at kommunen tager teknologien i brug.",
    "anbefales_med_betingelser": "Etikrådet anbefaler, at kommunen tager teknologien i brug på de betingelser, "
    "der står herunder.",
    NOT_RECOMMENDED: "Etikrådet anbefaler ikke, at kommunen tager teknologien i brug.",
}


def _conditions(record: dict) -> tuple[str, ...]:
    """The conditions of the action plan, each in whole sentences with who answers for it and by when."""
    listed = []
    for action in record.get("actions") or []:
        if not action.get("is_condition") or not (action.get("description") or "").strip():
            continue
        owner, due = (action.get("owner") or "").strip().rstrip("."), action.get("due_date")
        if owner and due:
            who = f"Ansvarlig er {owner}, og fristen er {danish_date(due)}."
        elif owner:
            who = f"Ansvarlig er {owner}."
        elif due:
            who = f"Fristen er {danish_date(due)}."
        else:
            who = ""
        listed.append(_paragraphs(_sentence(action["description"]), who))
    return tuple(listed)


def _recommendation(record: dict, text: dict) -> list[Part]:
    """What the board recommends (schema 4) or, in older records, what the record calls decided;
    then why, and the conditions as a list."""
    decision = record.get("decision") or {}
    formal = record.get("schema_version", 1) >= 4
    if formal:
        body = text.get("decision_body", "").rstrip(".")
        opening = _paragraphs(
            RECOMMENDATIONS.get(decision.get("decision") or "", ""),
            f"Anbefalingen er ikke selv en beslutning: den formelle beslutning træffes af {body}." if body else "",
        )
    else:
        opening = decision.get("label", "")
    return [
        Part("", opening),
        Part("Hvorfor?", decision.get("reasoning") or ""),
        Part(
            "Hvilke betingelser stiller etikrådet?" if formal else "Hvilke betingelser er der?",
            "",
            _conditions(record),
        ),
    ]


def _decision_place(text: dict, *, formal: bool, hypothetical: bool) -> str:
    """Who decides, where and when. Records of schema 4 speak of the formal decision as still to be
    made ("træffes"); earlier records keep the wording they were shown with ("er truffet")."""
    subject, verb = ("Den formelle beslutning", "træffes") if formal else ("Beslutningen", "er truffet")
    body, met = text.get("decision_body", "").rstrip("."), text.get("decision_meeting_date", "")
    if body and met:
        where = f"{subject} {verb} af {body} på mødet den {met}."
    elif body:
        where = f"{subject} {verb} af {body}."
    elif met:
        where = f"{subject} {verb} på et møde den {met}."
    else:
        where = ""
    if not text.get("in_use_date"):
        in_use = ""
    elif hypothetical:
        in_use = f"Efter forslaget skulle teknologien tages i brug den {text['in_use_date']}."
    else:
        in_use = f"Teknologien {'forventes taget i brug' if formal else 'tages i brug'} den {text['in_use_date']}."
    return _paragraphs(
        where,
        f"Sagens journalnummer er {text['case_number'].rstrip('.')}." if text.get("case_number") else "",
        f"Dagsordenen og referatet kan læses på {text['decision_minutes_url']}."
        if text.get("decision_minutes_url")
        else "",
        in_use,
    )


def _barriers(text: dict) -> list[Part]:
    """Seed 004's barriers as a list of sentences ("Økonomien er i mindre grad en barriere.")."""
    listed = []
    for name, sentence in BARRIERS:
        level = text.get(name, "")
        if level:
            listed.append(
                _paragraphs(sentence.format(level=_lower_first(level)), _sentence(text.get(f"{name}_note", "")))
            )
    return [Part("", "Kommunen har vurderet, hvad der kan stå i vejen:" if listed else "", tuple(listed))]


def _complaint(text: dict) -> str:
    to, deadline = text.get("complaint_to", "").rstrip("."), text.get("complaint_deadline", "").rstrip(".")
    if deadline.lower().startswith("ingen"):  # "ingen frist, fordi …"
        deadline_sentence = f"Der er {_lower_first(deadline)}."
    else:
        deadline_sentence = f"Klagefristen er {_lower_first(deadline)}." if deadline else ""
    return _paragraphs(f"Du kan klage til {to}." if to else "", text.get("complaint_how", ""), deadline_sentence)


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?" else text + "."


def _or_list(phrases: list[str]) -> str:
    return phrases[0] if len(phrases) == 1 else ", ".join(phrases[:-1]) + " eller " + phrases[-1]


def _documents(record: dict) -> str:
    """The answer to "Hvilke dokumenter hører til?": a sentence or two per document in the record,
    then which kinds the municipality has said nothing about. Empty when it has said nothing."""
    entries = [e for e in record.get("documents") or [] if isinstance(e, dict)]
    if not entries:
        return ""
    sentences = []
    for entry in entries:
        spec = KINDS.get(entry.get("kind"))
        definite = spec.definite if spec else (entry.get("kind_label") or "dokumentet").lower()
        indefinite = spec.indefinite if spec else (entry.get("kind_label") or "dokumentet").lower()
        if entry.get("status") == NOT_NEEDED:
            sentences.append(
                f"Kommunen har vurderet, at {indefinite} ikke er nødvendig. "
                f"Begrundelsen er: {_sentence(entry.get('reason') or '')}"
            )
            continue
        dated = f" og er dateret {danish_date(entry['date'])}" if entry.get("date") else ""
        sentences.append(f"{definite[:1].upper()}{definite[1:]} hedder „{entry.get('title', '').strip()}“{dated}.")
        if entry.get("url"):
            sentences.append(f"Den kan læses på {entry['url']}.")
        if entry.get("file"):
            sentences.append(
                "Den er vedhæftet den underskrevne PDF-udgave af vurderingen, og den kan hentes fra "
                "vurderingens offentlige side."
            )
    named = {e.get("kind") for e in entries}
    missing = [spec.indefinite for kind, spec in KINDS.items() if kind not in named]
    if missing:
        sentences.append(f"Kommunen har ikke oplyst, om der er {_or_list(missing)}.")
    return " ".join(sentences)


def is_hypothetical(record: dict) -> bool:
    """Whether the record speaks of the technology's costs and effects as what they would be: the
    ethics board does not recommend it."""
    return (record.get("decision") or {}).get("decision") == NOT_RECOMMENDED


def declaration(record: dict, *, consultation: bool = False) -> list[DeclarationItem]:
    """The declaration in plain Danish, in the order a citizen would ask. Every answer is whole
    sentences built from the record's fields, in parts (see the module's docstring).

    `consultation`: the proposal as put to consultation (app/consultation/services.py): no item
    about a decision, and the formal decision is said as still to be made, whatever the schema."""
    text = _proposal_texts(record)
    value = _proposal_values(record)
    decision = record.get("decision") or {}
    review = danish_date(decision.get("review_date")) if decision.get("review_date") else ""
    schema = record.get("schema_version", 1)
    hypothetical = is_hypothetical(record) and not consultation
    formal = schema >= 4 or consultation
    items = [
        (
            "decision",
            "Hvad anbefaler etikrådet?" if schema >= 4 else "Hvad har kommunen besluttet?",
            _recommendation(record, text),
        ),
        (
            "decision_place",
            "Hvem træffer den formelle beslutning, og hvornår?"
            if formal
            else "Hvor og hvornår er beslutningen truffet?",
            _decision_place(text, formal=formal, hypothetical=hypothetical),
        ),
        ("technology", "Hvad er teknologien, og hvad gør den?", _technology(text)),
        ("automation", "Træffer teknologien beslutninger om mig?", _automation(text, value)),
        ("ai", "Bruger teknologien kunstig intelligens?", _ai(record)),
        ("problem", "Hvorfor? Hvilket problem skal den løse?", text.get("problem", "")),
        ("effect", "Hvad skal teknologien give?", _effect(text, hypothetical=hypothetical)),
        (
            "cost",
            "Hvad koster det?",
            _cost(text, value, hypothetical=hypothetical),
        ),
        (
            "without",
            "Hvad sker der, hvis kommunen ikke bruger teknologien?",
            [
                Part("", text.get("without_technology", "")),
                Part("Hvilke andre løsninger er overvejet?", text.get("alternatives_considered", "")),
            ],
        ),
        ("target_group", "Hvem drejer det sig om?", _target(text, value)),
        ("freedom", "Begrænser teknologien min frihed?", _freedom(record, text, value)),
        ("personal_data", "Hvilke oplysninger om mig bruges?", _personal_data(text)),
        ("voluntary", "Er det frivilligt, eller kræver loven det?", _voluntary(text, value)),
        ("data_access", "Hvem ser oplysningerne, og hvor længe gemmes de?", text.get("data_access", "")),
        ("opt_out", "Kan jeg sige nej, og hvad får jeg i stedet?", text.get("opt_out", "")),
        ("proxy_consent", "Hvad sker der, hvis jeg ikke selv kan give samtykke?", text.get("proxy_consent", "")),
        (
            "trial",
            "Er teknologien afprøvet?",
            [
                Part("", text.get("trial", "")),
                Part("Hvad sker der, hvis den svigter?", text.get("failure_plan", "")),
            ],
        ),
        ("barriers", "Hvad kan gøre det svært at bruge teknologien?", _barriers(text)),
        ("involvement", "Hvordan er borgere, pårørende og medarbejdere inddraget?", _involvement(text, value)),
        ("documents", "Hvilke dokumenter hører til?", _documents(record)),
        ("contact", "Hvem kan jeg kontakte?", text.get("public_contact", "")),
        ("complaint", "Hvordan klager jeg?", _complaint(text)),
        ("review", "Hvornår bliver beslutningen vurderet igen?", review),
    ]
    if schema < 2:
        items = [item for item in items if item[0] not in SCHEMA_2_KEYS]
    if schema < 3:
        items = [item for item in items if item[0] not in SCHEMA_3_KEYS]
    if consultation:
        items = [item for item in items if item[0] not in DECISION_ITEMS]
    return [_item(key, question, answer) for key, question, answer in items]


def citizen_text(items: list[DeclarationItem]) -> str:
    """The answers of the declaration as one text, without the questions (ours, not the board's)
    and without the items not given: what its LIX is measured on."""
    return "\n".join(line for item in items for part in item.parts for line in (part.text, *part.items) if line.strip())


def readability_section(record: dict) -> dict | None:
    """The record's optional `readability` (schema 4, issue 28 item 6): the LIX of its citizen
    section. None when the section has no words yet."""
    measured = lix(citizen_text(declaration(record)))
    if measured is None:
        return None
    return {
        "lix": measured.score,
        "words": measured.words,
        "sentences": measured.sentences,
        "long_words": measured.long_words,
    }
