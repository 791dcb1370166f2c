"""`flask log create-demo-key`, `flask log backfill`."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from app.extensions import db
from app.translog import services, verify


@click.group("log", help="Den offentlige transparenslog.")
def log_cli():
    pass


@log_cli.command(
    "create-demo-key",
    help="Opret en Ed25519-nøgle til loggens kontrolpunkter i LOG_SIGNING_KEY_FILE, hvis der ikke er en (kun til udvikling og demo).",
)
@with_appcontext
def create_demo_key():
    path = current_app.config.get("LOG_SIGNING_KEY_FILE")
    if not path:
        raise click.ClickException("LOG_SIGNING_KEY_FILE is not set.")
    if current_app.config.get("ENV_NAME") == "production":
        raise click.ClickException("A demo key is not made in production; create the key with your own tools.")
    if services.write_key(path):
        click.echo(f"Created a demo log signing key in {path}.")
    else:
        click.echo(f"{path} exists; left as it is.")
    click.echo(f"Verifier key: {services.verifier_key()}")


@log_cli.command(
    "backfill",
    help="Tilføj de poster, loggen mangler for underskrevne vurderinger fra før loggen (i tidsorden).",
)
@with_appcontext
def backfill_command():
    added = verify.backfill()
    signed = services.ensure_checkpoint()  # entries appended while there was no key get one too
    db.session.commit()
    click.echo(f"Appended {added} missing log entries.")
    if signed is not None:
        click.echo(f"The latest checkpoint covers {signed.tree_size} entries.")
