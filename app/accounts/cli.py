"""`flask org …` and `flask user …`. Passwords come from a hidden prompt or from standard input
(--password-stdin), never from the command line, where they would end up in shell history and
in the process list."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from app.accounts import services
from app.accounts.models import Role
from app.extensions import db

org_cli = AppGroup("org", help="Organisationer (kommuner).")
user_cli = AppGroup("user", help="Brugere.")

STDIN_HELP = "Læs adgangskoden fra standard input (første linje) i stedet for at spørge."


def read_password(password_stdin: bool) -> str:
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise click.ClickException("Ingen adgangskode på standard input.")
        return password
    return click.prompt("Adgangskode", hide_input=True, confirmation_prompt="Gentag adgangskoden")


def _fail(error: services.AccountError):
    db.session.rollback()
    raise click.ClickException(error.message)


@org_cli.command("create")
@click.argument("name")
def org_create(name: str) -> None:
    """Opret organisationen NAME; slug dannes af navnet."""
    try:
        organisation = services.create_organisation(name)
    except services.AccountError as error:
        _fail(error)
    db.session.commit()
    click.echo(f"Organisation oprettet: {organisation.name} (slug: {organisation.slug})")


@user_cli.command("create")
@click.option("--org", "org_slug", required=True, help="Organisationens slug.")
@click.option("--email", required=True, help="E-mailadresse; bruges til at logge ind.")
@click.option("--name", required=True, help="Fulde navn.")
@click.option("--title", required=True, help="Titel, fx „Formand for Socialudvalget“.")
@click.option(
    "--role",
    required=True,
    type=click.Choice([role.value for role in Role]),
    help="admin, editor (sekretariat) eller member (udvalgsmedlem).",
)
@click.option("--password-stdin", is_flag=True, help=STDIN_HELP)
def user_create(org_slug, email, name, title, role, password_stdin) -> None:
    """Opret en bruger i en organisation."""
    organisation = services.get_organisation_by_slug(org_slug)
    if organisation is None:
        raise click.ClickException(f"Organisationen „{org_slug}“ findes ikke.")
    password = read_password(password_stdin)
    try:
        user = services.create_user(organisation, email, name, title, role, password)
    except services.AccountError as error:
        _fail(error)
    db.session.commit()
    click.echo(f"Bruger oprettet: {user.email} ({user.role_enum.danish_label}) i {organisation.name}")


@user_cli.command("set-password")
@click.option("--email", required=True, help="Brugerens e-mailadresse.")
@click.option("--password-stdin", is_flag=True, help=STDIN_HELP)
def user_set_password(email, password_stdin) -> None:
    """Sæt en ny adgangskode; brugerens øvrige sessioner afsluttes, og en lås ophæves."""
    user = services.get_user_by_email(email)
    if user is None:
        raise click.ClickException(f"Der findes ingen bruger med e-mailadressen {email}.")
    password = read_password(password_stdin)
    try:
        services.set_password(user, password)
    except services.AccountError as error:
        _fail(error)
    db.session.commit()
    click.echo(f"Adgangskoden er ændret for {user.email}.")
