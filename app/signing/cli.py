"""`flask signing create-demo-ca | issue | check`: the demo CA and its certificates for development
and the demo (both idempotent, both refused in production), and production's key check."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from app.signing import checks, democa, keys

signing_cli = AppGroup("signing", help="PDF-signaturer: test-CA, testcertifikater og kontrol af nøglerne.")

# The municipalities `flask demo` creates (tests/test_signing.py keeps the two in step): `make run`
# issues their certificates before it loads the demo.
DEMO_MUNICIPALITIES = ("Aarhus Kommune", "Odense Kommune", "Esbjerg Kommune")


def _refuse_in_production() -> None:
    if current_app.config.get("ENV_NAME") == "production":
        click.echo("The demo CA and its certificates are never used in production.", err=True)
        sys.exit(1)


@signing_cli.command("create-demo-ca", help="Opret test-CA'en (kun til udvikling og demo) i SIGNING_KEYS_DIR.")
def create_demo_ca_command() -> None:
    _refuse_in_production()
    directory = keys.keys_dir(current_app.config)
    created = democa.create_ca(directory)
    state = "created" if created else "already there"
    click.echo(f"Demo CA ({democa.DEMO_CA_NAME}) {state}: {directory / democa.CA_CERT}")


@signing_cli.command("issue", help="Udsted et testcertifikat til en kommune (kun til udvikling og demo).")
@click.option("--org", "slugs", multiple=True, metavar="SLUG", help="The municipality's slug (repeatable).")
@click.option("--name", default=None, help="The municipality's name, for a slug not yet in the database.")
@click.option("--demo", is_flag=True, help="The demo's municipalities, before `flask demo` creates them.")
def issue_command(slugs: tuple[str, ...], name: str | None, demo: bool) -> None:
    from app.accounts.models import Organisation
    from app.accounts.services import slugify
    from app.extensions import db

    _refuse_in_production()
    wanted: list[tuple[str, str | None]] = [(slug, name) for slug in slugs]
    if demo:
        wanted += [(slugify(municipality), municipality) for municipality in DEMO_MUNICIPALITIES]
    if not wanted:
        raise click.UsageError("Name a municipality with --org SLUG, or use --demo.")
    if name and len(slugs) != 1:
        raise click.UsageError("--name goes with exactly one --org.")
    directory = keys.keys_dir(current_app.config)
    for slug, given_name in wanted:
        stored = db.session.scalar(select(Organisation.name).where(Organisation.slug == slug))
        organisation_name = stored or given_name
        if not organisation_name:
            raise click.UsageError(f"No municipality {slug!r} in the database; give its name with --name.")
        try:
            issued = democa.issue(directory, slug, organisation_name, crl_url=keys.demo_crl_url(current_app.config))
        except keys.SigningKeyError as error:
            raise click.UsageError(str(error)) from None
        state = "issued" if issued else "already there"
        click.echo(f"{organisation_name} ({slug}): test certificate {state} in {directory}")


@signing_cli.command("check", help="Kontrollér, at hver kommune, der kan underskrive, har et gyldigt certifikat.")
def check_command() -> None:
    found = checks.problems(current_app.config, checks.signing_organisations())
    for line in found:
        click.echo(line)
    click.echo(f"Signing keys: {len(found)} problem(s).")
    sys.exit(1 if found else 0)
