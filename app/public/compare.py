"""Public version comparison ("Se ændringer", issue 20 item 3): what changed between two published
versions of an assessment, field by field, read from the signed records only.

The first half is pure: `compare(before, after)` takes two signed records (plain dicts of any
record schema) and returns every field with its status and, for a changed text, the words added
and removed. It walks the record's structure generically, so a field or section a later schema
adds appears without a code change; the tables below only give the known fields their Danish
labels (from the field tables the forms use) and their order. Entries of a list are matched by
their identity key (a proposal item's `field`, a question's `id`, a document's `kind`) or, for
lists without one (the action plan), by aligning the two lists.

The second half loads the two records of a publication's versions, each checked against its
hash as the public page does (`integrity.signed_content`); it never reads live rows.

Bounds (a record may hold 300,000 characters): a word diff is Myers' algorithm, given at most
WORD_TOKENS_MAX words a side and WORD_EDITS_MAX words added plus removed; the whole comparison
shares a budget of WORK_BUDGET steps. Past any of them a field is shown as "hele teksten er
udskiftet" with the text before and after. Steps are counted rather than seconds, so the same two
records always give the same answer, on a loaded machine too, and the page and the API agree.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache

from flask_babel import lazy_gettext as _l

from app.assessments.declaration import declaration
from app.assessments.fields import ACTION, DECISION, QUESTION, REVIEW, TITLE, YES_NO_CONDITION
from app.assessments.models import STANCES
from app.assessments.proposal import PROPOSAL_FIELDS, YES_NO
from app.core.formatting import danish_date
from app.core.params import bounded_int
from app.core.text import shorten

WORD_TOKENS_MAX = 3000  # words a side of one field (TEXT_MAX's 5,000 characters are about 900)
WORD_EDITS_MAX = 400  # words added plus removed in one field before it counts as replaced whole
ITEMS_MAX = 500  # entries of a list aligned by content; more are paired by position
WORK_BUDGET = 2_000_000  # steps of the diff algorithm for one whole comparison (about a second)

UNCHANGED, CHANGED, ADDED, REMOVED = "unchanged", "changed", "added", "removed"
EQUAL, INSERT, DELETE = "equal", "insert", "delete"
MISSING = None  # a field the record does not have (an older schema's record); read as empty text

# --- What is compared, and under which labels -------------------------------------------------

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
    return str(YES_NO_CONDITION["ja" if value else "nej"]) if isinstance(value, bool) else _text(value)


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


def _label(key: str, parent: str, spec: Entries) -> str:
    """A key's label: the section's own, a recurring key's, a field table's under the key or under
    its parent's prefix (the AI section's fria.dpia is the table's fria_dpia), else the key itself."""
    tables = table_labels()
    label = spec.fields.get(key) or KEY_LABELS.get(key) or tables.get(key) or tables.get(f"{parent}_{key}")
    return str(label) if label else _humanise(key)


# --- The result ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    section: str  # the record's top-level key ("declaration" for the declaration built from it)
    path: tuple[str, ...]  # where the field is: keys, and an entry's identity or number
    label: str
    context: tuple[str, ...]  # headings above the field: a proposal group, a question, "Handling 2"
    status: str  # unchanged, changed, added, removed
    before: str
    after: str
    words: tuple | None = ()  # (op, text) with op equal, insert or delete; None: replaced whole

    @property
    def shown_words(self) -> list[tuple[str, str]]:
        """The words as the page shows them: unchanged stretches far from a change cut short."""
        return abridged(self.words or ())


@dataclass
class Section:
    key: str
    title: str
    fields: list[FieldChange]

    @property
    def changes(self) -> list[FieldChange]:
        return [f for f in self.fields if f.status != UNCHANGED]

    @property
    def unchanged(self) -> list[FieldChange]:
        return [f for f in self.fields if f.status == UNCHANGED]


@dataclass
class Comparison:
    sections: list[Section]

    @property
    def changes(self) -> list[FieldChange]:
        return [c for s in self.sections for c in s.changes]

    def count(self, status: str) -> int:
        return sum(f.status == status for s in self.sections for f in s.fields)


# --- Words -----------------------------------------------------------------------------------

TOKEN = re.compile(r"\s*\S+|\s+")  # a word with the space before it; whitespace alone at the end


