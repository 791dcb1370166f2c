"""public portal: indexes for keyset pagination and search (issue 21 items 3-4)

Reserved slot: filled in by the change named above; a no-op until then.

Revision ID: 0009
Revises: 0008
"""

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
