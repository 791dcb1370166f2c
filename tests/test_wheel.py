"""The built wheel serves the portal on its own, away from the checkout.

It carries templates, static files, translations, JSON schemas, the migrations and the think
tank's content (setup.py, MANIFEST.in). The wheel is installed into a new virtual environment
that borrows only the third-party packages of .venv (through a .pth file, which does not run
.venv's own .pth files, so the checkout's editable install stays out), and everything runs from a
folder outside the checkout.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
import venv
import zipfile
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT, TEST_DATABASE_URL

pytestmark = pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="packaging, not the database: run once, on SQLite")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def build_wheel(source: Path, target: Path, name: str) -> Path:
    command = [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "--no-build-isolation", "-q"]
    subprocess.run([*command, "-w", str(target)], check=True, cwd=source, capture_output=True)
    (wheel,) = target.glob(f"{name}-*.whl")
    return wheel


def install(wheels: list[Path], environment: Path) -> Path:
    venv.EnvBuilder(with_pip=False).create(environment)
    python = environment / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    (site / "borrowed.pth").write_text(sysconfig.get_path("purelib") + "\n")
    for wheel in wheels:
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(site)
    return python


def test_the_wheel_upgrades_a_database_and_serves_the_portal_and_a_signed_pdf(tmp_path):
    wheel = build_wheel(PROJECT_ROOT, tmp_path / "dist", "etikdialog")
    verifier = build_wheel(PROJECT_ROOT / "verifier", tmp_path / "dist", "etikdialog_verify")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    for expected in (
        "app/templates/base.html",
        "app/signoff/assessment.schema.json",
        "app/translations/en/LC_MESSAGES/messages.mo",
        "app/_bundled/migrations/env.py",
        "app/_bundled/migrations/versions/0001_initial_schema.py",
        "app/_bundled/content/recommendations/01-kursskifte.md",
    ):
        assert expected in names, expected
    assert any(name.startswith("app/static/dkfds/fonts/") for name in names)

    python = install([wheel, verifier], tmp_path / "venv")
    elsewhere = tmp_path / "site"
    elsewhere.mkdir()
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTHON", "FLASK_", "DATABASE_", "TEST_"))
    }
    env.update(
        FLASK_APP="app",
        DATABASE_URL=f"sqlite:///{elsewhere / 'etikdialog.db'}",
        SIGNING_KEYS_DIR=str(elsewhere / "signing"),
        LOG_SIGNING_KEY_FILE=str(elsewhere / "log-key.pem"),
        PUBLIC_BASE_URL=f"http://127.0.0.1:{port}",
    )

    def run(*args: str) -> str:
        done = subprocess.run([str(python), *args], cwd=elsewhere, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout

    for package in ("app", "etikdialog_verify"):
        assert run("-c", f"import {package}; print({package}.__file__)").startswith(str(tmp_path / "venv"))
    for command in (
        ["db", "upgrade"],
        ["signing", "create-demo-ca"],
        ["signing", "issue", "--demo"],
        ["log", "create-demo-key"],
        ["bench-seed", "--n", "1"],
    ):
        run("-m", "flask", *command)

    server = subprocess.Popen(
        [str(python), "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1", "app:create_app()"],
        cwd=elsewhere,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2):
                    break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()[-2000:]
                assert time.monotonic() < deadline, "gunicorn did not answer within 30 s"
                time.sleep(0.3)
        with urllib.request.urlopen(f"{base}/", timeout=10) as front:
            assert front.status == 200 and "Etikdialog" in front.read().decode()
        with urllib.request.urlopen(f"{base}/api/v1/vurderinger", timeout=10) as listing:
            public_id = json.load(listing)["items"][0]["public_id"]
        with urllib.request.urlopen(f"{base}/vurderinger/{public_id}.pdf", timeout=10) as pdf:
            assert pdf.headers["Content-Type"] == "application/pdf"
            assert pdf.read().startswith(b"%PDF-")
    finally:
        server.terminate()
        server.wait(timeout=10)
