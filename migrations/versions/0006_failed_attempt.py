"""accounts: refused logins counted in the database, shared by every worker (issue 15 item 8)

Logout ending the session on the server (item 2) needs no schema change: it bumps the existing
user_account.session_version.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "failed_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("client_hash", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_failed_attempt")),
    )
    with op.batch_alter_table("failed_attempt", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_failed_attempt_at"), ["at"], unique=False)
        batch_op.create_index(
            "ix_failed_attempt_scope_client", ["scope", "client_hash", "at"], unique=False
        )


def downgrade():
    with op.batch_alter_table("failed_attempt", schema=None) as batch_op:
        batch_op.drop_index("ix_failed_attempt_scope_client")
        batch_op.drop_index(batch_op.f("ix_failed_attempt_at"))
    op.drop_table("failed_attempt")