class Budget:
    """Steps the comparison may still spend on diffs; shared by every field of one comparison."""

    def __init__(self, steps: int = WORK_BUDGET):
        self.left = steps

    def spend(self, steps: int) -> bool:
        self.left -= steps
        return self.left >= 0


def edit_script(a: list, b: list, budget: Budget, max_edits: int) -> list[tuple[str, int]] | None:
    """The shortest edit script from `a` to `b` (Myers 1986), as (op, index) pairs in order: equal
    and delete index `a`, insert indexes `b`. None when it needs more than `max_edits` insertions
    and deletions or the budget runs out. Time is O((N + M) * D), memory O(D^2)."""
    n, m = len(a), len(b)
    counted_a, counted_b = Counter(a), Counter(b)
    if not budget.spend(n + m):
        return None
    # Each surplus copy of a token must be deleted or inserted: a floor under D, found in linear time.
    if sum(((counted_a - counted_b) + (counted_b - counted_a)).values()) > max_edits:
        return None
    limit = min(n + m, max_edits)
    offset = limit + 1
    v = [0] * (2 * limit + 3)
    trace = []
    for d in range(limit + 1):
        trace.append(v[offset - d - 1 : offset + d + 2])  # the furthest points before round d, diagonals -d-1..d+1
        steps = 3 * d + 3
        for k in range(-d, d + 1, 2):
            if k == -d or (k != d and v[offset + k - 1] < v[offset + k + 1]):
                x = v[offset + k + 1]
            else:
                x = v[offset + k - 1] + 1
            y = x - k
            start = x
            while x < n and y < m and a[x] == b[y]:
                x += 1
                y += 1
            steps += x - start
            v[offset + k] = x
            if x >= n and y >= m:
                budget.spend(steps)
                return _backtrack(trace, n, m)
        if not budget.spend(steps):
            return None
    return None


def _backtrack(trace: list[list[int]], n: int, m: int) -> list[tuple[str, int]]:
    moves = []
    x, y = n, m
    for d in range(len(trace) - 1, -1, -1):
        v = trace[d]  # v[i] is diagonal i - d - 1
        k = x - y
        prev_k = k + 1 if k == -d or (k != d and v[k + d] < v[k + d + 2]) else k - 1
        prev_x = v[prev_k + d + 1]
        prev_y = prev_x - prev_k
        while x > prev_x and y > prev_y:
            x, y = x - 1, y - 1
            moves.append((EQUAL, x))
        if d > 0:
            moves.append((INSERT, prev_y) if x == prev_x else (DELETE, prev_x))
        x, y = prev_x, prev_y
    moves.reverse()
    return moves


def _regions(script: list[tuple[str, int]]) -> list[tuple[list[int], list[int], list[int]]]:
    """The script as runs: (equal a-indexes, deleted a-indexes, inserted b-indexes), one of the
    first or the other two empty; a change's deletions come before its insertions."""
    regions: list[tuple[list[int], list[int], list[int]]] = []
    for op, index in script:
        if op == EQUAL:
            if not regions or not regions[-1][0]:
                regions.append(([], [], []))
            regions[-1][0].append(index)
        else:
            if not regions or regions[-1][0]:
                regions.append(([], [], []))
            regions[-1][1 if op == DELETE else 2].append(index)
    return regions


def _absorb_short_equalities(parts: list[list[str]]) -> list[list[str]]:
    """A word or two left standing between two changes reads better as part of them: "[Fjernet: a
    og b] [Tilføjet: c og d]" rather than the "og" kept alone (diff-match-patch's semantic cleanup,
    simplified). `parts` holds [equal] or [deleted, inserted] texts."""
    changed = True
    while changed:
        changed = False
        for i in range(1, len(parts) - 1):
            if len(parts[i]) != 1 or len(parts[i - 1]) != 2 or len(parts[i + 1]) != 2:
                continue
            equal = parts[i][0]
            if len(equal) <= min(max(map(len, parts[i - 1])), max(map(len, parts[i + 1]))):
                before, after = parts[i - 1], parts[i + 1]
                parts[i - 1 : i + 2] = [[before[0] + equal + after[0], before[1] + equal + after[1]]]
                changed = True
                break
    return parts


