"""Error paths without the database (issue 31 item 8).

- The 503 page of a database outage, and its Content-Security-Policy, need neither the database
  nor the signed-in user (a signer's POST got a 500: the CSP hook read the user's provider).
- An audit line is logged only once its transaction has committed (a login that failed with 503
  had logged `user.login`); a rolled-back one logs nothing.
- A save that stored nothing, an autosave above all, is logged with its request id.
"""

from __future__ import annotations

import json
from contextlib import contextmanager

from assessment_factories import answer_everything, make_assessment, request_signoff
from factories import PASSWORD, hidden, login, make_org, make_user
from test_robustness import _question_form, captured_log, failing_database

from app.audit.models import AuditEvent
from app.audit.services import record
from app.extensions import db


def lines(stream) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


@contextmanager
def failing_commits(monkeypatch):
    """Statements run, but COMMIT fails as on a full disk or a server that went away."""
    dialect = db.engine.dialect

    def commit(connection):
        raise dialect.dbapi.OperationalError("database or disk is full")

    with monkeypatch.context() as patch:
        patch.setattr(dialect, "do_commit", commit)
        yield
    db.session.rollback()


# --- The 503 page and its CSP -----------------------------------------------------------------


def test_a_signers_post_during_an_outage_gets_the_503_page_with_the_default_policy(app, client, monkeypatch):
    org = make_org()
    editor = make_user(org, role="editor")
    signers = [make_user(org, role="member"), make_user(org, role="admin")]
    assessment = make_assessment(editor)
    answer_everything(assessment, editor)
    request_signoff(assessment, editor, signers)
    db.session.commit()
    url = f"/intern/vurderinger/{assessment.public_id}/underskrift"
    login(client, signers[0])
    page = client.get(url).get_data(as_text=True)
    data = {
        "record_sha256": hidden(page, "record_sha256"),
        "seen_at": hidden(page, "seen_at"),
        "password": PASSWORD,
        "read_text": "y",
    }
    with failing_database(monkeypatch, writes_only=False):
        response = client.post(url, data=data)
    assert response.status_code == 503
    assert "Databasen svarer ikke" in response.get_data(as_text=True)
    assert "form-action 'self';" in response.headers["Content-Security-Policy"]


def test_a_login_during_an_outage_gets_503_not_500(client, monkeypatch):
    user = make_user(make_org(), role="editor")
    db.session.commit()
    email = user.email
    with failing_database(monkeypatch, writes_only=False):
        response = client.post("/intern/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 503
    assert "Content-Security-Policy" in response.headers


# --- Audit lines after commit only ------------------------------------------------------------


def test_a_login_that_failed_with_503_logs_no_login(app, client, monkeypatch):
    user = make_user(make_org(), role="editor")
    db.session.commit()
    with captured_log(app) as stream, failing_commits(monkeypatch):
        response = client.post("/intern/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 503
    logged = lines(stream)
    assert [entry["message"] for entry in logged if entry.get("audit")] == []
    assert any(entry["message"] == "database failure: answered 503" for entry in logged)
    assert db.session.query(AuditEvent).filter_by(action="user.login").count() == 0
    assert client.get("/intern/").status_code == 302  # and the browser is not logged in
    # With the database back, the same login is logged, once, with its request id.
    with captured_log(app) as stream:
        assert login(client, user).status_code == 302
    audit = [entry for entry in lines(stream) if entry.get("audit")]
    assert [entry["message"] for entry in audit] == ["user.login"]
    assert audit[0]["request_id"] != "-"


def test_an_audit_line_is_logged_at_commit_and_dropped_at_rollback(app):
    organisation = make_org()
    db.session.commit()
    with captured_log(app) as stream:
        record("test.rolled_back", "Rulles tilbage", user=None, organisation_id=organisation.id)
        db.session.flush()
        assert lines(stream) == []  # not before the commit
        db.session.rollback()
        record("test.committed", "Gemmes", user=None, organisation_id=organisation.id)
        db.session.commit()
        db.session.commit()  # a second commit logs nothing again
    assert [entry["message"] for entry in lines(stream)] == ["test.committed"]


# --- Failed saves are logged --------------------------------------------------------------------


def test_a_failed_autosave_is_logged_with_its_request_id(app, client, monkeypatch):
    editor = make_user(make_org("Autosave Kommune"), role="editor")
    assessment = make_assessment(editor)
    db.session.commit()
    login(client, editor)
    url, data = _question_form(client, assessment)
    with captured_log(app) as stream, failing_database(monkeypatch, writes_only=True):
        response = client.post(url, data=data, headers={"X-Autosave": "1"})
    assert response.status_code == 503
    failed = [entry for entry in lines(stream) if entry["message"] == "save.failed"]
    assert len(failed) == 1
    entry = failed[0]
    # The id the answer carries (autosave.js can show it), so the line can be found from it.
    assert entry["request_id"] == response.headers["X-Request-ID"] and entry["level"] == "WARNING"
    assert entry["autosave"] is True and entry["outcome"] == "database_failure"
    assert entry["row"] == "AssessmentQuestion" and entry["row_id"] is not None
    assert entry["user_id"] == str(editor.id)
    assert "Referat som ikke må gå tabt" not in stream.getvalue()  # what was typed stays out of the log


def test_an_autosave_conflict_is_logged_too(app, client):
    editor = make_user(make_org("Konflikt Kommune"), role="editor")
    assessment = make_assessment(editor)
    db.session.commit()
    login(client, editor)
    url, data = _question_form(client, assessment)
    assert client.post(url, data=data, headers={"X-Autosave": "1"}).status_code == 200
    with captured_log(app) as stream:
        response = client.post(url, data={**data, "answer": "Et andet svar"}, headers={"X-Autosave": "1"})
    assert response.status_code == 409
    (entry,) = [entry for entry in lines(stream) if entry["message"] == "save.not_saved"]
    assert entry["outcome"] == "conflict" and entry["autosave"] is True and entry["request_id"] != "-"


def test_a_signers_post_whose_write_fails_after_the_user_was_loaded_gets_503(app, client, monkeypatch):
    """The user was loaded before the failure; the rollback expires them, and the 503 page and its
    headers must not load them again."""
    org = make_org()
    editor = make_user(org, role="editor")
    signers = [make_user(org, role="member"), make_user(org, role="admin")]
    assessment = make_assessment(editor)
    answer_everything(assessment, editor)
    request_signoff(assessment, editor, signers)
    db.session.commit()
    url = f"/intern/vurderinger/{assessment.public_id}/underskrift"
    login(client, signers[0])
    page = client.get(url).get_data(as_text=True)
    data = {
        "record_sha256": hidden(page, "record_sha256"),
        "seen_at": hidden(page, "seen_at"),
        "password": PASSWORD,
        "read_text": "y",
    }
    with failing_database(monkeypatch, writes_only=True):
        response = client.post(url, data=data)
    assert response.status_code == 503
    assert "Databasen svarer ikke" in response.get_data(as_text=True)
