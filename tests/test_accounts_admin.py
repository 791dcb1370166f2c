"""The administrators' user pages, one's own account, and the account services' rules."""

import re

import pytest
from factories import PASSWORD, login, make_org, make_user

from app.accounts import services
from app.accounts.models import Role, User
from app.audit.models import AuditEvent
from app.extensions import db

NEW_USER = {
    "email": "ny.bruger@kommune.dk",
    "name": "Ny Bruger",
    "title": "Udvalgsformand",
    "role": "member",
    "password": "lang-nok-og-ukendt-9",
    "password_repeat": "lang-nok-og-ukendt-9",
}


@pytest.fixture
def admin(client):
    user = make_user(make_org("Aarhus Kommune"), role="admin", name="Anne Admin")
    login(client, user)
    return user


def html_of(response):
    return response.get_data(as_text=True)


# --- Access -----------------------------------------------------------------------------------

ADMIN_PAGES = [
    ("get", "/intern/admin/brugere"),
    ("get", "/intern/admin/brugere/ny"),
    ("post", "/intern/admin/brugere/ny"),
    ("get", "/intern/admin/brugere/{id}"),
    ("post", "/intern/admin/brugere/{id}/rolle"),
    ("post", "/intern/admin/brugere/{id}/deaktiver"),
    ("post", "/intern/admin/brugere/{id}/aktiver"),
]


@pytest.mark.parametrize("role", ["editor", "member"])
@pytest.mark.parametrize(("method", "url"), ADMIN_PAGES)
def test_editors_and_members_get_403(client, role, method, url):
    user = make_user(role=role)
    login(client, user)
    response = getattr(client, method)(url.format(id=user.id), data={"role": "admin"})
    assert response.status_code == 403
    assert "Ingen adgang" in html_of(response)
    assert db.session.get(User, user.id).role == role


@pytest.mark.parametrize(("method", "url"), ADMIN_PAGES)
def test_visitors_are_sent_to_login(client, method, url):
    response = getattr(client, method)(url.format(id=1))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/intern/login")


@pytest.mark.parametrize(("method", "url"), [p for p in ADMIN_PAGES if "{id}" in p[1]])
def test_admin_cannot_reach_another_organisations_user(client, admin, method, url):
    other = make_user(make_org("Odense Kommune"), role="admin", name="Olga Odense")
    response = getattr(client, method)(url.format(id=other.id), data={"role": "member"})
    assert response.status_code == 404
    other = db.session.get(User, other.id)
    assert other.role == "admin" and other.active


def test_user_list_shows_only_own_organisation(client, admin):
    make_user(admin.organisation, name="Bent Sekretær", role="editor")
    make_user(make_org("Odense Kommune"), name="Olga Odense")
    html = html_of(client.get("/intern/admin/brugere"))
    assert "Bent Sekretær" in html and "Anne Admin" in html
    assert "Olga Odense" not in html
    assert "Sekretariat" in html and "Administrator" in html


# --- Creating users ---------------------------------------------------------------------------


def test_admin_creates_a_user_in_their_own_organisation(client, admin):
    response = client.post("/intern/admin/brugere/ny", data=NEW_USER)
    assert response.status_code == 302
    assert response.headers["Location"] == "/intern/admin/brugere"
    user = services.get_user_by_email("ny.bruger@kommune.dk")
    assert user.organisation_id == admin.organisation_id
    assert user.role == "member" and user.title == "Udvalgsformand"
    assert user.password_hash.startswith("$argon2id$")
    assert "Brugeren Ny Bruger er oprettet." in html_of(client.get(response.headers["Location"]))
    event = db.session.query(AuditEvent).filter_by(action="user.created", user_id=admin.id).one()
    assert event.detail["target_user_id"] == user.id and event.organisation_id == admin.organisation_id


def test_email_is_stored_in_lower_case(client, admin):
    client.post("/intern/admin/brugere/ny", data={**NEW_USER, "email": " Ny.Bruger@Kommune.DK "})
    assert services.get_user_by_email("ny.bruger@kommune.dk") is not None


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"email": ""}, "email", "Udfyld feltet."),
        ({"name": "   "}, "name", "Udfyld feltet."),
        ({"title": ""}, "title", "Udfyld feltet."),
        ({"name": "N" * 121}, "name", "Højst 120 tegn."),
        ({"title": "T" * 121}, "title", "Højst 120 tegn."),
        ({"email": "a" * 250 + "@x.dk"}, "email", "Højst 254 tegn."),
        ({"email": "ikke-en-adresse"}, "email", "Skriv en gyldig e-mailadresse."),
        ({"role": "superuser"}, "role", "Vælg en af mulighederne."),
        ({"password": "kort-kode", "password_repeat": "kort-kode"}, "password", "mindst 12 tegn"),
        (
            {"password": "password1234", "password_repeat": "password1234"},
            "password",
            "for almindelig",
        ),
        (
            {"password_repeat": "noget-helt-andet-9"},
            "password_repeat",
            "De to adgangskoder er ikke ens.",
        ),
    ],
)
def test_bad_input_gives_danish_messages_and_keeps_what_was_typed(client, admin, changes, field, message):
    data = {**NEW_USER, **changes}
    response = client.post("/intern/admin/brugere/ny", data=data)
    html = html_of(response)
    assert response.status_code == 422
    assert message in html
    assert f'href="#{field}"' in html  # the error summary links to the field
    assert f'id="{field}-error"' in html
    for kept in ("email", "name", "title"):
        if kept != field and data[kept].strip():
            assert f'value="{data[kept].strip()}"' in html
    assert NEW_USER["password"] not in html
    assert db.session.query(User).count() == 1


