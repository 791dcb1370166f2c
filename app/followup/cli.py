"""`flask followup remind`: what is due, for cron; with citizens' questions that wait too long."""

import click
from flask.cli import AppGroup

from app.feedback import services as feedback
from app.followup import services

followup_cli = AppGroup("followup", help="Opfølgning på handlingsplaner og revurderinger.")


@followup_cli.command(
    "remind",
    help="Send påmindelser om forfaldne og snart forfaldne punkter (14 dage frem) "
    "og om borgerhenvendelser, der har ventet over 30 dage på svar.",
)
def remind_command():
    due = services.remind()
    overdue = sum(1 for item in due if item.is_overdue(services.danish_today()))
    click.echo(f"Reminded about {len(due)} items ({overdue} overdue).")
    waiting = feedback.remind()
    click.echo(f"Reminded about {len(waiting)} citizens' questions unanswered for over 30 days.")
