"""Backup files you can trust (issue 31 item 4): `flask export` writes atomically (a failure or a
kill -9 leaves no file under the final name), compresses (gzip, zstd), encrypts to an age key, and
writes FILE.sha256 for `sha256sum -c`; `flask import` reads every format by its magic bytes; `flask
backup verify` restores into a temporary database, runs `flask verify`'s checks and refuses a
changed, truncated or mis-checksummed file."""

import gzip
import hashlib
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyrage
import pytest
import zstandard

from app.backup import files, services

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def backups(tmp_path):
    directory = tmp_path / "backups"
    directory.mkdir()
    return directory


@pytest.fixture
def age_key(tmp_path):
    identity = pyrage.x25519.Identity.generate()
    key_file = tmp_path / "backup-key.txt"
    key_file.write_text(f"# created for the test\n{identity}\n", encoding="utf-8")
    return str(identity.to_public()), key_file


def export(runner, path, *options):
    result = runner.invoke(args=["export", str(path), *options])
    assert result.exit_code == 0, result.output
    return result


def verify(runner, path, *options):
    return runner.invoke(args=["backup", "verify", str(path), *options])


def rechecksum(path: Path) -> None:
    """What a careless or hostile copy would do: change the file and write a matching checksum."""
    files.checksum_path(path).write_text(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.name}\n")


@pytest.mark.parametrize(
    ("name", "magic"),
    [("backup.json", b'{"format"'), ("backup.json.gz", files.GZIP_MAGIC), ("backup.json.zst", files.ZSTD_MAGIC)],
)
def test_each_format_is_checksummed_and_verifies(runner, published, backups, name, magic):
    path = backups / name
    export(runner, path)
    assert path.read_bytes().startswith(magic)
    assert sorted(p.name for p in backups.iterdir()) == [name, name + ".sha256"]
    checked = subprocess.run(["sha256sum", "-c", name + ".sha256"], cwd=backups, capture_output=True, text=True)  # noqa: S603, S607
    assert checked.returncode == 0 and f"{name}: OK" in checked.stdout, checked.stdout + checked.stderr

    result = verify(runner, path)
    assert result.exit_code == 0, result.output
    assert "SHA-256 matches" in result.output
    assert "Checked 1 signed records: 0 with mismatches." in result.output
    assert "Backup OK" in result.output


def test_an_encrypted_backup_needs_its_identity(runner, published, backups, age_key, tmp_path):
    recipient, key_file = age_key
    path = backups / "backup.json.zst.age"
    export(runner, path, "--recipient", recipient)
    assert path.read_bytes().startswith(files.AGE_MAGIC)
    assert b"Kommune" not in path.read_bytes()

    assert verify(runner, path, "--identity", str(key_file)).exit_code == 0
    missing = verify(runner, path)
    assert missing.exit_code == 1 and "--identity" in missing.output
    other = tmp_path / "other-key.txt"
    other.write_text(f"{pyrage.x25519.Identity.generate()}\n")
    wrong = verify(runner, path, "--identity", str(other))
    assert wrong.exit_code == 1 and "Decryption failed" in wrong.output


def test_a_bad_recipient_or_a_missing_one_is_refused_before_anything_is_written(runner, app, backups):
    result = runner.invoke(args=["export", str(backups / "b.json.gz"), "--recipient", "age1notakey"])
    assert result.exit_code == 1 and "Not an age public key" in result.output
    unencrypted = runner.invoke(args=["export", str(backups / "b.json.zst.age")])
    assert unencrypted.exit_code == 1 and "promises encryption" in unencrypted.output
    assert list(backups.iterdir()) == []


