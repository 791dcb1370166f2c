"""The link from a draft to the signed record it was started from, and the board's confirmations.

One row per assessment started from another municipality's published record, and one more for each
later version of it (the link is carried on reopen). The source's public id, version and
municipality are copied from that signed record when the draft is made, so the new record's
`reused_from` section never has to read the source again; the source's texts are read from its
signed record (hash-checked) whenever a page asks which fields are still taken over. Each field
still taken over must be confirmed by the receiving board before sign-off (ReuseConfirmation).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.time import utcnow
from app.extensions import db


class ReuseLink(db.Model):
    __tablename__ = "reuse_link"

    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id"), primary_key=True)
    source_record_id: Mapped[int] = mapped_column(ForeignKey("signed_record.id"), index=True)
    source_public_id: Mapped[str] = mapped_column(String(22))
    source_version: Mapped[int]
    source_municipality: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    assessment = relationship("Assessment")
    source_record = relationship("SignedRecord")

    @property
    def reused_from(self) -> dict:
        """The signed record's `reused_from` object (record schema 3)."""
        return {
            "public_id": self.source_public_id,
            "version": self.source_version,
            "municipality": self.source_municipality,
        }


class ReuseConfirmation(db.Model):
    """The receiving board confirmed a field it took over from the source's record, as it stands.

    One row per field: `section` is "proposal", "review" or "action"; `item` names the row within
    it (a recommendation's id, an action item's id; "" for the proposal); `field` is the column.
    `value_sha256` is the fingerprint of the value confirmed (app/reuse/record.py), so the signed
    record lists a field as confirmed only while it still holds exactly that value. Changing a
    field needs no row: a changed field is no longer taken over.
    """

    __tablename__ = "reuse_confirmation"
    __table_args__ = (UniqueConstraint("assessment_id", "section", "item", "field"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id"), index=True)
    section: Mapped[str] = mapped_column(String(16))
    item: Mapped[str] = mapped_column(String(100), default="")
    field: Mapped[str] = mapped_column(String(64))
    value_sha256: Mapped[str] = mapped_column(String(64))
    confirmed_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    confirmed_at: Mapped[datetime] = mapped_column(default=utcnow)

    confirmed_by = relationship("User")

    @property
    def key(self) -> tuple:
        """The field's key as the marks name it: ("proposal", name) or (section, item, name)."""
        return ("proposal", self.field) if self.section == "proposal" else (self.section, self.item, self.field)
