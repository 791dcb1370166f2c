"""Login, logout, sessions, lock-out and rate limit."""

from datetime import timedelta

import pytest
from factories import PASSWORD, login, make_org, make_user

from app.accounts import services
from app.accounts.models import User
from app.audit.models import AuditEvent
from app.core.time import utcnow
from app.extensions import db

WRONG = (
    "Forkert e-mail eller adgangskode. Efter 10 forkerte forsøg i træk er kontoen låst i "
    "15 minutter, også for den rigtige adgangskode."
)
LOCKED = "Kontoen er midlertidigt låst efter for mange forkerte forsøg. Prøv igen om 15 minutter."


def logged_in_user_id(client):
    with client.session_transaction() as sess:
        return sess.get("_user_id")


def session_cookie(client):
    cookie = client.get_cookie(client.application.config["SESSION_COOKIE_NAME"])
    return cookie.value if cookie else None


def test_login_page_is_danish_with_dkfds_form(client):
    response = client.get("/intern/login")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<h1>Log ind</h1>" in html
    assert 'class="form-label" for="email"' in html
    assert 'class="form-input input-width-l"' in html


def test_login_redirects_to_intern_and_stores_the_session_version(client, app):
    user = make_user()
    response = login(client, user)
    assert response.status_code == 302
    assert response.headers["Location"] == "/intern/"
    assert logged_in_user_id(client) == f"{user.id}:1"
    assert db.session.get(User, user.id).last_login_at is not None
    assert db.session.query(AuditEvent).filter_by(action="user.login", user_id=user.id).count() == 1


def test_login_accepts_email_in_other_case_and_with_spaces(client):
    user = make_user(email="anne@kommune.dk")
    response = client.post("/intern/login", data={"email": "  Anne@Kommune.DK ", "password": PASSWORD})
    assert response.status_code == 302
    assert logged_in_user_id(client) == f"{user.id}:1"


def test_unknown_email_and_wrong_password_give_the_same_message(client):
    user = make_user(email="anne@kommune.dk")
    wrong_password = client.post("/intern/login", data={"email": user.email, "password": "forkert-hest-batteri"})
    unknown_email = client.post("/intern/login", data={"email": "ingen@kommune.dk", "password": PASSWORD})
    for response in (wrong_password, unknown_email):
        assert response.status_code == 422
        assert WRONG in response.get_data(as_text=True)
        assert logged_in_user_id(client) is None


def test_failed_login_keeps_the_email_but_not_the_password(client):
    user = make_user(email="anne@kommune.dk")
    response = login(client, user, password="forkert-hest-batteri")
    html = response.get_data(as_text=True)
    assert 'value="anne@kommune.dk"' in html
    assert "forkert-hest-batteri" not in html
    assert 'class="alert alert-error"' in html


