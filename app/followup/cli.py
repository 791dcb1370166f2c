"""`flask followup remind`: what is due, for cron; with what other packages remind about
(citizens' questions that wait too long), wired under "followup.reminders"."""

import click
from flask.cli import AppGroup

from app.core.wiring import contributions
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
    for remind in contributions("followup.reminders"):  # the citizens' questions (app/wiring.py)
        click.echo(remind())