def word_diff(before: str, after: str, budget: Budget | None = None) -> tuple | None:
    """Words added and removed from `before` to `after`: (op, text) pairs whose equal and delete
    texts make `before` and whose equal and insert texts make `after`. None when the texts are too
    long or too different to compare word by word (the caller says the text was replaced)."""
    budget = budget or Budget()
    a, b = TOKEN.findall(before), TOKEN.findall(after)
    if len(a) > WORD_TOKENS_MAX or len(b) > WORD_TOKENS_MAX:
        return None
    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    middle_a, middle_b = a[head : len(a) - tail], b[head : len(b) - tail]
    script = edit_script(middle_a, middle_b, budget, WORD_EDITS_MAX)
    if script is None:
        return None
    parts: list[list[str]] = [["".join(a[:head])]] if head else []
    for equal, deleted, inserted in _regions(script):
        if equal:
            parts.append(["".join(middle_a[i] for i in equal)])
        else:
            parts.append(["".join(middle_a[i] for i in deleted), "".join(middle_b[i] for i in inserted)])
    if tail:
        parts.append(["".join(a[len(a) - tail :])])
    ops = []
    for part in _absorb_short_equalities(parts):
        if len(part) == 1:
            ops.append((EQUAL, part[0]))
        else:
            ops += [(op, text) for op, text in ((DELETE, part[0]), (INSERT, part[1])) if text]
    return tuple(ops)


KEEP_AROUND = 160  # characters of unchanged text kept beside a change on the page


def abridged(words: tuple) -> list[tuple[str, str]]:
    """Word operations for the page: unchanged text far from any change is cut to about
    KEEP_AROUND characters beside each change, at a space, and the cut marked ("skip", "").
    The API keeps everything."""
    result: list[tuple[str, str]] = []
    for index, (op, text) in enumerate(words):
        if op != EQUAL or len(text) <= 3 * KEEP_AROUND:
            result.append((op, text))
            continue
        if index > 0:  # text right after a change
            result.append((EQUAL, text[:KEEP_AROUND].rsplit(" ", 1)[0]))
        result.append(("skip", ""))
        if index < len(words) - 1:  # text right before a change
            result.append((EQUAL, " " + text[-KEEP_AROUND:].split(" ", 1)[-1]))
    return result


# --- Walking two records ---------------------------------------------------------------------

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _text(value) -> str:
    """A value of the record as a person reads it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(YES_NO["ja" if value else "nej"])
    if isinstance(value, str):
        return (danish_date(value) or value) if ISO_DATE.fullmatch(value) else value
    if isinstance(value, list):
        return "\n".join(_text(v) for v in value)
    if isinstance(value, dict):
        return "\n".join(f"{key}: {_text(v)}" for key, v in sorted(value.items()))
    return str(value)


def _humanise(key: str) -> str:
    return key.replace("_", " ").strip().capitalize()


def _field(section, path, label, context, before, after, budget, formatter=_text) -> FieldChange:
    old, new = formatter(before), formatter(after)
    if old == new:
        return FieldChange(section, path, label, context, UNCHANGED, old, new)
    if not old:
        return FieldChange(section, path, label, context, ADDED, old, new, ((INSERT, new),))
    if not new:
        return FieldChange(section, path, label, context, REMOVED, old, new, ((DELETE, old),))
    return FieldChange(section, path, label, context, CHANGED, old, new, word_diff(old, new, budget))


def _is_value_item(entry: dict) -> bool:
    """A field that carries its own label, as the proposal's items do ({field, label, value, text})
    and the AI section's Article 27 elements ({field, label, question, text})."""
    return "text" in entry and "label" in entry and ("value" in entry or "field" in entry)


def _walk(before, after, section, path, label, context, budget) -> Iterator[FieldChange]:
    if isinstance(before, dict) or isinstance(after, dict):
        yield from _dict(before, after, section, path, context, SPECS.get(path), budget)
    elif _has_entries(before) or _has_entries(after):
        yield from _list(before, after, section, path, context, SPECS.get(path), budget)
    else:
        formatter = FORMATTERS.get((section, path[-1]), _text)
        yield _field(section, path, label, context, before, after, budget, formatter)


def _has_entries(value) -> bool:
    return isinstance(value, list) and any(isinstance(v, dict) for v in value)


