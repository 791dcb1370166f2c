"""What /readyz checks: can this instance serve requests correctly, not merely answer them.

/healthz is liveness (the process answers and its database takes writes); /readyz is readiness,
what a load balancer polls before it sends traffic: the database answers, its schema is at the
migration scripts' head, the transparency log's key opens, and every municipality that can sign
has a usable certificate (the same check as `flask signing check`).

A load balancer polls every second or so. The database checks are one small query each and run
on every poll; the file checks (the log key, each municipality's PKCS#12) are kept for
FILE_CHECK_SECONDS per app; the scripts' head is read once per process.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import lru_cache

from flask import current_app
from sqlalchemy import text

from app.core.wiring import contributions, provided
from app.extensions import db

FILE_CHECK_SECONDS = 5.0
_CACHE_KEY = "etikdialog.readiness_files"


@dataclass
class Readiness:
    checks: dict[str, str] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return not self.reasons

    def fail(self, check: str, reason: str) -> None:
        self.checks[check] = "fejl"
        self.reasons.append(reason)


@lru_cache(maxsize=4)
def script_revisions(directory: str) -> tuple[frozenset[str], frozenset[str]]:
    """The migration scripts' heads and every revision they know, read once per process (the
    scripts ship with the release; a deploy starts new processes)."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory(directory)
    known = frozenset(script.revision for script in scripts.walk_revisions())
    return frozenset(scripts.get_heads()), known


def warm(app) -> None:
    """Read the scripts now (gunicorn's master, before it forks), not at each worker's first poll.
    Scripts that cannot be read do not stop the server: /readyz says so."""
    try:
        script_revisions(app.extensions["migrate"].directory)
    except Exception:  # noqa: BLE001 - reported by every /readyz instead
        app.logger.exception("readyz: the migration scripts could not be read")


def database_revisions() -> frozenset[str]:
    """The revisions stamped in the database's alembic_version (empty: never migrated)."""
    return frozenset(db.session.scalars(text("SELECT version_num FROM alembic_version")))


def check_schema(result: Readiness) -> None:
    directory = current_app.extensions["migrate"].directory
    try:
        heads, known = script_revisions(directory)
    except Exception:  # noqa: BLE001 - a broken release: no head to compare with
        current_app.logger.exception("readyz: the migration scripts in %s could not be read", directory)
        result.fail("schema", "Migrationerne kan ikke læses.")
        return
    try:
        current = database_revisions()
    except Exception:  # noqa: BLE001 - no alembic_version table: the schema was never migrated
        db.session.rollback()
        current = frozenset()
    if current == heads:
        result.checks["schema"] = "ok"
    elif current and not current & known:
        # A newer release migrated the database (a rolling deploy, README "Deployment"): this
        # instance stays in service until it is replaced, as the README's step 3 allows.
        result.checks["schema"] = "nyere"
    else:
        have = ", ".join(sorted(current)) or "ingen"
        result.fail("schema", f"Databasens skema er ikke opdateret ({have}; forventet {', '.join(sorted(heads))}).")


def file_problems() -> dict[str, str]:
    """The problems of the files the higher packages check (check name → reason), for a few
    seconds: the log key and the signing certificates, wired under "readiness.file_checks"
    (app/wiring.py) as (name, function of the app giving a reason or None)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    cached = app.extensions.get(_CACHE_KEY)
    now = time.monotonic()
    if cached is not None and now - cached[0] < FILE_CHECK_SECONDS:
        return cached[1]
    found = {}
    for name, problem in contributions("readiness.file_checks"):
        reason = problem(app)
        if reason:
            found[name] = reason
    app.extensions[_CACHE_KEY] = (now, found)
    return found


def readiness() -> Readiness:
    result = Readiness()
    try:
        db.session.execute(text("SELECT 1"))
        result.checks["database"] = "ok"
    except Exception:  # any failure means "not ready"; the detail goes to the log
        current_app.logger.warning("readyz: the database did not answer", exc_info=True)
        db.session.rollback()
        result.fail("database", "Databasen svarer ikke.")
        return result
    try:
        check_schema(result)
        problems = file_problems()
        # the log's newest checkpoint kept outside the database (app/translog/verify.py)
        rolled_back = provided("readiness.log_rolled_back")() if "log_key" not in problems else []
    except Exception:  # noqa: BLE001 - the database went away between the queries
        current_app.logger.warning("readyz: the database failed during the checks", exc_info=True)
        db.session.rollback()
        result.fail("database", "Databasen svarer ikke.")
        return result
    if rolled_back:
        current_app.logger.error("readyz: %s", " ".join(rolled_back))
        result.fail("log", "Transparensloggen udvider ikke det seneste kontrolpunkt, den har underskrevet.")
    for check, _problem in contributions("readiness.file_checks"):
        if check in problems:
            result.fail(check, problems[check])
        else:
            result.checks[check] = "ok"
    return result
