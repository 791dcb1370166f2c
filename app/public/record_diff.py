"""What changed between two signed records, field by field (the version comparison's pure half;
app/public/compare.py loads the records).

`compare(before, after)` takes two signed records (plain dicts of any record schema) and returns
every field with its status and, for a changed text, the words added and removed
(app/public/word_diff.py). It walks the record's structure generically, so a field or section a
later schema adds appears without a code change; app/public/compare_labels.py only gives the
known fields their Danish labels and their order. Entries of a list are matched by their identity
key (a proposal item's `field`, a question's `id`, a document's `kind`) or, for lists without one
(the action plan), by aligning the two lists (at most ITEMS_MAX entries; more by position).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.assessments.declaration import declaration
from app.assessments.fields import TITLE
from app.core.text import shorten
from app.public.compare_labels import (
    FORMATTERS,
    NOT_COMPARED,
    SECTION_TITLES,
    SPECS,
    Entries,
    humanise,
    label,
    text,
)
from app.public.word_diff import DELETE, INSERT, Budget, abridged, edit_script, regions, word_diff

ITEMS_MAX = 500  # entries of a list aligned by content; more are paired by position

UNCHANGED, CHANGED, ADDED, REMOVED = "unchanged", "changed", "added", "removed"
MISSING = None  # a field the record does not have (an older schema's record); read as empty text


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


def _field(section, path, label, context, before, after, budget, formatter=text) -> FieldChange:
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
        formatter = FORMATTERS.get((section, path[-1]), text)
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
        name = label(key, path[-1], spec)
        yield from _walk(old.get(key), new.get(key), section, (*path, key), name, context, budget)


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
    for equal, deleted, inserted in regions(script):
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
        title = SECTION_TITLES.get(key) or humanise(key)
        shown = TITLE.label if key == "title" else title
        fields = list(_walk(before.get(key), after.get(key), key, (key,), str(shown), (), budget))
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
