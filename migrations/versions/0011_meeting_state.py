"""board usability: meeting mode follower state (issue 18)

The question the secretary last opened in meeting mode, one row per assessment, so members
watching read-only follow along.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "meeting_state",
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=100), nullable=False),
        sa.Column("moved_at", sa.DateTime(), nullable=False),
        sa.Column("moved_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessment.id"],
            name=op.f("fk_meeting_state_assessment_id_assessment"),
        ),
        sa.ForeignKeyConstraint(
            ["moved_by_id"],
            ["user_account.id"],
            name=op.f("fk_meeting_state_moved_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("assessment_id", name=op.f("pk_meeting_state")),
    )


def downgrade():
    op.drop_table("meeting_state")
