"""Rules for organisations, users and login. Services change state, flush and audit; they never
commit (the view or command that called them does)."""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select

from app.accounts import passwords
from app.accounts.models import FailedAttempt, Organisation, Role, User
from app.audit.services import SYSTEM, SystemActor, record
from app.core.time import utcnow
from app.core.transactions import record_now
from app.core.wiring import contributions
from app.extensions import db

MAX_FAILED_LOGINS = 10
LOCKOUT = timedelta(minutes=15)
# Refused logins per client address and window, counted in the database (FailedAttempt), so
# that every worker and every instance on the same database shares one count.
LOGIN_FAILURES_PER_CLIENT = 10
LOGIN_FAILURE_WINDOW = timedelta(minutes=1)

# The login page's one answer to a wrong password, an unknown e-mail and a locked account alike:
# telling them apart would tell a stranger which addresses have an account (see SECURITY.md).
WRONG_CREDENTIALS = _l(
    "Forkert e-mail eller adgangskode. Efter 10 forkerte forsøg i træk er kontoen låst i "
    "15 minutter, også for den rigtige adgangskode."
)
# For a person who is already logged in (signing, changing the password): no one to hide it from.
LOCKED = _l("Kontoen er midlertidigt låst efter for mange forkerte forsøg. Prøv igen om 15 minutter.")
WRONG_CURRENT_PASSWORD = _l("Den nuværende adgangskode er forkert.")
TOO_MANY_FROM_CLIENT = _l("For mange forsøg fra din forbindelse. Vent et minut, og prøv igen.")
INACTIVE = _l("Kontoen er deaktiveret. Kontakt din organisations administrator.")
# Plain Danish text (tests look for it in pages); raised in the interface language by last_admin().
LAST_ADMIN = "Organisationen skal have mindst én aktiv administrator."


def last_admin() -> str:
    return _("Organisationen skal have mindst én aktiv administrator.")


NAME_MAX = 120
TITLE_MAX = 120
EMAIL_MAX = 254
SLUG_MAX = 64


class AccountError(Exception):
    """A rule refused the change. The message is meant for the person, in the interface language
    of the request (Danish on the command line); ``field`` names the form field it belongs to,
    if any. A lazy message is turned into plain text when the error is raised."""

    def __init__(self, message, field: str | None = None):
        message = str(message)
        super().__init__(message)
        self.message = message
        self.field = field


class LoginRefused(AccountError):
    """Login refused; the message never tells an unknown e-mail from a wrong password."""


class TooManyAttempts(LoginRefused):
    """This client has had too many refused logins in the window; no password was checked."""


# --- Organisations ------------------------------------------------------------------------

_DANISH_LETTERS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "ae", "Ø": "oe", "Å": "aa"})


def slugify(text: str) -> str:
    """A URL-safe name: "Aarhus Kommune" → "aarhus-kommune", "Ærø Kommune" → "aeroe-kommune"."""
    text = text.translate(_DANISH_LETTERS)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:SLUG_MAX].strip("-")


def create_organisation(name: str, *, actor: User | SystemActor = SYSTEM) -> Organisation:
    name = " ".join((name or "").split())
    if not name:
        raise AccountError(_("Skriv organisationens navn."), field="name")
    if len(name) > NAME_MAX:
        raise AccountError(_("Navnet må højst være %(max)s tegn.", max=NAME_MAX), field="name")
    if db.session.scalar(select(Organisation.id).where(func.lower(Organisation.name) == name.lower())):
        raise AccountError(_("Der findes allerede en organisation med navnet „%(name)s“.", name=name), field="name")
    base = slugify(name) or "organisation"
    slug, number = base, 1
    while db.session.scalar(select(Organisation.id).where(Organisation.slug == slug)):
        number += 1
        suffix = f"-{number}"
        slug = base[: SLUG_MAX - len(suffix)] + suffix
    organisation = Organisation(name=name, slug=slug)
    db.session.add(organisation)
    db.session.flush()
    record(
        "organisation.created",
        f"Organisationen {name} er oprettet.",
        organisation_id=organisation.id,
        user=actor,
        slug=slug,
    )
    return organisation


