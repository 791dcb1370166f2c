"""SAML 2.0 single sign-on: the IdP's metadata and our certificate per municipality, and the
assertions already used (issue 22)

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("sso_config") as batch:
        batch.add_column(
            sa.Column("metadata_ref", sa.String(length=300), nullable=False, server_default="")
        )
        batch.add_column(
            sa.Column("cert_ref", sa.String(length=300), nullable=False, server_default="")
        )
    op.create_table(
        "saml_assertion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(length=255), nullable=False),
        sa.Column("assertion_id", sa.String(length=255), nullable=False),
        sa.Column("not_on_or_after", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saml_assertion")),
        sa.UniqueConstraint(
            "provider", "assertion_id", name="uq_saml_assertion_provider_assertion_id"
        ),
    )
    op.create_index(
        op.f("ix_saml_assertion_not_on_or_after"), "saml_assertion", ["not_on_or_after"]
    )


def downgrade():
    op.drop_index(op.f("ix_saml_assertion_not_on_or_after"), table_name="saml_assertion")
    op.drop_table("saml_assertion")
    with op.batch_alter_table("sso_config") as batch:
        batch.drop_column("cert_ref")
        batch.drop_column("metadata_ref")