def test_duplicate_email_is_refused_even_across_organisations(client, admin):
    make_user(make_org("Odense Kommune"), email="ny.bruger@kommune.dk")
    response = client.post("/intern/admin/brugere/ny", data={**NEW_USER, "email": "NY.bruger@kommune.dk"})
    html = html_of(response)
    assert response.status_code == 422
    assert "Der findes allerede en bruger med denne e-mailadresse." in html
    assert 'value="Ny Bruger"' in html


def test_an_address_in_another_municipality_is_refused_as_one_in_ones_own(client, admin, caplog):
    """Issue 15 item 9: the admin learns that the address is in use, never where (SECURITY.md)."""
    make_user(make_org("Odense Kommune"), email="anden@kommune.dk", name="Ole Odense")
    make_user(admin.organisation, email="egen@kommune.dk")
    client.get("/intern/admin/brugere")  # shows the login's flash message
    answers = []
    for email in ("anden@kommune.dk", "egen@kommune.dk"):
        response = client.post("/intern/admin/brugere/ny", data={**NEW_USER, "email": email})
        assert response.status_code == 422
        # the CSRF tokens carry the second they were made in; two requests may straddle one
        page = re.sub(r'(name="csrf_token"[^>]*value=")[^"]*', r"\1CSRF", html_of(response))
        answers.append(page.replace(email, "ADDRESS"))
    assert answers[0] == answers[1]
    assert "Odense" not in answers[0] and "Ole" not in answers[0]
    assert db.session.query(User).filter_by(name="Ny Bruger").count() == 0
    refusals = [r for r in caplog.records if "e-mail address is in use" in r.getMessage()]
    assert len(refusals) == 2  # each try is in the log, for whoever reviews the admins


# --- Roles and deactivation -------------------------------------------------------------------


def test_admin_changes_a_role(client, admin):
    user = make_user(admin.organisation, role="member")
    response = client.post(f"/intern/admin/brugere/{user.id}/rolle", data={"role": "editor"})
    assert response.status_code == 302
    assert db.session.get(User, user.id).role == "editor"
    event = db.session.query(AuditEvent).filter_by(action="user.role_changed").one()
    assert event.detail == {"target_user_id": user.id, "old": "member", "new": "editor"}
    html = html_of(client.get(response.headers["Location"]))
    assert "har nu rollen sekretariat" in html


def test_invalid_role_is_refused_with_a_danish_message(client, admin):
    user = make_user(admin.organisation, role="member")
    response = client.post(f"/intern/admin/brugere/{user.id}/rolle", data={"role": "gud"})
    assert response.status_code == 422
    assert "Vælg en af mulighederne." in html_of(response)
    assert db.session.get(User, user.id).role == "member"


def test_the_last_admin_cannot_be_demoted(client, admin):
    response = client.post(f"/intern/admin/brugere/{admin.id}/rolle", data={"role": "editor"})
    assert response.status_code == 422
    assert services.LAST_ADMIN in html_of(response)
    assert db.session.get(User, admin.id).role == "admin"


