"""Password hashing (argon2id) and the password policy.

The policy follows NIST SP 800-63B and OWASP: 12 to 128 characters, no composition rules, and a
refusal of common and easily guessed passwords from a shipped list.

Argon2id parameters come from ``app.config["ARGON2_PARAMS"]`` (a dict with time_cost,
memory_cost in KiB and parallelism) when set; otherwise production uses PRODUCTION_PARAMS and
the test suite (``app.testing``) uses TESTING_PARAMS, OWASP's minimum, to stay fast. Nothing
below OWASP's minimum is ever accepted.
"""

from __future__ import annotations

import contextlib
import unicodedata
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l

from app.config import ARGON2_BOUNDS

MIN_LENGTH = 12
MAX_LENGTH = 128
# Never a valid argon2 hash, so verify_password refuses every password: an account restored
# without its hash, or a benchmark's bulk user, cannot log in until a new password is set.
UNUSABLE_HASH = "!"  # noqa: S105

# OWASP Password Storage Cheat Sheet: argon2id with at least m=19 MiB, t=2, p=1 (app/config.py).
OWASP_MINIMUM = {name: low for name, (low, _high) in ARGON2_BOUNDS.items()}
PRODUCTION_PARAMS = {"time_cost": 3, "memory_cost": 65536, "parallelism": 4}
TESTING_PARAMS = dict(OWASP_MINIMUM)

COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")

# The policy's objections, in the interface language (lazy strings: join them with str()).
TOO_SHORT = _l("Adgangskoden skal være mindst %(min)s tegn.", min=MIN_LENGTH)
TOO_LONG = _l("Adgangskoden må højst være %(max)s tegn.", max=MAX_LENGTH)
TOO_COMMON = _l("Adgangskoden er for almindelig og let at gætte. Vælg en anden, fx en sætning af flere ord.")
TOO_PERSONAL = _l("Adgangskoden må ikke være din e-mailadresse eller dit navn.")


def argon2_params() -> dict:
    """The argon2id parameters for the current app; refuses anything below OWASP's minimum."""
    configured = None
    testing = False
    if has_app_context():
        configured = current_app.config.get("ARGON2_PARAMS")
        testing = current_app.testing
    params = dict(configured or (TESTING_PARAMS if testing else PRODUCTION_PARAMS))
    for name, minimum in OWASP_MINIMUM.items():
        if int(params.get(name, 0)) < minimum:
            raise ValueError(f"ARGON2_PARAMS[{name!r}] must be at least {minimum} (OWASP minimum for argon2id).")
    return {name: int(params[name]) for name in OWASP_MINIMUM}


@lru_cache(maxsize=8)
def _hasher(time_cost: int, memory_cost: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(
        time_cost=time_cost,
        memory_cost=memory_cost,
        parallelism=parallelism,
        hash_len=32,
        salt_len=16,
        type=Type.ID,
    )


def hasher() -> PasswordHasher:
    return _hasher(**argon2_params())


def normalise(password: str) -> str:
    """NFKC, so that "æ" typed as one or as two code points is the same password (NIST 800-63B)."""
    return unicodedata.normalize("NFKC", password)


def hash_password(password: str) -> str:
    """An argon2id hash string with its own salt and parameters ($argon2id$v=19$m=…,t=…,p=…$…)."""
    return hasher().hash(normalise(password))


def verify_password(password_hash: str, password: str) -> tuple[bool, str | None]:
    """Check a password against a stored hash (argon2's comparison is constant-time).

    Returns (matches, new_hash): new_hash is set when the password matched but the stored hash
    used other parameters than today's; the caller stores it.
    """
    ph = hasher()
    try:
        ph.verify(password_hash, normalise(password))
    except (VerificationError, InvalidHashError):
        return False, None
    if ph.check_needs_rehash(password_hash):
        return True, ph.hash(normalise(password))
    return True, None


@lru_cache(maxsize=8)
def _dummy_hash(time_cost: int, memory_cost: int, parallelism: int) -> str:
    return _hasher(time_cost, memory_cost, parallelism).hash("etikdialog-dummy-password")


def spend_verify_time(password: str) -> None:
    """Do the work of one verification, so an unknown e-mail takes as long as a wrong password."""
    params = argon2_params()
    with contextlib.suppress(VerificationError, InvalidHashError):
        _hasher(**params).verify(_dummy_hash(**params), normalise(password))


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def _easily_guessed(password: str) -> bool:
    folded = normalise(password).strip().lower()
    # "aaaaaaaaaaaa", "abababababab": too few different characters to be worth anything.
    return folded in common_passwords() or len(set(folded)) < 4


def validate_password_policy(password: str | None, *, personal: tuple[str, ...] = ()) -> list:
    """The policy's objections to a password, as lazy messages in the interface language; an
    empty list means it is fine. ``message_text`` joins them into one plain string.

    ``personal`` holds the person's e-mail and name; the password must not be one of them.
    """
    password = normalise(password or "")
    if len(password) < MIN_LENGTH:
        return [TOO_SHORT]
    if len(password) > MAX_LENGTH:
        return [TOO_LONG]
    problems = []
    if _easily_guessed(password):
        problems.append(TOO_COMMON)
    folded = password.strip().casefold()
    personal_words = set()
    for value in personal:
        if value:
            value = value.strip().casefold()
            personal_words.update({value, value.split("@", 1)[0], value.replace(" ", "")})
    if folded in personal_words or folded.replace(" ", "") in personal_words:
        problems.append(TOO_PERSONAL)
    return problems


def message_text(problems) -> str:
    """The policy's objections as one plain string, in the interface language."""
    return " ".join(str(problem) for problem in problems)
