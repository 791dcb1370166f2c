"""Related documents: the board's entries, the uploaded PDFs, the record's "documents" section.

Rules live here and nowhere else: a PDF is checked by its content (pdfcheck: one readable PDF with a
page, no active content, no embedded files, no decompression bomb), at most FILE_MAX bytes each and
TOTAL_MAX together per assessment (so the signed PDF, which carries them as embedded files, can still
be checked at /verificer); links are http or https.
Services flush and audit, never commit.
"""

from __future__ import annotations

import hashlib
import logging
from urllib.parse import urlsplit

from flask_babel import gettext as _

from app.assessments import services as assessment_services
from app.assessments.fields import DPIA_REFERENCE_MAX
from app.assessments.models import Assessment
from app.audit.services import record
from app.core.formatting import local_number
from app.documents import pdfcheck
from app.documents.kinds import EXISTS, KINDS, NOT_NEEDED, STATUSES
from app.documents.models import (
    FILE_NAME_MAX,
    REASON_MAX,
    TITLE_MAX,
    URL_MAX,
    DocumentFile,
    RelatedDocument,
)
from app.documents.record import TOTAL_MAX, documents_of, file_by_hash, files_total, signed_files  # noqa: F401 - views read them here
from app.extensions import db
from app.i18n import line

log = logging.getLogger(__name__)

MB = 1024 * 1024
FILE_MAX = 10 * MB


class DocumentError(assessment_services.AssessmentError):
    """A document that cannot be saved; the message is for the person, in their language."""

    def __init__(self, message: str, field: str | None = None):
        self.field = field
        super().__init__(message)


# --- Checks (the form calls them too) -----------------------------------------------------------


