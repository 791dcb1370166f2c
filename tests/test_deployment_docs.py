"""The README's "Deployment" section, followed as literally as this machine allows.

The settings are deploy/etikdialog.env.example's, with what an operator must fill in filled in: a
random SECRET_KEY, the portal's address, a fresh database (an SQLite file, or with
TEST_DATABASE_URL a PostgreSQL role of its own that owns an empty schema), paths under a temporary
directory, and Redis when one answers on 127.0.0.1:6379. Then the documented commands, each a `flask` process of its own:
`log create-key`, `db upgrade`, `org create`, `user create`; a CA that is not the demo CA, made
here with `cryptography`, and `signing check`. A small assessment is signed and published through
the app's services in this process against the same database (the board's clicks, which
tests/test_signoff_http.py covers), and gunicorn starts with gunicorn.conf.py on a free loopback
port. Over HTTP: /readyz, /healthz, a public page, the signed PDF and /metrics from two workers;
/readyz then answers 503 for a schema behind head and for an unreadable log key.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from conftest import TEST_DATABASE_URL
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from test_signing import real_ca

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SAMPLE = ROOT / "deploy" / "etikdialog.env.example"
SLUG = "aarhus-kommune"
ADMIN_PASSWORD = "korrekt-hest-batteri-admin-9"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_answers() -> bool:
    """A Redis server on 127.0.0.1:6379 and the `redis` extra's client installed (`make install`
    installs the test extras only)."""
    import importlib.util

    if importlib.util.find_spec("redis") is None:
        return False
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def sample_settings() -> dict[str, str]:
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines if line.strip() and not line.lstrip().startswith("#"))


def get(url: str, timeout: float = 10):
    """(status, headers, body) without raising for 4xx/5xx."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


class Deployment:
    def __init__(self, directory: Path):
        self.directory = directory
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.database_url, self.drop_database = self._database()
        etc = directory / "etc"
        etc.mkdir()
        self.settings = sample_settings() | {
            "SECRET_KEY": secrets.token_urlsafe(48),
            "DATABASE_URL": self.database_url,
            "PUBLIC_BASE_URL": self.url,
            "RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:6379/{secrets.randbelow(16)}"
            if redis_answers()
            else "memory://",
            "TRUST_PROXY_HEADERS": "0",  # no nginx in front here
            "LOG_SIGNING_KEY_FILE": str(etc / "log-signing-key.pem"),
            "SIGNING_KEYS_DIR": str(etc / "signing"),
            "WEB_CONCURRENCY": "2",
            "METRICS_ALLOW": "127.0.0.1/32",
            "PROMETHEUS_MULTIPROC_DIR": str(directory / "run" / "metrics"),
            "GUNICORN_ACCESSLOG": "",
        }
        self.env = {"PATH": os.environ["PATH"], "HOME": str(directory), "LANG": "C.UTF-8", **self.settings}
        self.server: subprocess.Popen | None = None

    def _database(self):
        """An SQLite file; on PostgreSQL a role of its own that owns a schema of its name, which
        the role's default search_path ("$user") finds: README step 1, in the test database."""
        if not TEST_DATABASE_URL:
            return f"sqlite:///{self.directory / 'etikdialog.db'}", None
        name = f"deploy_{uuid.uuid4().hex[:12]}"
        admin = create_engine(TEST_DATABASE_URL)
        with admin.begin() as connection:
            connection.execute(text(f'CREATE ROLE "{name}" LOGIN'))
            connection.execute(text(f'CREATE SCHEMA "{name}" AUTHORIZATION "{name}"'))

        def drop():
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
                connection.execute(text(f'DROP ROLE "{name}"'))
            admin.dispose()

        return make_url(TEST_DATABASE_URL).set(username=name, password=None).render_as_string(False), drop

    def flask_processes(self, *commands: tuple[str, ...]) -> list[str]:
        """`flask --app app …` as processes of their own, side by side; their outputs."""
        started = [
            (
                command,
                subprocess.Popen(
                    [str(BIN / "flask"), "--app", "app", *command],
                    cwd=ROOT,
                    env=self.env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                ),
            )
            for command in commands
        ]
        outputs = []
        for command, process in started:
            stdout, stderr = process.communicate(timeout=180)
            assert process.returncode == 0, f"flask {' '.join(command)}:\n{stdout}\n{stderr}"
            outputs.append(stdout)
        return outputs

    def flask(self, *args: str, stdin: str | None = None) -> str:
        """`flask --app app …` through Flask's own command line (flask.cli.cli, the `flask` script's
        entry point) in this process, with the deployment's environment: the same commands, without
        paying the interpreter's and the app's imports again for each."""
        from click.testing import CliRunner
        from flask.cli import cli

        environment = {**self.settings, "FLASK_RUN_FROM_CLI": None}  # flask sets it; unset afterwards
        result = CliRunner().invoke(cli, ["--app", "app", *args], input=stdin, env=environment)
        assert result.exit_code == 0, f"flask {' '.join(args)}:\n{result.output}\n{result.exception!r}"
        return result.output

    def start(self) -> None:
        self.log = (self.directory / "gunicorn.log").open("w")
        self.server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "--config",
                "gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{self.port}",
                "app:create_app()",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.server.poll() is None, (self.directory / "gunicorn.log").read_text()
            try:
                if get(f"{self.url}/readyz", timeout=2)[0] in (200, 503):
                    return
            except OSError:
                time.sleep(0.2)
        raise AssertionError("gunicorn did not answer:\n" + (self.directory / "gunicorn.log").read_text())

    def stop(self) -> None:
        if self.server is not None and self.server.poll() is None:
            self.server.send_signal(signal.SIGTERM)
            try:
                self.server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.server.kill()
                self.server.wait()
        if self.server is not None:
            self.log.close()
        if self.drop_database:
            self.drop_database()


