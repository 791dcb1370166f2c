"""The transparency declaration: the questions a citizen asks, answered from the record.

Built from the plain snapshot (canonical JSON), never from the database, so the PDF, the public
page and the consultation page say exactly the same thing.
"""

from __future__ import annotations

from typing import NamedTuple

from app.assessments.document_kinds import KINDS, NOT_NEEDED
from app.assessments.proposal import FREEDOM_CATEGORY
from app.core.formatting import danish_date

NOT_GIVEN = "Ikke oplyst endnu."


class DeclarationItem(NamedTuple):
    question: str
    answer: str
    key: str  # stable: code finds an item by its key, never by its Danish question


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


# Questions added with record schema 2: a record signed under schema 1 has no fields to answer them.
SCHEMA_2_KEYS = frozenset(
    {"decision_place", "automation", "effect", "cost", "without", "freedom", "trial", "complaint", "documents"}
)
# Questions added with record schema 3 (issue 20): older records were never screened for AI.
SCHEMA_3_KEYS = frozenset({"ai"})
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


def _target(text: dict, value: dict) -> str:
    size = value.get("target_group_size")
    if not isinstance(size, int):
        return text.get("target_group", "")
    people = "borger" if size == 1 else "borgere"
    return _paragraphs(text.get("target_group", ""), f"Målgruppen er på cirka {text['target_group_size']} {people}.")


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


def _voluntary(text: dict, value: dict) -> str:
    opening = {"frivillig": "Det er frivilligt for dig.", "lovbestemt": "Det er bestemt ved lov."}
    return _paragraphs(opening.get(value.get("participation"), ""), text.get("legal_basis", ""))


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


def _effect(text: dict) -> str:
    benefits = [b.strip() for b in text.get("expected_benefits", "").split(", ") if b.strip()]  # labels have no commas
    return _paragraphs(
        text.get("expected_effect", ""),
        text.get("effect_size", ""),
        f"Kommunen forventer disse gevinster: {_and_list([_lower_first(b) for b in benefits])}." if benefits else "",
        text.get("effect_baseline", ""),
        text.get("effect_followup", ""),
    )


def _cost(text: dict, value: dict) -> str:
    one_off, yearly, hours = value.get("cost_one_off"), value.get("cost_yearly"), value.get("freed_hours_yearly")
    parts = []
    if isinstance(one_off, int):
        parts.append(f"engangsudgiften er {text['cost_one_off']}" if one_off else "der er ingen engangsudgift")
    if isinstance(yearly, int):
        parts.append(
            f"driften koster {text['cost_yearly']} om året" if yearly else "der er ingen årlige driftsudgifter"
        )
    costs = _sentence(", og ".join(parts))
    funding = text.get("funding", "").rstrip(".")
    freed = ""
    if isinstance(hours, int):
        freed = (
            f"Kommunen forventer, at teknologien frigør medarbejdertid svarende til cirka "
            f"{text['freed_hours_yearly']} om året."
            if hours
            else "Kommunen forventer ikke, at teknologien frigør medarbejdertid."
        )
    return _paragraphs(costs[:1].upper() + costs[1:], f"Udgiften finansieres af {funding}." if funding else "", freed)


def _automation(text: dict, value: dict) -> str:
    return _paragraphs(
        AUTOMATION_ANSWERS.get(value.get("automation_level"), ""),
        text.get("human_response", ""),
        text.get("override", ""),
        text.get("error_rates", ""),
    )


def _freedom(record: dict, text: dict, value: dict) -> str:
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
    listed = {"ja": f"Teknologien står på {COUNCIL_LIST}.", "nej": f"Teknologien står ikke på {COUNCIL_LIST}."}
    return _paragraphs(
        opening,
        text.get("force_legal_basis", ""),
        text.get("individual_decision", ""),
        listed.get(value.get("council_listed"), ""),
        text.get("freedom_consent", ""),
    )


def _ai(record: dict) -> str:
    """ "Bruger teknologien kunstig intelligens?" from the record's `ai` section (schema 3)."""
    section = record.get("ai") or {}
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
    return _paragraphs(opening, section.get("purpose", "") if uses == "ja" else "", area, fria)


# Record schema 4 (issue 28): the ethics board's own recommendation and the formal decision of the
# deciding body are two things, each worded as what it is. The record does not know whether the
# meeting has been held when it is read, so the decision is said as what happens at that meeting.
RECOMMENDATIONS = {
    "anbefales": "Etikrådet anbefaler, at kommunen tager teknologien i brug.",
    "anbefales_med_betingelser": "Etikrådet anbefaler, at kommunen tager teknologien i brug på de betingelser, "
    "der står i handlingsplanen.",
    "anbefales_ikke": "Etikrådet anbefaler ikke, at kommunen tager teknologien i brug.",
}


