"""public portal: partial indexes matching the lists' order, for keyset pages (issue 21 items 3-4)

The lists sort on (published_at, id) over publications that are not withdrawn. The old indexes
led with withdrawn_at and left out id, so PostgreSQL sorted (or walked the published_at index and
filtered) and a deep page skipped every row before it. These partial indexes hold exactly the
listed rows in the lists' order, per municipality and per technology too, in both databases.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

LISTED = sa.text("withdrawn_at IS NULL")
INDEXES = {
    "ix_publication_listing": (["published_at", "id"], ["withdrawn_at", "published_at"]),
    "ix_publication_org_published": (["organisation_slug", "published_at", "id"],
                                     ["organisation_slug", "published_at"]),
    "ix_publication_tech_published": (["technology_category", "published_at", "id"],
                                      ["technology_category", "published_at"]),
}


def upgrade():
    for name, (columns, _old) in INDEXES.items():
        op.drop_index(name, table_name="publication")
        op.create_index(name, "publication", columns, sqlite_where=LISTED, postgresql_where=LISTED)


def downgrade():
    for name, (_new, columns) in INDEXES.items():
        op.drop_index(name, table_name="publication")
        op.create_index(name, "publication", columns)