def _dict(before, after, section, path, context, spec, budget) -> Iterator[FieldChange]:
    old = before if isinstance(before, dict) else {}
    new = after if isinstance(after, dict) else {}
    either = {**old, **new}
    if _is_value_item(either):
        group = either.get("group_title")
        yield _field(
            section,
            path,
            either.get("label") or path[-1],
            (*context, group) if group else context,
            old.get("text"),
            new.get("text"),
            budget,
        )
        return
    spec = spec or Entries()
    keys = [k for k in spec.fields if k in either]
    keys += sorted(k for k in either if k not in spec.fields)
    for key in keys:
        if key in spec.skip or f"{key}_label" in either:  # a choice's key: its label is compared
            continue
        label = _label(key, path[-1], spec)
        yield from _walk(old.get(key), new.get(key), section, (*path, key), label, context, budget)


IDENTITY_KEYS = ("field", "id", "kind", "key")


def _identity(old: list, new: list, preferred: str | None = None) -> str | None:
    """The key that names each entry once in each list, if there is one (the spec's first)."""
    entries = old + new
    for key in (preferred, *IDENTITY_KEYS) if preferred else IDENTITY_KEYS:
        values = [e.get(key) if isinstance(e, dict) else None for e in entries]
        named = all(isinstance(v, str | int) and not isinstance(v, bool) for v in values)
        if named and len({*values[: len(old)]}) == len(old) and len({*values[len(old) :]}) == len(new):
            return key
    return None


def _pairs(old: list, new: list, key: str | None, budget: Budget) -> list[tuple]:
    """(before entry, after entry, path name, number) for every entry of either list, in the
    after list's order. Keyed entries removed come last; aligned ones where they stood."""
    if key is not None:
        by_key = {e[key]: e for e in old}
        seen = {e[key] for e in new}
        pairs = [(by_key.get(entry[key]), entry, str(entry[key]), n) for n, entry in enumerate(new, start=1)]
        removed = [(entry, None, str(entry[key]), n) for n, entry in enumerate(old, start=1) if entry[key] not in seen]
        return pairs + removed
    script = None
    if len(old) <= ITEMS_MAX and len(new) <= ITEMS_MAX:
        signatures = [json.dumps(e, sort_keys=True, ensure_ascii=False) for e in old + new]
        script = edit_script(signatures[: len(old)], signatures[len(old) :], budget, len(old) + len(new))
    if script is None:  # too many to align: by position
        size = max(len(old), len(new))
        return [
            (
                old[i] if i < len(old) else None,
                new[i] if i < len(new) else None,
                str(i + 1) if i < len(new) else f"fjernet-{i + 1}",
                i + 1,
            )
            for i in range(size)
        ]
    pairs, after_index = [], 0
    for equal, deleted, inserted in _regions(script):
        if equal:
            for i in equal:
                pairs.append((old[i], new[after_index], str(after_index + 1), after_index + 1))
                after_index += 1
            continue
        for n in range(max(len(deleted), len(inserted))):  # a changed entry pairs with the one in its place
            if n < len(inserted):
                j = inserted[n]
                pairs.append((old[deleted[n]] if n < len(deleted) else None, new[j], str(j + 1), j + 1))
                after_index = j + 1
            else:
                i = deleted[n]
                pairs.append((old[i], None, f"fjernet-{i + 1}", i + 1))
    return pairs


def _list(before, after, section, path, context, spec, budget) -> Iterator[FieldChange]:
    old = [e for e in before if isinstance(e, dict)] if isinstance(before, list) else []
    new = [e for e in after if isinstance(e, dict)] if isinstance(after, list) else []
    spec = spec or Entries()
    key = _identity(old, new, spec.key)
    for old_entry, new_entry, name, number in _pairs(old, new, key, budget):
        entry = new_entry if new_entry is not None else old_entry
        heading = spec.heading(entry, number) if spec.heading else _heading(entry, number)
        inner = context if _is_value_item(entry) or not heading else (*context, shorten(heading, 200))
        fields = _dict(old_entry, new_entry, section, (*path, name), inner, spec, budget)
        if old_entry is None or new_entry is None:  # a whole entry added or removed: its empty fields are no news
            fields = (f for f in fields if f.status != UNCHANGED)
        yield from fields


def _heading(entry: dict, number: int) -> str:
    for key in ("label", "title", "name", "text"):
        if isinstance(entry.get(key), str) and entry[key].strip():
            return entry[key]
    return str(_l("Nr. %(number)s", number=number))


