"""partial indexes for the generations' max() look-ups and a municipality's list by technology
(issue 21: flat cost at 100,000)

Every public request reads the publication generation, max(id) and max(withdrawn_at); with the
page cache on, the feedback generation too, max(answered_at) and max(moderated_at). Without an
index each max() over a nullable column read the whole table: 13 ms a request at 100,000
publications on SQLite. These indexes hold only the rows where the column is set, and the
queries ask for IS NOT NULL, so both databases answer with one index probe.

A list filtered on municipality and technology walked every listed row of the municipality
(1,025 at 100,000) to test the technology; ix_publication_org_tech_published holds the listed
rows in the lists' order per municipality and technology.

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


def upgrade():
    for name, (table, column) in INDEXES.items():
        where = sa.text(f"{column} IS NOT NULL")
        op.create_index(name, table, [column], sqlite_where=where, postgresql_where=where)
    name, columns = ORG_TECH
    op.create_index(name, "publication", columns, sqlite_where=LISTED, postgresql_where=LISTED)


def downgrade():
    op.drop_index(ORG_TECH[0], table_name="publication")
    for name, (table, _column) in INDEXES.items():
        op.drop_index(name, table_name=table)
