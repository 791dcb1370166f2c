"""publication_search: the searchable text in its own table, FTS5 by trigger, GIN on it

The wide search text made every listing and facet read wide rows (on SQLite, columns after it
sit behind overflow pages). It moves to publication_search; on SQLite the FTS5 index becomes an
external-content index kept in step by triggers (so a restore from backup rebuilds it), and on
PostgreSQL the Danish tsvector becomes a stored generated column with the GIN index on it.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 22:40:00

"""
from alembic import op
import sqlalchemy as sa

# Copied from app/public/models.py as they were at this revision, so the migration never drifts.
SQLITE_SEARCH_DDL = [
    "CREATE VIRTUAL TABLE publication_fts USING fts5(body, content='publication_search', "
    "content_rowid='publication_id', tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER publication_fts_ai AFTER INSERT ON publication_search BEGIN "
    "INSERT INTO publication_fts(rowid, body) VALUES (new.publication_id, new.body); END",
    "CREATE TRIGGER publication_fts_ad AFTER DELETE ON publication_search BEGIN "
    "INSERT INTO publication_fts(publication_fts, rowid, body) VALUES ('delete', old.publication_id, old.body); END",
    "CREATE TRIGGER publication_fts_au AFTER UPDATE ON publication_search BEGIN "
    "INSERT INTO publication_fts(publication_fts, rowid, body) VALUES ('delete', old.publication_id, old.body); "
    "INSERT INTO publication_fts(rowid, body) VALUES (new.publication_id, new.body); END",
]
POSTGRES_SEARCH_DDL = [
    "ALTER TABLE publication_search ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('danish', body)) STORED",
    "CREATE INDEX ix_publication_search_body ON publication_search USING gin (search_vector)",
]

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    # The text waits in a plain table while the column goes.
    op.execute("CREATE TABLE publication_search_move AS SELECT id AS publication_id, search_text AS body "
               "FROM publication")
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TABLE IF EXISTS publication_fts")
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_publication_search")
    # A native DROP COLUMN (SQLite 3.35+): a batch rebuild would trip over publication's
    # references to itself (replaced_by_id, replaces_id) while foreign keys are enforced.
    op.execute("ALTER TABLE publication DROP COLUMN search_text")
    op.create_table('publication_search',
    sa.Column('publication_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['publication_id'], ['publication.id'], name=op.f('fk_publication_search_publication_id_publication')),
    sa.PrimaryKeyConstraint('publication_id', name=op.f('pk_publication_search'))
    )
    for statement in SQLITE_SEARCH_DDL if dialect == "sqlite" else POSTGRES_SEARCH_DDL:
        op.execute(statement)  # the triggers fill the FTS index as the rows come in
    op.execute("INSERT INTO publication_search (publication_id, body) "
               "SELECT publication_id, body FROM publication_search_move")
    op.execute("DROP TABLE publication_search_move")


def downgrade():
    op.execute("CREATE TABLE publication_search_move AS SELECT publication_id, body FROM publication_search")
    dialect = op.get_bind().dialect.name
    op.drop_table('publication_search')
    if dialect == "sqlite":
        op.execute("DROP TABLE IF EXISTS publication_fts")
    with op.batch_alter_table('publication', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_text', sa.Text(), nullable=False, server_default=''))
    op.execute("UPDATE publication SET search_text = (SELECT body FROM publication_search_move "
               "WHERE publication_search_move.publication_id = publication.id)")
    op.execute("DROP TABLE publication_search_move")
    if dialect == "sqlite":
        op.execute("CREATE VIRTUAL TABLE publication_fts USING fts5(search_text, "
                   "tokenize='unicode61 remove_diacritics 0')")
        op.execute("INSERT INTO publication_fts(rowid, search_text) SELECT id, search_text FROM publication")
    elif dialect == "postgresql":
        op.execute("CREATE INDEX ix_publication_search ON publication USING gin (to_tsvector('danish', search_text))")