def _declaration(before: dict, after: dict, budget: Budget) -> list[FieldChange]:
    """The declaration is built from each record as the public page builds it; a question an
    older schema was never asked (schema 1) stands as added."""
    old = {item.key: item for item in declaration(before)}
    new = {item.key: item for item in declaration(after)}
    keys = [*new, *(k for k in old if k not in new)]
    changes = []
    for key in keys:
        item = new.get(key) or old[key]
        answer_before = old[key].answer if key in old else None
        answer_after = new[key].answer if key in new else None
        changes.append(
            _field("declaration", ("declaration", key), item.question, (), answer_before, answer_after, budget)
        )
    return changes


def compare(before: dict, after: dict, *, budget: Budget | None = None) -> Comparison:
    """Every field of two signed records, section by section in the public page's order, each
    with its status and the words added and removed. Labels are read in the interface's language."""
    budget = budget or Budget()
    sections = [Section("declaration", str(SECTION_TITLES["declaration"]), _declaration(before, after, budget))]
    keys = [k for k in SECTION_TITLES if k != "declaration"]
    keys += sorted(k for k in {*before, *after} if k not in SECTION_TITLES)
    for key in keys:
        if key in NOT_COMPARED or (key not in before and key not in after):
            continue
        title = SECTION_TITLES.get(key) or _humanise(key)
        label = TITLE.label if key == "title" else title
        fields = list(_walk(before.get(key), after.get(key), key, (key,), str(label), (), budget))
        sections.append(Section(key, str(title), fields))
    return Comparison(sections)


def as_json(comparison: Comparison) -> dict:
    """The comparison as open data: every changed field with its path, label, before, after and
    the word operations (null when the text was replaced whole), and the counts per section."""
    return {
        "changes": [
            {
                "section": change.section,
                "path": list(change.path),
                "label": change.label,
                "context": list(change.context),
                "change": change.status,
                "before": change.before,
                "after": change.after,
                "words": None if change.words is None else [{"op": op, "text": text} for op, text in change.words],
            }
            for change in comparison.changes
        ],
        "sections": [
            {"key": s.key, "title": s.title, "changed": len(s.changes), "unchanged": len(s.unchanged)}
            for s in comparison.sections
        ],
        "changed": len(comparison.changes),
        "unchanged": comparison.count(UNCHANGED),
    }


# --- Loading two versions --------------------------------------------------------------------


class Refused(Exception):
    """A comparison that cannot be made, with the Danish reason and the HTTP status to answer."""

    def __init__(self, message, status: int):
        super().__init__(str(message))
        self.message = message  # lazy: read in the page's language, or danish() for the API
        self.status = status


VERSION_MAX = 99_999
# Comparisons kept per process, by the two records' hashes and the language: at most this many,
# and at most this many characters of text before and after in all (a record may hold 300,000).
CACHE_ENTRIES = 256
CACHE_CHARACTERS = 20_000_000
QUERY_NAMES = ("fra", "til")


@dataclass
class VersionComparison:
    versions: list  # the comparable (published, not withdrawn) versions, oldest first
    older: object  # the Publication compared from (`fra`)
    newer: object  # ... and to (`til`)
    comparison: Comparison | None = None
    canonical: bool = True  # False: the query said the versions in another way (redirect to the plain one)
    redirect_status: int = 301  # for a non-canonical query: 301 for a spelling, 302 for no query at all


@dataclass(frozen=True)
class Query:
    """The versions a query names, checked and normalised before anything is loaded or compared.
    ``numbers`` is None for no query at all (the public page's default pair)."""

    numbers: tuple[int, int] | None
    canonical: bool


def parse_query(args) -> Query:
    """The one reading of `fra` and `til`: ASCII whole numbers within bounds (app/core/params.py),
    two different ones, else Refused (400) with a Danish reason. Canonical is exactly
    ``fra=N&til=M`` and nothing else; any other spelling of the same pair (leading zeros, the other
    order, a repeated or an unknown parameter) is answered with a redirect before any work."""
    if not any(name in args for name in QUERY_NAMES):
        return Query(None, canonical=False)
    numbers = tuple(bounded_int(args.get(name), default=None, minimum=1, maximum=VERSION_MAX) for name in QUERY_NAMES)
    if None in numbers:
        raise Refused(_l("Vælg to versioner at sammenligne: fra version og til version, som tal."), 400)
    if numbers[0] == numbers[1]:
        raise Refused(_l("Vælg to forskellige versioner."), 400)
    canonical = list(args.items(multi=True)) == [(name, str(n)) for name, n in zip(QUERY_NAMES, numbers, strict=True)]
    return Query(numbers, canonical)


