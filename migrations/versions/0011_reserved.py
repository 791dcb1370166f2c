"""board usability: meeting mode follower state (issue 18)

Reserved slot: filled in by the change named above; a no-op until then.

Revision ID: 0011
Revises: 0010
"""

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
