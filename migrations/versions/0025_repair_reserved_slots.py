"""Repair: what 0010 and 0011 make, on databases stamped past them while they were reserved slots

For a while main carried migrations 0010 and 0011 as reserved no-op slots that later commits
filled in. A database created then is stamped 0010 to 0013 without 0010's columns (the record
schema 2 proposal fields) and, from the earliest such commits, without 0011's meeting_state
table, so every later upgrade skipped them and the app failed on its first read of an assessment
(tests/fixtures/upgrade: 0010-reserved, 0011-reserved, 0011 to 0013). This runs each of those two
migrations' own upgrade where its work is missing; on any other database it changes nothing.

Revision ID: 0025
Revises: 0023
"""

import sqlalchemy as sa
from alembic import context, op

revision = "0025"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade():
    inspector = sa.inspect(op.get_bind())
    if "effect_baseline" not in {column["name"] for column in inspector.get_columns("assessment")}:
        context.script.get_revision("0010").module.upgrade()
    if not inspector.has_table("meeting_state"):
        context.script.get_revision("0011").module.upgrade()


def downgrade():
    pass  # the columns and the table belong to 0010 and 0011, whose downgrades remove them
