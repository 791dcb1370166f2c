"""Danish times as the boards read them: "1. december 2027 kl. 00:30", in Danish time."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from babel import dates as babel_dates

DANISH_TIME = ZoneInfo("Europe/Copenhagen")
# CLDR pattern; app.core.formatting writes the portal's dates with the same one
DANISH_DATETIME_PATTERN = "d. MMMM y 'kl.' HH:mm"


def danish_date(day: date) -> str:
    """ "9. juni 2026", as the portal writes a day."""
    return babel_dates.format_date(day, "d. MMMM y", locale="da")


def danish_datetime(moment: datetime) -> str:
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return babel_dates.format_datetime(moment, DANISH_DATETIME_PATTERN, tzinfo=DANISH_TIME, locale="da")