def get_organisation_by_slug(slug: str) -> Organisation | None:
    return db.session.scalar(select(Organisation).where(Organisation.slug == (slug or "").strip()))


# --- Users --------------------------------------------------------------------------------


def normalise_email(email: str | None) -> str:
    return (email or "").strip().lower()


def get_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def get_user_in_organisation(user_id: int, organisation_id: int) -> User | None:
    """A user of this organisation, or None: another organisation's users do not exist here."""
    return db.session.scalar(select(User).where(User.id == user_id, User.organisation_id == organisation_id))


def users_of_organisation(organisation_id: int) -> list[User]:
    return list(
        db.session.scalars(select(User).where(User.organisation_id == organisation_id).order_by(User.name, User.id))
    )


def _role(role) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise AccountError(_("Vælg en af rollerne."), field="role") from None


def _check_password(password: str, *, personal: tuple[str, ...], field: str) -> None:
    problems = passwords.validate_password_policy(password, personal=personal)
    if problems:
        raise AccountError(passwords.message_text(problems), field=field)


def create_user(
    organisation: Organisation,
    email: str,
    name: str,
    title: str,
    role,
    password: str,
    *,
    actor: User | SystemActor = SYSTEM,
) -> User:
    email = normalise_email(email)
    name = " ".join((name or "").split())
    title = " ".join((title or "").split())
    if not email:
        raise AccountError(_("Skriv en e-mailadresse."), field="email")
    if len(email) > EMAIL_MAX:
        raise AccountError(_("E-mailadressen må højst være %(max)s tegn.", max=EMAIL_MAX), field="email")
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        raise AccountError(_("Skriv en gyldig e-mailadresse."), field="email") from None
    if not name:
        raise AccountError(_("Skriv brugerens navn."), field="name")
    if len(name) > NAME_MAX:
        raise AccountError(_("Navnet må højst være %(max)s tegn.", max=NAME_MAX), field="name")
    if len(title) > TITLE_MAX:
        raise AccountError(_("Titlen må højst være %(max)s tegn.", max=TITLE_MAX), field="title")
    role = _role(role)
    _check_password(password, personal=(email, name), field="password")
    if get_user_by_email(email) is not None:
        # E-mail addresses are unique across municipalities (they are the login), so an admin
        # learns that the address is in use somewhere, never where (trade-off in SECURITY.md).
        current_app.logger.warning(
            "User creation refused: the e-mail address is in use (organisation %s)", organisation.id
        )
        raise AccountError(_("Der findes allerede en bruger med denne e-mailadresse."), field="email")

    user = User(
        organisation_id=organisation.id,
        email=email,
        name=name,
        title=title,
        role=role.value,
        password_hash=passwords.hash_password(password),
    )
    db.session.add(user)
    _account_event(
        user,
        "user.created",
        f"Brugeren {name} er oprettet som {role.danish_label.lower()}.",
        actor=actor,
        email=email,
        role=role.value,
    )
    return user


def _account_event(user: User, event: str, text: str, *, actor: User | SystemActor, **details) -> None:
    """A change to a user's account, flushed and written in the audit log as done by `actor`."""
    db.session.flush()
    record(event, text, organisation_id=user.organisation_id, user=actor, target_user_id=user.id, **details)


def _unlock(user: User) -> None:
    """Forget failed logins and any lock they caused."""
    user.failed_logins = 0
    user.locked_until = None


def _active_admin_count(organisation_id: int) -> int:
    return db.session.scalar(
        select(func.count(User.id)).where(
            User.organisation_id == organisation_id,
            User.role == Role.ADMIN.value,
            User.active.is_(True),
        )
    )


def _is_last_active_admin(user: User) -> bool:
    return user.active and user.role == Role.ADMIN and _active_admin_count(user.organisation_id) <= 1


def change_role(user: User, role, *, actor: User | SystemActor = SYSTEM) -> None:
    role = _role(role)
    if role.value == user.role:
        return
    if role != Role.ADMIN and _is_last_active_admin(user):
        raise AccountError(last_admin(), field="role")
    old = user.role_enum
    user.role = role.value
    _account_event(
        user,
        "user.role_changed",
        f"{user.name} har skiftet rolle fra {old.danish_label.lower()} til {role.danish_label.lower()}.",
        actor=actor,
        old=old.value,
        new=role.value,
    )


