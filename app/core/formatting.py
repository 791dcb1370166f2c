"""Danish formatting of dates and times, shared by the pages and the PDF.

Times are stored as naive UTC; people read them in Danish local time.
"""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

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


def danish_date(value) -> str:
    value = _parse(value)
    if not isinstance(value, date):
        return ""
    return f"{value.day}. {MONTHS[value.month - 1]} {value.year}"


def danish_datetime(value) -> str:
    value = _parse(value)
    if not isinstance(value, datetime):
        return danish_date(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    value = value.astimezone(DANISH_TIME)
    return f"{value.day}. {MONTHS[value.month - 1]} {value.year} kl. {value:%H:%M}"


def register(app) -> None:
    app.add_template_filter(danish_date, "danish_date")
    app.add_template_filter(danish_datetime, "danish_datetime")
