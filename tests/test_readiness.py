"""/readyz (readiness, apart from /healthz's liveness), /metrics (Prometheus), and the production
log key command.

/readyz answers 503 while the schema is behind the migrations' head, the log key or a signing
certificate does not open, or the database does not answer. /metrics is off unless
METRICS_ENABLED, and then answers only METRICS_ALLOW's addresses, with bounded labels.
The whole deployment, with gunicorn, is in tests/test_deployment_docs.py.
"""

from __future__ import annotations

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import text
from test_robustness import failing_database
from test_signing import real_ca

from app import config as app_config
from app import create_app
from app.config import ConfigError
from app.core import metrics, readiness
from app.extensions import db
from app.translog import services as translog

# --- /readyz -------------------------------------------------------------------------------------


def head() -> str:
    (revision,) = readiness.script_revisions(str(app_config.PROJECT_ROOT / "migrations"))[0]
    return revision


@pytest.fixture
def stamp(app):
    """Stamp the test database (made by create_all, not by migrations) at a revision."""

    def stamp(revision: str | None) -> None:
        db.session.execute(
            text("CREATE TABLE IF NOT EXISTS alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)")
        )
        db.session.execute(text("DELETE FROM alembic_version"))
        if revision:
            db.session.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": revision})
        db.session.commit()

    yield stamp
    db.session.rollback()
    db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
    db.session.commit()


def test_readyz_is_ready_at_head_and_never_cached(client, stamp):
    stamp(head())
    response = client.get("/readyz")
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {
        "status": "ok",
        "checks": {"database": "ok", "schema": "ok", "log_key": "ok", "signing": "ok"},
    }
    assert response.headers["Cache-Control"] == "no-store"
    assert "ETag" not in response.headers  # not the public page cache's


def test_readyz_answers_503_while_the_schema_is_behind_head_and_healthz_stays_live(client, stamp):
    stamp(head())
    assert client.get("/readyz").status_code == 200
    stamp("0020")  # an upgrade that stopped half-way
    response = client.get("/readyz")
    assert response.status_code == 503  # at once: the schema is read on every poll
    body = response.get_json()
    assert body["status"] == "fejl" and body["checks"]["schema"] == "fejl"
    assert body["reasons"] == [f"Databasens skema er ikke opdateret (0020; forventet {head()})."]
    assert client.get("/healthz").status_code == 200  # liveness: the process and database answer
    stamp(None)  # never migrated (db.create_all, or a stray empty alembic_version)
    assert client.get("/readyz").get_json()["checks"]["schema"] == "fejl"


