"""Odd input and a failing database (issue 15, items 5, 6, 11, 15, 16 and 17).

- Control characters never reach storage from a form, and XML output is well-formed whatever is stored.
- Odd digits, NUL in a path and a carriage return in ?next= get 404, 400 or a redirect, never a 500,
  on every route of the URL map.
- Logs show a failed statement's shape, never its parameters; gunicorn trusts forwarded headers
  only as TRUST_PROXY_HEADERS says.
- With the database failing, error pages still render, saves answer 503 with the text given back,
  /healthz answers 503 within seconds of a silent database and reports failed writes.
"""

from __future__ import annotations

import html as html_lib
import io
import logging
import re
import runpy
import socket
import threading
import time
import xml.etree.ElementTree as ET
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest
from assessment_factories import make_assessment, make_published
from conftest import PROJECT_ROOT, TEST_DATABASE_URL, make_app
from consultation_factories import open_consultation
from factories import login, make_org, make_user
from sqlalchemy import select, text
from test_assessment_views import hidden, question_url
from wtforms import PasswordField, StringField

from app.assessments import forms as assessment_forms
from app.assessments.models import Assessment, AssessmentQuestion
from app.consultation.models import ConsultationResponse
from app.core import health
from app.core.forms import Form
from app.core.logging import JsonFormatter
from app.core.text import strip_control_characters
from app.extensions import db


@pytest.fixture
def editor(app):
    return make_user(make_org("Robusthed Kommune"), role="editor")


# --- Item 5: control characters ------------------------------------------------------------


def all_form_classes() -> list[type]:
    assessment_forms.proposal_form_class({})  # built per request; make sure one exists
    found, pending = [], [Form]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        found.append(cls)
    return found


def test_every_text_field_of_every_form_strips_control_characters(app):
    classes = all_form_classes()
    assert len(classes) > 15
    checked = 0
    with app.test_request_context(method="POST"):
        for cls in classes:
            try:
                form = cls(formdata=None)
            except TypeError:  # a form that needs arguments to be built
                continue
            for field in form:
                if isinstance(field, StringField) and not isinstance(field, PasswordField):
                    assert strip_control_characters in field.filters, (cls.__name__, field.name)
                    checked += 1
                if isinstance(field, PasswordField):
                    assert strip_control_characters not in field.filters
    assert checked > 40


def test_strip_control_characters_keeps_tab_and_line_breaks():
    # CR LF becomes LF, so a line break counts as one character, as in the browser's counter.
    assert strip_control_characters("a\x0bb\x0cc\td\r\ne\x01f\x7fg\x1f") == "a\nb\nc\td\nefg"
    assert strip_control_characters(None) is None


def test_a_title_with_a_vertical_tab_is_stored_without_it(client, editor):
    login(client, editor)
    response = client.post("/intern/vurderinger/ny", data={"title": "Sensorer\x0bi plejeboliger\x01"})
    assert response.status_code == 302
    title = db.session.scalar(select(Assessment.title).order_by(Assessment.id.desc()))
    assert title == "Sensorer\ni plejeboliger"


def test_a_citizens_response_with_a_soft_line_break_is_received_without_it(client, editor):
    consultation = open_consultation(make_assessment(editor), editor)
    db.session.commit()
    response = client.post(
        f"/hoeringer/{consultation.public_id}", data={"body": "Første linje\x0banden linje", "question": ""}
    )
    assert response.status_code == 303
    body = db.session.scalar(select(ConsultationResponse.body))
    assert body == "Første linje\nanden linje"


