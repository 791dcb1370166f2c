"""Transparency log (issue 19): entries, checkpoints, append-only triggers

Revision ID: 0016
Revises: 0015
"""

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    pass  # slot reserved; filled by the change that needs it


def downgrade():
    pass
