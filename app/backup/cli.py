"""`flask export` and `flask import`: the whole database as one JSON file."""

import sys

import click
from flask.cli import with_appcontext

from app.backup import services
from app.extensions import db


@click.command("export", help="Skriv hele databasen som én JSON-fil (FILE, eller - for standard output).")
@click.argument("file", type=click.File("w", encoding="utf-8"), default="-")
@click.option("--with-password-hashes", is_flag=True, help="Tag brugernes adgangskode-hashes med.")
@with_appcontext
def export_command(file, with_password_hashes):
    counts = services.export_all(file, with_password_hashes=with_password_hashes)
    click.echo(f"Exported {sum(counts.values())} rows from {len(counts)} tables.", err=True)


@click.command("import", help="Indlæs en eksport i en tom database.")
@click.argument("file", type=click.File("rb"))
@with_appcontext
def import_command(file):
    try:
        counts = services.import_all(file)
    except services.ImportRefused as error:
        db.session.rollback()
        click.echo(f"Import refused: {error}", err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(f"Imported {sum(counts.values())} rows into {len(counts)} tables.")
