"""The board's meeting that deliberated (issue 28 item 2): who was present, how many were absent,
who declared a conflict of interest (forvaltningsloven § 3), and whether the vote adds up.

The decision form stores the members as plain lines ("Navn, titel"; "Navn: begrundelse"); this
module reads them, says in Danish what is wrong with them, and builds the record's `board`
section. Pure functions: no database, so the form, the record and the checks share them.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from app.core.formatting import local_number

MEMBERS_MAX = 40  # members present at one meeting
NAME_MAX = 120
TITLE_MAX = 120
REASON_MAX = 500
ABSENT_MAX = 99
TEXT_MAX = 8000  # the whole field, whatever its lines


@dataclass(frozen=True)
class Member:
    name: str
    title: str


@dataclass(frozen=True)
class Conflict:
    name: str
    reason: str


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def members(text: str | None) -> list[Member]:
    """The members present, one a line: "Navn, titel" (the title may be left out)."""
    out = []
    for line in _lines(text):
        name, _sep, title = line.partition(",")
        out.append(Member(name.strip(), title.strip()))
    return out


def conflicts(text: str | None) -> list[Conflict]:
    """The declared conflicts of interest, one a line: "Navn: begrundelse"."""
    out = []
    for line in _lines(text):
        name, _sep, reason = line.partition(":")
        out.append(Conflict(name.strip(), reason.strip()))
    return out


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def member_problems(text: str | None) -> list[str]:
    """What is wrong with the list of members present, in Danish (empty when nothing is)."""
    found = members(text)
    problems = []
    if len(found) > MEMBERS_MAX:
        problems.append(_("Skriv højst %(limit)s medlemmer, ét pr. linje.", limit=local_number(MEMBERS_MAX)))
    seen: dict[str, str] = {}
    for number, member in enumerate(found, start=1):
        if not member.name:
            problems.append(_("Linje %(number)s mangler et navn før kommaet.", number=number))
        elif len(member.name) > NAME_MAX or len(member.title) > TITLE_MAX:
            problems.append(
                _(
                    "Linje %(number)s er for lang: navnet og titlen må hver højst være %(limit)s tegn.",
                    number=number,
                    limit=local_number(NAME_MAX),
                )
            )
        elif _key(member.name) in seen:
            problems.append(_("%(name)s står der to gange.", name=seen[_key(member.name)]))
        seen.setdefault(_key(member.name), member.name)
    return problems


def conflict_problems(text: str | None, present_text: str | None) -> list[str]:
    """What is wrong with the declared conflicts, in Danish: each names a member present and a reason."""
    present = {_key(m.name) for m in members(present_text)}
    problems = []
    seen = set()
    for number, conflict in enumerate(conflicts(text), start=1):
        if not conflict.name or not conflict.reason:
            problems.append(
                _(
                    "Linje %(number)s: skriv navnet og begrundelsen adskilt af et kolon, "
                    "fx „Anne Hansen: gift med leverandørens direktør“.",
                    number=number,
                )
            )
        elif len(conflict.reason) > REASON_MAX:
            problems.append(
                _(
                    "Begrundelsen for %(name)s må højst være %(limit)s tegn.",
                    name=conflict.name,
                    limit=local_number(REASON_MAX),
                )
            )
        elif _key(conflict.name) not in present:
            problems.append(
                _("%(name)s står ikke blandt de medlemmer, der var til stede på mødet.", name=conflict.name)
            )
        elif _key(conflict.name) in seen:
            problems.append(_("%(name)s står der to gange.", name=conflict.name))
        seen.add(_key(conflict.name))
    return problems


def has_conflict(conflicts_text: str | None, name: str) -> bool:
    """Whether the member of this name has declared a conflict of interest."""
    return any(_key(c.name) == _key(name) for c in conflicts(conflicts_text) if c.name)


def is_present(present_text: str | None, name: str) -> bool:
    return any(_key(m.name) == _key(name) for m in members(present_text) if m.name)


def board_section(present_text: str | None, absent_count: int | None, conflicts_text: str | None) -> dict:
    """The record's `board` (schema 4): members present by name and title, as public minutes name
    them; the number absent; each declared conflict of interest with the member's title and reason."""
    present = members(present_text)
    titles = {_key(m.name): m.title for m in present}
    return {
        "members_present": [{"name": m.name, "title": m.title} for m in present],
        "members_absent_count": absent_count,
        "conflicts_of_interest": [
            {"name": c.name, "title": titles.get(_key(c.name), ""), "reason": c.reason}
            for c in conflicts(conflicts_text)
        ],
    }


def vote_problems(record: dict) -> list[str]:
    """Whether the record's vote adds up: every member present takes a stance or abstains, except
    those with a conflict of interest. Danish sentences, empty when it adds up."""
    board = record.get("board")
    if board is None or "position_counts" not in record:
        return []  # records before schema 4 have no board; a record naming every stance has no counts
    present = board.get("members_present") or []
    problems = []
    if not present:
        problems.append(_("Skriv, hvilke medlemmer der var til stede på mødet (under „Beslutning og handlingsplan“)."))
    if board.get("members_absent_count") is None:
        problems.append(_("Skriv, hvor mange medlemmer der var fraværende (0, hvis ingen var)."))
    counts = record.get("position_counts") or {}
    taken = sum(int(v or 0) for v in counts.values())
    expected = len(present) - len(board.get("conflicts_of_interest") or [])
    if present and taken != expected:
        problems.append(
            _(
                "Afstemningen går ikke op: %(present)s medlemmer var til stede, og %(conflicted)s var inhabile, "
                "så %(expected)s skal tage stilling (enig, uenig eller undlader at tage stilling), men der er "
                "%(taken)s holdninger.",
                present=len(present),
                conflicted=len(board.get("conflicts_of_interest") or []),
                expected=expected,
                taken=taken,
            )
        )
    return problems
