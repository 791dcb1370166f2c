"""`flask export`, `flask import` and `flask backup verify`: the whole database as one JSON file,
written atomically, compressed and optionally encrypted, with a SHA-256 beside it (app.backup.files)."""

import sys
import tempfile
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from app.backup import files, services
from app.extensions import db

RECIPIENT_HELP = "Kryptér til denne age-offentlige nøgle (age1…); kan gentages."
IDENTITY_HELP = "age-privatnøglefil (AGE-SECRET-KEY-1…) til en krypteret sikkerhedskopi; kan gentages."


def _fail(message: str) -> None:
    click.echo(message, err=True)
    sys.exit(1)


@click.command(
    "export",
    help="Skriv hele databasen som én JSON-fil (FILE, eller - for standard output): gzip for .gz, zstd for "
    ".zst, atomisk skrevet med FILE.sha256 ved siden af.",
)
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True), default="-")
@click.option("--with-password-hashes", is_flag=True, help="Tag brugernes adgangskode-hashes med.")
@click.option(
    "--compress",
    type=click.Choice(files.COMPRESSIONS),
    default=None,
    help="Komprimering; standard efter filnavnet (.gz gzip, .zst zstd, ellers ingen).",
)
@click.option("--recipient", "recipient_keys", multiple=True, metavar="AGE1…", help=RECIPIENT_HELP)
@click.option(
    "--recipients-file",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="Fil med age-offentlige nøgler, én pr. linje (# kommentarer).",
)
@with_appcontext
def export_command(file, with_password_hashes, compress, recipient_keys, recipients_file):
    try:
        recipients = files.recipients(recipient_keys, recipients_file)
    except files.BackupFileError as error:
        _fail(f"Export refused: {error}")
    if file.lower().endswith(".age") and not recipients:
        _fail("Export refused: a name ending in .age promises encryption; give --recipient or --recipients-file.")
    compression = compress or ("none" if file == "-" else files.compression_for(file))

    def export(target):
        encoder = files.Encoder(target, compression=compression, recipients=recipients)
        try:
            counts = services.export_all(encoder.text, with_password_hashes=with_password_hashes)
            encoder.finish()
        except BaseException:
            encoder.abort()
            raise
        return counts, encoder

    if file == "-":
        counts, encoder = export(sys.stdout.buffer)
        sys.stdout.buffer.flush()
        click.echo(
            f"Exported {sum(counts.values())} rows from {len(counts)} tables; sha256 {encoder.sha256}.", err=True
        )
        return
    path = Path(file)
    if not path.parent.is_dir():
        _fail(f"Export refused: the directory {path.parent} does not exist.")
    try:
        with files.atomic_file(path) as target:
            counts, encoder = export(target)
            files.checksum_path(path).unlink(missing_ok=True)  # an old checksum must not outlive its file
        files.write_checksum(path, encoder.sha256)
    except (OSError, files.BackupFileError) as error:  # a full disk, an unwritable directory: no traceback
        _fail(f"Export failed, nothing written under {path.name} (eksporten mislykkedes): {error}")
    click.echo(
        f"Exported {sum(counts.values())} rows from {len(counts)} tables to {path} "
        f"({encoder.size / 2**20:.1f} MB, {compression}{', age' if recipients else ''}); "
        f"sha256 in {files.checksum_path(path).name}.",
        err=True,
    )


def _check_checksum(path: Path) -> str:
    """Compare FILE with FILE.sha256; a line for the operator, or exit 1 on a mismatch."""
    try:
        expected = files.read_checksum(path)
    except files.BackupFileError as error:
        _fail(f"Backup NOT OK (sikkerhedskopien er IKKE i orden): {error}")
    if expected is None:
        return f"No {files.checksum_path(path).name} beside the file: checksum not checked (ingen kontrolsum)."
    actual = files.file_sha256(path)
    if actual != expected:
        _fail(
            f"Backup NOT OK (sikkerhedskopien er IKKE i orden): the SHA-256 of {path.name} is {actual}, "
            f"but {files.checksum_path(path).name} says {expected} (kontrolsummen passer ikke)."
        )
    return f"SHA-256 matches {files.checksum_path(path).name} (kontrolsummen passer)."


@click.command("import", help="Indlæs en eksport i en tom database (JSON, gzip eller zstd, evt. age-krypteret).")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True, exists=True))
@click.option("--identity", "identity_files", multiple=True, type=click.Path(dir_okay=False), help=IDENTITY_HELP)
@with_appcontext
def import_command(file, identity_files):
    try:
        identities = files.identities(identity_files)
    except files.BackupFileError as error:
        _fail(f"Import refused: {error}")
    if file != "-":
        click.echo(_check_checksum(Path(file)))
    stream = sys.stdin.buffer if file == "-" else open(file, "rb")  # noqa: SIM115 - closed below
    try:
        with files.reading(stream, identities=identities) as source:
            counts = services.import_all(source)
    except services.ImportRefused as error:
        db.session.rollback()
        _fail(f"Import refused: {error}")
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    db.session.commit()
    click.echo(f"Imported {sum(counts.values())} rows into {len(counts)} tables.")


backup_cli = AppGroup("backup", help="Sikkerhedskopier: kontrol af en eksport.")


@backup_cli.command(
    "verify",
    help="Gendan FILE i en midlertidig SQLite-database og kør de samme kontroller som flask verify, samt "
    "FILE.sha256 hvis den findes; afslut med fejl ved enhver afvigelse.",
)
@click.argument("file", type=click.Path(dir_okay=False, exists=True))
@click.option("--identity", "identity_files", multiple=True, type=click.Path(dir_okay=False), help=IDENTITY_HELP)
def verify_backup_command(file, identity_files):
    from app import create_app
    from app.signoff.cli import check_everything

    path = Path(file)
    try:
        identities = files.identities(identity_files)
    except files.BackupFileError as error:
        _fail(f"Backup NOT OK (sikkerhedskopien er IKKE i orden): {error}")
    click.echo(_check_checksum(path))
    config = dict(current_app.config)
    for key in ("SQLALCHEMY_ENGINE_OPTIONS", "SQLALCHEMY_BINDS"):
        config.pop(key, None)
    # The restore goes into a scratch SQLite file under TMPDIR, removed afterwards whatever happens.
    with tempfile.TemporaryDirectory(prefix="etikdialog-verify-") as directory:
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{Path(directory) / 'restored.db'}"
        scratch = create_app(config)
        with scratch.app_context():
            try:
                db.create_all()
                with open(path, "rb") as stream, files.reading(stream, identities=identities) as source:
                    counts = services.import_all(source)
                db.session.commit()
                click.echo(f"Restored {sum(counts.values())} rows into {len(counts)} tables of a temporary database.")
                intact = check_everything()
            except services.ImportRefused as error:
                db.session.rollback()
                intact, reason = False, str(error)
            else:
                reason = "flask verify's checks found mismatches in the restored copy (afvigelser, se ovenfor)."
            finally:
                db.session.remove()
                db.engine.dispose()
    if not intact:
        _fail(f"Backup NOT OK (sikkerhedskopien er IKKE i orden): {reason}")
    click.echo(f"Backup OK (sikkerhedskopien er i orden): {path.name}")
