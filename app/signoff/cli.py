"""`flask verify`: re-hash every frozen record and PDF, compare every row derived from a record
with it, and report any mismatch."""

import sys
from datetime import timedelta

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from app.extensions import db
from app.signing.cli import signing_cli
from app.signoff import archive, canonical, integrity
from app.signoff.models import SignedRecord, SignedRecordArchive
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
    for renewed, frozen in db.session.execute(
        select(SignedRecordArchive, SignedRecord).join(
            SignedRecord, SignedRecord.id == SignedRecordArchive.signed_record_id
        )
    ):
        data = bytes(renewed.pdf)
        if canonical.sha256_hex(data) != renewed.pdf_sha256 or not data.startswith(bytes(frozen.pdf)):
            broken += 1
            echo(
                f"MISMATCH record {frozen.id} (code {frozen.verification_code}): its renewed PDF does not extend the signed one"
            )
    log_problems = log_verify.verify_log()  # the transparency log: tree, checkpoints, each record's entries
    for problem in log_problems:
        echo(f"MISMATCH {problem}")
    echo(f"Checked the transparency log: {len(log_problems)} problems.")
    return not (broken or log_problems)


@signing_cli.command(
    "extend", help="Forny langtidsbeviset (PAdES B-LTA) på underskrevne PDF'er, hvis tidsstempel snart udløber."
)
@click.option(
    "--within-days",
    type=click.IntRange(1, 3650),
    default=365,
    show_default=True,
    help="Renew a PDF whose newest timestamp's certificate expires within this many days.",
)
@with_appcontext
def extend_command(within_days: int) -> None:
    """Each record is renewed and committed on its own, so a failure keeps the renewals before it."""
    counts = {"extended": 0, "not-due": 0, "failed": 0}
    for frozen in archive.renewable_records():
        try:
            result = archive.renew(
                frozen,
                config=current_app.config,
                within=timedelta(days=within_days),
                timeout=current_app.config.get("PDF_RENDER_SECONDS", 20),
            )
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        counts[result.outcome] += 1
        if result.outcome != "not-due":
            until = f", renew before {result.renew_before:%Y-%m-%d}" if result.renew_before else ""
            why = f": {result.reason}" if result.reason else ""
            click.echo(f"{result.outcome} {frozen.verification_code}{until}{why}")
    click.echo(
        f"Long-term renewal: {counts['extended']} extended, {counts['not-due']} not due, {counts['failed']} failed."
    )
    sys.exit(1 if counts["failed"] else 0)
