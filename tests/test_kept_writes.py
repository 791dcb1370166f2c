"""The request's unit of work ends in one place (app.core.transactions, ADR 0008): an answer below
400 commits, an exception or an answer of 400 and above rolls back, and writes a refusal keeps (a
counted failed attempt) are committed by the service through record_now, never by a view."""

import pytest
from flask import session
from sqlalchemy import func, select

from app.accounts.models import FailedAttempt, User
from app.core import transactions
from app.core.time import utcnow
from app.extensions import db
from tests.factories import login, make_org, make_user


def _committed_attempts() -> int:
    """Counted on a connection of its own: it sees only what was committed."""
    db.session.rollback()
    with db.engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(FailedAttempt))


def _attempt() -> FailedAttempt:
    attempt = FailedAttempt(scope="test", client_hash="x" * 64, at=utcnow())
    db.session.add(attempt)
    db.session.flush()
    return attempt


def _route(app, name, view):
    app.add_url_rule(f"/_{name}", name, view, methods=["POST"])
    return f"/_{name}"


def test_an_answer_below_400_commits_what_the_view_wrote(app, client):
    def view():
        _attempt()
        return "gemt", 303, {"Location": "/"}

    assert client.post(_route(app, "saved", view)).status_code == 303
    assert _committed_attempts() == 1


def test_a_form_refused_with_422_keeps_nothing_it_flushed(app, client):
    def view():
        _attempt()
        return "rettes", 422  # the view neither commits nor rolls back

    assert client.post(_route(app, "refused", view)).status_code == 422
    assert _committed_attempts() == 0


def test_a_view_that_raises_after_a_flush_leaves_nothing(app, client):
    def view():
        _attempt()
        raise RuntimeError("after the flush")

    url = _route(app, "raises", view)
    with pytest.raises(RuntimeError):  # the tests propagate exceptions: teardown rolls back
        client.post(url)
    assert _committed_attempts() == 0
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: the 500 page, then the rollback
    assert client.post(url).status_code == 500
    assert _committed_attempts() == 0


def test_a_refusal_answered_with_a_redirect_keeps_nothing(app, client):
    def view():
        _attempt()
        transactions.discard()
        _attempt()  # nothing after the refusal is kept either
        return "", 302, {"Location": "/"}

    assert client.post(_route(app, "discarded", view)).status_code == 302
    assert _committed_attempts() == 0


def test_a_refusal_that_keeps_its_writes_records_them_now(app, client):
    def kept():
        transactions.record_now(_attempt)
        return "refused", 422

    def not_kept():
        _attempt()
        return "refused", 422

    kept_url, not_kept_url = _route(app, "kept", kept), _route(app, "not_kept", not_kept)
    assert client.post(not_kept_url).status_code == 422
    assert _committed_attempts() == 0
    assert client.post(kept_url).status_code == 422
    assert _committed_attempts() == 1


def test_record_now_refuses_to_commit_half_a_unit_of_work(app, client):
    def view():
        _attempt()
        transactions.record_now(_attempt)
        return "ok"

    with pytest.raises(transactions.NotFirstWrite):
        client.post(_route(app, "half", view))
    assert _committed_attempts() == 0


def test_after_commit_runs_only_once_the_work_is_kept(app, client):
    ran = []

    def view(status):
        def answer():
            _attempt()
            transactions.after_commit(lambda: ran.append(_committed_attempts()))
            return "", status

        return answer

    refused_url, saved_url = _route(app, "then_refused", view(422)), _route(app, "then_saved", view(200))
    assert client.post(refused_url).status_code == 422
    assert ran == []
    assert client.post(saved_url).status_code == 200
    assert ran == [1]  # it saw the request's write committed


def test_a_commit_that_fails_is_a_503_and_the_browser_session_is_unchanged(app, client, monkeypatch):
    dialect = db.engine.dialect

    def view():
        session["logged_in"] = "yes"
        _attempt()
        return "", 302, {"Location": "/"}

    def commit(_connection):
        raise dialect.dbapi.OperationalError("database or disk is full")

    url = _route(app, "commit_fails", view)
    with monkeypatch.context() as patch:
        patch.setattr(dialect, "do_commit", commit)
        response = client.post(url)
    assert response.status_code == 503
    assert "Databasen svarer ikke" in response.get_data(as_text=True)
    assert "Set-Cookie" not in response.headers  # not logged in by a request whose work was lost
    assert _committed_attempts() == 0


def _committed_user(user_id: int):
    db.session.rollback()
    with db.engine.connect() as connection:
        return connection.execute(select(User.failed_logins, User.last_login_at).where(User.id == user_id)).one()


def test_a_failed_login_still_counts_after_the_refusal(app, client):
    app.config["RATELIMIT_ENABLED"] = True  # the client's count too
    user = make_user(make_org("Tælleby Kommune"))
    db.session.commit()
    response = client.post("/intern/login", data={"email": user.email, "password": "forkert-forkert"})
    assert response.status_code == 422
    assert _committed_user(user.id).failed_logins == 1
    assert _committed_attempts() == 1  # the refused attempt from this address


def test_a_successful_login_is_committed(app, client):
    user = make_user(make_org("Loginby Kommune"))
    db.session.commit()
    assert login(client, user).status_code == 302
    assert _committed_user(user.id).last_login_at is not None
