"""An addendum as stored: its canonical JSON (what is hashed, signed and logged), its detached CMS
signature, and where its entry is in the transparency log. Written once, never changed: the ORM
and the database refuse an update or a delete, as for the frozen record."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import DDL, Date, ForeignKey, LargeBinary, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.time import utcnow
from app.extensions import db


class Addendum(db.Model):
    __tablename__ = "addendum"
    # One addendum per place in a record's chain: two written at once can never both be number n.
    __table_args__ = (UniqueConstraint("signed_record_id", "sequence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    signed_record_id: Mapped[int] = mapped_column(ForeignKey("signed_record.id"), index=True)
    sequence: Mapped[int]  # 1, 2, … in the record's chain
    kind: Mapped[str] = mapped_column(String(24))  # etikdialog_verify.addendum.KINDS
    event_date: Mapped[date] = mapped_column(Date)  # the document's date, for queries
    document: Mapped[str] = mapped_column(Text)  # canonical JSON, UTF-8
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    signature: Mapped[bytes] = mapped_column(LargeBinary)  # detached CMS (DER) over the document
    signature_level: Mapped[str] = mapped_column(String(8))  # "B-B", or "B-T" with a timestamp
    certificate_sha256: Mapped[str] = mapped_column(String(64))
    log_index: Mapped[int]  # its entry in the transparency log
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    signed_record = relationship("SignedRecord")
    created_by = relationship("User")


class AddendumRewriteError(RuntimeError):
    """Raised when code tries to change or delete an addendum."""


@event.listens_for(Addendum, "before_update")
@event.listens_for(Addendum, "before_delete")
def _refuse_rewrite(mapper, connection, target):
    raise AddendumRewriteError("A signed addendum cannot be changed or deleted.")


SQLITE_TRIGGERS = [
    "CREATE TRIGGER addendum_no_update BEFORE UPDATE ON addendum "
    "BEGIN SELECT RAISE(ABORT, 'addendum is immutable'); END",
    "CREATE TRIGGER addendum_no_delete BEFORE DELETE ON addendum "
    "BEGIN SELECT RAISE(ABORT, 'addendum is immutable'); END",
]
POSTGRES_TRIGGERS = [
    "CREATE OR REPLACE FUNCTION addendum_immutable() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'addendum is immutable'; END; $$ LANGUAGE plpgsql",
    "CREATE TRIGGER addendum_no_change BEFORE UPDATE OR DELETE ON addendum "
    "FOR EACH ROW EXECUTE FUNCTION addendum_immutable()",
]
for _statement in SQLITE_TRIGGERS:
    event.listen(Addendum.__table__, "after_create", DDL(_statement).execute_if(dialect="sqlite"))
for _statement in POSTGRES_TRIGGERS:
    event.listen(Addendum.__table__, "after_create", DDL(_statement).execute_if(dialect="postgresql"))
