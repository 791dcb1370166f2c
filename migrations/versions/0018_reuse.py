"""Reuse of another municipality's published assessment (issue 20)

`reuse_link` ties a draft (and its later versions) to the signed record it was started from, with
the source's public id, version and municipality as that record names them.

Revision ID: 0018
Revises: 0017
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "reuse_link",
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("source_record_id", sa.Integer(), nullable=False),
        sa.Column("source_public_id", sa.String(length=22), nullable=False),
        sa.Column("source_version", sa.Integer(), nullable=False),
        sa.Column("source_municipality", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"], ["assessment.id"], name=op.f("fk_reuse_link_assessment_id_assessment")
        ),
        sa.ForeignKeyConstraint(
            ["source_record_id"], ["signed_record.id"], name=op.f("fk_reuse_link_source_record_id_signed_record")
        ),
        sa.PrimaryKeyConstraint("assessment_id", name=op.f("pk_reuse_link")),
    )
    with op.batch_alter_table("reuse_link", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reuse_link_source_record_id"), ["source_record_id"], unique=False)


def downgrade():
    with op.batch_alter_table("reuse_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reuse_link_source_record_id"))
    op.drop_table("reuse_link")