def test_a_failure_mid_export_leaves_no_file_and_keeps_the_old_one(runner, published, backups, monkeypatch):
    path = backups / "backup.json.gz"
    export(runner, path)
    old, old_checksum = path.read_bytes(), files.checksum_path(path).read_bytes()
    rows = 0
    real_dumps = services._dumps

    def failing_dumps(value):
        nonlocal rows
        rows += 1
        if rows == 20:
            raise OSError("disk full (simulated)")
        return real_dumps(value)

    monkeypatch.setattr(services, "_dumps", failing_dumps)
    result = runner.invoke(args=["export", str(path)])
    assert result.exit_code == 1 and rows == 20
    assert "Export failed, nothing written under backup.json.gz" in result.output and "disk full" in result.output
    assert path.read_bytes() == old and files.checksum_path(path).read_bytes() == old_checksum
    assert sorted(p.name for p in backups.iterdir()) == ["backup.json.gz", "backup.json.gz.sha256"]

    fresh = backups / "fresh.json.zst.age"
    rows = 0
    identity = pyrage.x25519.Identity.generate()
    result = runner.invoke(args=["export", str(fresh), "--recipient", str(identity.to_public())])
    assert result.exit_code != 0
    assert not fresh.exists() and not files.checksum_path(fresh).exists()
    assert sorted(p.name for p in backups.iterdir()) == ["backup.json.gz", "backup.json.gz.sha256"]


def test_a_write_failing_under_encryption_ends_the_export_cleanly(runner, published, backups, monkeypatch, age_key):
    """The encrypting thread's error reaches the command (no hang on the pipe, no traceback)."""
    real_write = files._Hashing.write

    def failing_write(self, data):
        if self.size > 1000:
            raise OSError(28, "No space left on device")
        return real_write(self, data)

    monkeypatch.setattr(files._Hashing, "write", failing_write)
    path = backups / "full.json.age"
    result = runner.invoke(args=["export", str(path), "--recipient", age_key[0]])
    assert result.exit_code == 1, result.output
    assert "Encryption failed" in result.output and "No space left" in result.output
    assert list(backups.iterdir()) == []


KILLED_EXPORT = """
import json, sys, time
from app import create_app
from app.backup import services
config = json.loads(sys.argv[1])
real = services._dumps
def slow(value):
    time.sleep(0.02)
    return real(value)
services._dumps = slow
app = create_app(config)
result = app.test_cli_runner().invoke(args=["export", sys.argv[2]])
print(result.output, result.exception)
"""