def deactivate(user: User, *, actor: User | SystemActor = SYSTEM) -> None:
    """The user can no longer log in and their sessions end; they and their work are kept."""
    if not user.active:
        return
    if _is_last_active_admin(user):
        raise AccountError(last_admin())
    user.active = False
    user.session_version += 1
    _account_event(user, "user.deactivated", f"{user.name} er deaktiveret.", actor=actor)


def reactivate(user: User, *, actor: User | SystemActor = SYSTEM) -> None:
    if user.active:
        return
    user.active = True
    _unlock(user)
    _account_event(user, "user.reactivated", f"{user.name} er aktiveret igen.", actor=actor)


def set_password(user: User, new_password: str, *, actor: User | SystemActor = SYSTEM) -> None:
    """Store a new password and end every existing session of the user (session_version)."""
    _check_password(new_password, personal=(user.email, user.name), field="new_password")
    user.password_hash = passwords.hash_password(new_password)
    user.session_version += 1
    _unlock(user)
    _account_event(user, "user.password_changed", f"Adgangskoden for {user.name} er ændret.", actor=actor)


def change_own_password(user: User, current_password: str, new_password: str) -> None:
    """The logged-in person changes their password; the current one must be right.

    A wrong current password counts toward the same lock-out as login and signing, and a locked
    account cannot change its password: a stolen session cannot guess its way to the account.
    Raises LoginRefused for a wrong password or a lock (the count is kept already) and
    AccountError for anything else.
    """
    # Compared before the password is checked, so that this answer tells nothing about it.
    if passwords.normalise(new_password or "") == passwords.normalise(current_password or ""):
        raise AccountError(_("Den nye adgangskode skal være en anden end den nuværende."), field="new_password")
    _check_password_counting(
        user,
        current_password,
        utcnow(),
        wrong=WRONG_CURRENT_PASSWORD,
        locked=LOCKED,
        field="current_password",
    )
    set_password(user, new_password, actor=user)


def end_sessions(user: User) -> None:
    """Log out: every session of the user ends on the server, including any copy of the
    cookie, because the session_version it carries no longer matches (access.load_user)."""
    user.session_version = User.session_version + 1  # in SQL: parallel bumps both count
    db.session.flush()
    record("user.logout", f"{user.name} er logget ud.", organisation_id=user.organisation_id, user=user)


# --- Login --------------------------------------------------------------------------------


def _check_password_counting(
    user: User,
    password: str,
    now,
    *,
    wrong=WRONG_CREDENTIALS,
    locked=WRONG_CREDENTIALS,
    field: str | None = None,
) -> str | None:
    """The shared core of login and of a fresh password check: honour the lock, count a wrong
    password, lock after MAX_FAILED_LOGINS in a row. Returns the upgraded hash of an outdated
    one (or None), for _accept_password once every other check has passed.

    ``wrong`` and ``locked`` are the refusals' messages. At login both are the one generic
    message, and a lock takes as long to answer as a wrong password. The count is committed at
    once (app.core.transactions.record_now), so the refusal that follows does not undo it.
    """
    if user.locked_until is not None and user.locked_until > now:
        passwords.spend_verify_time(password or "")
        raise LoginRefused(locked, field=field)
    matches, new_hash = passwords.verify_password(user.password_hash, password or "")
    if not matches:
        current_app.logger.info("Password refused for user %s", user.id)
        if record_now(lambda: _count_wrong_password(user, now)):
            raise LoginRefused(locked, field=field)
        raise LoginRefused(wrong, field=field)
    if not user.active:
        raise LoginRefused(INACTIVE)
    return new_hash


def _count_wrong_password(user: User, now) -> bool:
    """One more wrong password, counted in SQL, so that parallel attempts cannot overwrite each
    other's count; the MAX_FAILED_LOGINS-th locks the account. True when it locked it."""
    user.failed_logins = User.failed_logins + 1
    db.session.flush()
    db.session.refresh(user, ["failed_logins"])
    if user.failed_logins < MAX_FAILED_LOGINS:
        return False
    user.failed_logins = 0
    user.locked_until = now + LOCKOUT
    db.session.flush()
    record(
        "user.locked",
        f"{user.name} er midlertidigt låst efter {MAX_FAILED_LOGINS} forkerte forsøg.",
        organisation_id=user.organisation_id,
        user=user,
        until=user.locked_until.isoformat(),
    )
    return True


