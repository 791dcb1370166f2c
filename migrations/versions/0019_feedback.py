"""Citizens' feedback on published records (issue 20)

`feedback` holds a citizen's question or error report about one publication (one version of an
assessment), with the sender, address-hash and moderation columns consultation responses have,
and the board's answer.

Revision ID: 0019
Revises: 0018
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("publication_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.Column("author_name", sa.String(length=120), nullable=False),
        sa.Column("author_organisation", sa.String(length=160), nullable=False),
        sa.Column("publish_name", sa.Boolean(), nullable=False),
        sa.Column("address_hash", sa.String(length=64), nullable=True),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("rejection_reason", sa.String(length=32), nullable=False),
        sa.Column("moderated_by_id", sa.Integer(), nullable=True),
        sa.Column("moderated_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["answered_by_id"], ["user_account.id"], name=op.f("fk_feedback_answered_by_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["moderated_by_id"], ["user_account.id"], name=op.f("fk_feedback_moderated_by_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["publication_id"], ["publication.id"], name=op.f("fk_feedback_publication_id_publication")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback")),
    )
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feedback_address_hash"), ["address_hash"], unique=False)
        batch_op.create_index(batch_op.f("ix_feedback_publication_id"), ["publication_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_feedback_status"), ["status"], unique=False)


def downgrade():
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_status"))
        batch_op.drop_index(batch_op.f("ix_feedback_publication_id"))
        batch_op.drop_index(batch_op.f("ix_feedback_address_hash"))
    op.drop_table("feedback")
