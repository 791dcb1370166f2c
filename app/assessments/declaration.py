"""The transparency declaration: the questions a citizen asks, answered from the record.

Built from the plain snapshot (canonical JSON), never from the database, so the PDF, the public
page and the consultation page say exactly the same thing.
"""

from __future__ import annotations

from typing import NamedTuple

from app.core.formatting import danish_date
from app.documents.kinds import KINDS, NOT_NEEDED

NOT_GIVEN = "Ikke oplyst endnu."


class DeclarationItem(NamedTuple):
    question: str
    answer: str
    key: str  # stable: code finds an item by its key, never by its Danish question


def _proposal_texts(record: dict) -> dict[str, str]:
    return {item["field"]: (item.get("text") or "").strip() for item in record.get("proposal", [])}


def _join(*parts: str) -> str:
    return " ".join(p.strip() for p in parts if p and p.strip())


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
            sentences.append(f"Kommunen har vurderet, at {indefinite} ikke er nødvendig. "
                             f"Begrundelsen er: {_sentence(entry.get('reason') or '')}")  # fmt: skip
            continue
        dated = f" og er dateret {danish_date(entry['date'])}" if entry.get("date") else ""
        sentences.append(f"{definite[:1].upper()}{definite[1:]} hedder „{entry.get('title', '').strip()}“{dated}.")
        if entry.get("url"):
            sentences.append(f"Den kan læses på {entry['url']}.")
        if entry.get("file"):
            sentences.append("Den er vedhæftet den underskrevne PDF-udgave af vurderingen, og den kan hentes fra "
                             "vurderingens offentlige side.")  # fmt: skip
    named = {e.get("kind") for e in entries}
    missing = [spec.indefinite for kind, spec in KINDS.items() if kind not in named]
    if missing:
        sentences.append(f"Kommunen har ikke oplyst, om der er {_or_list(missing)}.")
    return " ".join(sentences)


def declaration(record: dict) -> list[DeclarationItem]:
    """The declaration in plain Danish, in the order a citizen would ask."""
    text = _proposal_texts(record)
    decision = record.get("decision") or {}
    target = text.get("target_group", "")
    if text.get("target_group_size"):
        target = _join(target, f"Det drejer sig om cirka {text['target_group_size']} borgere.")
    personal_data = text.get("personal_data", "")
    if text.get("special_categories"):
        personal_data = _join(personal_data, f"Følsomme oplysninger: {text['special_categories']}")
    voluntary = _join(text.get("participation", "") + ("." if text.get("participation") else ""),
                      text.get("legal_basis", ""))  # fmt: skip
    involvement_levels = [
        f"{label}: {text[name].lower()}"
        for name, label in (("involvement_citizens", "Borgere"), ("involvement_relatives", "Pårørende"),
                            ("involvement_staff", "Medarbejdere"))
        if text.get(name)
    ]  # fmt: skip
    involvement = _join(
        ("Inddraget i " + ", ".join(involvement_levels) + ".") if involvement_levels else "",
        f"Inddraget fra: {text['involvement_phase'].lower()}." if text.get("involvement_phase") else "",
        text.get("involvement_description", ""),
    )
    review = danish_date(decision.get("review_date")) if decision.get("review_date") else ""
    items = [
        ("decision", "Hvad har kommunen besluttet?", decision.get("label", "")),
        ("technology", "Hvad er teknologien, og hvad gør den?",
         _join(text.get("technology_name", "") + (":" if text.get("technology_description") else ""),
               text.get("technology_description", ""))),
        ("problem", "Hvorfor? Hvilket problem skal den løse?", text.get("problem", "")),
        ("target_group", "Hvem drejer det sig om?", target),
        ("personal_data", "Hvilke oplysninger om mig bruges?", personal_data),
        ("voluntary", "Er det frivilligt, eller kræver loven det?", voluntary),
        ("data_access", "Hvem ser oplysningerne, og hvor længe gemmes de?", text.get("data_access", "")),
        ("opt_out", "Kan jeg sige nej, og hvad får jeg i stedet?", text.get("opt_out", "")),
        ("involvement", "Hvordan er borgere, pårørende og medarbejdere inddraget?", involvement),
        ("contact", "Hvem kan jeg kontakte?", text.get("public_contact", "")),
        ("review", "Hvornår bliver beslutningen vurderet igen?", review),
        ("documents", "Hvilke dokumenter hører til?", _documents(record)),
    ]  # fmt: skip
    return [DeclarationItem(question, answer.strip() or NOT_GIVEN, key) for key, question, answer in items]
