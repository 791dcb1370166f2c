"""Crash safety on SQLite: write-ahead log, and a writer killed mid-transaction loses nothing
that was committed and leaves no trace of what was not."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest
from assessment_factories import make_assessment
from conftest import PROJECT_ROOT, TEST_DATABASE_URL
from factories import make_user
from sqlalchemy import select, text

from app.assessments.models import Assessment
from app.extensions import db

pytestmark = pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="SQLite's own crash safety; PostgreSQL has its WAL")

WRITER = textwrap.dedent("""
    import sys, time
    from app import create_app
    from app.assessments.models import Assessment
    from app.audit.services import SYSTEM, record
    from app.extensions import db

    app = create_app({"TESTING": True, "SECRET_KEY": "x" * 40, "SQLALCHEMY_DATABASE_URI": sys.argv[1]})
    with app.app_context():
        assessment = db.session.scalar(db.select(Assessment))
        assessment.problem = "Gemt før nedbruddet"
        db.session.commit()
        assessment.problem = "Aldrig gemt"
        for number in range(2000):
            record("crash.test", f"Hændelse {number}", user=SYSTEM, assessment=assessment)
        db.session.flush()
        print("WRITING", flush=True)
        time.sleep(60)
""")


def test_sqlite_runs_in_wal_mode(app):
    assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_a_writer_killed_mid_transaction_keeps_the_last_commit(app):
    assessment = make_assessment(make_user())
    public_id = assessment.public_id
    db.session.remove()
    db.engine.dispose()
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, app.config["SQLALCHEMY_DATABASE_URI"]],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "ETIKDIALOG_ENV": "development"},
    )
    try:
        assert writer.stdout.readline().strip() == "WRITING"
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)
    assert db.session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    saved = db.session.scalar(select(Assessment).where(Assessment.public_id == public_id))
    assert saved.problem == "Gemt før nedbruddet"
    assert db.session.execute(text("SELECT count(*) FROM audit_event WHERE action = 'crash.test'")).scalar() == 0
