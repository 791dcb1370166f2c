"""backup and storage: deferrable publication FK, PDF bytes out of signed_record (issue 15 item 13, issue 21 item 1)

Reserved slot: filled in by the change named above; a no-op until then.

Revision ID: 0008
Revises: 0007
"""

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
