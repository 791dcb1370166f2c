"""Citizens' feedback on published records (issue 20)

Revision ID: 0019
Revises: 0018
"""

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade():
    pass  # slot reserved; filled by the change that needs it


def downgrade():
    pass
