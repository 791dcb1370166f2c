"""signed addenda after the signature (issue 28 item 3)

`addendum` keeps each addendum to a signed record: its canonical JSON, its detached CMS signature
and its entry in the transparency log, one per place in the record's chain (unique on the record
and the sequence, so two written at once can never both be number n). Written once: triggers
refuse an update or a delete, as for the frozen record (app/addenda/models.py).

Revision ID: 0028
Revises: 0027
"""

import sqlalchemy as sa
from alembic import op

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None

SQLITE_TRIGGERS = [
    "CREATE TRIGGER addendum_no_update BEFORE UPDATE ON addendum "
    "BEGIN SELECT RAISE(ABORT, 'addendum is immutable'); END",
    "CREATE TRIGGER addendum_no_delete BEFORE DELETE ON addendum "
    "BEGIN SELECT RAISE(ABORT, 'addendum is immutable'); END",
]
POSTGRES_TRIGGERS = [
    "CREATE OR REPLACE FUNCTION addendum_immutable() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'addendum is immutable'; END; $$ LANGUAGE plpgsql",
    "CREATE TRIGGER addendum_no_change BEFORE UPDATE OR DELETE ON addendum "
    "FOR EACH ROW EXECUTE FUNCTION addendum_immutable()",
]


def upgrade():
    op.create_table(
        "addendum",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("signed_record_id", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("event_date", sa.Date(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
        sa.Column("signature_level", sa.String(length=8), nullable=False),
        sa.Column("certificate_sha256", sa.String(length=64), nullable=False),
        sa.Column("log_index", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["signed_record_id"], ["signed_record.id"], name=op.f("fk_addendum_signed_record_id_signed_record")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user_account.id"], name=op.f("fk_addendum_created_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_addendum")),
        sa.UniqueConstraint("signed_record_id", "sequence", name=op.f("uq_addendum_signed_record_id")),
    )
    with op.batch_alter_table("addendum", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_addendum_signed_record_id"), ["signed_record_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_addendum_sha256"), ["sha256"], unique=False)
    dialect = op.get_bind().dialect.name
    for statement in {"sqlite": SQLITE_TRIGGERS, "postgresql": POSTGRES_TRIGGERS}.get(dialect, []):
        op.execute(statement)


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS addendum_no_change ON addendum")
        op.execute("DROP FUNCTION IF EXISTS addendum_immutable()")
    with op.batch_alter_table("addendum", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_addendum_sha256"))
        batch_op.drop_index(batch_op.f("ix_addendum_signed_record_id"))
    op.drop_table("addendum")
