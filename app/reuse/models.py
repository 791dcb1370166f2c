"""The link from a draft to the signed record it was started from.

One row per assessment started from another municipality's published record, and one more for each
later version of it (the link is carried on reopen). The source's public id, version and
municipality are copied from that signed record when the draft is made, so the new record's
`reused_from` section never has to read the source again; the source's texts are read from its
signed record (hash-checked) whenever a page asks which fields are still taken over.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
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
