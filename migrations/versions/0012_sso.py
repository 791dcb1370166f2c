"""single sign-on: a municipality's identity provider, linked identities, how a signer authenticated (ADR 0003; issue 22)

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "sso_config",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("protocol", sa.String(length=8), nullable=False),
        sa.Column("email_domains", sa.String(length=500), nullable=False),
        sa.Column("issuer", sa.String(length=255), nullable=False),
        sa.Column("client_id", sa.String(length=255), nullable=False),
        sa.Column("secret_ref", sa.String(length=300), nullable=False),
        sa.Column("allow_jit", sa.Boolean(), nullable=False),
        sa.Column("group_claim", sa.String(length=64), nullable=False),
        sa.Column("role_map", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_sso_config_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sso_config")),
        sa.UniqueConstraint("organisation_id", name=op.f("uq_sso_config_organisation_id")),
    )
    op.create_table(
        "sso_identity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(length=255), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_login_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_sso_identity_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_sso_identity_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sso_identity")),
        sa.UniqueConstraint("provider", "subject", name="uq_sso_identity_provider_subject"),
    )
    op.create_index(op.f("ix_sso_identity_user_id"), "sso_identity", ["user_id"])
    op.create_index(op.f("ix_sso_identity_organisation_id"), "sso_identity", ["organisation_id"])
    with op.batch_alter_table("signature") as batch:
        batch.add_column(
            sa.Column("auth_method", sa.String(length=8), nullable=False, server_default="password")
        )
        batch.add_column(
            sa.Column("auth_provider", sa.String(length=255), nullable=False, server_default="")
        )
        batch.add_column(
            sa.Column("auth_subject", sa.String(length=255), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("authenticated_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("signature") as batch:
        batch.drop_column("authenticated_at")
        batch.drop_column("auth_subject")
        batch.drop_column("auth_provider")
        batch.drop_column("auth_method")
    op.drop_index(op.f("ix_sso_identity_organisation_id"), table_name="sso_identity")
    op.drop_index(op.f("ix_sso_identity_user_id"), table_name="sso_identity")
    op.drop_table("sso_identity")
    op.drop_table("sso_config")