def test_the_feed_and_sitemap_stay_valid_xml_with_control_characters_stored_directly(client):
    assessment = make_published(title="Sensorer")
    db.session.execute(
        text("UPDATE publication SET title = :title, organisation_name = :org, summary = :summary"),
        {
            "title": "Sensorer\x0bi\x01 plejeboliger",
            "org": "Kommune\x0c",
            "summary": "Problemet\x1b er\x0b",
        },
    )
    db.session.commit()
    feed = client.get("/feed.atom")
    assert feed.status_code == 200
    root = ET.fromstring(feed.get_data())  # noqa: S314 - our own feed; invalid XML would not parse
    titles = [e.text or "" for e in root.iter("{http://www.w3.org/2005/Atom}title")]
    assert "Kommune\n: Sensorer\ni plejeboliger" in titles
    documents, pending = [], ["/sitemap.xml"]
    while pending:  # the sitemap may be an index of sitemaps
        document = ET.fromstring(client.get(pending.pop()).get_data())  # noqa: S314
        documents.append(ET.tostring(document, encoding="unicode"))
        pending += [
            urlsplit(e.text).path
            for e in document.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
            if e.text.endswith(".xml")
        ]
    assert any(assessment.public_id in document for document in documents)


# --- Item 6: odd input on every route ------------------------------------------------------

ODD_NUMBERS = ["%C2%B2", "%E2%91%A0", "%D9%A3", "-1", "1e3", "99999999999999999999", ""]


@pytest.mark.parametrize("path", ["/vurderinger", "/api/v1/vurderinger", "/vurderinger.csv"])
@pytest.mark.parametrize("name", ["side", "aar", "per_side"])
def test_odd_digits_in_numbers_are_ignored(client, path, name):
    make_published()
    for value in ODD_NUMBERS:
        response = client.get(f"{path}?{name}={value}")
        response.get_data()  # the CSV streams: read it all
        assert response.status_code == 200, (path, name, value)


@pytest.mark.parametrize(
    "path",
    [
        "/vurderinger/%00",
        "/vurderinger/a%00b.pdf",
        "/api/v1/vurderinger/%00",
        "/hoeringer/%00",
        "/intern/vurderinger/%00",
        "/teknologier/%00",
    ],
)
def test_nul_in_a_path_is_not_found(client, editor, path):
    assert client.get(path).status_code == 404
    login(client, editor)
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("target", ["/%0d", "/%0a", "/%0d%0aSet-Cookie:x=y", "//evil.example", "/\\evil"])
def test_the_language_switch_returns_only_to_a_clean_path(client, target):
    response = client.get(f"/sprog/da?next={target}")
    assert response.status_code == 303
    assert response.location == "/"


PATH_VALUES = ["%00", "a%00b", "%C2%B2", "%E2%91%A0", "%0d", "x" * 300]
QUERY = "?side=%C2%B2&aar=%E2%91%A0&per_side=%C2%B2&next=/%0d&kode=%C2%B2&q=%E2%91%A0&efter=%C2%B2&foer=%E2%91%A0"
# /readyz answers 503 by design here: the test databases are made by create_all, never stamped at
# the migrations' head (tests/test_readiness.py covers it).
SKIPPED = {"accounts.logout", "static", "core.readyz"}


def _url(rule, value: str) -> str:
    return re.sub(r"<[^>]+>", value, rule.rule)


def test_every_route_answers_odd_values_without_a_server_error(app, client, editor):
    make_published()
    rules = [r for r in app.url_map.iter_rules() if r.endpoint not in SKIPPED]
    assert len(rules) > 40
    login(client, make_user(editor.organisation, role="admin"))
    failures = []
    for rule in rules:
        urls = [_url(rule, value) for value in PATH_VALUES] if rule.arguments else [rule.rule]
        for url in urls:
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                response = client.open(url + QUERY, method=method)
                response.get_data()
                if response.status_code >= 500:
                    failures.append((method, url, response.status_code))
                if "%00" in url:
                    assert response.status_code == 404, (method, url, response.status_code)
    assert failures == []


# --- Item 11: logs and proxies -------------------------------------------------------------


@contextmanager
def captured_log(app):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    app.logger.addHandler(handler)
    try:
        yield stream
    finally:
        app.logger.removeHandler(handler)


SECRET = "HEMMELIGT-UDKAST-7731"


def test_the_log_of_a_failed_statement_shows_its_shape_not_its_values(app):
    app.testing = False  # as in production: the exception is logged and answered with an error page

    @app.post("/fejl-i-databasen")
    def failing_statement():
        db.session.execute(text("INSERT INTO no_such_table (draft) VALUES (:draft)"), {"draft": SECRET})
        return "unreachable"

    with captured_log(app) as log:
        response = app.test_client().post("/fejl-i-databasen")
    assert response.status_code in (500, 503)
    output = log.getvalue()
    assert "INSERT INTO no_such_table" in output
    assert SECRET not in output


