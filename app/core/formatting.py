"""Dates and times as people read them: Danish in the record, the PDF and the audit log, and in
the interface's language on pages (the `local_date` and `local_datetime` filters).

Times are stored as naive UTC; people read them in Danish local time.
"""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from app.i18n import current_language

DANISH_TIME = ZoneInfo("Europe/Copenhagen")

MONTHS = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
          "oktober", "november", "december"]  # fmt: skip


def _parse(value):
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
        except ValueError:
            return None
    return value


def _danish_moment(value: datetime) -> datetime:
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(DANISH_TIME)


def _danish_day(value):
    """A stored time (naive UTC) falls on the day it is in Denmark; a date is itself."""
    return _danish_moment(value).date() if isinstance(value, datetime) else value


def danish_date(value) -> str:
    value = _danish_day(_parse(value))
    if not isinstance(value, date):
        return ""
    return f"{value.day}. {MONTHS[value.month - 1]} {value.year}"


def danish_datetime(value) -> str:
    value = _parse(value)
    if not isinstance(value, datetime):
        return danish_date(value)
    value = _danish_moment(value)
    return f"{value.day}. {MONTHS[value.month - 1]} {value.year} kl. {value:%H:%M}"


def local_number(number: int) -> str:
    """A number as the reader writes it: 5.000 in Danish, 5,000 in English."""
    written = f"{number:,}"
    return written if current_language() == "en" else written.replace(",", ".")


ENGLISH_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                  "October", "November", "December"]  # fmt: skip


def local_date(value) -> str:
    """A date in the interface's language: "1. december 2027" or "1 December 2027"."""
    if current_language() != "en":
        return danish_date(value)
    value = _danish_day(_parse(value))
    if not isinstance(value, date):
        return ""
    return f"{value.day} {ENGLISH_MONTHS[value.month - 1]} {value.year}"


def local_datetime(value) -> str:
    if current_language() != "en":
        return danish_datetime(value)
    value = _parse(value)
    if not isinstance(value, datetime):
        return local_date(value)
    value = _danish_moment(value)
    return f"{local_date(value.date())} at {value:%H:%M}"


def register(app) -> None:
    app.add_template_filter(local_date, "local_date")
    app.add_template_filter(local_datetime, "local_datetime")
    app.add_template_filter(local_number, "local_number")
