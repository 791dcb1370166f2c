"""Small helpers to make organisations and users and to log in. Each commits what it makes.

Typical use: ``user = make_user(make_org("Aarhus Kommune"), role="admin")`` and then
``login(client, user)``; every user gets the password PASSWORD unless told otherwise.
"""

from __future__ import annotations

import itertools
import re
from unittest import mock

from app.accounts import passwords, services
from app.accounts.models import Organisation, User
from app.extensions import db

PASSWORD = "korrekt-hest-batteri-9"

_numbers = itertools.count(1)

# Hashing a password is argon2id at OWASP's minimum (19 MiB, two passes): about 50 ms, and a test
# that signs makes three users or more. The users made here share one hash per password and
# parameters, so each is computed once per process; it is a real hash of that password with
# today's parameters (logging in verifies it in full). Accounts made through the app still get
# their own salt.
_hashes: dict[tuple, str] = {}


def _hash_once(password: str) -> str:
    key = (passwords.normalise(password), tuple(sorted(passwords.argon2_params().items())))
    if key not in _hashes:
        _hashes[key] = _hash_password(password)
    return _hashes[key]


_hash_password = passwords.hash_password


def make_org(name: str | None = None) -> Organisation:
    organisation = services.create_organisation(name or f"Testkommune {next(_numbers)}")
    db.session.commit()
    return organisation


def make_user(
    org: Organisation | None = None,
    role: str = "editor",
    email: str | None = None,
    password: str = PASSWORD,
    name: str | None = None,
    title: str = "Konsulent",
    active: bool = True,
) -> User:
    number = next(_numbers)
    organisation = org or make_org()
    with mock.patch.object(passwords, "hash_password", _hash_once):
        user = services.create_user(
            organisation,
            email or f"bruger{number}@example.dk",
            name or f"Bruger Nummer {number}",
            title,
            role,
            password,
        )
    user.active = active
    db.session.commit()
    return user


def login(client, user: User, password: str = PASSWORD):
    """Log in through the login form; returns the response (a redirect when it worked)."""
    return client.post("/intern/login", data={"email": user.email, "password": password})


def log_in(page, user: User, password: str = PASSWORD) -> None:
    """Log in through the login page in a browser (Playwright) and wait for the board's front page."""
    page.goto("/intern/login")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url("**/intern/")


def hidden(html: str, name: str) -> str:
    """The value of a form's hidden field in a page (row_version, base, record_sha256, …)."""
    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', html
    )
    assert match, f"no hidden field {name}"
    return match.group(1).replace("&#34;", '"').replace("&quot;", '"')
