"""partial indexes for the generations' max() look-ups, a municipality's list by technology, and
FTS5 prefix indexes (issue 21: flat cost at 100,000)

Every public request reads the publication generation, max(id) and max(withdrawn_at); with the
page cache on, the feedback generation too, max(answered_at) and max(moderated_at). Without an
index each max() over a nullable column read the whole table: 13 ms a request at 100,000
publications on SQLite. These indexes hold only the rows where the column is set, and the
queries ask for IS NOT NULL, so both databases answer with one index probe.

A list filtered on municipality and technology walked every listed row of the municipality
(1,025 at 100,000) to test the technology; ix_publication_org_tech_published holds the listed
rows in the lists' order per municipality and technology.

On SQLite a search word is a prefix query, which FTS5 answers by merging the doclists of every
word with that prefix before the first row (3 ms at 100,000 for a word in every record). The FTS
table is made again with prefix indexes for 3 to 12 letters, which answer such a prefix with one
look-up, and rebuilt from publication_search (its triggers refer to it by name and stay).

Revision ID: 0021
Revises: 0020
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_publication_withdrawn_at": ("publication", "withdrawn_at"),
    "ix_feedback_answered_at": ("feedback", "answered_at"),
    "ix_feedback_moderated_at": ("feedback", "moderated_at"),
}


LISTED = sa.text("withdrawn_at IS NULL")
ORG_TECH = ("ix_publication_org_tech_published", ["organisation_slug", "technology_category", "published_at", "id"])


# Copied from app/public/models.py as they are at this revision, so the migration never drifts.
FTS_WITH_PREFIXES = (
    "CREATE VIRTUAL TABLE publication_fts USING fts5(body, content='publication_search', "
    "content_rowid='publication_id', tokenize='unicode61 remove_diacritics 0', "
    "prefix='3 4 5 6 7 8 9 10 11 12')"
)
FTS_WITHOUT = (
    "CREATE VIRTUAL TABLE publication_fts USING fts5(body, content='publication_search', "
    "content_rowid='publication_id', tokenize='unicode61 remove_diacritics 0')"
)


def _remake_fts(statement: str) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TABLE publication_fts")
    op.execute(statement)
    op.execute("INSERT INTO publication_fts(publication_fts) VALUES ('rebuild')")


def upgrade():
    for name, (table, column) in INDEXES.items():
        where = sa.text(f"{column} IS NOT NULL")
        op.create_index(name, table, [column], sqlite_where=where, postgresql_where=where)
    name, columns = ORG_TECH
    op.create_index(name, "publication", columns, sqlite_where=LISTED, postgresql_where=LISTED)
    _remake_fts(FTS_WITH_PREFIXES)


def downgrade():
    _remake_fts(FTS_WITHOUT)
    op.drop_index(ORG_TECH[0], table_name="publication")
    for name, (table, _column) in INDEXES.items():
        op.drop_index(name, table_name=table)
