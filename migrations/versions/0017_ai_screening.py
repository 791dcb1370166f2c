"""AI screening and fundamental-rights assessment (issue 20)

Revision ID: 0017
Revises: 0016
"""

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    pass  # slot reserved; filled by the change that needs it


def downgrade():
    pass
