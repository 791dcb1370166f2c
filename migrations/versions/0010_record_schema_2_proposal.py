"""record schema 2: the proposal's effect case, economy, alternatives, automation and oversight,
freedom-restricting technology, trial and fallback, formal decision and complaint route (issue 17)

Existing assessments get empty text, no numbers and no dates; what a proposal needs before it is
complete is decided by app/assessments/proposal.py, not by the database. Records signed before
this revision keep their stored schema-1 JSON.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

TEXTS = ["effect_baseline", "effect_size", "behaviour_change", "professional_bottom_line", "without_technology",
         "alternatives_considered", "human_response", "override", "error_rates", "force_legal_basis",
         "individual_decision", "freedom_consent", "trial", "failure_plan", "complaint_how"]
STRINGS = {"funding": 300, "automation_level": 16, "restricts_freedom": 16, "council_listed": 16,
           "barrier_implementation": 16, "barrier_implementation_note": 500, "barrier_economy": 16,
           "barrier_economy_note": 500, "barrier_management": 16, "barrier_management_note": 500,
           "barrier_maturity": 16, "barrier_maturity_note": 500, "decision_body": 200,
           "decision_minutes_url": 500, "complaint_to": 300, "complaint_deadline": 200}
NUMBERS = {"cost_one_off": sa.BigInteger(), "cost_yearly": sa.BigInteger(), "freed_hours_yearly": sa.Integer()}
DATES = ["decision_meeting_date", "in_use_date"]


def _columns() -> list[sa.Column]:
    return [
        *(sa.Column(name, sa.Text(), nullable=False, server_default="") for name in TEXTS),
        *(sa.Column(name, sa.String(length), nullable=False, server_default="") for name, length in STRINGS.items()),
        *(sa.Column(name, kind, nullable=True) for name, kind in NUMBERS.items()),
        *(sa.Column(name, sa.Date(), nullable=True) for name in DATES),
    ]


def upgrade():
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        for column in _columns():
            batch_op.add_column(column)


def downgrade():
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        for column in reversed(_columns()):
            batch_op.drop_column(column.name)
