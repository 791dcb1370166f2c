"""drop assessment_question.notes (issue 16 item 1)

The column was copied into new versions, merged on save and checked before a dilemma was
removed, but no form or page ever wrote it: the minutes of meeting mode go into `discussion`.
Downgrading brings the column back empty.

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("assessment_question", schema=None) as batch_op:
        batch_op.drop_column("notes")


def downgrade():
    with op.batch_alter_table("assessment_question", schema=None) as batch_op:
        batch_op.add_column(sa.Column("notes", sa.Text(), nullable=False, server_default=""))
