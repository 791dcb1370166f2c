"""The assessment's state machine, as a table (DESIGN §2).

Each row says from which status to which, who may do it, and which preconditions must hold: the
functions themselves, from this package (checks.py) and, wired by create_app, from the features
above it: sign-off (app/signoff/checks.py), the consultation (app/consultation/record.py) and
others (FEATURE_PRECONDITIONS). Each takes the assessment and the transition's
arguments and returns the sentences saying what is missing (empty when it holds).
`services.transition` is the only code that changes an assessment's status through this table;
the sign-off package moves awaiting_signoff → signed itself when the last signature is in
(the row with no roles), and reopening creates a new version rather than moving a status back.
What happens besides the status change (voiding signatures, publishing) listens to
`signals.transitioning`, and a package above this one adds preconditions by listening to
`signals.checking` (reuse: fields taken over and not confirmed); both are connected in create_app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.accounts.models import Role
from app.assessments import checks, signals
from app.assessments.models import Status
from app.core.wiring import provided

# A precondition: (assessment, **transition arguments) -> the sentences saying what is missing.
Precondition = Callable[..., list[str]]


def wired(name: str) -> Precondition:
    """A precondition of a package above this one, named by its module and function
    ("app.ai.checks.fria_complete"): create_app wires that very function under the name
    (app/wiring.py), and the row calls it from there. The row still says which function it runs."""

    def precondition(assessment, **arguments) -> list[str]:
        return provided(f"precondition:{name}")(assessment, **arguments)

    precondition.__module__, _, precondition.__name__ = name.rpartition(".")
    precondition.__qualname__ = precondition.__name__
    return precondition


# The preconditions of the features above (wired in app/wiring.py; test_workflow checks each).
FEATURE_PRECONDITIONS = (
    "app.ai.checks.fria_complete",
    "app.signoff.checks.signatories_named",
    "app.consultation.record.consultations_settled",
    "app.signoff.record_checks.consistency_settled",
    "app.signoff.record_checks.vote_adds_up",
    "app.signoff.checks.document_within_bounds",
    "app.signoff.checks.files_within_total",
    "app.documents.record.files_acceptable",
    "app.signoff.checks.all_signed",
)
fria_complete, signatories_named, consultations_settled, consistency_settled, vote_adds_up = (
    wired(name) for name in FEATURE_PRECONDITIONS[:5]
)
document_within_bounds, files_within_total, files_acceptable, all_signed = (
    wired(name) for name in FEATURE_PRECONDITIONS[5:]
)

EDITORS = frozenset({Role.EDITOR, Role.ADMIN})
ADMINS = frozenset({Role.ADMIN})
SYSTEM = frozenset()  # done by the app itself, never by a button


@dataclass(frozen=True)
class Transition:
    name: str
    source: Status
    target: Status
    roles: frozenset[Role]
    label: str  # lazy: shown in the interface's language
    preconditions: tuple[Precondition, ...] = ()
    voids_signatures: bool = False


TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        "start_deliberation",
        Status.DRAFT,
        Status.DELIBERATION,
        EDITORS,
        _l("Start drøftelsen"),
        (checks.proposal_complete,),
    ),
    Transition("return_to_draft", Status.DELIBERATION, Status.DRAFT, EDITORS, _l("Send tilbage til udkast")),
    Transition(
        "request_signoff",
        Status.DELIBERATION,
        Status.AWAITING_SIGNOFF,
        EDITORS,
        _l("Send til underskrift"),
        (
            checks.proposal_complete,
            fria_complete,
            checks.questions_answered,
            checks.recommendations_reviewed,
            checks.decision_set,
            signatories_named,
            consultations_settled,
            consistency_settled,
            vote_adds_up,
            document_within_bounds,
            files_within_total,
            files_acceptable,
        ),
    ),
    Transition(
        "return_to_deliberation",
        Status.AWAITING_SIGNOFF,
        Status.DELIBERATION,
        EDITORS,
        _l("Send tilbage til drøftelse"),
        voids_signatures=True,
    ),
    Transition(
        "complete_signoff",
        Status.AWAITING_SIGNOFF,
        Status.SIGNED,
        SYSTEM,
        _l("Underskrevet af alle"),
        (all_signed,),
    ),
    Transition("publish", Status.SIGNED, Status.PUBLISHED, ADMINS, _l("Offentliggør")),
    Transition("withdraw", Status.PUBLISHED, Status.WITHDRAWN, ADMINS, _l("Træk tilbage"), (checks.reason_given,)),
)


def find(name: str, source: Status | str) -> Transition | None:
    return next((t for t in TRANSITIONS if t.name == name and t.source == source), None)


def available(source: Status | str) -> list[Transition]:
    """The transitions a person could choose from this status (not the system's own)."""
    return [t for t in TRANSITIONS if t.source == source and t.roles]


def missing_for(transition: Transition, assessment, **arguments) -> list[str]:
    """The row's preconditions, then those of the packages listening to signals.checking."""
    missing: list[str] = []
    for check in transition.preconditions:
        missing.extend(check(assessment, **arguments))
    for _receiver, sentences in signals.checking.send(assessment, step=transition, **arguments):
        missing.extend(sentences or [])
    return missing
