"""Signatories, signatures and the frozen record."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DDL, ForeignKey, LargeBinary, String, Text, UniqueConstraint, event
from sqlalchemy.ext.associationproxy import association_proxy
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.time import utcnow
from app.extensions import db


class Signatory(db.Model):
    """A person the secretariat has named to sign the assessment."""

    __tablename__ = "signatory"
    __table_args__ = (UniqueConstraint("assessment_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user = relationship("User")


class Signature(db.Model):
    """One signature on the SHA-256 of the canonical JSON as it was when signed.

    A signature whose hash no longer matches the assessment is void; voiding is also recorded
    explicitly so the audit trail shows why it no longer counts.
    """

    __tablename__ = "signature"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    name: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(120))
    signed_at: Mapped[datetime] = mapped_column(default=utcnow)
    record_sha256: Mapped[str] = mapped_column(String(64))
    voided_at: Mapped[datetime | None]
    void_reason: Mapped[str] = mapped_column(String(300), default="")
    # How the signer authenticated for this signature: "password" (a fresh Etikdialog password) or
    # "oidc" / "saml" (a fresh login at the municipality's provider, its subject and auth time).
    auth_method: Mapped[str] = mapped_column(String(8), default="password", server_default="password")
    auth_provider: Mapped[str] = mapped_column(String(255), default="", server_default="")
    auth_subject: Mapped[str] = mapped_column(String(255), default="", server_default="")
    authenticated_at: Mapped[datetime | None]

    user = relationship("User")


class SignedRecord(db.Model):
    """The frozen record: canonical JSON, PDF and their hashes. Written once, never changed.

    The PDF's bytes live in signed_record_pdf (one row per record), so reading a record's other
    columns never walks them (on SQLite, columns stored after a 40 KB blob are read through its
    overflow pages). `record.pdf` reads and `SignedRecord(pdf=...)` writes them as before; the
    bytes are loaded only when the PDF is served or verified.
    """

    __tablename__ = "signed_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id"), unique=True)
    schema_version: Mapped[int]
    canonical_json: Mapped[str] = mapped_column(Text)
    json_sha256: Mapped[str] = mapped_column(String(64), index=True)
    pdf_sha256: Mapped[str] = mapped_column(String(64), index=True)
    verification_code: Mapped[str] = mapped_column(String(14), unique=True)
    signed_at: Mapped[datetime]
    signatures_json: Mapped[str] = mapped_column(Text)
    # The PDF's own digital signature (ADR 0006, app/signing): PAdES level "B-B" (no timestamp) or
    # "B-T" (an RFC 3161 timestamp), and the municipality's certificate (SHA-256 of its DER, and its
    # subject). NULL on records frozen before PDFs were signed: their PDF carries no signature.
    pdf_signature_level: Mapped[str | None] = mapped_column(String(8))
    pdf_certificate_sha256: Mapped[str | None] = mapped_column(String(64))
    pdf_certificate_subject: Mapped[str | None] = mapped_column(String(300))

    assessment = relationship("Assessment", backref=db.backref("signed_record", uselist=False))
    pdf_row: Mapped[SignedRecordPdf | None] = relationship(back_populates="signed_record")
    pdf = association_proxy("pdf_row", "pdf", creator=lambda data: SignedRecordPdf(pdf=data))


class SignedRecordPdf(db.Model):
    """A frozen record's PDF bytes, in a table of their own; as frozen as the record."""

    __tablename__ = "signed_record_pdf"

    signed_record_id: Mapped[int] = mapped_column(ForeignKey("signed_record.id"), primary_key=True)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)

    signed_record: Mapped[SignedRecord] = relationship(back_populates="pdf_row")


class SignedRecordArchive(db.Model):
    """The newest long-term renewal of a frozen record's PDF (PAdES B-LTA, `flask signing extend`):
    the signed PDF with validation data and document timestamps appended as incremental updates.
    The frozen PDF stays byte for byte as signed and logged (its hash is the record's); this row is
    replaced, in one write, by each renewal, and always starts with the frozen PDF's bytes."""

    __tablename__ = "signed_record_archive"

    signed_record_id: Mapped[int] = mapped_column(ForeignKey("signed_record.id"), primary_key=True)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    pdf_sha256: Mapped[str] = mapped_column(String(64), index=True)
    renewals: Mapped[int] = mapped_column(default=1)
    # when the newest document timestamp's certificate expires (naive UTC): renew before then
    renew_before: Mapped[datetime | None]
    extended_at: Mapped[datetime] = mapped_column(default=utcnow)


class FrozenRecordError(RuntimeError):
    """Raised when code tries to change or delete a frozen record."""


@event.listens_for(SignedRecord, "before_update")
@event.listens_for(SignedRecordPdf, "before_update")
def _refuse_update(mapper, connection, target):
    raise FrozenRecordError("A signed record is frozen and cannot be changed.")


@event.listens_for(SignedRecord, "before_delete")
@event.listens_for(SignedRecordPdf, "before_delete")
def _refuse_delete(mapper, connection, target):
    raise FrozenRecordError("A signed record is frozen and cannot be deleted.")


# The database refuses too, so not even raw SQL can change a frozen record by mistake.
# The same statements are in the migration that creates the table.
SQLITE_TRIGGERS = [
    """CREATE TRIGGER signed_record_no_update BEFORE UPDATE ON signed_record
       BEGIN SELECT RAISE(ABORT, 'signed_record is immutable'); END""",
    """CREATE TRIGGER signed_record_no_delete BEFORE DELETE ON signed_record
       BEGIN SELECT RAISE(ABORT, 'signed_record is immutable'); END""",
]
POSTGRES_TRIGGERS = [
    """CREATE OR REPLACE FUNCTION signed_record_immutable() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'signed_record is immutable'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER signed_record_no_change BEFORE UPDATE OR DELETE ON signed_record
       FOR EACH ROW EXECUTE FUNCTION signed_record_immutable()""",
]

# The PDF's table refuses the same way (PostgreSQL: the same function). Migration 0008 has them too.
PDF_SQLITE_TRIGGERS = [
    """CREATE TRIGGER signed_record_pdf_no_update BEFORE UPDATE ON signed_record_pdf
       BEGIN SELECT RAISE(ABORT, 'signed_record_pdf is immutable'); END""",
    """CREATE TRIGGER signed_record_pdf_no_delete BEFORE DELETE ON signed_record_pdf
       BEGIN SELECT RAISE(ABORT, 'signed_record_pdf is immutable'); END""",
]
PDF_POSTGRES_TRIGGERS = [
    """CREATE TRIGGER signed_record_pdf_no_change BEFORE UPDATE OR DELETE ON signed_record_pdf
       FOR EACH ROW EXECUTE FUNCTION signed_record_immutable()""",
]

for table, sqlite_triggers, postgres_triggers in (
    (SignedRecord.__table__, SQLITE_TRIGGERS, POSTGRES_TRIGGERS),
    (SignedRecordPdf.__table__, PDF_SQLITE_TRIGGERS, PDF_POSTGRES_TRIGGERS),
):
    for statement in sqlite_triggers:
        event.listen(table, "after_create", DDL(statement).execute_if(dialect="sqlite"))
    for statement in postgres_triggers:
        event.listen(table, "after_create", DDL(statement).execute_if(dialect="postgresql"))
