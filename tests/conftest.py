"""Fixtures: the app factory with a fresh database per test, on SQLite or on TEST_DATABASE_URL."""

import atexit
import hashlib
import os
import shutil
import sys
import tempfile
import threading
import uuid
from pathlib import Path

import build_cache
import pytest
from hypothesis import settings as hypothesis_settings
from sqlalchemy import create_engine, text
from sqlalchemy import inspect as sa_inspect

from app import create_app
from app.content import loader as content_loader
from app.core import time as time_module
from app.extensions import db
from app.translog.services import write_key as write_log_key

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
# One Danish calendar day for the whole run: a run that crosses midnight in Copenhagen must not
# see consultations open at collection and upcoming in the test.
FROZEN_TODAY = time_module.danish_today()
PROJECT_ROOT = Path(__file__).resolve().parent.parent
# One signing-keys directory for the run: the demo CA and each test municipality's demo certificate
# are issued into it on first use (app/signing/keys.py) and reused by every later test.
SIGNING_KEYS_DIR = tempfile.mkdtemp(prefix="etikdialog-signing-")
atexit.register(shutil.rmtree, SIGNING_KEYS_DIR, ignore_errors=True)

# The transparency log signs a checkpoint after every append (ADR 0004): one Ed25519 key for the
# run, named in the environment so every app the tests build finds it (production ones too).
LOG_KEY_DIR = Path(tempfile.mkdtemp(prefix="etikdialog-log-key-"))
atexit.register(shutil.rmtree, LOG_KEY_DIR, ignore_errors=True)
os.environ["LOG_SIGNING_KEY_FILE"] = str(LOG_KEY_DIR / "log-signing-key.pem")
write_log_key(os.environ["LOG_SIGNING_KEY_FILE"])

# Hypothesis: CI runs the property tests derandomised (the same examples every run), so a red
# build is reproducible and never flaky; locally they stay random and go on finding new cases.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") == "true" else "default")


# Every test builds its own app, and create_app parses the think tank's content (140 YAML
# documents, about a third of building an app). The parsed content is immutable (frozen
# dataclasses), so the run parses each directory once per version of its files: the key is every
# file's path and SHA-1, so a test that writes content files gets its own parse.
_parse_content = content_loader.load_content
_parsed_content: dict = {}


def _load_content_once(root):
    root = Path(root)
    if not root.is_dir():
        return _parse_content(root)  # its ContentError, as before
    files = sorted(p for p in root.rglob("*") if p.is_file())
    key = (str(root.resolve()), tuple((str(p), hashlib.sha1(p.read_bytes()).hexdigest()) for p in files))  # noqa: S324
    if key not in _parsed_content:
        _parsed_content[key] = _parse_content(root)
    return _parsed_content[key]


content_loader.load_content = _load_content_once

# The URL map's builders and the templates' code, compiled once per process (tests/build_cache.py).
build_cache.install()


def pytest_report_header(config):
    return f"database: {'PostgreSQL ' + TEST_DATABASE_URL if TEST_DATABASE_URL else 'SQLite'}"


@pytest.fixture(scope="session")
def postgres_schema():
    """One throw-away schema per test run; tables are emptied between tests."""
    if not TEST_DATABASE_URL:
        yield None
        return
    schema = f"test_{uuid.uuid4().hex[:12]}"
    engine = create_engine(TEST_DATABASE_URL)
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield schema
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory, postgres_schema):
    """SQLite: the empty schema made once per worker (create_all with its FTS table and triggers);
    each test's database starts as a copy of this file instead of building and dropping its own."""
    if postgres_schema is not None:
        return None
    directory = tmp_path_factory.mktemp("template")
    template = make_app(directory, None)
    with template.app_context():
        db.create_all()
        db.session.remove()
        db.engine.dispose()  # the last connection closes: the write-ahead log is checkpointed in
    return directory / "test.db"


