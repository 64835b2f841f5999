"""Cell values as Swedish exports write them."""

from __future__ import annotations

import datetime as dt

import pytest

from insats.domain.calendar import local_datetime
from insats.domain.common import Money
from insats.interchange import values
from insats.interchange.errors import CellError
from insats.interchange.moments import local_and_utc

UTC = dt.UTC


@pytest.mark.parametrize(("raw", "minutes"), [
    ("7,5", 450), ("7.5", 450), ("37,25", 2235), ("7:30", 450), ("0", 0), (8, 480),
    (7.5, 450), (" 1 234,5 ", 74070),
])
def test_hours_accept_a_decimal_comma_and_h_mm(raw: object, minutes: int) -> None:
    assert values.hours_as_minutes(raw) == minutes


@pytest.mark.parametrize("raw", ["sju", "7,5,1", "-2", "7:75"])
def test_bad_hours_say_so_in_swedish(raw: str) -> None:
    with pytest.raises(CellError) as caught:
        values.hours_as_minutes(raw)
    assert "timmar" in caught.value.message or "minuterna" in caught.value.message


@pytest.mark.parametrize(("raw", "expected"), [
    ("ja", True), ("Ja", True), ("x", True), ("1", True), ("nej", False), ("0", False),
    (True, True),
])
def test_booleans(raw: object, expected: bool) -> None:
    assert values.boolean(raw) is expected


def test_an_unknown_boolean_is_an_error() -> None:
    with pytest.raises(CellError, match="ja/nej"):
        values.boolean("kanske")


def test_money_with_a_decimal_comma_is_exact_ore() -> None:
    assert values.money("363,44") == Money(36344)
    assert values.money("1 200 kr") == Money(120000)
    assert values.money(363.44) == Money(36344)


def test_dates_and_clock_times() -> None:
    assert values.date("2026-03-02") == dt.date(2026, 3, 2)
    assert values.date("20260302") == dt.date(2026, 3, 2)
    assert values.date(dt.datetime(2026, 3, 2, 7)) == dt.date(2026, 3, 2)
    assert values.clock("7:05") == dt.time(7, 5)
    assert values.clock("07.05") == dt.time(7, 5)
    assert values.clock(0.5) == dt.time(12, 0)  # Excel's day fraction
    with pytest.raises(CellError, match="inget datum"):
        values.date("2.3.2026")
    with pytest.raises(CellError, match="klockslag"):
        values.clock("25:00")


def test_a_naive_timestamp_is_stockholm_wall_clock() -> None:
    day, instant = local_and_utc("2026-03-02 07:00")
    assert day == dt.date(2026, 3, 2)
    assert instant == dt.datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
    assert instant.tzinfo is UTC


@pytest.mark.parametrize("clock", ["02:30", "01:59", "03:00", "02:00"])
def test_dst_days_read_as_the_calendar_does(clock: str) -> None:
    """Spring forward (29 March 2026) and fall back (25 October 2026)."""
    for day in (dt.date(2026, 3, 29), dt.date(2026, 10, 25)):
        hours, minutes = map(int, clock.split(":"))
        expected = local_datetime(day, dt.time(hours, minutes))
        assert local_and_utc(f"{day.isoformat()} {clock}")[1] == expected
        assert values.local_moment(f"{day.isoformat()} {clock}") == expected


def test_an_explicit_offset_and_an_xlsx_datetime() -> None:
    assert local_and_utc("2026-03-02T07:00+01:00")[1] == dt.datetime(2026, 3, 2, 6, tzinfo=UTC)
    assert local_and_utc(dt.datetime(2026, 7, 1, 8))[1] == dt.datetime(2026, 7, 1, 6,
                                                                       tzinfo=UTC)


def test_a_date_without_a_time_is_not_a_timestamp() -> None:
    with pytest.raises(CellError, match="klockslag"):
        values.local_moment("2026-03-02")
    with pytest.raises(CellError, match="ingen tidpunkt"):
        local_and_utc("i morgon bitti")
