"""The receiving board's confirmations of fields taken over from another municipality's record

`reuse_confirmation` holds one row per field a reused draft still takes over and its board has
confirmed: who, when, which field, and the fingerprint of the value confirmed.

Revision ID: 0027
Revises: 0026
"""

import sqlalchemy as sa
from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "reuse_confirmation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("section", sa.String(length=16), nullable=False),
        sa.Column("item", sa.String(length=100), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("value_sha256", sa.String(length=64), nullable=False),
        sa.Column("confirmed_by_id", sa.Integer(), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"], ["assessment.id"], name=op.f("fk_reuse_confirmation_assessment_id_assessment")
        ),
        sa.ForeignKeyConstraint(
            ["confirmed_by_id"], ["user_account.id"], name=op.f("fk_reuse_confirmation_confirmed_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reuse_confirmation")),
        sa.UniqueConstraint(
            "assessment_id", "section", "item", "field", name=op.f("uq_reuse_confirmation_assessment_id")
        ),
    )
    with op.batch_alter_table("reuse_confirmation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reuse_confirmation_assessment_id"), ["assessment_id"], unique=False)


def downgrade():
    with op.batch_alter_table("reuse_confirmation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reuse_confirmation_assessment_id"))
    op.drop_table("reuse_confirmation")
