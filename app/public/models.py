"""Publication: what citizens see. One row per published assessment, filled from its frozen record.

The listing, search and filters read only this table, so a list page costs the same however many
questions an assessment has. Nothing published is ever deleted: withdrawal sets a reason and a
date and leaves a public notice.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DDL, ForeignKey, Index, String, Text, event, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db

LISTED = {"sqlite_where": text("withdrawn_at IS NULL"), "postgresql_where": text("withdrawn_at IS NULL")}
WITHDRAWN = {"sqlite_where": text("withdrawn_at IS NOT NULL"), "postgresql_where": text("withdrawn_at IS NOT NULL")}


class Publication(db.Model):
    __tablename__ = "publication"
    # The lists' order (published_at, id) over the rows they show (not withdrawn), as partial
    # indexes in both databases: a page, a deep page through its cursor, and the last page
    # read backwards all start where the index says (migration 0009).
    __table_args__ = (
        Index("ix_publication_listing", "published_at", "id", **LISTED),
        Index("ix_publication_org_published", "organisation_slug", "published_at", "id", **LISTED),
        Index("ix_publication_tech_published", "technology_category", "published_at", "id", **LISTED),
        # A municipality's list narrowed to one technology, the board's and the press's usual
        # question: exact in the index, not a walk of the municipality's rows (migration 0021).
        Index(
            "ix_publication_org_tech_published",
            "organisation_slug",
            "technology_category",
            "published_at",
            "id",
            **LISTED,
        ),
        # The publication generation's max(withdrawn_at) (services.generation): the few withdrawn
        # rows only, so every request's look-up stays one index probe at any size (migration 0021).
        Index("ix_publication_withdrawn_at", "withdrawn_at", **WITHDRAWN),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id"), unique=True)
    signed_record_id: Mapped[int] = mapped_column(ForeignKey("signed_record.id"), unique=True)
    public_id: Mapped[str] = mapped_column(String(22), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    organisation_name: Mapped[str] = mapped_column(String(200))
    organisation_slug: Mapped[str] = mapped_column(String(100))
    technology_name: Mapped[str] = mapped_column(String(200), default="")
    technology_category: Mapped[str] = mapped_column(String(64), default="")
    sector_area: Mapped[str] = mapped_column(String(64), default="")
    decision: Mapped[str] = mapped_column(String(32), default="")
    year: Mapped[int] = mapped_column(index=True)
    version_number: Mapped[int] = mapped_column(default=1)
    summary: Mapped[str] = mapped_column(Text, default="")  # the problem, for result lists
    signed_at: Mapped[datetime]
    published_at: Mapped[datetime] = mapped_column(index=True)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    withdrawn_at: Mapped[datetime | None]
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    withdrawal_reason: Mapped[str] = mapped_column(Text, default="")
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("publication.id"))
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("publication.id"))

    search: Mapped[PublicationSearch] = relationship(back_populates="publication", cascade="all, delete-orphan")
    signed_record = relationship("SignedRecord")
    assessment = relationship("Assessment")
    replaced_by: Mapped[Publication | None] = relationship(remote_side=[id], foreign_keys=[replaced_by_id])
    replaces: Mapped[Publication | None] = relationship(remote_side=[id], foreign_keys=[replaces_id])

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class PublicationSearch(db.Model):
    """The searchable text of a publication, in its own table so the listing's rows stay narrow
    (lists and facets scan publication; only a search reads this wide text). The title and the
    summary have columns of their own so a search ranks their matches first (migration 0030);
    the body is the whole text (public.services.search_text), the title and summary included."""

    __tablename__ = "publication_search"

    publication_id: Mapped[int] = mapped_column(ForeignKey("publication.id"), primary_key=True)
    body: Mapped[str] = mapped_column(Text, default="")
    title: Mapped[str] = mapped_column(Text, default="", server_default="")
    summary: Mapped[str] = mapped_column(Text, default="", server_default="")

    publication: Mapped[Publication] = relationship(back_populates="search")


class RecordFragment(db.Model):
    """The HTML of a signed record's part of its public page (app/public/fragments.py), shared
    by every worker and instance. The key is a hash of the record's own hash, the build and the
    language, so an entry never goes stale: withdrawal and a new version simply use other keys.
    Bounded by bytes, oldest first (``size``, ``created_at``)."""

    __tablename__ = "record_fragment"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    html: Mapped[str] = mapped_column(Text)
    size: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(index=True)


# Full-text search lives outside the ORM's tables: on SQLite an FTS5 index over
# publication_search, kept in step by triggers (so a restore from backup rebuilds it too), with
# å, æ and ø distinct (remove_diacritics 0); on PostgreSQL a Danish tsvector GIN index. The
# migration creates the same objects; SEARCH_OBJECTS tells Alembic's comparison to leave them be.
#
# A search word is matched as a prefix ("robot" finds "robotsæl"), and FTS5 answers a prefix by
# merging the doclists of every word that starts with it before the first row comes back: 3 ms at
# 100,000 records for a word in every record, 120 ms for "a". Prefix indexes for these lengths make
# such a prefix one look-up read newest first (0.3 ms), at about four times the index's size.
# Shorter words match whole words only (public.services.PREFIX_MIN); longer ones still merge.
PREFIX_LENGTHS = range(3, 13)
# A match in the title ranks first, then one in the summary, then one in the rest (issue 34):
# FTS5's bm25() with a weight per column, PostgreSQL's ts_rank() over a vector whose title part
# has weight A, the summary B and the body D (public.services.rank).
SQLITE_SEARCH_DDL = [
    "CREATE VIRTUAL TABLE publication_fts USING fts5(title, summary, body, content='publication_search', "
    "content_rowid='publication_id', tokenize='unicode61 remove_diacritics 0', "
    f"prefix='{' '.join(map(str, PREFIX_LENGTHS))}')",
    "CREATE TRIGGER publication_fts_ai AFTER INSERT ON publication_search BEGIN "
    "INSERT INTO publication_fts(rowid, title, summary, body) "
    "VALUES (new.publication_id, new.title, new.summary, new.body); END",
    "CREATE TRIGGER publication_fts_ad AFTER DELETE ON publication_search BEGIN "
    "INSERT INTO publication_fts(publication_fts, rowid, title, summary, body) "
    "VALUES ('delete', old.publication_id, old.title, old.summary, old.body); END",
    "CREATE TRIGGER publication_fts_au AFTER UPDATE ON publication_search BEGIN "
    "INSERT INTO publication_fts(publication_fts, rowid, title, summary, body) "
    "VALUES ('delete', old.publication_id, old.title, old.summary, old.body); "
    "INSERT INTO publication_fts(rowid, title, summary, body) "
    "VALUES (new.publication_id, new.title, new.summary, new.body); END",
]
# PostgreSQL keeps the Danish tsvector as a stored generated column, so no query ever has to
# compute to_tsvector of a long body row by row, whichever plan the planner picks.
POSTGRES_SEARCH_DDL = [
    "ALTER TABLE publication_search ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('danish', title), 'A') || setweight(to_tsvector('danish', summary), 'B') || "
    "to_tsvector('danish', body)) STORED",
    "CREATE INDEX ix_publication_search_body ON publication_search USING gin (search_vector)",
    # The vector (about 5 KB a record) kept in the row, compressed, not in the TOAST table: the
    # planner counts a row's heap pages, so with the vectors out of line a sequential scan looked
    # nearly free (22 pages at 1,000 records) and won over the GIN index, then detoasted every
    # vector (55 ms for a rare word at 1,000, against 0.2 ms through the index). Migration 0030.
    "ALTER TABLE publication_search SET (toast_tuple_target = 8160)",
    "ALTER TABLE publication_search ALTER COLUMN search_vector SET STORAGE MAIN",
]
SEARCH_OBJECTS = ("publication_fts", "ix_publication_search_body", "search_vector")

for statement in SQLITE_SEARCH_DDL:
    event.listen(PublicationSearch.__table__, "after_create", DDL(statement).execute_if(dialect="sqlite"))
for statement in POSTGRES_SEARCH_DDL:
    event.listen(PublicationSearch.__table__, "after_create", DDL(statement).execute_if(dialect="postgresql"))
event.listen(
    PublicationSearch.__table__, "before_drop", DDL("DROP TABLE IF EXISTS publication_fts").execute_if(dialect="sqlite")
)


def is_search_object(name: str | None) -> bool:
    return bool(name) and name.startswith(SEARCH_OBJECTS)