def _accept_password(user: User, new_hash: str | None) -> None:
    """A right password that every check accepted: forget the failed ones, upgrade the hash."""
    _unlock(user)
    if new_hash is not None:
        user.password_hash = new_hash


def authenticate(email: str, password: str, *, client: str | None = None) -> User:
    """The user with this e-mail and password, or LoginRefused with a message for the person.

    Counts failed attempts per account and locks it for LOCKOUT after MAX_FAILED_LOGINS in a
    row. With ``client`` (the sender's address), also refuses with TooManyAttempts once that
    client has had LOGIN_FAILURES_PER_CLIENT refused logins within LOGIN_FAILURE_WINDOW. The
    counts are committed when they are made (record_now), so a refusal keeps them.
    """
    if client is None:
        return _authenticate(email, password)
    client_hash = _client_hash(client)
    if _recent_failures("login", client_hash, LOGIN_FAILURE_WINDOW) >= LOGIN_FAILURES_PER_CLIENT:
        current_app.logger.info("Login refused: too many failures from this client")
        raise TooManyAttempts(TOO_MANY_FROM_CLIENT)
    try:
        return _authenticate(email, password)
    except LoginRefused:
        _count_failure("login", client_hash, LOGIN_FAILURE_WINDOW)
        raise


def _authenticate(email: str, password: str) -> User:
    user = get_user_by_email(email)
    if user is None:
        passwords.spend_verify_time(password or "")
        current_app.logger.info("Login refused: unknown e-mail")
        raise LoginRefused(WRONG_CREDENTIALS)
    now = utcnow()
    new_hash = _check_password_counting(user, password, now)
    # Checks run after a right password, each giving a refusal or None, wired in app/wiring.py:
    # single sign-on's (in its municipalities only administrators use passwords). A refusal here
    # writes nothing but the client's count (record_now), so it runs before the password counts
    # as accepted.
    for guard in contributions("accounts.password_login_guards"):
        refusal = guard(user)
        if refusal:
            raise LoginRefused(refusal)
    _accept_password(user, new_hash)
    user.last_login_at = now
    db.session.flush()
    record("user.login", f"{user.name} er logget ind.", organisation_id=user.organisation_id, user=user)
    return user


def confirm_password(user: User, password: str) -> None:
    """A fresh password check of the logged-in user (e.g. before signing): the same lock and
    count as login, but no login is recorded. Raises LoginRefused; a wrong password has been
    counted toward the lock-out already (record_now)."""
    _accept_password(user, _check_password_counting(user, password, utcnow(), locked=LOCKED))
    db.session.flush()


# --- Limits shared by every worker: refused attempts counted in the database ---------------


def _client_hash(client: str) -> str:
    """A keyed hash of the client's address: enough to count its attempts, not to find it."""
    key = hashlib.sha256(b"etikdialog-login-client:" + current_app.config["SECRET_KEY"].encode())
    return hmac.new(key.digest(), (client or "ukendt").encode(), hashlib.sha256).hexdigest()


def _limits_enabled() -> bool:
    # One switch with Flask-Limiter's coarse limits (the test suite turns both off).
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def _recent_failures(scope: str, client_hash: str, window: timedelta) -> int:
    if not _limits_enabled():
        return 0
    return db.session.scalar(
        select(func.count(FailedAttempt.id)).where(
            FailedAttempt.scope == scope,
            FailedAttempt.client_hash == client_hash,
            FailedAttempt.at >= utcnow() - window,
        )
    )


def _count_failure(scope: str, client_hash: str, window: timedelta) -> None:
    """Record one refused attempt and drop the ones too old to count (of every client)."""
    if not _limits_enabled():
        return
    now = utcnow()

    def count() -> None:
        db.session.execute(delete(FailedAttempt).where(FailedAttempt.scope == scope, FailedAttempt.at < now - window))
        db.session.add(FailedAttempt(scope=scope, client_hash=client_hash, at=now))

    record_now(count)  # committed now: the refusal that follows does not undo the count
