"""Related documents and their uploaded PDFs.

An uploaded file is stored once by its SHA-256 (`document_file`) and never changed or deleted: a
signed record names the files by hash, and the public page serves exactly those. A board's entry
(`related_document`) is one per kind per assessment, so an assessment has at most len(KINDS) files.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.time import utcnow
from app.extensions import db

TITLE_MAX = 200
URL_MAX = 500
REASON_MAX = 2000
FILE_NAME_MAX = 200


class DocumentFile(db.Model):
    __tablename__ = "document_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RelatedDocument(db.Model):
    __tablename__ = "related_document"
    __table_args__ = (UniqueConstraint("assessment_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(20))  # kinds.EXISTS or kinds.NOT_NEEDED
    title: Mapped[str] = mapped_column(String(TITLE_MAX), default="")
    url: Mapped[str] = mapped_column(String(URL_MAX), default="")
    document_date: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")  # why it is not needed
    file_id: Mapped[int | None] = mapped_column(ForeignKey("document_file.id"))
    file_name: Mapped[str] = mapped_column(String(FILE_NAME_MAX), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    assessment = relationship("Assessment")
    file: Mapped[DocumentFile | None] = relationship()
