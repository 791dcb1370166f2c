"""`flask verify`: re-hash every frozen record and PDF, compare every row derived from a record
with it, and report any mismatch."""

import sys

import click
from flask.cli import with_appcontext

from app.signoff import integrity
from app.translog import verify as log_verify


@click.command(
    "verify",
    help="Genberegn hashes for alle låste vurderinger og PDF'er, og sammenlign afledte rækker med den underskrevne post; afslut med fejl ved afvigelser.",
)
@with_appcontext
def verify_command():
    sys.exit(0 if check_everything() else 1)


def check_everything(echo=click.echo) -> bool:
    """Every check of `flask verify`, reported line by line through `echo`; True when all hold.
    `flask backup verify` runs the same on a restored copy."""
    checked = broken = 0
    for result in integrity.verify_all():
        checked += 1
        if not result.ok:
            broken += 1
            label = f"MISMATCH record {result.record.id} (code {result.record.verification_code})"
            parts = [name for name, ok in (("JSON", result.json_ok), ("PDF", result.pdf_ok)) if not ok]
            if parts:
                echo(f"{label}: {' and '.join(parts)} no longer match the stored hash")
            if result.mismatches:
                echo(f"{label}: {', '.join(result.mismatches)} no longer match the signed record")
    echo(f"Checked {checked} signed records: {broken} with mismatches.")
    log_problems = log_verify.verify_log()  # the transparency log: tree, checkpoints, each record's entries
    for problem in log_problems:
        echo(f"MISMATCH {problem}")
    echo(f"Checked the transparency log: {len(log_problems)} problems.")
    return not (broken or log_problems)
