"""`flask content check`: validate the content and print what it holds."""

import click
from flask.cli import with_appcontext

from app.content.loader import get_content


@click.group("content", help="Tænketankens indhold under CONTENT_DIR.")
def content_cli():
    pass


@content_cli.command("check", help="Valider indholdet og vis antal; afslutter med fejl ved problemer.")
@with_appcontext
def check_command():
    # Loading happens in create_app, which exits non-zero with the problems listed; reaching
    # this point means the content is valid.
    content = get_content()
    click.echo(f"Indholdet er gyldigt (version {content.version}):")
    for name, count in content.counts().items():
        click.echo(f"  {name}: {count}")
