"""Transparency log (ADR 0004; issue 19): entries, checkpoints, append-only triggers

Three tables, all append-only: log_entry (each entry's canonical JSON and leaf hash), log_node
(the hash of every complete subtree, so appends and proofs read O(log n) rows) and log_checkpoint
(the signed checkpoints). UPDATE and DELETE are refused by triggers on SQLite and PostgreSQL, the
same statements app/translog/models.py runs when tables are created from the models (copied here
as they are at this revision, so the migration never drifts).

Records signed before this revision have no entries; `flask log backfill` appends them.

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

TABLES = ("log_entry", "log_node", "log_checkpoint")


def upgrade():
    op.create_table(
        "log_entry",
        sa.Column("leaf_index", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("entry", sa.Text(), nullable=False),
        sa.Column("leaf_hash", sa.LargeBinary(length=32), nullable=False),
        sa.Column("public_id", sa.String(length=22), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("leaf_index", name=op.f("pk_log_entry")),
    )
    op.create_index(op.f("ix_log_entry_public_id"), "log_entry", ["public_id"], unique=False)
    op.create_table(
        "log_node",
        sa.Column("node_index", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("hash", sa.LargeBinary(length=32), nullable=False),
        sa.PrimaryKeyConstraint("node_index", name=op.f("pk_log_node")),
    )
    op.create_table(
        "log_checkpoint",
        sa.Column("tree_size", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("root_hash", sa.LargeBinary(length=32), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("tree_size", name=op.f("pk_log_checkpoint")),
    )
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(
            "CREATE OR REPLACE FUNCTION transparency_log_append_only() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION USING MESSAGE = TG_TABLE_NAME || ' is append-only'; END; $$ LANGUAGE plpgsql"
        )
    for table in TABLES:
        if dialect == "sqlite":
            op.execute(
                f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            )
            op.execute(
                f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            )
        elif dialect == "postgresql":
            op.execute(
                f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION transparency_log_append_only()"
            )


def downgrade():
    op.drop_table("log_checkpoint")  # their triggers go with them
    op.drop_table("log_node")
    op.drop_index(op.f("ix_log_entry_public_id"), table_name="log_entry")
    op.drop_table("log_entry")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS transparency_log_append_only()")