def publish_an_assessment(deployment: Deployment) -> tuple[str, str]:
    """Editor, two board members, an assessment signed by both and published by the administrator
    that `flask user create` made: through the services, in this process, on the same database."""
    from assessment_factories import answer_everything, make_assessment, sign_off
    from factories import make_user

    from app import create_app
    from app.accounts.models import Organisation, User
    from app.assessments import services
    from app.extensions import db
    from app.signoff.models import SignedRecord

    in_process = {k: v for k, v in deployment.settings.items() if not k.startswith(("METRICS", "PROMETHEUS"))}
    with pytest.MonkeyPatch.context() as patch:
        for name, value in in_process.items():
            patch.setenv(name, value)
        patch.delenv("FLASK_RUN_FROM_CLI", raising=False)
        app = create_app()
    with app.app_context():
        organisation = db.session.scalar(db.select(Organisation).filter_by(slug=SLUG))
        admin = db.session.scalar(db.select(User).filter_by(email="admin@aarhus.example.dk"))
        editor = make_user(organisation, role="editor")
        signers = [make_user(organisation, role="member"), make_user(organisation, role="member")]
        assessment = make_assessment(editor, title="Sensorer i plejeboliger")
        answer_everything(assessment, editor)
        sign_off(assessment, editor, signers)
        db.session.commit()
        services.transition(assessment, "publish", user=admin)
        db.session.commit()
        frozen = db.session.scalar(db.select(SignedRecord).filter_by(assessment_id=assessment.id))
        result = assessment.public_id, frozen.pdf_sha256
        db.session.remove()
        db.engine.dispose()
    return result


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    deployment = Deployment(tmp_path_factory.mktemp("deployment"))
    try:
        # Steps 4 and 5: the transparency log's key and the schema, each in a `flask` process (the
        # first is what production could not do: start a command before the key exists).
        made, _upgraded = deployment.flask_processes(("log", "create-key"), ("db", "upgrade"))
        key = Path(deployment.settings["LOG_SIGNING_KEY_FILE"])
        assert key.stat().st_mode & 0o777 == 0o600
        assert made.splitlines()[-1].startswith("Verifier key: 127.0.0.1:")
        # Step 6: the municipality and its first administrator.
        assert f"(slug: {SLUG})" in deployment.flask("org", "create", "Aarhus Kommune")
        deployment.flask(
            "user",
            "create",
            "--org",
            SLUG,
            "--email",
            "admin@aarhus.example.dk",
            "--name",
            "Anne Administrator",
            "--title",
            "Administrator",
            "--role",
            "admin",
            "--password-stdin",
            stdin=ADMIN_PASSWORD + "\n",
        )
        # Step 7: a real (not demo) certificate and its root; the check.
        signing = Path(deployment.settings["SIGNING_KEYS_DIR"])
        real_ca(signing, SLUG, "Aarhus Kommune")
        for path in signing.iterdir():
            path.chmod(0o600)
        assert "Signing keys: 0 problem(s)." in deployment.flask("signing", "check")
        deployment.public_id, deployment.pdf_sha256 = publish_an_assessment(deployment)
        # Step 8: gunicorn with gunicorn.conf.py.
        deployment.start()
        yield deployment
    finally:
        deployment.stop()


