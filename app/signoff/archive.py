"""Long-term renewal of signed PDFs (PAdES B-LTA, issue 32 item 6): `flask signing extend`.

A B-LTA PDF stays verifiable for as long as the certificate of its newest document timestamp is
valid. Before that certificate expires, a new document timestamp over the whole file (with the
revocation data of the old one's certificate in the DSS) carries the proof forward. The frozen
PDF is never changed (its hash is in the record and the log); the renewed file, which starts with
the frozen bytes, is kept in signed_record_archive, one row per record, replaced by each renewal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.audit.services import SYSTEM, record
from app.core.time import utcnow
from app.extensions import db
from app.i18n import line
from app.signing import ltv, pades
from app.signoff import canonical
from app.signoff.models import SignedRecord, SignedRecordArchive

# Levels whose PDFs carry long-term validation data and can be renewed with a document timestamp.
RENEWABLE = ("B-LT", "B-LTA")


@dataclass(frozen=True)
class Renewal:
    record: SignedRecord
    outcome: str  # "extended", "not-due", "failed"
    renew_before: datetime | None = None  # naive UTC, after the run
    reason: str = ""


def newest_pdf(frozen: SignedRecord) -> bytes:
    """The newest long-term version of the record's PDF: the last renewal, else the frozen PDF."""
    archive = db.session.get(SignedRecordArchive, frozen.id)
    return bytes(archive.pdf) if archive is not None else bytes(frozen.pdf)


def renewable_records() -> list[SignedRecord]:
    return list(
        db.session.scalars(
            select(SignedRecord).where(SignedRecord.pdf_signature_level.in_(RENEWABLE)).order_by(SignedRecord.id)
        )
    )


def _naive(moment: datetime | None) -> datetime | None:
    return moment.astimezone(UTC).replace(tzinfo=None) if moment is not None and moment.tzinfo else moment


def renew(frozen: SignedRecord, *, config, within: timedelta, now: datetime | None = None, timeout: float = 20):
    """Renew one record's PDF when its newest timestamp's certificate expires within `within`.
    Idempotent: a renewed file is not due again until its new timestamp nears expiry, and a
    renewal whose timestamp would expire no later than the last one is refused (the timestamp
    service's certificate must be renewed first) instead of stacking timestamps on every run.
    Flushes and audits; the caller commits."""
    now = now or utcnow()
    archive = db.session.get(SignedRecordArchive, frozen.id)
    pdf = bytes(archive.pdf) if archive is not None else bytes(frozen.pdf)
    expires = _naive(ltv.last_timestamp_expiry(pdf))
    if expires is not None and expires - now > within:
        return Renewal(frozen, "not-due", expires)
    try:
        extended = pades.extend(pdf, config, timeout=timeout)
    except pades.LongTermValidationFailed as error:
        return Renewal(frozen, "failed", expires, str(error))
    new_expiry = _naive(ltv.last_timestamp_expiry(extended))
    if expires is not None and (new_expiry is None or new_expiry <= expires):
        return Renewal(
            frozen,
            "failed",
            expires,
            "the timestamp service's certificate expires no later than the last timestamp's: renew it first",
        )
    if archive is None:
        archive = SignedRecordArchive(signed_record_id=frozen.id, renewals=0)
        db.session.add(archive)
    archive.pdf = extended
    archive.pdf_sha256 = canonical.sha256_hex(extended)
    archive.renewals = (archive.renewals or 0) + 1
    archive.renew_before = new_expiry
    archive.extended_at = now
    db.session.flush()
    record(
        "record.pdf_extended",
        line(
            "PDF-filens langtidsbevis er fornyet med et nyt tidsstempel (kode %(code)s)", code=frozen.verification_code
        ),
        assessment=frozen.assessment,
        user=SYSTEM,
        verification_code=frozen.verification_code,
        pdf_sha256=frozen.pdf_sha256,
        extended_pdf_sha256=archive.pdf_sha256,
        renewals=archive.renewals,
        renew_before=new_expiry.isoformat() if new_expiry else None,
    )
    return Renewal(frozen, "extended", new_expiry)
