"""PUBLIC_BASE_URL: the verification address frozen into a signed PDF is the
portal's real one; `make run` serves where it says; production refuses to start without it; and
absolute links in the API, the Atom feed, the sitemap and the CSV never follow the Host header."""

import csv
import io
import os
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from assessment_factories import make_published

from app import config as app_config
from app.config import ConfigError

ROOT = Path(__file__).resolve().parent.parent
BASE = "http://etikdialog.test"  # tests/conftest.py
FOREIGN = {"Host": "evil.example"}


# --- make run and the development default ------------------------------------------------------

FAKE = '#!/bin/sh\necho "$(basename "$0") $1 $2 PUBLIC_BASE_URL=$PUBLIC_BASE_URL" >> "$FAKE_LOG"\n'


def make_run(tmp_path: Path, *args: str, **env: str) -> list[str]:
    """`make run` with flask, gunicorn and node replaced by scripts that log the environment they get
    (install is taken as done): what the real commands would have been given."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    fake = tmp_path / "bin"
    fake.mkdir()
    for name in ("flask", "gunicorn", "node", "etikdialog-witness"):
        (fake / name).write_text(FAKE)
        (fake / name).chmod(0o755)
    log = tmp_path / "commands.log"
    environment = {k: v for k, v in os.environ.items() if k not in ("PUBLIC_BASE_URL", "PORT", "MAKEFLAGS")}
    environment |= {"PATH": f"{fake}:{environment['PATH']}", "FAKE_LOG": str(log), **env}
    subprocess.run(
        ["make", "-s", "-C", str(tmp_path), "-f", str(ROOT / "Makefile"), "-o", "install", "run", f"BIN={fake}", *args],
        env=environment,
        capture_output=True,
        timeout=60,
        check=False,
    )
    return log.read_text().splitlines()


def test_make_run_freezes_the_port_it_serves(tmp_path):
    commands = make_run(tmp_path, PORT="5901")
    demo = next(line for line in commands if line.startswith("flask demo"))
    server = next(line for line in commands if line.startswith("gunicorn"))
    assert demo.endswith("PUBLIC_BASE_URL=http://127.0.0.1:5901")  # the demo signs its PDFs here
    assert server.endswith("PUBLIC_BASE_URL=http://127.0.0.1:5901")


def test_make_run_takes_the_port_from_its_command_line_too(tmp_path):
    commands = make_run(tmp_path, "PORT=5902")
    assert all(line.endswith("PUBLIC_BASE_URL=http://127.0.0.1:5902") for line in commands if "flask" in line)


def test_make_run_keeps_a_public_base_url_that_is_set(tmp_path):
    commands = make_run(tmp_path, PORT="5901", PUBLIC_BASE_URL="https://etik.aarhus.dk")
    assert commands and all(line.endswith("PUBLIC_BASE_URL=https://etik.aarhus.dk") for line in commands)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "http://127.0.0.1:5000"),
        ({"PORT": "5901"}, "http://127.0.0.1:5901"),
        ({"FLASK_RUN_PORT": "5902"}, "http://127.0.0.1:5902"),
        ({"PORT": "5901", "PUBLIC_BASE_URL": "https://etik.aarhus.dk/"}, "https://etik.aarhus.dk"),
    ],
)
def test_development_defaults_to_the_address_served(monkeypatch, env, expected):
    for name in ("PUBLIC_BASE_URL", "PORT", "FLASK_RUN_PORT", "ETIKDIALOG_ENV"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert app_config.from_environment()["PUBLIC_BASE_URL"] == expected


# --- production --------------------------------------------------------------------------------


def production_config(monkeypatch, tmp_path, base: str | None) -> dict:
    """The production settings from the environment, with everything but PUBLIC_BASE_URL in order."""
    monkeypatch.setenv("ETIKDIALOG_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "k" * 48)
    monkeypatch.setenv("PORT", "5901")  # a port is no public address in production
    if base is None:
        monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    else:
        monkeypatch.setenv("PUBLIC_BASE_URL", base)
    key = tmp_path / "log.pem"  # other production checks (the log's key) must not speak first
    key.write_text("not read here")
    return app_config.from_environment() | {"LOG_SIGNING_KEY_FILE": str(key)}


@pytest.mark.parametrize("base", [None, "", "  "])
def test_production_refuses_to_start_without_a_public_base_url(monkeypatch, tmp_path, base):
    config = production_config(monkeypatch, tmp_path, base)
    assert config["PUBLIC_BASE_URL"] == ""  # no development default
    with pytest.raises(ConfigError, match="PUBLIC_BASE_URL must be set in production"):
        app_config.check(config)


@pytest.mark.parametrize("base", ["etik.aarhus.dk", "ftp://etik.aarhus.dk", "https://", "https://etik.dk/?a=1"])
def test_a_public_base_url_that_is_no_address_is_refused(monkeypatch, tmp_path, base):
    config = production_config(monkeypatch, tmp_path, base)
    with pytest.raises(ConfigError, match="PUBLIC_BASE_URL=.* is not a usable address"):
        app_config.check(config)


def test_production_takes_its_public_base_url(monkeypatch, tmp_path):
    config = production_config(monkeypatch, tmp_path, "https://etik.aarhus.dk/")
    assert config["PUBLIC_BASE_URL"] == "https://etik.aarhus.dk"
    app_config.check_public_base_url(config["PUBLIC_BASE_URL"], production=True)  # no error


# --- links never follow the Host header --------------------------------------------------------


def test_the_verification_address_is_on_the_base_whatever_the_host(app):
    from app.signoff.services import verify_url

    with app.test_request_context("/", headers=FOREIGN):
        assert verify_url("7K2M-9QXD-4HTA") == f"{BASE}/verificer?kode=7K2M-9QXD-4HTA"
    app.config["PUBLIC_BASE_URL"] = "https://kommune.dk/etik"  # a path prefix behind the proxy
    with app.app_context():  # no request at all: the demo signs from the command line
        assert verify_url("X") == "https://kommune.dk/etik/verificer?kode=X"


def absolute(texts) -> list[str]:
    return [t for t in texts if t and t.startswith("http")]


def test_api_links_use_the_public_base_not_the_host_header(client, app):
    first = make_published(title="Første")
    make_published(title="Anden")
    data = client.get("/api/v1/vurderinger?per_side=1", headers=FOREIGN).get_json()
    links = [*data["items"][0]["links"].values(), data["links"]["self"], data["links"]["next"]]
    assert links and all(link.startswith(f"{BASE}/") for link in links)
    assert data["links"]["next"] == f"{BASE}/api/v1/vurderinger?side=2&per_side=1"
    detail = client.get(f"/api/v1/vurderinger/{first.public_id}", headers=FOREIGN).get_data(as_text=True)
    assert "evil.example" not in detail and f"{BASE}/api/v1/vurderinger/{first.public_id}" in detail


def test_the_feed_uses_the_public_base_and_a_foreign_host_cannot_poison_it(client, app):
    make_published(title="Feed")
    poisoned = client.get("/feed.atom", headers=FOREIGN).data
    plain = client.get("/feed.atom").data
    assert poisoned == plain  # the same bytes, whoever asked first
    root = ET.fromstring(plain)  # noqa: S314 - our own output
    ns = "{http://www.w3.org/2005/Atom}"
    addresses = [e.text for e in root.iter(f"{ns}id")] + [e.get("href") for e in root.iter(f"{ns}link")]
    assert len(addresses) >= 5 and all(a.startswith(f"{BASE}/") for a in addresses)


def test_the_sitemap_uses_the_public_base_whatever_the_host(client, app):
    published = make_published(title="Sitemap")
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    index = client.get("/sitemap.xml", headers=FOREIGN)
    assert [e.text for e in ET.fromstring(index.data).iter(f"{ns}loc")] == [f"{BASE}/sitemap-1.xml"]  # noqa: S314
    locs = [e.text for e in ET.fromstring(client.get("/sitemap-1.xml", headers=FOREIGN).data).iter(f"{ns}loc")]  # noqa: S314
    assert f"{BASE}/vurderinger/{published.public_id}" in locs
    assert all(loc.startswith(f"{BASE}/") for loc in locs)
    assert client.get("/sitemap.xml").data == index.data


def test_the_csv_uses_the_public_base_whatever_the_host(client, app):
    published = make_published(title="CSV")
    body = client.get("/vurderinger.csv", headers=FOREIGN).get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    assert [row["url"] for row in rows] == [f"{BASE}/vurderinger/{published.public_id}"]
    assert "evil.example" not in body
