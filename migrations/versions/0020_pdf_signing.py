"""PAdES signing of the frozen PDF (ADR 0006; issue 19): what the record says about the PDF's signature

Revision ID: 0020
Revises: 0019

Plain ADD/DROP COLUMN, not a batch table copy: signed_record carries the triggers that keep it
frozen, and a copy would drop them. Records frozen before PDF signing keep NULL in all three.
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

COLUMNS = (
    ("pdf_signature_level", 8),
    ("pdf_certificate_sha256", 64),
    ("pdf_certificate_subject", 300),
)


def upgrade():
    for name, length in COLUMNS:
        op.add_column("signed_record", sa.Column(name, sa.String(length=length), nullable=True))


def downgrade():
    for name, _length in reversed(COLUMNS):
        op.drop_column("signed_record", name)