def _recommendation(record: dict, text: dict) -> str:
    decision = record.get("decision") or {}
    body = text.get("decision_body", "").rstrip(".")
    return _paragraphs(
        RECOMMENDATIONS.get(decision.get("decision") or "", ""),
        f"Anbefalingen er ikke selv en beslutning: den formelle beslutning træffes af {body}." if body else "",
    )


def _decision_place(text: dict, *, formal: bool) -> str:
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
    in_use = "forventes taget i brug" if formal else "tages i brug"
    return _paragraphs(
        where,
        f"Sagens journalnummer er {text['case_number'].rstrip('.')}." if text.get("case_number") else "",
        f"Dagsordenen og referatet kan læses på {text['decision_minutes_url']}."
        if text.get("decision_minutes_url")
        else "",
        f"Teknologien {in_use} den {text['in_use_date']}." if text.get("in_use_date") else "",
    )


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


def declaration(record: dict) -> list[DeclarationItem]:
    """The declaration in plain Danish, in the order a citizen would ask. Every answer is whole
    sentences built from the record's fields, in paragraphs (one a line)."""
    text = _proposal_texts(record)
    value = _proposal_values(record)
    decision = record.get("decision") or {}
    review = danish_date(decision.get("review_date")) if decision.get("review_date") else ""
    items = [
        ("decision", "Hvad har kommunen besluttet?", decision.get("label", "")),
        ("decision_place", "Hvor og hvornår er beslutningen truffet?", _decision_place(text, formal=False)),
        (
            "technology",
            "Hvad er teknologien, og hvad gør den?",
            _join(
                text.get("technology_name", "") + (":" if text.get("technology_description") else ""),
                text.get("technology_description", ""),
            ),
        ),
        ("automation", "Træffer teknologien beslutninger om mig?", _automation(text, value)),
        ("ai", "Bruger teknologien kunstig intelligens?", _ai(record)),
        ("problem", "Hvorfor? Hvilket problem skal den løse?", text.get("problem", "")),
        ("effect", "Hvad skal teknologien give, og hvordan måles det?", _effect(text)),
        ("cost", "Hvad koster det?", _cost(text, value)),
        (
            "without",
            "Hvad sker der, hvis kommunen ikke bruger teknologien?",
            _paragraphs(text.get("without_technology", ""), text.get("alternatives_considered", "")),
        ),
        ("target_group", "Hvem drejer det sig om?", _target(text, value)),
        ("freedom", "Begrænser teknologien min frihed?", _freedom(record, text, value)),
        ("personal_data", "Hvilke oplysninger om mig bruges?", _personal_data(text)),
        ("voluntary", "Er det frivilligt, eller kræver loven det?", _voluntary(text, value)),
        ("data_access", "Hvem ser oplysningerne, og hvor længe gemmes de?", text.get("data_access", "")),
        ("opt_out", "Kan jeg sige nej, og hvad får jeg i stedet?", text.get("opt_out", "")),
        (
            "trial",
            "Er teknologien afprøvet, og hvad sker der, hvis den svigter?",
            _paragraphs(text.get("trial", ""), text.get("failure_plan", "")),
        ),
        ("involvement", "Hvordan er borgere, pårørende og medarbejdere inddraget?", _involvement(text, value)),
        ("documents", "Hvilke dokumenter hører til?", _documents(record)),
        ("contact", "Hvem kan jeg kontakte?", text.get("public_contact", "")),
        ("complaint", "Hvordan klager jeg?", _complaint(text)),
        ("review", "Hvornår bliver beslutningen vurderet igen?", review),
    ]
    if record.get("schema_version", 1) < 2:
        items = [item for item in items if item[0] not in SCHEMA_2_KEYS]
    if record.get("schema_version", 1) < 3:
        items = [item for item in items if item[0] not in SCHEMA_3_KEYS]
    if record.get("schema_version", 1) >= 4:
        worded = {
            "decision": ("Hvad anbefaler etikrådet?", _recommendation(record, text)),
            "decision_place": ("Hvem træffer den formelle beslutning, og hvornår?", _decision_place(text, formal=True)),
        }
        items = [(key, *worded[key]) if key in worded else (key, q, a) for key, q, a in items]
    return [DeclarationItem(question, answer.strip() or NOT_GIVEN, key) for key, question, answer in items]
