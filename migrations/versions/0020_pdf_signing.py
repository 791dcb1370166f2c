"""PAdES signing of the frozen PDF (issue 19)

Revision ID: 0020
Revises: 0019
"""

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade():
    pass  # slot reserved; filled by the change that needs it


def downgrade():
    pass
