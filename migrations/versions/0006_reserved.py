"""accounts: server-side session end on logout (issue 15 item 2) and related account controls

Reserved slot: filled in by the change named above; a no-op until then.

Revision ID: 0006
Revises: 0005
"""

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