def test_an_admin_may_step_down_when_another_admin_remains(client, admin):
    make_user(admin.organisation, role="admin")
    response = client.post(f"/intern/admin/brugere/{admin.id}/rolle", data={"role": "editor"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/intern/"
    assert db.session.get(User, admin.id).role == "editor"
    assert client.get("/intern/admin/brugere").status_code == 403


def test_the_last_admin_cannot_be_deactivated(client, admin):
    response = client.post(f"/intern/admin/brugere/{admin.id}/deaktiver", follow_redirects=True)
    assert services.LAST_ADMIN in html_of(response)
    assert db.session.get(User, admin.id).active is True


def test_an_inactive_admin_does_not_count_as_the_other_admin(app):
    org = make_org()
    only_active = make_user(org, role="admin")
    make_user(org, role="admin", active=False)
    with pytest.raises(services.AccountError, match="mindst én aktiv administrator"):
        services.change_role(only_active, Role.MEMBER)


def test_deactivate_and_reactivate_keep_the_user(client, admin):
    user = make_user(admin.organisation, role="editor")
    response = client.post(f"/intern/admin/brugere/{user.id}/deaktiver")
    assert response.status_code == 302
    user = db.session.get(User, user.id)
    assert user.active is False and user.session_version == 2
    assert "er deaktiveret" in html_of(client.get(response.headers["Location"]))

    client.post(f"/intern/admin/brugere/{user.id}/aktiver")
    user = db.session.get(User, user.id)
    assert user.active is True
    actions = [e.action for e in db.session.query(AuditEvent).order_by(AuditEvent.id)]
    assert actions[-2:] == ["user.deactivated", "user.reactivated"]


def test_user_page_shows_role_form_and_deactivate_button(client, admin):
    user = make_user(admin.organisation, role="member", name="Mette Medlem")
    html = html_of(client.get(f"/intern/admin/brugere/{user.id}"))
    assert "<h1>Mette Medlem</h1>" in html
    assert '<option selected value="member">Udvalgsmedlem</option>' in html
    assert f'action="/intern/admin/brugere/{user.id}/deaktiver"' in html


# --- Own account ------------------------------------------------------------------------------


def test_change_own_password_ends_other_sessions_but_keeps_this_one(app, client):
    user = make_user()
    other_device = app.test_client()
    login(client, user)
    login(other_device, user)
    response = client.post(
        "/intern/konto",
        data={
            "current_password": PASSWORD,
            "new_password": "nyt-og-langt-kodeord-7",
            "new_password_repeat": "nyt-og-langt-kodeord-7",
        },
    )
    assert response.status_code == 302
    assert db.session.get(User, user.id).session_version == 2
    assert client.get("/intern/konto").status_code == 200
    assert other_device.get("/intern/konto").status_code == 302
    assert login(other_device, user, password=PASSWORD).status_code == 422
    assert login(other_device, user, password="nyt-og-langt-kodeord-7").status_code == 302


@pytest.mark.parametrize(
    ("current", "new", "repeat", "message"),
    [
        (
            "forkert-kodeord-1",
            "nyt-og-langt-kodeord-7",
            "nyt-og-langt-kodeord-7",
            "Den nuværende adgangskode er forkert.",
        ),
        (PASSWORD, "kort", "kort", "mindst 12 tegn"),
        (
            PASSWORD,
            "nyt-og-langt-kodeord-7",
            "nyt-og-langt-kodeord-8",
            "De to adgangskoder er ikke ens.",
        ),
        (PASSWORD, PASSWORD, PASSWORD, "en anden end den nuværende"),
        (PASSWORD, "p" * 129, "p" * 129, "højst være 128 tegn"),
    ],
)
def test_change_own_password_refusals(client, current, new, repeat, message):
    user = make_user()
    login(client, user)
    response = client.post(
        "/intern/konto",
        data={"current_password": current, "new_password": new, "new_password_repeat": repeat},
    )
    assert response.status_code == 422
    assert message in html_of(response)
    assert db.session.get(User, user.id).session_version == 1


def test_set_password_bumps_session_version_and_logs_out_old_sessions(app, client):
    user = make_user()
    login(client, user)
    services.set_password(user, "helt-nyt-kodeord-42")
    db.session.commit()
    assert db.session.get(User, user.id).session_version == 2
    assert client.get("/intern/konto").status_code == 302
    assert db.session.query(AuditEvent).filter_by(action="user.password_changed").count() == 1


# --- Organisations ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Aarhus Kommune", "aarhus-kommune"),
        ("Ærø Kommune", "aeroe-kommune"),
        ("Århus  Kommune", "aarhus-kommune"),
        ("Høje-Taastrup Kommune", "hoeje-taastrup-kommune"),
        ("Lyngby-Taarbæk Kommune", "lyngby-taarbaek-kommune"),
        ("Bornholms Regionskommune!", "bornholms-regionskommune"),
    ],
)
def test_organisation_slug_from_danish_name(app, name, slug):
    assert services.create_organisation(name).slug == slug


def test_organisation_slugs_are_unique_and_names_too(app):
    assert services.create_organisation("Aarhus Kommune").slug == "aarhus-kommune"
    assert services.create_organisation("Århus Kommune").slug == "aarhus-kommune-2"
    with pytest.raises(services.AccountError, match="findes allerede"):
        services.create_organisation("aarhus kommune")
    with pytest.raises(services.AccountError, match="navn"):
        services.create_organisation("   ")


def test_the_admin_sees_that_a_user_is_locked(client, admin):
    """The login page does not tell a locked account from a wrong password; the admin page does."""
    from datetime import timedelta

    from app.core.time import utcnow

    user = make_user(admin.organisation, role="member")
    assert "låst efter for mange" not in html_of(client.get(f"/intern/admin/brugere/{user.id}"))
    user.locked_until = utcnow() + timedelta(minutes=10)
    db.session.commit()
    html = html_of(client.get(f"/intern/admin/brugere/{user.id}"))
    assert "Aktiv, låst efter for mange forkerte adgangskoder indtil" in html
