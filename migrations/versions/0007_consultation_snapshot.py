"""consultation: freeze the snapshot put to consultation (issue 15 item 3)

Reserved slot: filled in by the change named above; a no-op until then.

Revision ID: 0007
Revises: 0006
"""

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
