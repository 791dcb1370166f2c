"""The newest long-term (PAdES B-LTA) renewal of a frozen record's PDF

Revision ID: 0031
Revises: 0030
"""

import sqlalchemy as sa
from alembic import op

revision = "0031"
down_revision = "0030"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "signed_record_archive",
        sa.Column("signed_record_id", sa.Integer(), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("pdf_sha256", sa.String(length=64), nullable=False),
        sa.Column("renewals", sa.Integer(), nullable=False),
        sa.Column("renew_before", sa.DateTime(), nullable=True),
        sa.Column("extended_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["signed_record_id"],
            ["signed_record.id"],
            name=op.f("fk_signed_record_archive_signed_record_id_signed_record"),
        ),
        sa.PrimaryKeyConstraint("signed_record_id", name=op.f("pk_signed_record_archive")),
    )
    with op.batch_alter_table("signed_record_archive", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_signed_record_archive_pdf_sha256"), ["pdf_sha256"], unique=False)


def downgrade():
    with op.batch_alter_table("signed_record_archive", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_signed_record_archive_pdf_sha256"))
    op.drop_table("signed_record_archive")