def test_readyz_without_an_alembic_version_table_is_not_ready(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "ingen" in response.get_json()["reasons"][0]


def test_a_schema_newer_than_this_release_keeps_the_instance_in_service(client, stamp):
    """A rolling deploy: the first new instance migrated; the old ones serve until replaced."""
    stamp("0099_from_a_newer_release")
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json()["checks"]["schema"] == "nyere"


@pytest.mark.parametrize("broken", ["missing", "garbage", "directory", "unset"])
def test_readyz_answers_503_when_the_log_key_cannot_be_read(app, client, stamp, tmp_path, broken):
    stamp(head())
    path = tmp_path / "log.pem"
    if broken == "garbage":
        path.write_bytes(b"-----BEGIN PRIVATE KEY-----\ntruncated")
    elif broken == "directory":
        path.mkdir()
    app.config["LOG_SIGNING_KEY_FILE"] = "" if broken == "unset" else str(path)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["checks"]["log_key"] == "fejl"
    assert body["reasons"] == ["Transparensloggens nøgle kan ikke læses."]
    assert str(tmp_path) not in response.get_data(as_text=True)  # no paths to the public


def test_readyz_answers_503_when_a_signing_certificate_does_not_open(app, client, stamp, tmp_path):
    from factories import make_org, make_user

    stamp(head())
    make_user(make_org("Aarhus Kommune"), role="member")  # Aarhus can sign
    real_ca(tmp_path / "keys", "aarhus-kommune", "Aarhus Kommune")
    app.config.update({"SIGNING_KEYS_DIR": str(tmp_path / "keys"), "ENV_NAME": "production"})
    assert client.get("/readyz").status_code == 200
    (tmp_path / "keys" / "aarhus-kommune.pass").write_bytes(b"forkert\n")
    app.extensions.pop(readiness._CACHE_KEY)  # the file checks are kept for a few seconds
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["signing"] == "fejl"
    assert "aarhus" not in response.get_data(as_text=True).lower()  # names and paths go to the log


def test_the_file_checks_are_kept_briefly_and_the_database_checks_never(app, client, stamp, tmp_path, monkeypatch):
    stamp(head())
    monkeypatch.setattr(readiness, "FILE_CHECK_SECONDS", 3600.0)  # however slow this machine is today
    assert client.get("/readyz").status_code == 200
    app.config["LOG_SIGNING_KEY_FILE"] = str(tmp_path / "gone.pem")
    assert client.get("/readyz").status_code == 200  # within FILE_CHECK_SECONDS: the kept answer
    stamp("0020")
    assert client.get("/readyz").get_json()["checks"]["schema"] == "fejl"  # the database's, at once
    stamp(head())
    monkeypatch.setattr(readiness, "FILE_CHECK_SECONDS", 0.0)
    assert client.get("/readyz").get_json()["checks"]["log_key"] == "fejl"


def test_readyz_answers_503_when_the_database_does_not_answer(tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/dir/x.db"})
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json() == {
        "status": "fejl",
        "checks": {"database": "fejl"},
        "reasons": ["Databasen svarer ikke."],
    }


# --- /metrics ------------------------------------------------------------------------------------


def samples(client, **kwargs) -> dict:
    """The scrape as {(name, labels as a sorted tuple): value}."""
    response = client.get("/metrics", **kwargs)
    assert response.status_code == 200
    assert response.content_type.startswith("text/plain; version=")
    found = {}
    for family in text_string_to_metric_families(response.get_data(as_text=True)):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def value(found: dict, name: str, **labels) -> float:
    return found.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_are_off_by_default(client):
    assert client.get("/metrics").status_code == 404


@pytest.mark.parametrize("app_overrides", [{"METRICS_ENABLED": True}])
def test_metrics_count_requests_by_endpoint_method_and_status_class_never_by_path(client, published):
    before = samples(client)
    path = f"/vurderinger/{published.public_id}"
    for _ in range(3):
        assert client.get(path).status_code == 200
    assert client.get("/vurderinger/findes-ikke-9f3a").status_code == 404
    assert client.get("/helt/ukendt/sti-7c1d").status_code == 404
    assert client.post("/healthz").status_code == 405
    after = samples(client)
    body = client.get("/metrics").get_data(as_text=True)

    def grew(**labels):
        name = "etikdialog_http_requests_total"
        return value(after, name, **labels) - value(before, name, **labels)

    assert grew(endpoint="public.assessment", method="GET", status="2xx") == 3
    assert grew(endpoint="public.assessment", method="GET", status="4xx") == 1
    assert grew(endpoint="none", method="GET", status="4xx") == 1  # no route: one label for every path
    assert grew(endpoint="none", method="POST", status="4xx") == 1  # 405: routing found no endpoint
    latency = "etikdialog_http_request_duration_seconds_count"
    assert value(after, latency, endpoint="public.assessment", method="GET") >= 4
    assert published.public_id not in body and "findes-ikke" not in body and "sti-7c1d" not in body


@pytest.mark.parametrize("app_overrides", [{"METRICS_ENABLED": True}])
def test_metrics_report_the_log_size_pdf_times_and_failed_writes(app, client, monkeypatch):
    from assessment_factories import make_published

    before = samples(client)
    make_published()  # a final PDF rendered and signed, two log entries
    with failing_database(monkeypatch, writes_only=True), pytest.raises(Exception, match="disk is full"):
        db.session.execute(text("UPDATE organisation SET name = name"))
    after = samples(client)
    assert value(after, "etikdialog_transparency_log_entries") == translog.size() >= 2
    for histogram in ("etikdialog_pdf_render_seconds_count", "etikdialog_pdf_signing_seconds_count"):
        assert value(after, histogram) - value(before, histogram) == 1, histogram
    assert value(after, "etikdialog_pdf_render_seconds_sum") > value(before, "etikdialog_pdf_render_seconds_sum")
    failed = "etikdialog_database_write_failures_total"
    assert value(after, failed) - value(before, failed) == 1


@pytest.mark.parametrize("app_overrides", [{"METRICS_ENABLED": True}])
def test_metrics_answer_404_outside_the_allow_list(app, client):
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.1.2.3"}).status_code == 404
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "::1"}).status_code == 200
    app.extensions["etikdialog.metrics"]["allow"] = metrics.allowed_networks("10.0.0.0/8")
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.1.2.3"}).status_code == 200
    assert client.get("/metrics").status_code == 404  # loopback is no longer on the list


