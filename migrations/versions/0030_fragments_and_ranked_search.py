"""record fragments (a shared store of the public record page's signed part) and ranked search:
title and summary as search columns of their own (issues 33 and 34)

record_fragment keeps the HTML of a signed record's part of its public page under a key of the
record's hash, the build and the language (app/public/fragments.py), for every worker to share.

publication_search gains the title and the summary, copied from the publication row (which
holds them as the signed record says, checked by `flask verify`). On SQLite the FTS5 table is made
again with three columns, so bm25() can weigh them; on PostgreSQL the generated tsvector weighs the
title A and the summary B. The body, the whole text, is unchanged.

Revision ID: 0030
Revises: 0029
"""

import sqlalchemy as sa
from alembic import op

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None

# Copied from app/public/models.py as they are at this revision, so the migration never drifts.
PREFIXES = "prefix='3 4 5 6 7 8 9 10 11 12'"
SQLITE_RANKED = [
    "CREATE VIRTUAL TABLE publication_fts USING fts5(title, summary, body, content='publication_search', "
    f"content_rowid='publication_id', tokenize='unicode61 remove_diacritics 0', {PREFIXES})",
    "CREATE TRIGGER publication_fts_ai AFTER INSERT ON publication_search BEGIN "
    "INSERT INTO publication_fts(rowid, title, summary, body) "
    "VALUES (new.publication_id, new.title, new.summary, new.body); END",
    "CREATE TRIGGER publication_fts_ad AFTER DELETE ON publication_search BEGIN "
    "INSERT INTO publication_fts(publication_fts, rowid, title, summary, body) "
    "VALUES ('delete', old.publication_id, old.title, old.summary, old.body); END",
    "CREATE TRIGGER publication_fts_au AFTER UPDATE ON publication_search BEGIN "
    "INSERT INTO publication_fts(publication_fts, rowid, title, summary, body) "
    "VALUES ('delete', old.publication_id, old.title, old.summary, old.body); "
    "INSERT INTO publication_fts(rowid, title, summary, body) "
    "VALUES (new.publication_id, new.title, new.summary, new.body); END",
]
SQLITE_BODY_ONLY = [
    "CREATE VIRTUAL TABLE publication_fts USING fts5(body, content='publication_search', "
    f"content_rowid='publication_id', tokenize='unicode61 remove_diacritics 0', {PREFIXES})",
    "CREATE TRIGGER publication_fts_ai AFTER INSERT ON publication_search BEGIN "
    "INSERT INTO publication_fts(rowid, body) VALUES (new.publication_id, new.body); END",
    "CREATE TRIGGER publication_fts_ad AFTER DELETE ON publication_search BEGIN "
    "INSERT INTO publication_fts(publication_fts, rowid, body) VALUES ('delete', old.publication_id, old.body); END",
    "CREATE TRIGGER publication_fts_au AFTER UPDATE ON publication_search BEGIN "
    "INSERT INTO publication_fts(publication_fts, rowid, body) VALUES ('delete', old.publication_id, old.body); "
    "INSERT INTO publication_fts(rowid, body) VALUES (new.publication_id, new.body); END",
]
POSTGRES_RANKED = (
    "ALTER TABLE publication_search ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('danish', title), 'A') || setweight(to_tsvector('danish', summary), 'B') || "
    "to_tsvector('danish', body)) STORED"
)
POSTGRES_BODY_ONLY = (
    "ALTER TABLE publication_search ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('danish', body)) STORED"
)
GIN = "CREATE INDEX ix_publication_search_body ON publication_search USING gin (search_vector)"
# The vector in the row, compressed, so the planner sees what a sequential scan reads (models.py).
INLINE = [
    "ALTER TABLE publication_search SET (toast_tuple_target = 8160)",
    "ALTER TABLE publication_search ALTER COLUMN search_vector SET STORAGE MAIN",
    "UPDATE publication_search SET body = body",  # every row written again under the new storage
]
TRIGGERS = ("publication_fts_ai", "publication_fts_ad", "publication_fts_au")


def _remake_search(sqlite_ddl: list[str], postgres_vector: str) -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for trigger in TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS publication_fts")
        for statement in sqlite_ddl:
            op.execute(statement)
        op.execute("INSERT INTO publication_fts(publication_fts) VALUES ('rebuild')")
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_publication_search_body")
        op.execute("ALTER TABLE publication_search DROP COLUMN IF EXISTS search_vector")
        op.execute(postgres_vector)
        op.execute(GIN)


def upgrade():
    op.create_table(
        "record_fragment",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("html", sa.Text(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_record_fragment")),
    )
    op.create_index(op.f("ix_record_fragment_created_at"), "record_fragment", ["created_at"])
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":  # the triggers name the columns: they go before the table changes
        for trigger in TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.add_column("publication_search", sa.Column("title", sa.Text(), nullable=False, server_default=""))
    op.add_column("publication_search", sa.Column("summary", sa.Text(), nullable=False, server_default=""))
    op.execute(
        "UPDATE publication_search SET "
        "title = (SELECT title FROM publication WHERE publication.id = publication_search.publication_id), "
        "summary = (SELECT summary FROM publication WHERE publication.id = publication_search.publication_id)"
    )
    _remake_search(SQLITE_RANKED, POSTGRES_RANKED)
    if dialect == "postgresql":
        for statement in INLINE:
            op.execute(statement)


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for trigger in TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS publication_fts")
    elif dialect == "postgresql":  # the generated column reads the columns that go
        op.execute("DROP INDEX IF EXISTS ix_publication_search_body")
        op.execute("ALTER TABLE publication_search DROP COLUMN IF EXISTS search_vector")
    op.execute("ALTER TABLE publication_search DROP COLUMN summary")  # native on both (SQLite 3.35+)
    op.execute("ALTER TABLE publication_search DROP COLUMN title")
    _remake_search(SQLITE_BODY_ONLY, POSTGRES_BODY_ONLY)
    if dialect == "postgresql":
        op.execute("ALTER TABLE publication_search RESET (toast_tuple_target)")
    op.drop_index(op.f("ix_record_fragment_created_at"), table_name="record_fragment")
    op.drop_table("record_fragment")
