"""Dates, times and numbers as people read them: Danish in the record, the PDF and the audit log,
and in the interface's language on pages (the `local_date`, `local_datetime` and `local_number`
filters).

Times are stored as naive UTC; people read them in Danish local time. Pages format through
Flask-Babel, in the reader's language and BABEL_DEFAULT_TIMEZONE (Europe/Copenhagen); a date on a
page is the Danish day, written once per day and language (`_day_text`). The record,
the PDF and the audit log format through Babel itself with the Danish locale and time zone named
explicitly: they never depend on the reader, and the PDF renderer runs without an app.
"""

from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

import flask_babel
from babel import dates as babel_dates

from app.core.language import current_language

DANISH_TIME = ZoneInfo("Europe/Copenhagen")

# CLDR patterns that write what the boards have always read: "1. december 2027 kl. 00:30" and
# "1 December 2027 at 00:30".
DATE_PATTERNS = {"da": "d. MMMM y", "en": "d MMMM y"}
DATETIME_PATTERNS = {"da": "d. MMMM y 'kl.' HH:mm", "en": "d MMMM y 'at' HH:mm"}


def _parse(value):
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
        except ValueError:
            return None
    return value


def _language() -> str:
    return "en" if current_language() == "en" else "da"


def _danish_day(value) -> date | None:
    value = _parse(value)
    if isinstance(value, datetime):  # a stored time (naive UTC) falls on the day it is in Denmark
        value = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(DANISH_TIME).date()
    return value if isinstance(value, date) else None


@lru_cache(maxsize=8192)
def _day_text(day: date, language: str) -> str:
    """A day written out depends only on the day and the language: a list page writes twenty, so
    each is formatted once per process."""
    return babel_dates.format_date(day, DATE_PATTERNS[language], locale=language)


def danish_date(value) -> str:
    day = _danish_day(value)
    return _day_text(day, "da") if day else ""


def danish_datetime(value) -> str:
    value = _parse(value)
    if not isinstance(value, datetime):
        return danish_date(value)
    return babel_dates.format_datetime(value, DATETIME_PATTERNS["da"], tzinfo=DANISH_TIME, locale="da")


def local_number(number: int | float) -> str:
    """A number as the reader writes it: 5.000 in Danish, 5,000 in English."""
    return flask_babel.format_decimal(number)


SIZE_UNITS = ("B", "kB", "MB", "GB")


def local_size(size: int) -> str:
    """A file's size as the reader writes it: "1,9 kB" in Danish, "1.9 kB" in English (decimal
    units, as Jinja's filesizeformat, which always writes a point)."""
    value, unit = float(size), 0
    while value >= 1000 and unit < len(SIZE_UNITS) - 1:
        value, unit = value / 1000, unit + 1
    if unit == 0:
        return f"{flask_babel.format_decimal(int(value))} {SIZE_UNITS[0]}"
    return f"{flask_babel.format_decimal(value, format='#,##0.0')} {SIZE_UNITS[unit]}"


def local_date(value) -> str:
    """A date in the interface's language: "1. december 2027" or "1 December 2027"."""
    day = _danish_day(value)  # what Flask-Babel's format_date does with BABEL_DEFAULT_TIMEZONE
    return _day_text(day, _language()) if day else ""


def local_datetime(value) -> str:
    value = _parse(value)
    if not isinstance(value, datetime):
        return local_date(value)
    return flask_babel.format_datetime(value, DATETIME_PATTERNS[_language()])


def register(app) -> None:
    app.add_template_filter(local_date, "local_date")
    app.add_template_filter(local_datetime, "local_datetime")
    app.add_template_filter(local_number, "local_number")
    app.add_template_filter(local_size, "local_size")