def pdf_problem(data: bytes) -> str | None:
    """Why these bytes are not an acceptable PDF, or None. Judged by content, never by the name:
    the size here, everything else (a readable PDF, no active content, no bombs) in pdfcheck."""
    if len(data) > FILE_MAX:
        return _("Filen er for stor. En PDF må højst fylde %(mb)s MB.", mb=local_number(FILE_MAX // MB))
    if not data:
        return _("Filen er tom. Vælg en PDF-fil.")
    return pdfcheck.problem(data)


def url_problem(url: str) -> str | None:
    if not url:
        return None
    if len(url) > URL_MAX:
        return _("Linket må højst være %(n)s tegn.", n=URL_MAX)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in url):
        return _("Linket skal være en hel webadresse, der begynder med http:// eller https://.")
    return None


def safe_file_name(name: str) -> str:
    """The uploaded file's name, for display and download only: its last path part, printable, bounded."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable() and c not in '"<>|:*?').strip() or "dokument.pdf"
    if not name.lower().endswith(".pdf"):
        name += ".pdf"
    return name[-FILE_NAME_MAX:]


# --- Writing ----------------------------------------------------------------------------------


def _store_file(data: bytes) -> DocumentFile:
    digest = hashlib.sha256(data).hexdigest()
    stored = file_by_hash(digest)
    if stored is None:
        stored = DocumentFile(sha256=digest, size=len(data), data=data)
        db.session.add(stored)
        db.session.flush()
    return stored


def _check_values(kind: str, values: dict, *, has_file: bool) -> None:
    if kind not in KINDS:
        raise DocumentError(_("Ukendt dokumenttype."))
    status = values.get("status")
    if status not in STATUSES:
        raise DocumentError(_("Vælg, om dokumentet foreligger, eller om det ikke er nødvendigt."), "status")
    if status == NOT_NEEDED:
        reason = values.get("reason") or ""
        if not reason.strip():
            raise DocumentError(_("Skriv, hvorfor dokumentet ikke er nødvendigt."), "reason")
        if len(reason) > REASON_MAX:
            raise DocumentError(_("Højst %(n)s tegn.", n=REASON_MAX), "reason")
        return
    title = values.get("title") or ""
    if not title.strip():
        raise DocumentError(_("Skriv dokumentets titel."), "title")
    if len(title) > TITLE_MAX:
        raise DocumentError(_("Højst %(n)s tegn.", n=TITLE_MAX), "title")
    problem = url_problem(values.get("url") or "")
    if problem:
        raise DocumentError(problem, "url")
    if not values.get("url") and not has_file:
        raise DocumentError(_("Angiv et link til dokumentet, eller vedhæft det som PDF."), "url")
    if kind == "dpia" and not values.get("document_date"):
        raise DocumentError(_("Angiv datoen for konsekvensanalysen."), "document_date")


def save_document(
    assessment: Assessment,
    kind: str,
    values: dict,
    *,
    user,
    upload: bytes | None = None,
    upload_name: str = "",
    remove_file: bool = False,
) -> RelatedDocument:
    """Create or change the assessment's entry of this kind; an upload replaces its file.

    values: status, title, url, document_date (a date or None), reason. Flushed and audited."""
    assessment_services.require_editor(user)
    assessment_services.require_editable(assessment)
    if upload is not None:
        problem = pdf_problem(upload)
        if problem:
            raise DocumentError(problem, "file")
    # Parallel uploads queue up here, so each one counts the files the one before it stored.
    assessment_services.lock(assessment)
    assessment_services.require_editable(assessment)
    rows = documents_of(assessment)
    row = rows.get(kind)
    keeps_file = upload is None and not remove_file and row is not None and row.file is not None
    _check_values(kind, values, has_file=upload is not None or keeps_file)
    not_needed = values["status"] == NOT_NEEDED
    if upload is not None and not not_needed:
        others = files_total(rows.values(), except_kind=kind)
        if others + len(upload) > TOTAL_MAX:
            raise DocumentError(
                _(
                    "Vurderingens PDF-filer må tilsammen højst fylde %(mb)s MB, så den underskrevne "
                    "PDF kan kontrolleres af alle. Læg hellere et link til dokumentet.",
                    mb=local_number(TOTAL_MAX // MB),
                ),
                "file",
            )
    if row is None:
        row = RelatedDocument(assessment_id=assessment.id, kind=kind)
        db.session.add(row)
    row.status = values["status"]
    row.updated_by_id = user.id
    if not_needed:
        row.title, row.url, row.document_date, row.reason = "", "", None, values["reason"].strip()
        row.file, row.file_name = None, ""
    else:
        row.title = values["title"].strip()
        row.url = (values.get("url") or "").strip()
        row.document_date = values.get("document_date")
        row.reason = ""
        if upload is not None:
            row.file, row.file_name = _store_file(upload), safe_file_name(upload_name)
        elif remove_file:
            row.file, row.file_name = None, ""
    db.session.flush()
    label = KINDS[kind].label
    detail = {"kind": kind, "status": row.status, "sha256": row.file.sha256 if row.file else None}
    summary = (
        line("%(kind)s: %(title)s", kind=label, title=row.title)
        if row.title
        else line("%(kind)s: ikke nødvendigt", kind=label)
    )
    record("document.saved", summary, assessment=assessment, user=user, **detail)
    return row


def remove_document(assessment: Assessment, kind: str, *, user) -> None:
    """Remove the entry (its file stays stored by hash: a signed record of another version may name it)."""
    assessment_services.require_editor(user)
    assessment_services.require_editable(assessment)
    row = documents_of(assessment).get(kind)
    if row is None:
        return
    db.session.delete(row)
    db.session.flush()
    record(
        "document.removed",
        line("%(kind)s er fjernet", kind=KINDS[kind].label),
        assessment=assessment,
        user=user,
        kind=kind,
    )


def copy_on_reopen(source: Assessment, *, copy: Assessment, **_) -> None:
    """A new version starts with the old one's documents (files are shared by hash); a receiver of
    assessments.signals.reopened (create_app)."""
    for kind, row in documents_of(source).items():
        db.session.add(
            RelatedDocument(
                assessment_id=copy.id,
                kind=kind,
                status=row.status,
                title=row.title,
                url=row.url,
                document_date=row.document_date,
                reason=row.reason,
                file_id=row.file_id,
                file_name=row.file_name,
                updated_by_id=row.updated_by_id,
            )
        )
    db.session.flush()


def progress_line(assessment: Assessment) -> assessment_services.SectionProgress:
    """The overview's line (issue 34): how many of the related documents are accounted for, each
    either there or said not to be needed."""
    accounted = sum(1 for kind in documents_of(assessment) if kind in KINDS)
    return assessment_services.SectionProgress("dokumenter", _("Dokumenter"), accounted, len(KINDS))


def dpia_reference(assessment: Assessment) -> str | None:
    """Where the DPIA is, from its entry on the documents page: its title and its address or file."""
    row = documents_of(assessment).get("dpia")
    if row is None or row.status != EXISTS:
        return None
    where = row.url or (_("vedhæftet i Etikdialog som %(name)s", name=row.file_name) if row.file_name else "")
    text = ", ".join(part for part in (row.title.strip(), where) if part)
    return text[:DPIA_REFERENCE_MAX] or None
