"""`flask feedback purge`: erase senders' address hashes 30 days after their feedback came in."""

import click
from flask.cli import AppGroup

from app.extensions import db
from app.feedback import services

feedback_cli = AppGroup("feedback", help="Borgerhenvendelser om offentliggjorte vurderinger.")


def remind_waiting() -> str:
    """Part of `flask followup remind` (wired in app/wiring.py): remind about citizens' questions
    unanswered for over 30 days; the line the command prints."""
    waiting = services.remind()
    return f"Reminded about {len(waiting)} citizens' questions unanswered for over 30 days."


@feedback_cli.command("purge", help="Slet afsendernes adresse-hashes 30 dage efter modtagelsen.")
def purge_command():
    purged = services.purge_addresses()
    db.session.commit()
    click.echo(f"Erased {purged} address hashes.")
