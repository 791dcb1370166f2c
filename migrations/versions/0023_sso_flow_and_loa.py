"""single sign-on flows kept server-side and used once; required NSIS assurance levels (issue 31)

`sso_flow` holds a login or signature under way at the provider (its state, nonce and PKCE
verifier, or the SAML request's ID) and the ticket a fresh signing login leaves, found by the
SHA-256 of a random key in the browser's session and deleted when used: a copy of an earlier
session cookie no longer passes the state check. `sso_config` gains the NSIS assurance level
(OIOSAML 3) a municipality requires for login and for signing.

Revision ID: 0023
Revises: 0022
"""

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "sso_flow",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sso_flow")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_sso_flow_key_hash")),
    )
    with op.batch_alter_table("sso_flow", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sso_flow_expires_at"), ["expires_at"], unique=False)
    with op.batch_alter_table("sso_config", schema=None) as batch_op:
        batch_op.add_column(sa.Column("require_loa", sa.String(length=16), server_default="", nullable=False))
        batch_op.add_column(sa.Column("require_signing_loa", sa.String(length=16), server_default="", nullable=False))


def downgrade():
    with op.batch_alter_table("sso_config", schema=None) as batch_op:
        batch_op.drop_column("require_signing_loa")
        batch_op.drop_column("require_loa")
    with op.batch_alter_table("sso_flow", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sso_flow_expires_at"))
    op.drop_table("sso_flow")
