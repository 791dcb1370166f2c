"""`flask verify`: re-hash every frozen record and PDF and report any mismatch."""

import sys

import click
from flask.cli import with_appcontext

from app.signoff import services


@click.command("verify", help="Genberegn hashes for alle låste vurderinger og PDF'er; afslut med fejl ved afvigelser.")
@with_appcontext
def verify_command():
    checked = broken = 0
    for result in services.verify_all():
        checked += 1
        if not result.ok:
            broken += 1
            parts = [name for name, ok in (("JSON", result.json_ok), ("PDF", result.pdf_ok)) if not ok]
            click.echo(
                f"MISMATCH record {result.record.id} (code {result.record.verification_code}): "
                f"{' and '.join(parts)} no longer match the stored hash"
            )
    click.echo(f"Checked {checked} signed records: {broken} with mismatches.")
    sys.exit(1 if broken else 0)
