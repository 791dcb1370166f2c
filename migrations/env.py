import logging
import sys
from logging.config import fileConfig

import click
from alembic import context
from flask import current_app
from sqlalchemy import event

# this is the Alembic Config object, which provides
# access to the values within the .ini file in use.
config = context.config

# Interpret the config file for Python logging.
# This line sets up loggers basically.
fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")


def get_engine():
    return current_app.extensions["migrate"].db.engine


def get_engine_url():
    try:
        return get_engine().url.render_as_string(hide_password=False).replace("%", "%%")
    except AttributeError:
        return str(get_engine().url).replace("%", "%%")


# add your model's MetaData object here
# for 'autogenerate' support
# from myapp import mymodel
# target_metadata = mymodel.Base.metadata
config.set_main_option("sqlalchemy.url", get_engine_url())
target_db = current_app.extensions["migrate"].db

# other values from the config, defined by the needs of env.py,
# can be acquired:
# my_important_option = config.get_main_option("my_important_option")
# ... etc.


def include_name(name, type_, parent_names):
    """Full-text search objects are made by raw DDL, not by the models; leave them out."""
    from app.public.models import is_search_object

    return not is_search_object(name)


def get_metadata():
    if hasattr(target_db, "metadatas"):
        return target_db.metadatas[None]
    return target_db.metadata


def run_migrations_offline():
    """Run migrations in 'offline' mode.

    This configures the context with just a URL
    and not an Engine, though an Engine is acceptable
    here as well.  By skipping the Engine creation
    we don't even need a DBAPI to be available.

    Calls to context.execute() here emit the given string to the
    script output.

    """
    url = config.get_main_option("sqlalchemy.url")
    context.configure(url=url, target_metadata=get_metadata(), literal_binds=True, include_name=include_name)

    with context.begin_transaction():
        context.run_migrations()


def recover_interrupted_batch(connection):
    """Finish or undo a table copy that an earlier, non-transactional run left behind.

    Before migrations ran in transactions on SQLite, a batch operation that failed half-way left
    `_alembic_tmp_<table>` beside the original and the version unchanged, so every later upgrade
    failed on the leftover. The copy is filled before the original is dropped: while the original
    exists the copy is a partial duplicate and goes; if the original was already dropped, the copy
    holds every row and takes its name.
    """
    leftovers = connection.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '\\_alembic\\_tmp\\_%' ESCAPE '\\'"
    ).scalars()
    for leftover in list(leftovers):
        table = leftover.removeprefix("_alembic_tmp_")
        exists = connection.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
        ).first()
        if exists:
            logger.warning("Dropping %s, left by an interrupted migration; %s is intact.", leftover, table)
            connection.exec_driver_sql(f'DROP TABLE "{leftover}"')
        else:
            logger.warning("Renaming %s to %s: an interrupted migration dropped the original.", leftover, table)
            connection.exec_driver_sql(f'ALTER TABLE "{leftover}" RENAME TO "{table}"')


def prepare_sqlite(connection):
    """Migrations on SQLite: foreign keys off, every statement inside the migration's transaction.

    Batch mode rebuilds a table by copy, drop and rename; with the app's `PRAGMA foreign_keys=ON`
    the drop of a referenced table fails (0017 on a database with data did). SQLite's own recipe
    for altering a table turns enforcement off (the pragma is ignored inside a transaction, so it
    is set here, before one begins) and runs `PRAGMA foreign_key_check` before committing, which
    check_foreign_keys does after every migration. pysqlite begins a transaction only before
    INSERT, UPDATE and DELETE, so a failed copy left its CREATE TABLE committed; with the driver in
    autocommit mode and an explicit BEGIN, each migration is all or nothing.
    """
    connection.connection.driver_connection.isolation_level = None
    connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    recover_interrupted_batch(connection)
    connection.commit()
    event.listen(connection, "begin", lambda conn: conn.exec_driver_sql("BEGIN"))


def check_foreign_keys(ctx, step, heads, run_args):
    """Refuse (and so roll back) a migration that leaves a row pointing at nothing."""
    broken = ctx.connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        shown = ", ".join(f"{row[0]} row {row[1]} -> {row[2]}" for row in broken[:10])
        raise RuntimeError(f"Migration {step.up_revision_id} left {len(broken)} broken foreign keys: {shown}")


def confirm_voided_signatures(connection):
    """Name the assessments whose given signatures an upgrade can void, and go on only when told to:
    `flask db upgrade -x yes`, or a yes at the prompt when run in a terminal."""
    from app.signoff.upgrade import pending_signatures, warning

    migration_context = context.get_context()
    if set(migration_context.get_current_heads()) == set(context.script.get_heads()):
        return  # nothing to upgrade
    pending = pending_signatures(connection)
    connection.commit()  # the look-up's implicit transaction; each migration begins its own
    if not pending or "yes" in context.get_x_argument(as_dictionary=True):
        if pending:
            logger.warning(warning(pending))
        return
    click.echo(warning(pending), err=True)
    if sys.stdin.isatty() and click.confirm("Upgrade anyway?", err=True):
        return
    raise click.ClickException("Upgrade not started. Run `flask db upgrade -x yes` to upgrade anyway.")


def run_migrations_online():
    """Run migrations in 'online' mode, each migration in a transaction of its own, so a failed one
    leaves the database at the previous revision and the next run starts from there."""

    # this callback is used to prevent an auto-migration from being generated
    # when there are no changes to the schema
    # reference: http://alembic.zzzcomputing.com/en/latest/cookbook.html
    def process_revision_directives(context, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info("No changes in schema detected.")

    conf_args = current_app.extensions["migrate"].configure_args
    if conf_args.get("process_revision_directives") is None:
        conf_args["process_revision_directives"] = process_revision_directives

    with get_engine().connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            prepare_sqlite(connection)
        try:
            context.configure(
                connection=connection,
                target_metadata=get_metadata(),
                include_name=include_name,
                transaction_per_migration=True,
                transactional_ddl=True,
                on_version_apply=[check_foreign_keys] if sqlite else [],
                **conf_args,
            )
            confirm_voided_signatures(connection)
            with context.begin_transaction():
                context.run_migrations()
        finally:
            if sqlite:
                # foreign keys off and autocommit mode must not go back into the app's pool
                connection.invalidate()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
