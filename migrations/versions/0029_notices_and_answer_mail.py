"""Notices in the app for the next step; a citizen's address for the answer (issue 34)

Revision ID: 0029
Revises: 0028
"""

import sqlalchemy as sa
from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("read_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name=op.f("fk_notice_user_id_user_account")),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessment.id"], name=op.f("fk_notice_assessment_id_assessment")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice")),
    )
    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.create_index("ix_notice_user_unread", ["user_id", "read_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_notice_assessment_id"), ["assessment_id"], unique=False)
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.add_column(sa.Column("notify_email", sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column("notify_consent_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("notified_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.drop_column("notified_at")
        batch_op.drop_column("notify_consent_at")
        batch_op.drop_column("notify_email")
    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notice_assessment_id"))
        batch_op.drop_index("ix_notice_user_unread")
    op.drop_table("notice")
