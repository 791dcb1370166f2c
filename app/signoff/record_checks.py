"""Preconditions over the record being signed (issue 28): every consistency finding is resolved
or explained, and the board's vote adds up.

Each check reads the canonical record as it stands now (the same dict a signatory signs), so
"Send til underskrift" (the state table, app/assessments/workflow.py) and each signature
(services.sign) refuse for the same reasons, and the overview lists them as missing.
"""

from __future__ import annotations

from flask_babel import gettext as _

from app.assessments import board, consistency
from app.content.loader import get_content
from app.signoff import canonical


def consistency_problems(record: dict) -> list[str]:
    """One sentence per finding that has neither been resolved (by changing the fields) nor explained."""
    return [
        _(
            "Modstrid i vurderingen: %(message)s Ret felterne, eller skriv en forklaring under „Sammenhæng“.",
            message=f.message,
        )
        for f in consistency.unresolved(record)
    ]


def record_problems(record: dict) -> list[str]:
    """Everything in the record that stops a signature."""
    return [*consistency_problems(record), *board.vote_problems(record)]


def consistency_settled(assessment, **_arguments) -> list[str]:
    return consistency_problems(canonical.snapshot(assessment, content=get_content()))


def vote_adds_up(assessment, **_arguments) -> list[str]:
    """The board's composition and vote (issue 28 item 2): the record's counts add up, and each
    stance is a present member's without a conflict of interest (names are read from the live
    positions, since the record names only dissenters)."""
    problems = board.vote_problems(canonical.snapshot(assessment, content=get_content()))
    for position in sorted(assessment.positions, key=lambda p: p.user.name):
        name = position.user.name
        if board.has_conflict(assessment.board_conflicts, name):
            problems.append(
                _(
                    "%(name)s er erklæret inhabil, men har taget stilling. Holdningen skal trækkes tilbage under "
                    "„Min holdning“.",
                    name=name,
                )
            )
        elif not board.is_present(assessment.board_present, name):
            problems.append(
                _("%(name)s har taget stilling, men står ikke blandt medlemmerne til stede på mødet.", name=name)
            )
    return problems
