"""related documents with uploaded PDFs, and the measured effect in the follow-up log (issue 17)

`document_file` holds each uploaded PDF once, by its SHA-256; `related_document` is a board's entry
per kind (DPIA, data-processing agreement, register entry, trial evaluation) per assessment.
`effect_measurement` is the append-only log of the measured effect against the expected one.

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "document_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_file")),
        sa.UniqueConstraint("sha256", name=op.f("uq_document_file_sha256")),
    )
    op.create_table(
        "related_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("document_date", sa.Date(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=True),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessment.id"],
                                name=op.f("fk_related_document_assessment_id_assessment")),
        sa.ForeignKeyConstraint(["file_id"], ["document_file.id"],
                                name=op.f("fk_related_document_file_id_document_file")),
        sa.ForeignKeyConstraint(["updated_by_id"], ["user_account.id"],
                                name=op.f("fk_related_document_updated_by_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_related_document")),
        sa.UniqueConstraint("assessment_id", "kind", name=op.f("uq_related_document_assessment_id")),
    )  # fmt: skip
    with op.batch_alter_table("related_document", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_related_document_assessment_id"), ["assessment_id"], unique=False)
    op.create_table(
        "effect_measurement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("measured", sa.Text(), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessment.id"],
                                name=op.f("fk_effect_measurement_assessment_id_assessment")),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name=op.f("fk_effect_measurement_user_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_effect_measurement")),
    )  # fmt: skip
    with op.batch_alter_table("effect_measurement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_effect_measurement_assessment_id"), ["assessment_id"], unique=False)


def downgrade():
    with op.batch_alter_table("effect_measurement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_effect_measurement_assessment_id"))
    op.drop_table("effect_measurement")
    with op.batch_alter_table("related_document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_related_document_assessment_id"))
    op.drop_table("related_document")
    op.drop_table("document_file")