def test_database_error_messages_hide_parameters(app):
    with pytest.raises(Exception) as caught:
        db.session.execute(text("INSERT INTO no_such_table (draft) VALUES (:draft)"), {"draft": SECRET})
    db.session.rollback()
    assert SECRET not in str(caught.value)


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="PostgreSQL quotes values in its messages")
def test_values_quoted_by_postgresql_stay_out_of_the_log(app):
    from app.core.logging import format_exception_safely

    with pytest.raises(Exception) as caught:
        db.session.execute(text("SELECT CAST(:draft AS integer)"), {"draft": SECRET})
    db.session.rollback()
    assert SECRET in str(caught.value.orig)  # PostgreSQL does quote it …
    formatted = format_exception_safely(caught.value)
    assert SECRET not in formatted  # … and the log does not
    assert "SELECT CAST" in formatted


@pytest.mark.parametrize(("trust", "expected"), [("0", ""), ("", ""), ("1", "127.0.0.1,::1")])
def test_gunicorn_trusts_forwarded_headers_only_behind_a_proxy(monkeypatch, trust, expected):
    monkeypatch.setenv("TRUST_PROXY_HEADERS", trust)
    settings = runpy.run_path(str(PROJECT_ROOT / "gunicorn.conf.py"))
    assert settings["forwarded_allow_ips"] == expected


def test_gunicorn_ignores_x_forwarded_proto_without_trust_proxy_headers(tmp_path):
    """Through gunicorn itself: an https claim from 127.0.0.1 must not make the request secure
    (a secure request gets Strict-Transport-Security)."""
    import os
    import subprocess
    import sys
    import urllib.request

    port = _free_port()
    env = {
        **os.environ,
        "TRUST_PROXY_HEADERS": "0",
        "WEB_CONCURRENCY": "1",
        "GUNICORN_THREADS": "1",
        "ETIKDIALOG_ENV": "development",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'g.db'}",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "-b", f"127.0.0.1:{port}", "app:create_app()"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/tilgaengelighed", headers={"X-Forwarded-Proto": "https"}
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(request, timeout=5) as answer:  # noqa: S310 - our own server
                    headers = answer.headers
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.3)
        assert "Strict-Transport-Security" not in headers
    finally:
        server.terminate()
        server.wait(timeout=10)


# --- Items 15 and 17: a failing database ---------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def failing_database(monkeypatch, *, writes_only: bool):
    """Make the DBAPI refuse statements (every one, or only writes and commits) the way a full disk
    or a vanished server does: with the driver's OperationalError."""
    dialect = db.engine.dialect
    error = dialect.dbapi.OperationalError
    is_write = re.compile(r"^\s*(INSERT|UPDATE|DELETE)", re.IGNORECASE)
    originals = {name: getattr(dialect, name) for name in ("do_execute", "do_execute_no_params", "do_commit")}

    def execute(cursor, statement, *args, **kwargs):
        if not writes_only or is_write.match(statement):
            raise error("database or disk is full")
        return originals["do_execute"](cursor, statement, *args, **kwargs)

    def execute_no_params(cursor, statement, *args, **kwargs):
        if not writes_only or is_write.match(statement):
            raise error("database or disk is full")
        return originals["do_execute_no_params"](cursor, statement, *args, **kwargs)

    def commit(connection):
        raise error("database or disk is full")

    with monkeypatch.context() as patch:
        patch.setattr(dialect, "do_execute", execute)
        patch.setattr(dialect, "do_execute_no_params", execute_no_params)
        if not writes_only:
            patch.setattr(dialect, "do_commit", commit)
        yield
    db.session.rollback()


