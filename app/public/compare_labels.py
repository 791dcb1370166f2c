"""What the version comparison compares, and under which labels (app/public/compare.py): the
sections in the public page's order, the keys left out, each section's entries (identity key,
heading, fields) and how a value of the record reads as text. Labels come from the field tables
the forms use, so a field a later schema adds is labelled without a change here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from flask_babel import lazy_gettext as _l

from app.assessments.fields import ACTION, DECISION, QUESTION, REVIEW, YES_NO_CONDITION
from app.assessments.models import STANCES
from app.assessments.proposal import PROPOSAL_FIELDS, YES_NO
from app.core.formatting import danish_date

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def text(value) -> str:
    """A value of the record as a person reads it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(YES_NO["ja" if value else "nej"])
    if isinstance(value, str):
        return (danish_date(value) or value) if ISO_DATE.fullmatch(value) else value
    if isinstance(value, list):
        return "\n".join(text(v) for v in value)
    if isinstance(value, dict):
        return "\n".join(f"{key}: {text(v)}" for key, v in sorted(value.items()))
    return str(value)


def humanise(key: str) -> str:
    return key.replace("_", " ").strip().capitalize()


SECTION_TITLES = {
    "declaration": _l("Kort fortalt: det skal du vide"),
    "title": _l("Titel"),
    "proposal": _l("Forslaget"),
    "questions": _l("Spørgsmål og udvalgets svar"),
    "recommendations": _l("De fem anbefalinger"),
    "decision": _l("Beslutning"),
    "actions": _l("Handlingsplan"),
    "documents": _l("Dokumenter bag beslutningen"),
    "consultations": _l("Høringssvar og udvalgets svar"),
    "positions": _l("Mindretalsudtalelser"),
    "position_counts": _l("Udvalgets holdninger"),
    "signatories": _l("Underskrifter"),
    "ai": _l("Kunstig intelligens: konsekvenser for grundlæggende rettigheder"),
}
# Who and which version a record is differ between any two versions and say nothing about the
# assessment; the think tank material's hash is no reading matter; `technology` copies three
# proposal fields, which are compared there.
NOT_COMPARED = frozenset(
    {
        "schema_version",
        "public_id",
        "version_number",
        "previous_public_id",
        "content_version",
        "organisation",
        "technology",
    }
)
# Labels for keys that recur in the record's smaller sections (documents, consultations, signatories).
KEY_LABELS = {
    "title": _l("Titel"),
    "name": _l("Navn"),
    "status_label": _l("Status"),
    "reason": _l("Begrundelse"),
    "url": _l("Link til dokumentet"),
    "date": _l("Dato"),
    "answer": _l("Udvalgets svar"),
    "answer_status_label": _l("Udvalgets svar"),
    "body": _l("Høringssvar"),
    "author": _l("Afsender"),
    "question_text": _l("Om spørgsmålet"),
    "received_at": _l("Modtaget"),
}


@dataclass(frozen=True)
class Entries:
    """How the entries of one section are compared: the key that identifies an entry across
    versions (None: align the lists), the heading of an entry, its fields (key: label, in
    order) and the keys not compared (a choice's key when its label is compared, headings)."""

    key: str | None = None
    heading: Callable[[dict, int], str] | None = None
    fields: dict = field(default_factory=dict)
    skip: frozenset = frozenset()


def _yes_no_condition(value) -> str:
    return str(YES_NO_CONDITION["ja" if value else "nej"]) if isinstance(value, bool) else text(value)


# By path: a dict's spec, or for a list the spec of its entries.
SPECS = {
    ("questions",): Entries(
        key="id",
        heading=lambda entry, number: entry.get("text") or "",
        fields={
            "discussion": QUESTION["discussion"].label,
            "answer": QUESTION["answer"].label,
            "concern_label": QUESTION["concern"].label,
        },
        skip=frozenset({"id", "kind", "group_id", "group_title", "text", "explanation", "source", "concern"}),
    ),
    ("recommendations",): Entries(
        key="id",
        heading=lambda entry, number: f"{entry.get('number') or number}. {entry.get('title') or ''}",
        fields={"status_label": REVIEW["status"].label, "justification": REVIEW["justification"].label},
        skip=frozenset({"id", "number", "title", "check_questions", "status"}),
    ),
    ("decision",): Entries(
        fields={
            "label": DECISION["decision"].label,
            "reasoning": DECISION["decision_reasoning"].label,
            "review_date": DECISION["review_date"].label,
        },
        skip=frozenset({"decision"}),
    ),
    ("actions",): Entries(
        heading=lambda entry, number: str(_l("Handling %(number)s", number=number)),
        fields={
            "description": ACTION["description"].label,
            "is_condition": ACTION["is_condition"].label,
            "owner": ACTION["owner"].label,
            "due_date": ACTION["due_date"].label,
            "status_label": ACTION["status"].label,
        },
        skip=frozenset({"status"}),
    ),
    ("documents",): Entries(
        key="kind",
        heading=lambda entry, number: entry.get("kind_label") or entry.get("kind") or "",
        skip=frozenset({"kind", "kind_label", "status"}),
    ),
    ("positions",): Entries(
        key="name",
        heading=lambda entry, number: ", ".join(p for p in (entry.get("name"), entry.get("title")) if p),
        fields={"stance_label": _l("Holdning"), "dissent": _l("Mindretalsudtalelse")},
        skip=frozenset({"name", "title", "stance"}),
    ),
    ("position_counts",): Entries(fields=dict(STANCES)),
    ("signatories",): Entries(heading=lambda entry, number: str(_l("Underskriver %(number)s", number=number))),
    ("consultations",): Entries(
        heading=lambda entry, number: str(_l("Høring %(number)s", number=number)),
        fields={
            "opens": _l("Første dag"),
            "closes": _l("Sidste dag"),
            "introduction": _l("Indledning"),
            "questions": _l("Spørgsmål"),
        },
    ),
    # Record schema 3's AI section repeats three proposal fields (compared there) and what follows
    # from them; its own content is the fundamental-rights impact assessment.
    ("ai",): Entries(
        skip=frozenset({"uses_ai", "purpose", "annex_iii_area", "annex_iii_title", "high_risk", "fria_required"})
    ),
    ("ai", "fria"): Entries(skip=frozenset({"wording", "regulation"})),
}

FORMATTERS = {("actions", "is_condition"): _yes_no_condition}


@cache
def table_labels() -> dict:
    """Every field's label by name, from the proposal's table and every FieldTable of the forms
    (app/assessments/fields.py), so a field a new table adds is labelled without a change here."""
    from app.assessments import fields as tables

    labels = {spec.name: spec.label for spec in PROPOSAL_FIELDS}
    for table in vars(tables).values():
        if isinstance(table, tables.FieldTable):
            for spec in table.fields:
                labels.setdefault(spec.name, spec.label)
    return labels


def label(key: str, parent: str, spec: Entries) -> str:
    """A key's label: the section's own, a recurring key's, a field table's under the key or under
    its parent's prefix (the AI section's fria.dpia is the table's fria_dpia), else the key itself."""
    tables = table_labels()
    found = spec.fields.get(key) or KEY_LABELS.get(key) or tables.get(key) or tables.get(f"{parent}_{key}")
    return str(found) if found else humanise(key)
