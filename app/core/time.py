"""One clock for the app, in UTC; tests can freeze it by patching utcnow."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Timezone-naive UTC, as stored in the database (SQLite keeps no time zone)."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)
