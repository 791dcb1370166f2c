"""`flask documents check`: every stored PDF through the upload check (app/documents/pdfcheck.py).

Files uploaded before the check existed stay stored by hash. Sign-off refuses them (a precondition
of "Send til underskrift" and again at every signature); records signed before keep their bytes,
because a signed record cannot change. This command finds them all, naming each assessment that
uses a file, so an operator can ask the board to replace it or withdraw a publication. Exits 1 when
any file fails.
"""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app.assessments.models import Assessment
from app.documents import pdfcheck
from app.documents.models import DocumentFile, RelatedDocument
from app.extensions import db

documents_cli = AppGroup("documents", help="De PDF-filer, der er vedhæftet vurderingerne.")


@documents_cli.command("check")
def check_command():
    """Kontrollér alle gemte PDF-filer som ved upload; nævn de vurderinger, der bruger en fil, der afvises."""
    sys.exit(0 if check_files() else 1)


def check_files(echo=click.echo) -> bool:
    """One line per failing file (hash, what was found, the assessments using it); True when all pass.
    Files are read one at a time, so memory holds one file."""
    checked = failing = 0
    for file_id in db.session.scalars(select(DocumentFile.id).order_by(DocumentFile.id)).all():
        stored = db.session.get(DocumentFile, file_id)
        findings = pdfcheck.inspect(bytes(stored.data))
        checked += 1
        if findings:
            failing += 1
            users = db.session.execute(
                select(Assessment.public_id, Assessment.status, RelatedDocument.kind)
                .join(RelatedDocument, RelatedDocument.assessment_id == Assessment.id)
                .where(RelatedDocument.file_id == file_id)
                .order_by(Assessment.id)
            ).all()
            used = "; ".join(f"{public_id} ({status}, {kind})" for public_id, status, kind in users) or "ingen"
            echo(f"AFVIST {stored.sha256}: {', '.join(f.code for f in findings)}. Bruges af: {used}")
        db.session.expunge(stored)
    echo(f"Kontrollerede {checked} PDF-filer: {failing} afvises.")
    return failing == 0
