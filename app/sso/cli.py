"""`flask org sso …`: a municipality's login through its own identity provider.

The client secret is never given on the command line (shell history, the process list) nor
stored in the database: --client-secret-env or --client-secret-file names where it is.
"""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.accounts import services as accounts
from app.extensions import db
from app.sso import services

sso_cli = AppGroup("sso", help="Kommunens eget login (OpenID Connect).")


def _organisation(slug: str):
    organisation = accounts.get_organisation_by_slug(slug)
    if organisation is None:
        raise click.ClickException(f"Ingen organisation med slug {slug!r}.")
    return organisation


@sso_cli.command("set")
@click.argument("slug")
@click.option(
    "--issuer", required=True, help="Udbyderens issuer-URL (discovery under /.well-known/)."
)
@click.option("--client-id", required=True, help="Klient-id'et hos udbyderen.")
@click.option("--client-secret-env", default="", help="Miljøvariablen med klienthemmeligheden.")
@click.option("--client-secret-file", default="", help="Filen med klienthemmeligheden.")
@click.option(
    "--domain", "domains", multiple=True, required=True, help="E-maildomæne (kan gentages)."
)
@click.option(
    "--jit/--no-jit", default=False, help="Opret nye brugere (udvalgsmedlemmer) ved første login."
)
@click.option("--group-claim", default="", help="Claim med grupper eller roller, fx groups.")
@click.option(
    "--role", "roles", multiple=True, help="gruppe=rolle (admin, editor, member); kan gentages."
)
def sso_set(
    slug, issuer, client_id, client_secret_env, client_secret_file, domains, jit, group_claim, roles
):
    """Lad kommunen SLUG logge ind via OpenID Connect."""
    if client_secret_env and client_secret_file:
        raise click.ClickException(
            "Brug enten --client-secret-env eller --client-secret-file, ikke begge."
        )
    secret_ref = f"env:{client_secret_env}" if client_secret_env else (
        f"file:{client_secret_file}" if client_secret_file else "")  # fmt: skip
    organisation = _organisation(slug)
    try:
        config = services.set_config(
            organisation, protocol="oidc", issuer=issuer, client_id=client_id, secret_ref=secret_ref,
            domains=" ".join(domains), allow_jit=jit, group_claim=group_claim, role_map="\n".join(roles),
        )  # fmt: skip
        services.resolve_secret(
            config.secret_ref
        )  # say now if the secret is not where it was said to be
    except services.SsoError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(
        f"{organisation.name} logger nu ind via {config.provider} ({', '.join(config.domains)})."
    )


@sso_cli.command("show")
@click.argument("slug")
def sso_show(slug):
    """Vis kommunens login."""
    organisation = _organisation(slug)
    config = services.config_for(organisation.id)
    if config is None:
        click.echo(f"{organisation.name}: adgangskoder i Etikdialog.")
        return
    click.echo(f"{organisation.name}: {config.protocol} {config.provider}")
    click.echo(
        f"  klient-id: {config.client_id}; hemmelighed: {config.secret_ref or '(ingen: offentlig klient)'}"
    )
    click.echo(
        f"  domæner: {', '.join(config.domains)}; nye brugere ved første login: {'ja' if config.allow_jit else 'nej'}"
    )
    if config.group_claim:
        click.echo(
            f"  roller fra {config.group_claim}: {config.role_map.replace(chr(10), ', ') or '-'}"
        )


@sso_cli.command("off")
@click.argument("slug")
def sso_off(slug):
    """Tilbage til adgangskoder i Etikdialog."""
    organisation = _organisation(slug)
    services.remove_config(organisation)
    db.session.commit()
    click.echo(f"{organisation.name} logger ind med adgangskoder.")
