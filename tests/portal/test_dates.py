"""Dates for machines: ISO 8601, and no date stays no date."""

from datetime import UTC, date, datetime

from portal.dates import iso


def test_dates_and_times_are_written_in_iso_8601():
    assert iso(date(2027, 3, 15)) == "2027-03-15"
    assert iso(datetime(2027, 3, 15, 9, 30, tzinfo=UTC)) == "2027-03-15T09:30:00+00:00"


def test_a_missing_date_stays_missing():
    assert iso(None) is None