def comparable_versions(publication) -> list:
    """The versions a citizen can compare: published and not withdrawn, oldest first. A withdrawn
    version's page shows a notice in place of its content, and so does the comparison."""
    from app.public import services

    return [v for v in services.versions(publication) if not v.is_withdrawn]


def default_pair(versions: list, publication) -> tuple:
    """The pair the public page offers first: the version before this one and this one."""
    for index, version in enumerate(versions):
        if version.id == publication.id:
            return (versions[index - 1], version) if index else (version, versions[min(1, len(versions) - 1)])
    return versions[-2], versions[-1]


def _cache():
    from flask import current_app

    from app.public.cache import PageCache

    extensions = current_app.extensions
    if "etikdialog.compare_cache" not in extensions:
        extensions["etikdialog.compare_cache"] = PageCache(CACHE_ENTRIES, max_weight=CACHE_CHARACTERS)
    return extensions["etikdialog.compare_cache"]


def _weight(comparison: Comparison) -> int:
    return sum(len(f.before) + len(f.after) for s in comparison.sections for f in s.fields) + 1


def cached_comparison(older, newer) -> Comparison:
    """The comparison of two versions' signed records, computed once per process for each pair of
    record hashes and language (the labels are read in it); Refused (409) for a record that no
    longer matches its hash, which is checked at every request, on a hit too. A published record
    never changes, so its hash names its comparison for good; a deploy starts new processes."""
    from flask_babel import get_locale

    from app.signoff import integrity

    for version in (older, newer):
        if not integrity.json_intact(version.signed_record):
            raise Refused(
                _l(
                    "Version %(number)s passer ikke længere med sin kontrolsum, så den kan ikke sammenlignes.",
                    number=version.version_number,
                ),
                409,
            )
    key = f"{older.signed_record.json_sha256}:{newer.signed_record.json_sha256}:{get_locale()}"
    cache = _cache()
    comparison = cache.get(key)
    if comparison is None:
        records = [json.loads(version.signed_record.canonical_json) for version in (older, newer)]
        comparison = compare(*records)
        cache.put(key, comparison, weight=_weight(comparison))
    return comparison


def choose(publication, args) -> VersionComparison:
    """The two versions the query (`fra`, `til`) names, or Refused with a Danish reason. The query
    is read and checked first; a non-canonical one (no query: the version before this one and this
    one; any other spelling: the same pair) comes back with canonical False and nothing compared."""
    query = parse_query(args)
    versions = comparable_versions(publication)
    if len(versions) < 2:
        raise Refused(_l("Der er kun én offentliggjort version af vurderingen, så der er intet at sammenligne."), 404)
    if query.numbers is None:
        older, newer = default_pair(versions, publication)
        return VersionComparison(versions, older, newer, canonical=False, redirect_status=302)
    by_number = {v.version_number: v for v in versions}
    for number in query.numbers:
        if number not in by_number:
            raise Refused(_l("Vurderingen har ingen offentliggjort version %(number)s.", number=number), 404)
    older, newer = (by_number[n] for n in query.numbers)
    if not query.canonical:
        # The page cache keys on the query as sent: one spelling per pair, and the others redirect to it.
        return VersionComparison(versions, older, newer, canonical=False)
    return VersionComparison(versions, older, newer, cached_comparison(older, newer))


def document(chosen: VersionComparison) -> dict:
    """The API's answer: which two versions, each with its signed record's hash, and the comparison."""
    from app.core.urls import public_url

    def version(publication) -> dict:
        frozen = publication.signed_record
        return {
            "version": publication.version_number,
            "public_id": publication.public_id,
            "schema_version": frozen.schema_version,
            "json_sha256": frozen.json_sha256,
            "url": public_url("api.assessment", public_id=publication.public_id),
        }

    return {
        "from": version(chosen.older),
        "to": version(chosen.newer),
        **as_json(chosen.comparison),
        "links": {
            "html": public_url(
                "public.changes",
                public_id=chosen.newer.public_id,
                fra=chosen.older.version_number,
                til=chosen.newer.version_number,
            )
        },
    }