@pytest.mark.parametrize("app_overrides", [{"METRICS_ENABLED": True, "TRUST_PROXY_HEADERS": 1}])
def test_a_forwarded_address_alone_never_opens_metrics(client):
    spoofed = client.get(
        "/metrics", environ_base={"REMOTE_ADDR": "203.0.113.9"}, headers={"X-Forwarded-For": "127.0.0.1"}
    )
    assert spoofed.status_code == 404
    through_proxy = client.get(
        "/metrics", environ_base={"REMOTE_ADDR": "127.0.0.1"}, headers={"X-Forwarded-For": "203.0.113.9"}
    )
    assert through_proxy.status_code == 404  # a public client that came through the proxy
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "127.0.0.1"}).status_code == 200


@pytest.mark.parametrize("allow", ["10.0.0.0/33", "localhost", "127.0.0.1/8 ; rm"])
def test_a_bad_allow_list_stops_start_up_with_a_message(tmp_path, allow):
    with pytest.raises(ConfigError, match="METRICS_ALLOW"):
        create_app({"TESTING": True, "METRICS_ALLOW": allow, "SQLALCHEMY_DATABASE_URI": "sqlite://"})


# --- flask log create-key ------------------------------------------------------------------------


def test_create_key_writes_a_0600_ed25519_key_and_never_overwrites(runner, app, tmp_path):
    path = tmp_path / "keys" / "log.pem"
    created = runner.invoke(args=["log", "create-key", "--file", str(path)])
    assert created.exit_code == 0, created.output
    assert path.stat().st_mode & 0o777 == 0o600
    key = translog.load_key(path)
    assert created.output.splitlines()[-1] == f"Verifier key: {translog.verifier_key(key)}"
    pem = path.read_bytes()
    again = runner.invoke(args=["log", "create-key", "--file", str(path)])
    assert again.exit_code == 1 and "never overwritten" in again.output
    assert path.read_bytes() == pem


def test_create_key_works_in_production_and_the_demo_key_does_not(runner, app, tmp_path):
    app.config["ENV_NAME"] = "production"
    app.config["LOG_SIGNING_KEY_FILE"] = str(tmp_path / "configured.pem")
    demo = runner.invoke(args=["log", "create-demo-key"])
    assert demo.exit_code == 1 and "create-key" in demo.output
    assert not (tmp_path / "configured.pem").exists()
    made = runner.invoke(args=["log", "create-key"])  # default: LOG_SIGNING_KEY_FILE
    assert made.exit_code == 0, made.output
    assert translog.load_key(tmp_path / "configured.pem")


