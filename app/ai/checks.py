"""When the fundamental-rights impact assessment is needed, what it lacks, and the notification rule.

`fria_complete` is a precondition of the state table (app/assessments/workflow.py): it takes the
assessment and the transition's arguments and returns the sentences saying what is missing, in
the reader's language (empty when it holds).
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from app.ai.record import ELEMENTS
from app.assessments.fields import FRIA, Field
from app.assessments.proposal import is_blank, requires_fria
from app.core.time import danish_today

# What a complete assessment needs: the six elements of Article 27(1) and the DPIA reference.
NEEDED = (*ELEMENTS, "fria_dpia")


def fria_required(assessment) -> bool:
    return requires_fria(lambda name: getattr(assessment, name))


def notification_problem(notified: bool, notified_on: date | None) -> str | None:
    """The notification's date goes with a sent notification only, and is not in the future."""
    if notified and notified_on is None:
        return _("Skriv datoen, hvor anmeldelsen blev sendt.")
    if not notified and notified_on is not None:
        return _("Der kan kun stå en dato, når anmeldelsen er sendt. Vælg „Ja“, eller fjern datoen.")
    if notified_on is not None and notified_on > danish_today():
        return _("Datoen for anmeldelsen kan ikke ligge i fremtiden.")
    return None


def missing_fields(assessment) -> list[Field]:
    """The parts of the assessment still blank, in the table's order."""
    missing = [FRIA[name] for name in NEEDED if is_blank(getattr(assessment, name))]
    if assessment.fria_notified and assessment.fria_notified_date is None:
        missing.append(FRIA["fria_notified_date"])
    return missing


def fria_complete(assessment, **_arguments) -> list[str]:
    if not fria_required(assessment):
        return []
    missing = missing_fields(assessment)
    if not missing:
        return []
    return [
        _(
            "Konsekvensanalysen for grundlæggende rettigheder (AI-forordningens artikel 27) mangler: %(fields)s.",
            fields=", ".join(f"{f.label} ({f.citation})" for f in missing),
        )
    ]


def progress_line(assessment):
    """The overview's line for the impact assessment (issue 34): it blocks sign-off where it is
    needed, so it is counted like the other parts; where no AI is used there is no line."""
    from app.assessments.services import SectionProgress  # noqa: PLC0415 - the overview's type

    if not fria_required(assessment):
        return None
    needed = len(NEEDED) + int(bool(assessment.fria_notified))
    return SectionProgress("ai", _("AI-konsekvensanalyse"), needed - len(missing_fields(assessment)), needed)
