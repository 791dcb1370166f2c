"""PDF: bounded renders and draft PDF cache (issue 15 item 1)

Reserved slot: filled in by the change named above; a no-op until then.

Revision ID: 0010
Revises: 0009
"""

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
