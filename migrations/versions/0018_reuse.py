"""Reuse of another municipality's published assessment (issue 20)

Revision ID: 0018
Revises: 0017
"""

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade():
    pass  # slot reserved; filled by the change that needs it


def downgrade():
    pass
