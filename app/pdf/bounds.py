"""How large a document the PDF takes: lines per field and the size of the whole document.

Without bounds an editor could fill every field to its 5,000 characters in thousands of short
lines and make one render take minutes (ADR 0005). The form bounds say how long a field may be;
these say how much the PDF prints. They are checked before sign-off is requested (a precondition
that names the fields over the bound) and again at signing, never discovered by a failed render.

Counted from the plain record, as the renderer prints it: each non-empty line of a person's text
is a paragraph (`flowables.lines_of`), every field printed counts toward the total.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from app.assessments.declaration import declaration
from app.pdf.flowables import lines_of

MAX_FIELD_LINES = 60  # paragraphs in one field
MAX_DOCUMENT_CHARACTERS = 300_000  # about 100 pages of text
MAX_DOCUMENT_LINES = 3_000  # paragraphs and table rows in the whole document

# What an item costs beyond its own lines: the headings and labels printed with it, and for an
# action the table row of six cells (as costly to lay out as about four paragraphs). Without this,
# 1,400 one-word actions or 1,500 one-line consultation responses would pass the line bound.
OVERHEAD = {
    "discussion": 1,
    "answer": 2,
    "recommendation": 2,
    "action": 4,
    "dissent": 1,
    "response": 1,
    "response_answer": 1,
}


@dataclass(frozen=True)
class Field:
    kind: str  # what it is: "proposal", "discussion", "answer", … (signoff.services names them)
    key: str  # which one: the proposal field's label, the question's number, a name
    characters: int
    lines: int  # its non-empty lines: each is a paragraph

    @property
    def cost(self) -> int:
        """What it counts toward MAX_DOCUMENT_LINES."""
        return self.lines + OVERHEAD.get(self.kind, 0)


@dataclass(frozen=True)
class Overrun:
    too_many_lines: list[Field]  # fields over MAX_FIELD_LINES
    characters: int  # the document's total
    lines: int
    largest: list[Field]  # the longest fields, for the message when the total is over

    @property
    def characters_over(self) -> bool:
        return self.characters > MAX_DOCUMENT_CHARACTERS

    @property
    def lines_over(self) -> bool:
        return self.lines > MAX_DOCUMENT_LINES

    def __bool__(self) -> bool:
        return bool(self.too_many_lines) or self.characters_over or self.lines_over


def _field(kind: str, key, text) -> Field:
    text = str(text or "")
    return Field(kind, str(key), len(text), len(lines_of(text)))


def fields(record: dict) -> Iterator[Field]:
    """Every text the PDF prints from the record, with where it is."""
    yield _field("title", "", record.get("title"))
    for item in record.get("proposal", []):
        yield _field("proposal", item.get("label", item.get("field", "")), item.get("text"))
    for item in declaration(record):  # built from the proposal's fields, so printed twice
        yield _field("declaration", item.question, item.answer)
    decision = record.get("decision") or {}
    yield _field("decision", "", decision.get("reasoning"))
    for number, question in enumerate(record.get("questions", []), start=1):
        yield _field("question", f"4.{number}", question.get("text"))
        yield _field("discussion", f"4.{number}", question.get("discussion"))
        yield _field("answer", f"4.{number}", question.get("answer"))
    for review in record.get("recommendations", []):
        yield _field("recommendation", review.get("number", ""), review.get("justification"))
    for number, action in enumerate(record.get("actions", []), start=1):
        yield _field("action", number, f"{action.get('description') or ''}\n{action.get('owner') or ''}")
    for position in record.get("positions", []):
        if (position.get("dissent") or "").strip():
            yield _field("dissent", position.get("name", ""), position.get("dissent"))
    fria = (record.get("ai") or {}).get("fria") or {}  # the annex of record schema 3 (app/pdf/fria.py)
    for element in fria.get("elements", []):
        yield _field("fria", element.get("label", ""), element.get("text"))
    if fria:
        yield _field("fria", "DPIA", fria.get("dpia"))
    for consultation in record.get("consultations") or []:
        for number, response in enumerate(consultation.get("responses", []), start=1):  # numbered as in the PDF
            yield _field("response", number, response.get("body"))
            yield _field("response_answer", number, response.get("answer"))


def check(record: dict) -> Overrun:
    """What is over the bounds (falsy when the document is within them)."""
    every = list(fields(record))
    typed = [f for f in every if f.kind != "declaration"]  # an answer joins fields, each bounded itself
    return Overrun(
        too_many_lines=[f for f in typed if f.lines > MAX_FIELD_LINES],
        characters=sum(f.characters for f in every),
        lines=sum(f.cost for f in every),
        largest=sorted(typed, key=lambda f: (-f.characters, f.kind, f.key))[:3],
    )