def database_config(tmp_path: Path, schema: str | None) -> dict:
    if schema is None:
        return {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'test.db'}"}
    return {
        "SQLALCHEMY_DATABASE_URI": TEST_DATABASE_URL,
        "SQLALCHEMY_ENGINE_OPTIONS": {
            "pool_pre_ping": True,
            "connect_args": {"options": f"-csearch_path={schema}"},
        },
    }


def make_app(tmp_path: Path, schema: str | None, **overrides):
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-" + "x" * 32,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "PUBLIC_BASE_URL": "http://etikdialog.test",
        "SIGNING_KEYS_DIR": SIGNING_KEYS_DIR,
        # every test's database is a new log under the run's one key: it keeps its newest
        # checkpoint apart from the others' (app.translog.services.remember)
        "LOG_STATE_FILE": str(tmp_path / "log-checkpoint.txt"),
        **database_config(tmp_path, schema),
        **overrides,
    }
    return create_app(config)


# The modules seen so far, by name and identity, and those of them that imported danish_today: a
# test looks only at modules imported since the last one (reading an attribute of each of 1,500
# modules is some 20 ms a test, as some answer through a slow module __getattr__).
_modules_seen: set[tuple[str, int]] = set()
_modules_with_today: list = []


def _modules_that_imported_today(original) -> list:
    for name, module in list(sys.modules.items()):
        if (name, id(module)) not in _modules_seen:
            _modules_seen.add((name, id(module)))
            if getattr(module, "danish_today", None) is original:
                _modules_with_today.append(module)
    return [module for module in _modules_with_today if getattr(module, "danish_today", None) is original]


def create_missing_tables() -> None:
    """db.create_all() asks the database about each of its tables in turn (some 40 ms a test).
    The copied template and PostgreSQL's emptied schema have them all, so one look at the names
    comes first; an override's other database, or a schema a test dropped tables from, gets all."""
    if not set(db.metadata.tables) <= set(sa_inspect(db.engine).get_table_names()):
        db.create_all()


@pytest.fixture(autouse=True)
def frozen_danish_day(monkeypatch):
    """Every module that imported danish_today gets the run's one day."""
    original = time_module.danish_today
    for module in _modules_that_imported_today(original):
        monkeypatch.setattr(module, "danish_today", lambda: FROZEN_TODAY)
    return FROZEN_TODAY


@pytest.fixture
def app_overrides():
    """Override per module or test to change the app's config before it is built."""
    return {}


@pytest.fixture
def app(tmp_path, postgres_schema, sqlite_template, app_overrides):
    if sqlite_template is not None:
        shutil.copyfile(sqlite_template, tmp_path / "test.db")
    app = make_app(tmp_path, postgres_schema, **app_overrides)
    with app.app_context():
        create_missing_tables()
        yield app
        db.session.remove()
        if postgres_schema is not None:  # SQLite: the test's own file, left in its tmp_path
            tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
            if tables:
                with db.engine.begin() as connection:
                    connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def org(app):
    """A municipality of its own for the test."""
    from factories import make_org

    return make_org("Aarhus Kommune")


@pytest.fixture
def published(app):
    """A published assessment in Aarhus, through the real services."""
    from assessment_factories import make_published
    from factories import make_org

    return make_published(make_org("Aarhus Kommune"), title="Nattilsyn med sensorer")


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# --- Browser tests -------------------------------------------------------------------------

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE_PATH = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def live_server(app):
    """Serve the test app on a free loopback port in a thread."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_port}"
    yield server
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="da-DK")
    page = context.new_page()
    yield page
    context.close()


def axe_violations(page) -> list[dict]:
    """Run axe-core in the page for WCAG 2.1 A and AA; return the violations."""
    page.evaluate(AXE_PATH.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
             values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
    )
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]
    ]


@pytest.fixture
def assert_accessible():
    def check(page):
        violations = axe_violations(page)
        assert violations == [], f"axe-core violations on {page.url}: {violations}"

    return check