def test_the_instance_is_ready_and_serves_pages_and_the_signed_pdf(deployment):
    status, headers, body = get(f"{deployment.url}/readyz")
    assert status == 200, body
    assert json.loads(body) == {
        "status": "ok",
        "checks": {"database": "ok", "schema": "ok", "log_key": "ok", "signing": "ok"},
    }
    assert headers["Cache-Control"] == "no-store"
    status, _headers, body = get(f"{deployment.url}/healthz")
    assert (status, json.loads(body)["status"]) == (200, "ok")
    status, _headers, body = get(f"{deployment.url}/vurderinger/{deployment.public_id}")
    assert status == 200 and "Sensorer i plejeboliger" in body.decode()
    status, _headers, body = get(f"{deployment.url}/")
    assert status == 200 and deployment.public_id in body.decode()
    status, headers, pdf = get(f"{deployment.url}/vurderinger/{deployment.public_id}.pdf")
    assert status == 200 and headers["Content-Type"] == "application/pdf"
    import hashlib

    assert pdf.startswith(b"%PDF-") and hashlib.sha256(pdf).hexdigest() == deployment.pdf_sha256


def test_metrics_add_up_every_worker(deployment):
    """Two workers, multiprocess mode: however the requests were spread, the scrape counts all."""

    def readyz_count() -> float:
        status, _headers, body = get(f"{deployment.url}/metrics")
        assert status == 200
        for line in body.decode().splitlines():
            if line.startswith('etikdialog_http_requests_total{endpoint="core.readyz",method="GET",status="2xx"}'):
                return float(line.rsplit(" ", 1)[1])
        return 0.0

    before = readyz_count()
    for _ in range(12):
        assert get(f"{deployment.url}/readyz")[0] == 200
    assert readyz_count() - before == 12
    assert "etikdialog_pdf_render_seconds" in get(f"{deployment.url}/metrics")[2].decode()


def test_readyz_answers_503_while_the_schema_is_behind_head(deployment):
    engine = create_engine(deployment.database_url)
    try:
        with engine.begin() as connection:
            head = connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
            connection.execute(text("UPDATE alembic_version SET version_num = '0020'"))
        status, _headers, body = get(f"{deployment.url}/readyz")
        assert status == 503 and json.loads(body)["checks"]["schema"] == "fejl"
        assert get(f"{deployment.url}/healthz")[0] == 200  # alive, but not to be sent traffic
    finally:
        with engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = :head"), {"head": head})
        engine.dispose()
    assert get(f"{deployment.url}/readyz")[0] == 200


def test_readyz_answers_503_when_the_log_key_cannot_be_read(deployment):
    key = Path(deployment.settings["LOG_SIGNING_KEY_FILE"])
    moved = key.with_suffix(".moved")
    key.rename(moved)
    try:
        deadline = time.monotonic() + 12  # each worker keeps its file checks for 5 s
        answers = set()
        while time.monotonic() < deadline and answers != {503}:
            answers = {get(f"{deployment.url}/readyz")[0] for _ in range(4)}
            time.sleep(0.5)
        assert answers == {503}
        body = json.loads(get(f"{deployment.url}/readyz")[2])
        assert body["checks"]["log_key"] == "fejl" and str(key) not in json.dumps(body)
    finally:
        moved.rename(key)