def test_empty_login_form_gets_danish_messages(client):
    # E-mail first (single sign-on): the e-mail's domain decides whether a password is asked at all.
    response = client.post("/intern/login", data={"email": "", "password": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Udfyld feltet." in html
    assert 'href="#email"' in html
    assert 'aria-describedby="email-error"' in html
    # An address of a municipality with Etikdialog's own passwords is asked for one, and kept.
    make_user(email="a@passwords.example.dk")
    response = client.post("/intern/login", data={"email": "a@passwords.example.dk", "password": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Skriv din adgangskode." in html and 'href="#password"' in html
    assert 'value="a@passwords.example.dk"' in html


def test_inactive_user_is_refused(client):
    user = make_user(active=False)
    response = login(client, user)
    assert response.status_code == 422
    assert "Kontoen er deaktiveret" in response.get_data(as_text=True)
    assert logged_in_user_id(client) is None


def test_inactive_user_with_wrong_password_learns_nothing_more(client):
    user = make_user(active=False)
    response = login(client, user, password="forkert-hest-batteri")
    assert WRONG in response.get_data(as_text=True)


def test_ten_failures_lock_the_account_for_15_minutes(client):
    user = make_user()
    for attempt in range(1, 10):
        response = login(client, user, password=f"forkert-nummer-{attempt}")
        assert WRONG in response.get_data(as_text=True)
    assert db.session.get(User, user.id).failed_logins == 9
    response = login(client, user, password="forkert-nummer-10")
    assert WRONG in response.get_data(as_text=True)

    # Even the right password is refused while the lock lasts, with the same generic answer.
    response = login(client, user)
    assert response.status_code == 422
    assert WRONG in response.get_data(as_text=True)
    assert LOCKED not in response.get_data(as_text=True)
    assert logged_in_user_id(client) is None
    locked_until = db.session.get(User, user.id).locked_until
    assert timedelta(minutes=14) < locked_until - utcnow() <= timedelta(minutes=15)
    assert db.session.query(AuditEvent).filter_by(action="user.locked").count() == 1


def test_lock_ends_after_15_minutes(client):
    user = make_user()
    user.locked_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert login(client, user).status_code == 302


def test_a_successful_login_resets_the_count(client):
    user = make_user()
    for _ in range(5):
        login(client, user, password="forkert-hest-batteri")
    assert login(client, user).status_code == 302
    assert db.session.get(User, user.id).failed_logins == 0


def test_session_is_renewed_at_login(client):
    user = make_user()
    client.get("/intern/login")
    with client.session_transaction() as sess:
        sess["before_login"] = "sat før login"
    before = session_cookie(client)
    assert before is not None
    login(client, user)
    after = session_cookie(client)
    assert after is not None and after != before
    with client.session_transaction() as sess:
        assert "before_login" not in sess
        assert sess["_user_id"] == f"{user.id}:1"


def test_session_cookie_is_httponly_and_samesite_lax(client):
    response = login(client, make_user())
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


@pytest.mark.parametrize("app_overrides", [{"SESSION_COOKIE_SECURE": True}])
def test_session_cookie_is_secure_when_configured(client):
    response = login(client, make_user())
    assert "Secure" in response.headers["Set-Cookie"]


@pytest.mark.parametrize("app_overrides", [{"RATELIMIT_ENABLED": True}])
def test_login_is_rate_limited_with_a_danish_page(client):
    for _ in range(10):
        response = client.post("/intern/login", data={"email": "x@kommune.dk", "password": "forkert-hest-batteri"})
        assert response.status_code == 422
    response = client.post("/intern/login", data={"email": "x@kommune.dk", "password": "forkert-hest-batteri"})
    assert response.status_code == 429
    assert "For mange forsøg" in response.get_data(as_text=True)
    # Reading the page is not limited.
    assert client.get("/intern/login").status_code == 200


@pytest.mark.parametrize("app_overrides", [{"WTF_CSRF_ENABLED": True}])
def test_login_needs_a_csrf_token(client):
    user = make_user()
    response = login(client, user)
    assert response.status_code == 400
    assert logged_in_user_id(client) is None


@pytest.mark.parametrize("app_overrides", [{"WTF_CSRF_ENABLED": True}])
def test_login_and_logout_work_with_csrf_tokens(client):
    user = make_user()
    client.get("/intern/login")
    html = client.get("/intern/login").get_data(as_text=True)
    token = html.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post("/intern/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    html = client.get("/intern/konto").get_data(as_text=True)
    token = html.split('name="csrf_token" value="')[1].split('"')[0]
    assert client.post("/intern/logout").status_code == 400  # no token: refused
    assert logged_in_user_id(client) is not None
    assert client.post("/intern/logout", data={"csrf_token": token}).status_code == 302
    assert logged_in_user_id(client) is None


def test_logout_needs_post(client):
    user = make_user()
    login(client, user)
    response = client.get("/intern/logout")
    assert response.status_code == 405
    assert logged_in_user_id(client) == f"{user.id}:1"
    response = client.post("/intern/logout")
    assert response.status_code == 302
    assert logged_in_user_id(client) is None
    assert client.get("/intern/konto").status_code == 302


def test_safe_next_is_followed(client):
    user = make_user()
    response = client.post("/intern/login?next=/intern/konto", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/intern/konto"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "http:/evil.example",
        "/\r\nSet-Cookie:x=y",
        "intern/konto",
    ],
)
def test_external_next_is_ignored(client, target):
    user = make_user()
    response = client.post(
        "/intern/login",
        query_string={"next": target},
        data={"email": user.email, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/intern/"


def test_pages_behind_login_redirect_to_login_with_danish_message(client):
    response = client.get("/intern/konto")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/intern/login?next=")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Log ind for at se siden." in html


def test_logged_in_user_visiting_login_is_sent_on(client):
    login(client, make_user())
    response = client.get("/intern/login?next=/intern/konto")
    assert response.headers["Location"] == "/intern/konto"


def test_header_shows_login_state(client):
    org = make_org("Ærø Kommune")
    user = make_user(org, name="Anne Jensen")
    html = client.get("/intern/login").get_data(as_text=True)
    assert 'href="/intern/login"' in html
    login(client, user)
    html = client.get("/intern/konto").get_data(as_text=True)
    assert "Anne Jensen, Ærø Kommune" in html
    assert 'action="/intern/logout"' in html


def test_a_tampered_session_id_is_anonymous(client):
    user = make_user()
    login(client, user)
    for value in ("garbage", f"{user.id}", f"{user.id}:x", f"{user.id}:2", "999:1"):
        with client.session_transaction() as sess:
            sess["_user_id"] = value
        assert client.get("/intern/konto").status_code == 302


def test_deactivation_ends_existing_sessions(client):
    user = make_user()
    login(client, user)
    assert client.get("/intern/konto").status_code == 200
    admin = make_user(user.organisation, role="admin")
    services.deactivate(db.session.get(User, user.id), actor=admin)
    db.session.commit()
    assert client.get("/intern/konto").status_code == 302


def test_confirm_password_counts_toward_the_lock(app):
    user = make_user()
    for _ in range(services.MAX_FAILED_LOGINS - 1):
        with pytest.raises(services.LoginRefused, match=WRONG):
            services.confirm_password(user, "forkert-hest-batteri")
    with pytest.raises(services.LoginRefused, match="låst"):
        services.confirm_password(user, "forkert-hest-batteri")
    with pytest.raises(services.LoginRefused, match="låst"):
        services.confirm_password(user, PASSWORD)


def test_confirm_password_accepts_the_right_password_without_recording_a_login(app):
    user = make_user()
    services.confirm_password(user, PASSWORD)
    assert db.session.query(AuditEvent).filter_by(action="user.login").count() == 0


# --- Account enumeration ---------------------------------------------------------------------


def _login_page_without(response, email: str) -> str:
    """The page as the sender sees it, without the address they typed (the form keeps it)."""
    return response.get_data(as_text=True).replace(email, "ADDRESS")


def test_a_locked_account_answers_like_an_address_without_an_account(client):
    user = make_user(email="findes@kommune.dk")
    unknown = "findes.ikke@kommune.dk"
    answers = {}
    for email in (user.email, unknown):
        for attempt in range(services.MAX_FAILED_LOGINS + 2):
            response = client.post("/intern/login", data={"email": email, "password": f"forkert-nummer-{attempt}"})
            assert response.status_code == 422
        answers[email] = (response.status_code, _login_page_without(response, email))
    assert db.session.get(User, user.id).locked_until is not None
    assert answers[user.email] == answers[unknown]
    assert "låst i 15 minutter" in answers[unknown][1]  # the lock is explained to everyone
    assert LOCKED not in answers[user.email][1]


def test_a_locked_account_takes_the_time_of_a_password_check(client, monkeypatch):
    from app.accounts import passwords

    user = make_user()
    user.locked_until = utcnow() + timedelta(minutes=5)
    db.session.commit()
    spent = []
    monkeypatch.setattr(passwords, "spend_verify_time", lambda password: spent.append(password))
    response = login(client, user)
    assert response.status_code == 422
    assert spent == [PASSWORD]  # not answered at once, which would give the lock away


# --- Logout ends the session on the server ---------------------------------------------------


def test_a_cookie_copied_before_logout_is_refused_afterwards(app):
    user = make_user()
    browser = app.test_client()
    login(browser, user)
    assert browser.get("/intern/konto").status_code == 200
    copied = session_cookie(browser)
    assert browser.post("/intern/logout").status_code == 302

    thief = app.test_client()
    thief.set_cookie(app.config["SESSION_COOKIE_NAME"], copied)
    response = thief.get("/intern/konto")
    assert response.status_code == 302 and "/intern/login" in response.location
    assert db.session.get(User, user.id).session_version == 2
    logouts = db.session.query(AuditEvent).filter_by(action="user.logout", user_id=user.id)
    assert logouts.count() == 1


def test_logout_ends_the_other_sessions_too(app):
    user = make_user()
    laptop, tablet = app.test_client(), app.test_client()
    login(laptop, user)
    login(tablet, user)
    laptop.post("/intern/logout")
    assert tablet.get("/intern/konto").status_code == 302
    assert login(tablet, user).status_code == 302  # a new login works as before
    assert tablet.get("/intern/konto").status_code == 200


def test_logout_without_a_session_changes_nothing(client):
    user = make_user()
    assert client.post("/intern/logout").status_code == 302
    assert db.session.get(User, user.id).session_version == 1


# --- Guessing the current password on /intern/konto ------------------------------------------

NEW_PASSWORD = "en helt ny lang frase 42"


def change_password(client, current: str, new: str = NEW_PASSWORD):
    return client.post(
        "/intern/konto", data={"current_password": current, "new_password": new, "new_password_repeat": new}
    )


def test_wrong_current_passwords_lock_the_account(client):
    user = make_user()
    login(client, user)
    for attempt in range(1, services.MAX_FAILED_LOGINS):
        response = change_password(client, f"forkert-gæt-{attempt}")
        assert response.status_code == 422
        assert "Den nuværende adgangskode er forkert." in response.get_data(as_text=True)
    assert db.session.get(User, user.id).failed_logins == services.MAX_FAILED_LOGINS - 1
    response = change_password(client, "forkert-gæt-10")
    assert LOCKED in response.get_data(as_text=True)

    # The right guess no longer changes the password, and the old one is still the password.
    old_hash = db.session.get(User, user.id).password_hash
    response = change_password(client, PASSWORD)
    assert response.status_code == 422
    assert LOCKED in response.get_data(as_text=True)
    db.session.expire_all()
    stored = db.session.get(User, user.id)
    assert stored.password_hash == old_hash and stored.session_version == 1
    assert db.session.query(AuditEvent).filter_by(action="user.locked").count() == 1
    assert db.session.query(AuditEvent).filter_by(action="user.password_changed").count() == 0


def test_wrong_current_password_keeps_what_was_typed_elsewhere(client):
    login(client, make_user())
    response = change_password(client, "forkert-gæt-1")
    html = response.get_data(as_text=True)
    assert 'id="current_password-error"' in html
    assert "forkert-gæt-1" not in html


def test_new_password_equal_to_a_wrong_current_one_is_not_counted(client):
    user = make_user()
    login(client, user)
    response = change_password(client, NEW_PASSWORD, new=NEW_PASSWORD)
    assert response.status_code == 422
    assert "skal være en anden end den nuværende" in response.get_data(as_text=True)
    assert db.session.get(User, user.id).failed_logins == 0


@pytest.mark.parametrize("app_overrides", [{"RATELIMIT_ENABLED": True}])
def test_the_password_form_is_rate_limited(client):
    user = make_user()
    login(client, user)
    for attempt in range(10):
        assert change_password(client, f"forkert-gæt-{attempt}").status_code == 422
    response = change_password(client, PASSWORD)
    assert response.status_code == 429
    assert "For mange forsøg" in response.get_data(as_text=True)
    assert client.get("/intern/konto").status_code == 200  # reading the page is not limited


# --- Limits shared by every worker and instance ----------------------------------------------


@pytest.fixture
def two_instances(app, tmp_path, postgres_schema, app_overrides):
    """Two more instances on the test's database, as two gunicorn workers or servers would be.
    Each request gets its own database session there, as in production."""
    from conftest import make_app

    instances = [make_app(tmp_path, postgres_schema, **app_overrides) for _ in range(2)]
    yield instances
    for instance in instances:
        with instance.app_context():
            db.engine.dispose()


@pytest.mark.parametrize("app_overrides", [{"RATELIMIT_ENABLED": True}])
def test_the_login_limit_holds_across_two_instances_on_one_database(two_instances):
    from app.extensions import limiter

    first, second = (instance.test_client() for instance in two_instances)
    data = {"email": "ingen@kommune.dk", "password": "forkert-hest-batteri"}
    for client in (first, second) * (services.LOGIN_FAILURES_PER_CLIENT // 2):
        assert client.post("/intern/login", data=data).status_code == 422
        # Each worker process has its own memory://; here one process plays both, so wipe it.
        limiter.reset()
    for client in (first, second):
        response = client.post("/intern/login", data=data)
        assert response.status_code == 429
        html = response.get_data(as_text=True)
        assert "For mange forsøg fra din forbindelse" in html
        assert 'value="ingen@kommune.dk"' in html  # the form comes back with what was typed
    # Another address is counted on its own.
    response = first.post("/intern/login", data=data, environ_base={"REMOTE_ADDR": "10.0.0.2"})
    assert response.status_code == 422


@pytest.mark.parametrize("app_overrides", [{"RATELIMIT_ENABLED": True}])
def test_a_right_password_is_refused_while_the_client_is_limited(two_instances):
    user = make_user()
    first, second = (instance.test_client() for instance in two_instances)
    for client in (first, second) * (services.LOGIN_FAILURES_PER_CLIENT // 2):
        client.post("/intern/login", data={"email": "ingen@kommune.dk", "password": "forkert-hest"})
    assert login(second, user).status_code == 429
    assert db.session.get(User, user.id).failed_logins == 0  # no password was checked


def test_the_account_lock_holds_across_two_instances_on_one_database(two_instances):
    user = make_user()
    first, second = (instance.test_client() for instance in two_instances)
    for number, client in enumerate((first, second) * (services.MAX_FAILED_LOGINS // 2)):
        assert login(client, user, password=f"forkert-nummer-{number}").status_code == 422
    assert login(first, user).status_code == 422
    assert login(second, user).status_code == 422
    db.session.expire_all()
    assert db.session.get(User, user.id).locked_until is not None


@pytest.mark.parametrize("app_overrides", [{"RATELIMIT_ENABLED": True}])
def test_old_refused_logins_stop_counting_and_are_pruned(app, client):
    from app.accounts.models import FailedAttempt

    data = {"email": "ingen@kommune.dk", "password": "forkert-hest-batteri"}
    for _ in range(services.LOGIN_FAILURES_PER_CLIENT):
        client.post("/intern/login", data=data)
    assert client.post("/intern/login", data=data).status_code == 429
    db.session.query(FailedAttempt).update(
        {FailedAttempt.at: utcnow() - services.LOGIN_FAILURE_WINDOW - timedelta(seconds=1)}
    )
    db.session.commit()
    assert client.post("/intern/login", data=data).status_code == 422
    assert db.session.query(FailedAttempt).count() == 1
    assert "127.0.0.1" not in {row.client_hash for row in db.session.query(FailedAttempt)}
