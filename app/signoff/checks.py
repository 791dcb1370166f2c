"""The state machine's sign-off checks (app/assessments/workflow.py calls them from its rows),
and the bounds of the document a signature freezes.

Each check takes the assessment and the transition's arguments and returns the sentences saying
what is missing, in the reader's language (empty when it holds).
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.content.loader import ContentSet, get_content
from app.core.formatting import local_number
from app.documents.record import TOTAL_MAX, documents_of, files_total, signed_files
from app.i18n import quoted
from app.pdf import bounds
from app.signoff import canonical
from app.signoff.signatories import required_signatories, signatories, valid_signatures


def current_record(assessment, content: ContentSet) -> tuple[dict, str]:
    """The canonical record as it stands now, and its hash: what a signatory would sign."""
    snapshot = canonical.snapshot(assessment, content=content)
    return snapshot, canonical.record_hash(snapshot)


def signatories_named(assessment, **_arguments) -> list[str]:
    named = signatories(assessment)
    needed = required_signatories()
    if len(named) < needed:
        return [_("Der skal være udpeget mindst %(number)s underskrivere.", number=needed)]
    if all(s.user_id == assessment.created_by_id for s in named):
        return [_("Mindst én underskriver må ikke være den, der oprettede vurderingen.")]
    return []


# --- Bounds on the document ----------------------------------------------------------------

FIELD_NAMES = {
    "title": _l("Titel"),
    "proposal": _l("Forslaget: %(key)s"),
    "declaration": _l("Gennemsigtighedserklæringen: %(key)s"),
    "decision": _l("Beslutningens begrundelse"),
    "question": _l("Spørgsmål %(key)s: spørgsmålets tekst"),
    "discussion": _l("Spørgsmål %(key)s: drøftelse"),
    "answer": _l("Spørgsmål %(key)s: udvalgets svar"),
    "recommendation": _l("Anbefaling %(key)s: begrundelse"),
    "action": _l("Handling %(key)s"),
    "dissent": _l("Mindretalsudtalelse fra %(key)s"),
    "response": _l("Høringssvar %(key)s"),
    "response_answer": _l("Udvalgets svar på høringssvar %(key)s"),
    "fria": _l("AI-konsekvensanalysen: %(key)s"),
}


def _field_name(field: bounds.Field) -> str:
    return str(FIELD_NAMES[field.kind]) % {"key": field.key}


def bounds_problems(record: dict) -> list[str]:
    """What makes the record too large for its PDF, naming each field, in the reader's language."""
    overrun = bounds.check(record)
    problems = [
        _(
            "„%(field)s“ har %(lines)s afsnit. PDF'en kan højst tage %(max)s afsnit (linjer med tekst) i ét felt. "
            "Saml teksten i færre afsnit.",
            field=_field_name(f),
            lines=local_number(f.lines),
            max=local_number(bounds.MAX_FIELD_LINES),
        )
        for f in overrun.too_many_lines
    ]
    largest = ", ".join(quoted(_field_name(f)) for f in overrun.largest)
    if overrun.characters_over:
        problems.append(
            _(
                "Vurderingen fylder %(characters)s tegn. PDF'en kan højst tage %(max)s tegn i alt. "
                "Forkort de længste tekster: %(fields)s.",
                characters=local_number(overrun.characters),
                max=local_number(bounds.MAX_DOCUMENT_CHARACTERS),
                fields=largest,
            )
        )
    if overrun.lines_over:
        problems.append(
            _(
                "Vurderingen har %(lines)s afsnit og rækker. PDF'en kan højst tage %(max)s i alt. "
                "Saml teksten i færre afsnit, eller forkort de længste tekster: %(fields)s.",
                lines=local_number(overrun.lines),
                max=local_number(bounds.MAX_DOCUMENT_LINES),
                fields=largest,
            )
        )
    return problems


def document_within_bounds(assessment, **_arguments) -> list[str]:
    snapshot, _record_sha256 = current_record(assessment, get_content())
    return bounds_problems(snapshot)


def _files_too_large(total: int) -> list[str]:
    if total <= TOTAL_MAX:
        return []
    megabytes = 1024 * 1024
    return [
        _(
            "Vurderingens PDF-filer fylder tilsammen %(size)s MB. Højst %(mb)s MB kan underskrives, så den "
            "underskrevne PDF kan kontrolleres af alle. Fjern en fil under „Dokumenter“, eller erstat den med et link.",
            size=local_number(round(total / megabytes, 1)),
            mb=local_number(TOTAL_MAX // megabytes),
        )
    ]


def files_within_total(assessment, **_arguments) -> list[str]:
    """The uploads' total, before sign-off is requested (the upload checks it too, under the lock;
    this catches files stored before that check held under parallel uploads)."""
    return _files_too_large(files_total(documents_of(assessment).values()))


def files_total_problems(record: dict) -> list[str]:
    """The same total, read from the record a signatory is about to sign (its files' sizes)."""
    return _files_too_large(sum(int(f.get("size") or 0) for f in signed_files(record).values()))


def all_signed(assessment, record_sha256: str | None = None, **_arguments) -> list[str]:
    signed = {s.user_id for s in valid_signatures(assessment, record_sha256)} if record_sha256 else set()
    missing = [s.user.name for s in signatories(assessment) if s.user_id not in signed]
    return [_("Mangler underskrift fra: %(names)s.", names=", ".join(missing))] if missing else []
