"""`flask followup remind`: what is due, for cron."""

import click
from flask.cli import AppGroup

from app.followup import services

followup_cli = AppGroup("followup", help="Opfølgning på handlingsplaner og revurderinger.")


@followup_cli.command("remind", help="Send påmindelser om forfaldne og snart forfaldne punkter (14 dage frem).")
def remind_command():
    due = services.remind()
    overdue = sum(1 for item in due if item.is_overdue(services.danish_today()))
    click.echo(f"Reminded about {len(due)} items ({overdue} overdue).")
