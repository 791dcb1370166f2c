"""AI screening and fundamental-rights assessment (issue 20)

The proposal's AI screening (uses AI or profiles citizens, what for, which Annex III area of
Regulation (EU) 2024/1689) and the Article 27 fundamental-rights impact assessment: its six
elements, the reference to the GDPR Article 35 DPIA, and whether and when the result was notified
to the market surveillance authority. Existing assessments get empty answers and "not notified";
when a proposal needs them is decided by app/assessments/proposal.py, not by the database.

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

TEXTS = ["ai_purpose", "fria_processes", "fria_period", "fria_persons", "fria_risks", "fria_oversight", "fria_measures"]
STRINGS = {"uses_ai": 16, "ai_annex_area": 32, "fria_dpia": 500}


def _columns() -> list[sa.Column]:
    return [
        *(sa.Column(name, sa.String(length), nullable=False, server_default="") for name, length in STRINGS.items()),
        *(sa.Column(name, sa.Text(), nullable=False, server_default="") for name in TEXTS),
        sa.Column("fria_notified", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("fria_notified_date", sa.Date(), nullable=True),
    ]


def upgrade():
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        for column in _columns():
            batch_op.add_column(column)


def downgrade():
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        for column in reversed(_columns()):
            batch_op.drop_column(column.name)
