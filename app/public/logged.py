"""The transparency log's entries each signed record's state implies (signed; published;
withdrawn; replaced by a new version): what `flask verify` expects the log to hold and what the
backfill appends (app/translog/verify.py reads them through app/wiring.py, as the log sits below
the records and their publications)."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.public.models import Publication
from app.signoff.models import SignedRecord
from app.translog import services

BATCH = 2000


def expected_entries() -> Iterator[dict]:
    """The entries the log must hold, one signed record at a time, in no particular order."""
    ids = db.session.scalars(select(SignedRecord.id).order_by(SignedRecord.id)).all()
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        records = db.session.scalars(select(SignedRecord).where(SignedRecord.id.in_(batch))).all()
        publications = {
            p.signed_record_id: p
            for p in db.session.scalars(
                select(Publication)
                .where(Publication.signed_record_id.in_(batch))
                .options(joinedload(Publication.replaced_by))
            )
        }
        for frozen in records:
            try:
                yield from entries_for_record(frozen, publications.get(frozen.id))
            except (ValueError, KeyError, TypeError):
                yield {"unreadable": frozen.id}  # its JSON is broken: integrity.check_integrity says so
        newer = [p.replaced_by for p in publications.values() if p.replaced_by is not None]
        for row in [*records, *publications.values(), *newer]:  # memory stays flat; the caller's objects stay
            if row in db.session:
                db.session.expunge(row)


def entries_for_record(frozen: SignedRecord, publication) -> list[dict]:
    events = [("signed", frozen.signed_at)]
    if publication is not None:
        events.append(("published", publication.published_at))
        if publication.withdrawn_at is not None:
            events.append(("withdrawn", publication.withdrawn_at))
        if publication.replaced_by is not None:
            events.append(("new_version", publication.replaced_by.published_at))
    return [services.entry_for(kind, frozen, moment) for kind, moment in events]
