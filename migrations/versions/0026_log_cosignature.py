"""Witness cosignatures on the transparency log's checkpoints (C2SP tlog-cosignature)

Revision ID: 0026
Revises: 0025
"""

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "log_cosignature",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tree_size", sa.Integer(), nullable=False),
        sa.Column("witness", sa.String(length=255), nullable=False),
        sa.Column("line", sa.Text(), nullable=False),
        sa.Column("cosigned_at", sa.DateTime(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tree_size"], ["log_checkpoint.tree_size"], name=op.f("fk_log_cosignature_tree_size_log_checkpoint")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_log_cosignature")),
        sa.UniqueConstraint("tree_size", "witness", name=op.f("uq_log_cosignature_tree_size")),
    )
    with op.batch_alter_table("log_cosignature", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_log_cosignature_tree_size"), ["tree_size"], unique=False)


def downgrade():
    with op.batch_alter_table("log_cosignature", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_log_cosignature_tree_size"))
    op.drop_table("log_cosignature")
