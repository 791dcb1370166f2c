"""One clock for the app, in UTC; tests can freeze it by patching utcnow."""

from datetime import UTC, date, datetime

from app.core.formatting import DANISH_TIME


def utcnow() -> datetime:
    """Timezone-naive UTC, as stored in the database (SQLite keeps no time zone)."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def danish_today() -> date:
    """Today's date in Denmark: consultation periods are Danish calendar days."""
    return datetime.now(DANISH_TIME).date()
