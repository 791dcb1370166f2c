"""signed_record_pdf: the frozen record's PDF bytes in a table of their own (issue 21 item 1)

Reading a signed record's other columns (lists, the API, the CSV, verification by code) must
never walk its PDF: on SQLite the columns stored after a 40 KB blob are reached through the
blob's overflow pages. The bytes move, unchanged, to signed_record_pdf (one row per record),
which refuses UPDATE and DELETE as signed_record does.

The backup restore into PostgreSQL (issue 15 item 13) needed no schema change: `flask import`
inserts a table's self-references (publication.replaced_by_id) in a second pass.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    dialect = op.get_bind().dialect.name
    op.create_table(
        "signed_record_pdf",
        sa.Column("signed_record_id", sa.Integer(), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["signed_record_id"], ["signed_record.id"],
                                name=op.f("fk_signed_record_pdf_signed_record_id_signed_record")),
        sa.PrimaryKeyConstraint("signed_record_id", name=op.f("pk_signed_record_pdf")),
    )  # fmt: skip
    op.execute(
        "INSERT INTO signed_record_pdf (signed_record_id, pdf) SELECT id, pdf FROM signed_record"
    )
    if dialect == "sqlite":
        # SQLite 3.35+ drops a column in place; a batch copy of the table would lose its triggers.
        op.execute("ALTER TABLE signed_record DROP COLUMN pdf")
        op.execute("""CREATE TRIGGER signed_record_pdf_no_update BEFORE UPDATE ON signed_record_pdf
       BEGIN SELECT RAISE(ABORT, 'signed_record_pdf is immutable'); END""")
        op.execute("""CREATE TRIGGER signed_record_pdf_no_delete BEFORE DELETE ON signed_record_pdf
       BEGIN SELECT RAISE(ABORT, 'signed_record_pdf is immutable'); END""")
    else:
        op.drop_column("signed_record", "pdf")
        if dialect == "postgresql":
            op.execute("""CREATE TRIGGER signed_record_pdf_no_change BEFORE UPDATE OR DELETE ON signed_record_pdf
       FOR EACH ROW EXECUTE FUNCTION signed_record_immutable()""")


def downgrade():
    dialect = op.get_bind().dialect.name
    op.add_column("signed_record", sa.Column("pdf", sa.LargeBinary(), nullable=True))
    # Putting the bytes back is an UPDATE of frozen rows: lift their guard for this one statement.
    if dialect == "sqlite":
        op.execute("DROP TRIGGER signed_record_no_update")
    elif dialect == "postgresql":
        op.execute("ALTER TABLE signed_record DISABLE TRIGGER signed_record_no_change")
    op.execute("UPDATE signed_record SET pdf = (SELECT p.pdf FROM signed_record_pdf p "
               "WHERE p.signed_record_id = signed_record.id)")  # fmt: skip
    if dialect == "sqlite":
        op.execute("""CREATE TRIGGER signed_record_no_update BEFORE UPDATE ON signed_record
       BEGIN SELECT RAISE(ABORT, 'signed_record is immutable'); END""")
    elif dialect == "postgresql":
        op.execute("ALTER TABLE signed_record ENABLE TRIGGER signed_record_no_change")
        op.alter_column("signed_record", "pdf", nullable=False)
    op.drop_table("signed_record_pdf")  # its triggers go with it
