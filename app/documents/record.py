"""What related documents add to the signed record: the "documents" section (app/signoff/canonical.py
calls it), the files a signed record names, and their bytes for the PDF renderer.

Kept apart from `services` (which builds on the assessments' services) so canonical.py can call it.
"""

from __future__ import annotations

import hashlib
import logging

from flask_babel import gettext as _
from sqlalchemy import select

from app.assessments.models import Assessment
from app.documents import pdfcheck
from app.documents.kinds import KINDS, STATUSES
from app.documents.models import DocumentFile, RelatedDocument
from app.extensions import db

log = logging.getLogger(__name__)

# All of an assessment's files together: the signed PDF carries them and must stay under
# /verificer's 20 MB. Checked at upload, under the assessment's lock, and again at sign-off.
TOTAL_MAX = 15 * 1024 * 1024


def files_total(rows, *, except_kind: str | None = None) -> int:
    """The bytes of the files of these entries (documents_of's values), leaving out one kind."""
    return sum(row.file.size for row in rows if row.file is not None and row.kind != except_kind)


def documents_of(assessment: Assessment) -> dict[str, RelatedDocument]:
    rows = db.session.scalars(select(RelatedDocument).where(RelatedDocument.assessment_id == assessment.id))
    return {row.kind: row for row in rows}


def file_by_hash(sha256: str) -> DocumentFile | None:
    return db.session.scalar(select(DocumentFile).where(DocumentFile.sha256 == sha256))


def documents_section(assessment: Assessment) -> list[dict]:
    """What goes into the signed record: every entry in KINDS order, each file by name, size and SHA-256.

    Called by app/signoff/canonical.py inside force_locale("da")."""
    rows = documents_of(assessment)
    section = []
    for kind, spec in KINDS.items():
        row = rows.get(kind)
        if row is None:
            continue
        section.append(
            {
                "kind": kind,
                "kind_label": str(spec.label),
                "status": row.status,
                "status_label": str(STATUSES.get(row.status, row.status)),
                "title": row.title,
                "url": row.url,
                "date": row.document_date.isoformat() if row.document_date else None,
                "reason": row.reason,
                "file": {"name": row.file_name, "sha256": row.file.sha256, "size": row.file.size} if row.file else None,
            }
        )
    return section


def signed_files(record: dict | None) -> dict[str, dict]:
    """The files a signed record names, by SHA-256 (records before schema 2 name none)."""
    return {
        entry["file"]["sha256"]: entry["file"]
        for entry in (record or {}).get("documents") or []
        if isinstance(entry, dict) and isinstance(entry.get("file"), dict) and entry["file"].get("sha256")
    }


def attachments(record: dict) -> list[dict]:
    """The files a record names, with their bytes, for the PDF renderer (which reads no database).

    A file whose stored bytes no longer match its hash is left out and logged: the PDF is never
    given bytes other than those the record names."""
    out = []
    for sha256, meta in sorted(signed_files(record).items(), key=lambda item: item[1].get("name", "")):
        stored = file_by_hash(sha256)
        if stored is None or hashlib.sha256(stored.data).hexdigest() != sha256:
            log.error("document file %s is missing or changed; not attached", sha256)
            continue
        out.append({"name": meta.get("name") or f"{sha256[:12]}.pdf", "sha256": sha256, "data": bytes(stored.data)})
    return out


# --- Files stored before their content was checked ---------------------------------------------

_PASSED: set[str] = set()  # SHA-256 of stored files pdfcheck passed: the bytes under a hash never change
_PASSED_MAX = 4096


def _file_problems(files: list[tuple[str, str, str]]) -> list[str]:
    """pdfcheck again, for (kind, name, sha256) of files about to be embedded in a signed PDF. A file
    uploaded before the check existed (or under an older, laxer one) is named, with what was found."""
    problems = []
    for kind, name, sha256 in files:
        if sha256 in _PASSED:
            continue
        stored = file_by_hash(sha256)
        if stored is None:
            continue  # attachments() leaves it out and logs it
        problem = pdfcheck.problem(bytes(stored.data))
        if problem is None:
            if len(_PASSED) >= _PASSED_MAX:
                _PASSED.clear()
            _PASSED.add(sha256)
            continue
        log.warning("stored document file %s (%s) fails the upload check: not signed", sha256, kind)
        label = KINDS[kind].label if kind in KINDS else kind
        problems.append(
            _(
                "Filen „%(name)s“ til „%(document)s“ kan ikke komme med i den underskrevne PDF. %(problem)s "
                "Erstat filen under vurderingens dokumenter.",
                name=name,
                document=label,
                problem=problem,
            )
        )
    return problems


def files_acceptable(assessment: Assessment, **_arguments) -> list[str]:
    """Precondition of requesting sign-off (app/assessments/workflow.py): every uploaded file passes
    the upload check as it stands now."""
    rows = documents_of(assessment)
    return _file_problems([(kind, row.file_name, row.file.sha256) for kind, row in rows.items() if row.file])


def record_file_problems(record: dict) -> list[str]:
    """The same, for the files the record a signatory is about to sign names (app/signoff/services.sign):
    an assessment that was already awaiting sign-off when the check arrived is stopped here."""
    return _file_problems(
        [
            (entry.get("kind", ""), entry["file"].get("name", ""), entry["file"]["sha256"])
            for entry in (record or {}).get("documents") or []
            if isinstance(entry, dict) and isinstance(entry.get("file"), dict) and entry["file"].get("sha256")
        ]
    )