def test_pages_for_a_logged_in_user_render_with_no_database(client, editor, monkeypatch):
    assessment = make_assessment(editor)
    login(client, editor)
    paths = ("/intern/", f"/intern/vurderinger/{assessment.public_id}", "/findes-ikke", "/")
    with failing_database(monkeypatch, writes_only=False):
        for path in paths:
            response = client.get(path)
            body = response.get_data(as_text=True)
            assert response.status_code in (404, 503), (path, response.status_code)
            assert '<html lang="da"' in body and "Etikdialog" in body, path
            assert "Internal Server Error" not in body
            if response.status_code == 503:
                assert "Databasen svarer ikke" in body and response.headers["Retry-After"]


def test_an_api_request_with_no_database_answers_json_503(client, monkeypatch):
    with failing_database(monkeypatch, writes_only=False):
        response = client.get("/api/v1/vurderinger")
    assert response.status_code == 503
    assert response.get_json()["status"] == "unavailable"


def _question_form(client, assessment) -> tuple[str, dict]:
    url = question_url(assessment, assessment.questions[0].question_id)
    page = client.get(url).get_data(as_text=True)
    return url, {
        "row_version": hidden(page, "row_version"),
        "base": hidden(page, "base"),
        "discussion": "Referat som ikke må gå tabt",
        "answer": "Svaret",
        "concern": "lav",
    }


def test_a_save_that_fails_for_a_database_reason_answers_503_with_the_text(client, editor, monkeypatch):
    assessment = make_assessment(editor)
    question_id = assessment.questions[0].question_id
    login(client, editor)
    url, data = _question_form(client, assessment)
    with failing_database(monkeypatch, writes_only=True):
        response = client.post(url, data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "Databasen svarer ikke lige nu" in page
    assert "Referat som ikke må gå tabt" in page
    row = db.session.scalar(select(AssessmentQuestion).filter_by(question_id=question_id))
    db.session.refresh(row)
    assert row.discussion in (None, "")
    # The form came back intact: sending it again, with the database back, saves it.
    retried = client.post(
        url,
        data={
            "row_version": hidden(page, "row_version"),
            "base": hidden(page, "base"),
            "discussion": "Referat som ikke må gå tabt",
        },
    )
    assert retried.status_code == 302


def test_autosave_is_told_in_json_that_the_database_failed(client, editor, monkeypatch):
    assessment = make_assessment(editor)
    login(client, editor)
    url, data = _question_form(client, assessment)
    with failing_database(monkeypatch, writes_only=True):
        response = client.post(url, data=data, headers={"X-Autosave": "1"})
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "unavailable"
    assert "Databasen svarer ikke" in body["message"]


def test_with_no_database_at_all_a_save_gets_the_text_back_on_a_page_needing_none(client, editor, monkeypatch):
    assessment = make_assessment(editor)
    login(client, editor)
    url, data = _question_form(client, assessment)
    with failing_database(monkeypatch, writes_only=False):
        response = client.post(url, data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "Referat som ikke må gå tabt" in page
    assert f'action="{url}"' in page  # "Prøv igen" sends it to the same place


def _given_back(page: str) -> dict:
    fields = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page):
        fields[name] = html_lib.unescape(value)
    for name, value in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', page, re.S):
        fields[name] = html_lib.unescape(value)
    for name, value in re.findall(r'<input class="form-input" type="text"[^>]*name="([^"]+)" value="([^"]*)"', page):
        fields[name] = html_lib.unescape(value)
    return fields


def test_a_citizens_response_that_cannot_be_saved_comes_back_with_the_text(client, editor, monkeypatch):
    consultation = open_consultation(make_assessment(editor), editor)
    db.session.commit()
    url = f"/hoeringer/{consultation.public_id}"
    sent = {"body": "Min mor skal kunne sige nej.", "author_name": "Karen", "question": ""}
    with failing_database(monkeypatch, writes_only=True):
        response = client.post(url, data=sent)
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "Min mor skal kunne sige nej." in page and "Karen" in page
    assert db.session.scalar(select(ConsultationResponse.id)) is None
    given_back = _given_back(page)
    assert given_back["body"] == sent["body"]
    assert client.post(url, data=given_back).status_code == 303  # sent again, it is received
    assert db.session.scalar(select(ConsultationResponse.body)) == sent["body"]


def test_healthz_is_degraded_after_a_failed_write_and_recovers_after_a_good_one(client, editor, monkeypatch):
    assessment = make_assessment(editor)
    login(client, editor)
    assert client.get("/healthz").status_code == 200
    url, data = _question_form(client, assessment)
    with failing_database(monkeypatch, writes_only=True):
        assert client.post(url, data=data).status_code == 503
        degraded = client.get("/healthz")
    assert degraded.status_code == 503
    body = degraded.get_json()
    assert body["status"] == "degraded" and body["database"] == "ok" and body["writes"] == "fejl"
    assert "skrivning" in body["reasons"][0]
    assert client.get("/healthz").status_code == 503  # still: nothing has been written since
    assert client.post(url, data=data).status_code == 302
    assert client.get("/healthz").get_json()["status"] == "ok"


def test_an_old_write_failure_is_forgotten_after_the_window(app, client):
    app.config["HEALTH_WRITE_FAILURE_SECONDS"] = 0
    health.write_health().failed()
    time.sleep(0.01)
    assert client.get("/healthz").status_code == 200


@pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="free disk space is checked for SQLite")
def test_healthz_is_degraded_when_the_sqlite_disk_is_nearly_full(app, client):
    app.config["HEALTH_MIN_FREE_MB"] = 10**12  # more than any disk has
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "degraded"
    assert "ledig plads" in response.get_json()["reasons"][0]


