"""Dates, times and numbers as people read them. The expected strings were pinned from the output
of the hand-written month tables before formatting moved to Flask-Babel: the move must not change
a character, in Danish or in English, on pages or in the record."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from app.core.formatting import (
    danish_date,
    danish_datetime,
    local_date,
    local_datetime,
    local_number,
    local_size,
)
from app.i18n import COOKIE_NAME

NEW_YEARS_EVE_LATE_UTC = datetime(2026, 12, 31, 23, 30)  # already New Year's Day in Copenhagen
SUMMER = datetime(2027, 6, 1, 10, 5)  # 12:05 in Danish summer time
WINTER = datetime(2027, 2, 3, 7, 9)  # 08:09 in Danish winter time

DANISH = [
    (local_date, date(2027, 12, 1), "1. december 2027"),
    (local_date, date(2027, 5, 17), "17. maj 2027"),
    (local_date, NEW_YEARS_EVE_LATE_UTC, "1. januar 2027"),
    (local_date, "2027-03-09", "9. marts 2027"),
    (local_date, "2026-12-31T23:30:00", "1. januar 2027"),
    (local_date, "ikke en dato", ""),
    (local_date, None, ""),
    (local_datetime, NEW_YEARS_EVE_LATE_UTC, "1. januar 2027 kl. 00:30"),
    (local_datetime, SUMMER, "1. juni 2027 kl. 12:05"),
    (local_datetime, WINTER, "3. februar 2027 kl. 08:09"),
    (local_datetime, datetime(2027, 6, 1, 10, 5, tzinfo=UTC), "1. juni 2027 kl. 12:05"),
    (
        local_datetime,
        datetime(2027, 6, 1, 10, 5, tzinfo=timezone(timedelta(hours=-5))),
        "1. juni 2027 kl. 17:05",
    ),
    (local_datetime, "2027-06-01T10:05:00", "1. juni 2027 kl. 12:05"),
    (local_datetime, date(2027, 10, 4), "4. oktober 2027"),
    (local_datetime, "2027-10-04", "4. oktober 2027"),
    (local_datetime, None, ""),
    (local_number, 0, "0"),
    (local_number, 999, "999"),
    (local_number, 5000, "5.000"),
    (local_number, 1234567, "1.234.567"),
    (local_number, -12000, "-12.000"),
    (local_size, 999, "999 B"),
    (local_size, 1900, "1,9 kB"),
    (local_size, 2_345_678, "2,3 MB"),
]

ENGLISH = [
    (local_date, date(2027, 12, 1), "1 December 2027"),
    (local_date, date(2027, 5, 17), "17 May 2027"),
    (local_date, NEW_YEARS_EVE_LATE_UTC, "1 January 2027"),
    (local_date, "2027-03-09", "9 March 2027"),
    (local_date, "ikke en dato", ""),
    (local_date, None, ""),
    (local_datetime, NEW_YEARS_EVE_LATE_UTC, "1 January 2027 at 00:30"),
    (local_datetime, SUMMER, "1 June 2027 at 12:05"),
    (local_datetime, WINTER, "3 February 2027 at 08:09"),
    (local_datetime, "2027-06-01T10:05:00", "1 June 2027 at 12:05"),
    (local_datetime, date(2027, 10, 4), "4 October 2027"),
    (local_datetime, None, ""),
    (local_number, 0, "0"),
    (local_number, 5000, "5,000"),
    (local_number, 1234567, "1,234,567"),
    (local_number, -12000, "-12,000"),
    (local_size, 1900, "1.9 kB"),
    (local_size, 15_000_000, "15.0 MB"),
]

RECORD = [
    (danish_date, date(2027, 12, 1), "1. december 2027"),
    (danish_date, NEW_YEARS_EVE_LATE_UTC, "1. januar 2027"),
    (danish_date, "2027-08-31", "31. august 2027"),
    (danish_date, "2026-12-31T23:30:00", "1. januar 2027"),
    (danish_date, "", ""),
    (danish_date, None, ""),
    (danish_datetime, NEW_YEARS_EVE_LATE_UTC, "1. januar 2027 kl. 00:30"),
    (danish_datetime, SUMMER, "1. juni 2027 kl. 12:05"),
    (danish_datetime, "2026-12-31T23:30:00", "1. januar 2027 kl. 00:30"),
    (danish_datetime, "2027-11-30", "30. november 2027"),
    (danish_datetime, None, ""),
]


@pytest.mark.parametrize(("function", "value", "expected"), DANISH)
def test_pages_in_danish(app, function, value, expected):
    with app.test_request_context():
        assert function(value) == expected


@pytest.mark.parametrize(("function", "value", "expected"), ENGLISH)
def test_pages_in_english(app, function, value, expected):
    with app.test_request_context(headers={"Cookie": f"{COOKIE_NAME}=en"}):
        assert function(value) == expected


@pytest.mark.parametrize(("function", "value", "expected"), RECORD)
def test_the_record_is_danish_whatever_the_reader_chose(app, function, value, expected):
    with app.test_request_context(headers={"Cookie": f"{COOKIE_NAME}=en"}):
        assert function(value) == expected
    with app.test_request_context():
        assert function(value) == expected


@pytest.mark.parametrize(("function", "value", "expected"), RECORD)
def test_the_record_formats_without_an_app(function, value, expected):
    """The PDF renderer takes a plain document and runs without the app (bench, tests)."""
    assert function(value) == expected
