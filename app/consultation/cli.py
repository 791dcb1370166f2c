"""`flask consultation purge`: erase senders' address hashes 30 days after a consultation closed."""

import click
from flask.cli import AppGroup

from app.consultation import services
from app.extensions import db

consultation_cli = AppGroup("consultation", help="Høringer.")


@consultation_cli.command("purge", help="Slet afsendernes adresse-hashes 30 dage efter høringens afslutning.")
def purge_command():
    purged = services.purge_addresses()
    db.session.commit()
    click.echo(f"Erased {purged} address hashes.")
