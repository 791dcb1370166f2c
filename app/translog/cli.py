"""`flask log create-key`, `flask log create-demo-key`, `flask log backfill`."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from app.extensions import db
from app.translog import services, verify, witnessing


@click.group("log", help="Den offentlige transparenslog.")
def log_cli():
    pass


def _create(path: str | Path | None, *, demo: bool) -> None:
    """Both commands: a new key at path (never over an existing file), then its verifier key."""
    if not path:
        raise click.ClickException("Name the key file with --file, or set LOG_SIGNING_KEY_FILE.")
    if services.write_key(path):
        click.echo(f"Created a {'demo ' if demo else ''}log signing key in {path} (Ed25519, PKCS#8 PEM, mode 0600).")
    elif demo:
        click.echo(f"{path} exists; left as it is.")
    else:
        raise click.ClickException(
            f"{path} exists and is never overwritten: the checkpoints already signed with that key "
            "would no longer verify against a new one. Choose another file."
        )
    click.echo(f"Verifier key: {services.verifier_key(services.load_key(path))}")


@log_cli.command(
    "create-key",
    help="Opret transparensloggens Ed25519-nøgle (PEM, PKCS#8, mode 0600) til produktion; "
    "overskriver aldrig en eksisterende fil. Udskriver verifikationsnøglen.",
)
@click.option(
    "--file",
    "path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write the key (default: LOG_SIGNING_KEY_FILE).",
)
@with_appcontext
def create_key(path: Path | None):
    _create(path or current_app.config.get("LOG_SIGNING_KEY_FILE"), demo=False)


@log_cli.command(
    "create-demo-key",
    help="Opret en Ed25519-nøgle til loggens kontrolpunkter i LOG_SIGNING_KEY_FILE, hvis der ikke er en (kun til udvikling og demo).",
)
@with_appcontext
def create_demo_key():
    if current_app.config.get("ENV_NAME") == "production":
        raise click.ClickException("A demo key is not made in production; use `flask log create-key --file PATH`.")
    _create(current_app.config.get("LOG_SIGNING_KEY_FILE"), demo=True)


@log_cli.command(
    "backfill",
    help="Tilføj de poster, loggen mangler for underskrevne vurderinger fra før loggen (i tidsorden).",
)
@with_appcontext
def backfill_command():
    if current_app.config.get("ENV_NAME") == "production":
        try:
            services.signing_key()  # production signs what it appends (`flask` commands start without the key)
        except services.LogKeyMissing as error:
            raise click.ClickException(str(error)) from None
    added = verify.backfill()
    signed = services.ensure_checkpoint()  # entries appended while there was no key get one too
    db.session.commit()
    witnessing.witness_latest()
    click.echo(f"Appended {added} missing log entries.")
    if signed is not None:
        click.echo(f"The latest checkpoint covers {signed.tree_size} entries.")


@log_cli.command(
    "witness",
    help="Bed vidnerne (LOG_WITNESSES) om at medunderskrive det seneste kontrolpunkt; afslut med fejl, hvis kvorum mangler.",
)
@with_appcontext
def witness_command():
    latest = services.latest_checkpoint()
    if latest is None:
        raise click.ClickException("The log has no signed checkpoint yet.")
    if not witnessing.witnesses():
        raise click.ClickException("No witnesses are configured (LOG_WITNESSES).")
    services.remember(latest)
    added = witnessing.cosign(latest)
    names = [row.witness for row in witnessing.cosignatures_of(latest.tree_size)]
    click.echo(f"Checkpoint {latest.tree_size}: {added} new cosignature(s); cosigned by {', '.join(names) or 'none'}.")
    if not witnessing.witnessed(latest):
        click.echo(f"Not witnessed: {len(names)} of the {witnessing.quorum()} cosignatures the quorum needs.")
        sys.exit(1)


@log_cli.command("vkey", help="Vis loggens offentlige nøgle (vkey), som /api/v1/log/key giver den.")
@with_appcontext
def vkey_command():
    click.echo(services.verifier_key())