# --- Item 16: a silent database ------------------------------------------------------------


@contextmanager
def silent_server():
    """A TCP server on 127.0.0.1 that accepts connections and never says a word."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held, stop = [], threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(timeout=2)
        for connection in held:
            connection.close()
        listener.close()


def test_the_default_settings_bound_every_database_wait(app, monkeypatch):
    from app import config

    monkeypatch.delenv("FLASK_RUN_FROM_CLI", raising=False)
    postgres = {
        **app.config,
        "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"options": "-csearch_path=x"}},
        "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://u@h/d",
    }
    options = config.engine_options(postgres)
    assert options["hide_parameters"] is True
    assert 2 <= options["connect_args"]["connect_timeout"] <= 10
    assert options["connect_args"]["options"] == "-csearch_path=x -c statement_timeout=10000"
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")  # commands may run long statements on purpose
    assert "statement_timeout" not in config.engine_options(postgres)["connect_args"]["options"]
    sqlite = config.engine_options(
        {**app.config, "SQLALCHEMY_ENGINE_OPTIONS": {}, "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    )
    assert 1 <= sqlite["connect_args"]["timeout"] <= 30


def test_healthz_answers_503_within_seconds_when_the_database_never_answers(tmp_path):
    with silent_server() as port:
        app = make_app(
            tmp_path,
            None,
            SQLALCHEMY_DATABASE_URI=f"postgresql+psycopg://etik@127.0.0.1:{port}/etik",
            DATABASE_CONNECT_TIMEOUT=2,
        )
        started = time.monotonic()
        response = app.test_client().get("/healthz")
        elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert response.get_json()["database"] == "fejl"
    assert elapsed < 8, elapsed


def test_a_page_fails_fast_with_a_danish_503_when_the_database_never_answers(tmp_path):
    with silent_server() as port:
        app = make_app(
            tmp_path,
            None,
            SQLALCHEMY_DATABASE_URI=f"postgresql+psycopg://etik@127.0.0.1:{port}/etik",
            DATABASE_CONNECT_TIMEOUT=2,
        )
        started = time.monotonic()
        response = app.test_client().get("/vurderinger")
        elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert "Databasen svarer ikke" in response.get_data(as_text=True)
    assert elapsed < 8, elapsed


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="statement_timeout is PostgreSQL's")
def test_a_statement_that_runs_too_long_is_stopped(tmp_path, postgres_schema):
    app = make_app(tmp_path, postgres_schema, DATABASE_STATEMENT_TIMEOUT=1)
    with app.app_context():
        started = time.monotonic()
        with pytest.raises(Exception, match="statement timeout"):
            db.session.execute(text("SELECT pg_sleep(5)"))
        assert time.monotonic() - started < 4
        db.session.rollback()
        db.engine.dispose()