def test_kill_9_during_an_export_leaves_nothing_under_the_final_name(app, published, backups, postgres_schema):
    if postgres_schema:
        pytest.skip("the file handling does not depend on the database; run on SQLite")
    keys = ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY", "PUBLIC_BASE_URL", "SIGNING_KEYS_DIR", "LOG_SIGNING_KEY_FILE")
    config = {key: str(app.config[key]) for key in keys if app.config.get(key)} | {"TESTING": True}
    path = backups / "killed.json.gz"
    process = subprocess.Popen(  # noqa: S603 - this interpreter and our own script
        [sys.executable, "-c", KILLED_EXPORT, json.dumps(config), str(path)], cwd=ROOT
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not any(backups.glob(".killed.json.gz.*.tmp")):
            assert process.poll() is None, "the export ended before it could be killed"
            time.sleep(0.05)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert not path.exists() and not files.checksum_path(path).exists()
    left = [p.name for p in backups.iterdir()]
    assert len(left) == 1 and left[0].startswith(".killed.json.gz.") and left[0].endswith(".tmp")


def replace_one_byte_of_a_record(data: bytes) -> bytes:
    """One letter of the frozen record's canonical JSON in an uncompressed export, changed."""
    document = data.decode("utf-8")
    start = document.index('"canonical_json":"', document.index('"signed_record":['))
    position = document.index("Kommune", start)
    assert document[position + 1] == "o" and position < document.index('"json_sha256"', start)
    return (document[: position + 1] + "a" + document[position + 2 :]).encode("utf-8")


def test_a_changed_record_fails_even_with_a_matching_checksum(runner, published, backups):
    path = backups / "backup.json.gz"
    export(runner, path)
    changed = replace_one_byte_of_a_record(gzip.decompress(path.read_bytes()))
    path.write_bytes(gzip.compress(changed))
    rechecksum(path)
    result = verify(runner, path)
    assert result.exit_code == 1
    assert "JSON no longer match the stored hash" in result.output
    assert "Backup NOT OK" in result.output


def test_a_changed_file_fails_its_checksum(runner, published, backups):
    path = backups / "backup.json"
    export(runner, path)
    path.write_bytes(replace_one_byte_of_a_record(path.read_bytes()))
    result = verify(runner, path)
    assert result.exit_code == 1 and "kontrolsummen passer ikke" in result.output
    imported = runner.invoke(args=["import", str(path)])  # the import checks the checksum first too
    assert imported.exit_code == 1 and "SHA-256" in imported.output


@pytest.mark.parametrize(
    ("name", "message"),
    [("backup.json", "not valid JSON"), ("backup.json.gz", "truncated"), ("backup.json.zst", "truncated")],
)
def test_a_truncated_backup_fails(runner, published, backups, name, message):
    path = backups / name
    export(runner, path)
    path.write_bytes(path.read_bytes()[: path.stat().st_size * 2 // 3])
    rechecksum(path)
    result = verify(runner, path)
    assert result.exit_code == 1, result.output
    assert message in result.output and "Backup NOT OK" in result.output


def test_old_uncompressed_backups_without_a_checksum_still_verify(runner, published, backups):
    path = backups / "old.json"
    export(runner, path)
    files.checksum_path(path).unlink()
    result = verify(runner, path)
    assert result.exit_code == 0, result.output
    assert "checksum not checked" in result.output


def test_reading_finds_the_format_by_its_bytes_not_its_name(app):
    document = b'{"format":"etikdialog-export"}'
    identity = pyrage.x25519.Identity.generate()
    zstd = zstandard.ZstdCompressor(write_checksum=True).compress(document)
    for data in (
        document,
        gzip.compress(document),
        gzip.compress(document[:10]) + gzip.compress(document[10:]),  # two members, as cat makes
        zstd,
        pyrage.encrypt(gzip.compress(document), [identity.to_public()]),
        pyrage.encrypt(zstd, [identity.to_public()], armored=True),
    ):
        with files.reading(io.BytesIO(data), identities=[identity]) as stream:
            assert stream.read() == document


@pytest.mark.parametrize("compression", ["gzip", "zstd"])
def test_decompression_holds_a_bounded_piece_however_well_the_data_compresses(compression):
    """64 MB of zeros is a few KB compressed; reading it must never hold more than one step."""
    zeros = b"\0" * (64 * 2**20)
    data = gzip.compress(zeros, 6) if compression == "gzip" else zstandard.ZstdCompressor().compress(zeros)
    reader = files._Decompressing(io.BytesIO(data), compression)
    buffer, total, largest = bytearray(65536), 0, 0
    while size := reader.readinto(buffer):
        total += size
        largest = max(largest, len(reader.pending))
    assert total == len(zeros)
    assert largest <= (files.CHUNK if compression == "gzip" else 32 * 2**20)


def test_an_encrypted_zstd_backup_imports_into_an_empty_database(app, runner, published, backups, age_key, tmp_path):
    from conftest import make_app

    from app.extensions import db
    from app.signoff.models import SignedRecord

    recipient, key_file = age_key
    path = backups / "backup.json.zst.age"
    export(runner, path, "--recipient", recipient, "--with-password-hashes")
    pdf_sha256 = published.signed_record.pdf_sha256
    (tmp_path / "restored").mkdir()
    target = make_app(tmp_path / "restored", None)
    with target.app_context():
        db.create_all()
        refused = target.test_cli_runner().invoke(args=["import", str(path)])
        assert refused.exit_code == 1 and "--identity" in refused.output
        imported = target.test_cli_runner().invoke(args=["import", str(path), "--identity", str(key_file)])
        assert imported.exit_code == 0, imported.output
        assert "SHA-256 matches" in imported.output
        assert db.session.scalar(db.select(SignedRecord.pdf_sha256)) == pdf_sha256
        db.session.remove()
        db.engine.dispose()


def test_export_to_standard_output_can_be_piped(app, published, tmp_path):
    """`flask export - --compress gzip | gpg --encrypt …` as the README describes without age."""
    runner = app.test_cli_runner()
    result = runner.invoke(args=["export", "-", "--compress", "gzip"])
    assert result.exit_code == 0
    data = result.stdout_bytes
    assert data.startswith(files.GZIP_MAGIC)
    assert json.loads(gzip.decompress(data))["tables"]["signed_record"]


# --- deploy/etikdialog-backup.sh, the nightly job of deploy/cron.example -------------------------

BACKUP_SCRIPT = ROOT / "deploy" / "etikdialog-backup.sh"
FAKE_FLASK = """#!/usr/bin/env bash
# Stands in for .venv/bin/flask: records its arguments; export writes a file and its checksum.
echo "$*" >> "$CALLS"
shift 2  # --app app
if [ "$1" = export ]; then
    [ "${EXPORT_STATUS:-0}" = 0 ] || exit "$EXPORT_STATUS"
    echo backup > "$2"
    (cd "$(dirname "$2")" && sha256sum "$(basename "$2")" > "$(basename "$2").sha256")
    [ -z "${SPOIL:-}" ] || echo changed >> "$2"
    exit 0
fi
exit "${VERIFY_STATUS:-0}"
"""


def test_the_backup_script_is_valid_bash():
    checked = subprocess.run(["bash", "-n", str(BACKUP_SCRIPT)], capture_output=True, text=True)  # noqa: S603, S607
    assert checked.returncode == 0, checked.stderr
    assert str(BACKUP_SCRIPT.relative_to(ROOT)) in (ROOT / "deploy" / "cron.example").read_text()


@pytest.fixture
def nightly(tmp_path):
    """Run the backup script against a temporary directory with a stand-in flask."""
    directory = tmp_path / "nightly"
    directory.mkdir()
    flask = tmp_path / "flask"
    flask.write_text(FAKE_FLASK)
    flask.chmod(0o755)
    calls = tmp_path / "calls"
    calls.touch()

    def run(**environment):
        env = {"PATH": os.environ["PATH"], "APP_DIR": str(tmp_path), "BACKUP_DIR": str(directory)}
        env |= {"FLASK": str(flask), "CALLS": str(calls), "KEEP_DAYS": "14", **environment}
        result = subprocess.run(["bash", str(BACKUP_SCRIPT)], env=env, capture_output=True, text=True)  # noqa: S603, S607
        return result.returncode, result.stdout + result.stderr, calls.read_text().splitlines()

    return directory, run


def aged(path: Path, days: float) -> Path:
    path.write_text("old")
    when = time.time() - days * 86400
    os.utime(path, (when, when))
    return path


def test_the_backup_script_exports_keeps_n_days_and_verifies_the_newest(nightly):
    directory, run = nightly
    old = [
        aged(directory / "etikdialog-2026-01-01.json.zst", 20),
        aged(directory / "etikdialog-2026-01-01.json.zst.sha256", 20),
    ]
    recent = aged(directory / "etikdialog-2026-12-01.json.zst", 6)
    stale = aged(directory / ".etikdialog-2026-11-30.json.zst.x1y2.tmp", 2)
    status, output, calls = run()
    assert status == 0, output
    today = sorted(directory.glob("etikdialog-*.json.zst"))[-1]
    assert today != recent and files.checksum_path(today).exists()
    assert not any(path.exists() for path in [*old, stale]) and recent.exists()
    assert calls == [f"--app app export {today}", f"--app app backup verify {today}"]
    assert "FAILED" not in output and "done" in output


@pytest.mark.parametrize(
    ("environment", "failure", "verified"),
    [
        ({"EXPORT_STATUS": "3"}, "FAILED: flask export exited with status 3", False),
        ({"SPOIL": "1"}, "FAILED: sha256sum -c", False),
        ({"VERIFY_STATUS": "1"}, "FAILED: flask backup verify", True),
        ({"KEEP_DAYS": "fjorten"}, "FAILED: KEEP_DAYS must be a whole number", False),
    ],
)
def test_the_backup_script_stops_and_logs_any_failure(nightly, environment, failure, verified):
    directory, run = nightly
    old = aged(directory / "etikdialog-2026-01-01.json.zst", 20)
    status, output, calls = run(**environment)
    assert status == 1 and failure in output, output
    assert any("backup verify" in call for call in calls) == verified
    assert old.exists()  # a failing night deletes nothing


def test_the_backup_script_encrypts_and_verifies_only_with_the_key(nightly, tmp_path):
    directory, run = nightly
    recipients = tmp_path / "recipients.txt"
    recipients.write_text("age1...\n")
    status, output, calls = run(RECIPIENTS_FILE=str(recipients))
    assert status == 0, output
    assert calls[0].endswith(f".json.zst.age --recipients-file {recipients}") and len(calls) == 1
    assert "restore not tried here" in output
    status, output, calls = run(RECIPIENTS_FILE=str(recipients), IDENTITY_FILE=str(tmp_path / "key.txt"))
    assert status == 0 and calls[-1].endswith(f".age --identity {tmp_path / 'key.txt'}"), output