def test_flask_commands_start_in_production_before_the_log_key_exists_and_the_server_does_not(monkeypatch, tmp_path):
    monkeypatch.setenv("ETIKDIALOG_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "k" * 48)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'prod.db'}")
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://etik.example.dk")
    monkeypatch.setenv("LOG_SIGNING_KEY_FILE", str(tmp_path / "log.pem"))
    monkeypatch.delenv("FLASK_RUN_FROM_CLI", raising=False)
    with pytest.raises(ConfigError, match="log create-key"):
        create_app()  # gunicorn
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")
    app = create_app()  # `flask log create-key` can run
    backfill = app.test_cli_runner().invoke(args=["log", "backfill"])
    assert backfill.exit_code == 1 and "log.pem" in backfill.output  # production signs what it appends


def test_flask_commands_never_measure_even_with_the_servers_environment(monkeypatch, tmp_path):
    """The deploy docs source the service's environment file for `flask` commands, whose
    PROMETHEUS_MULTIPROC_DIR exists only while the service runs."""
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")
    app = create_app({"TESTING": True, "METRICS_ENABLED": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert "etikdialog.metrics" not in app.extensions
    assert app.test_client().get("/metrics").status_code == 404


@pytest.mark.parametrize("app_overrides", [{"METRICS_ENABLED": True, "WTF_CSRF_ENABLED": True}])
def test_a_request_an_extension_answers_is_counted_too(client):
    """The counters' hook runs before every extension's: a POST without a CSRF token (400) counts."""
    name = "etikdialog_http_requests_total"
    labels = {"endpoint": "public.verify", "method": "POST", "status": "4xx"}
    before = value(samples(client), name, **labels)
    assert client.post("/verificer", data={"kode": "x"}).status_code == 400
    assert value(samples(client), name, **labels) - before == 1


def test_gunicorn_prepares_the_metrics_directory_and_marks_exited_workers_dead(monkeypatch, tmp_path):
    """gunicorn.conf.py: the master empties PROMETHEUS_MULTIPROC_DIR before it forks (numbers of an
    earlier run are not added in), and child_exit drops an exited worker's live gauge files."""
    import runpy
    from types import SimpleNamespace

    # prometheus_client was imported with this module (the parser, above), so the variable set here
    # does not switch this process into multiprocess mode.
    directory = tmp_path / "metrics"
    directory.mkdir()
    (directory / "counter_111.db").write_bytes(b"from an earlier run")
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(directory))
    settings = runpy.run_path(str(app_config.PROJECT_ROOT / "gunicorn.conf.py"))
    settings["_prepare_metrics_dir"]()
    assert list(directory.iterdir()) == []
    (directory / "gauge_livesum_222.db").write_bytes(b"")
    (directory / "counter_222.db").write_bytes(b"")
    settings["child_exit"](None, SimpleNamespace(pid=222))
    assert sorted(path.name for path in directory.iterdir()) == ["counter_222.db"]  # counters stay in the sum


def test_migration_scripts_that_cannot_be_read_make_the_instance_unready_not_a_500(app, client, stamp, tmp_path):
    stamp(head())
    app.extensions["migrate"].directory = str(tmp_path / "no-migrations-here")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["reasons"] == ["Migrationerne kan ikke læses."]
    readiness.warm(app)  # gunicorn's master logs it and starts


def test_nothing_of_the_metrics_happens_on_import_or_in_create_app(monkeypatch):
    """prometheus_client is imported, and the metrics built, at their first use, never on import
    (no module-level import of it anywhere in app/) and never by create_app."""
    import ast

    for path in (app_config.PROJECT_ROOT / "app").rglob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            names += [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            assert not any(name.startswith("prometheus_client") for name in names), path
    monkeypatch.setattr(metrics, "_process_metrics", None)
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "METRICS_ENABLED": True})
    assert metrics._process_metrics is None
    assert app.test_client().get("/metrics").status_code == 200
    assert metrics._process_metrics is not None
