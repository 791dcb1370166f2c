"""consultation: freeze the snapshot put to consultation (issue 15 item 3)

The public consultation page showed the live draft, so text written after the consultation (and
an unsigned decision) appeared as if it had been consulted on. A consultation now keeps the
proposal as it was opened, as canonical JSON with its SHA-256. Existing consultations are not
backfilled from today's draft (that would freeze text nobody was consulted on): their columns
stay empty, and their public page says the consulted text was not kept.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("consultation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("snapshot_json", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("snapshot_sha256", sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table("consultation", schema=None) as batch_op:
        batch_op.drop_column("snapshot_sha256")
        batch_op.drop_column("snapshot_json")
