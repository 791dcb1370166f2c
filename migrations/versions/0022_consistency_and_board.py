"""consistency explanations and the board's meeting (issue 28 items 1 and 2, record schema 4)

`consistency_explanation` keeps the board's explanation of a consistency finding, one per
assessment and rule (app/assessments/consistency.py). The assessment gains the members present at
the meeting that deliberated (`board_present`, one "Navn, titel" a line), how many were absent
(`board_absent_count`) and the declared conflicts of interest (`board_conflicts`, one
"Navn: begrundelse" a line, forvaltningsloven § 3).

Revision ID: 0022
Revises: 0021
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "consistency_explanation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=60), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assessment_id"], ["assessment.id"], name=op.f("fk_consistency_explanation_assessment_id_assessment")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["user_account.id"], name=op.f("fk_consistency_explanation_updated_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consistency_explanation")),
        sa.UniqueConstraint("assessment_id", "rule", name=op.f("uq_consistency_explanation_assessment_id")),
    )
    with op.batch_alter_table("consistency_explanation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consistency_explanation_assessment_id"), ["assessment_id"], unique=False)
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("board_present", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("board_absent_count", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("board_conflicts", sa.Text(), nullable=False, server_default=""))


def downgrade():
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.drop_column("board_conflicts")
        batch_op.drop_column("board_absent_count")
        batch_op.drop_column("board_present")
    with op.batch_alter_table("consistency_explanation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consistency_explanation_assessment_id"))
    op.drop_table("consistency_explanation")
