import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from insats.domain.calendar import local_datetime, shift_bounds, to_local, worked_minutes
from insats.domain.common import (
    DomainError,
    IsoWeek,
    Minutes,
    Money,
    Period,
    add_months,
    money_sum,
)

ints = st.integers(min_value=-10**9, max_value=10**9)


@given(ints, ints)
def test_money_addition_is_exact_and_reversible(a: int, b: int) -> None:
    assert (Money(a) + Money(b)) - Money(b) == Money(a)
    assert money_sum([Money(a), Money(b)]) == Money(a + b)


@given(ints, ints)
def test_minutes_addition_is_exact(a: int, b: int) -> None:
    assert (Minutes(a) + Minutes(b)).value == a + b


def test_money_parses_swedish_text_and_formats_back() -> None:
    assert Money.kronor("1 234,50") == Money(123450)
    assert Money.kronor("-0,05") == Money(-5)
    assert Money(123450).format_sv() == "1\u00a0234,50\u00a0kr"
    assert Money(-5).format_sv() == "-0,05\u00a0kr"


def test_money_rejects_non_numbers() -> None:
    with pytest.raises(DomainError):
        Money.kronor("12,3a")


def test_rate_times_duration_rounds_to_ore() -> None:
    schablon = Money.kronor("332,60")
    assert schablon.per_hour_for(Minutes(90)) == Money(49890)
    assert Money(1).times(0.5) == Money(1)  # half away from zero
    assert Money(-1).times(0.5) == Money(-1)


def test_minutes_format_as_hours() -> None:
    assert Minutes(2250).format_hours() == "37:30"
    assert Minutes(-65).format_hours() == "-1:05"
    assert Minutes.hours(37.5) == Minutes(2250)


def test_period_is_half_open_and_intersects() -> None:
    january = Period.month(2026, 1)
    assert january.days == 31
    assert january.contains(dt.date(2026, 1, 31))
    assert not january.contains(dt.date(2026, 2, 1))
    assert not january.overlaps(Period.month(2026, 2))
    overlap = january.intersection(Period(dt.date(2026, 1, 20), None))
    assert overlap == Period(dt.date(2026, 1, 20), dt.date(2026, 2, 1))
    assert Period.month(2024, 2).days == 29


def test_reversed_period_is_refused() -> None:
    with pytest.raises(DomainError):
        Period(dt.date(2026, 2, 1), dt.date(2026, 1, 1))


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)
    assert Period(dt.date(2026, 1, 1), dt.date(2026, 7, 1)).months_apart_at_most(6)
    assert not Period(dt.date(2026, 1, 1), dt.date(2026, 7, 2)).months_apart_at_most(6)


@pytest.mark.parametrize(
    ("day", "week"),
    [
        (dt.date(2026, 1, 1), IsoWeek(2026, 1)),
        (dt.date(2027, 1, 1), IsoWeek(2026, 53)),
        (dt.date(2024, 12, 30), IsoWeek(2025, 1)),
        (dt.date(2021, 1, 3), IsoWeek(2020, 53)),
    ],
)
def test_iso_weeks_across_year_ends(day: dt.date, week: IsoWeek) -> None:
    assert IsoWeek.of(day) == week
    assert week.period.contains(day)


def test_week_53_exists_only_in_long_years() -> None:
    IsoWeek(2026, 53)
    with pytest.raises(DomainError):
        IsoWeek(2025, 53)
    assert IsoWeek(2026, 53).next() == IsoWeek(2027, 1)
    assert IsoWeek(2026, 47).label() == "v. 47 2026"


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 12, 31)))
def test_every_day_lies_in_its_iso_week(day: dt.date) -> None:
    assert IsoWeek.of(day).period.contains(day)


def test_night_shift_over_spring_dst_change_is_one_hour_shorter_on_the_clock() -> None:
    start, end = shift_bounds(dt.date(2026, 3, 28), dt.time(22, 0), Minutes(9 * 60))
    assert worked_minutes(start, end) == Minutes(540)
    assert to_local(end).time() == dt.time(8, 0)  # 22:00 + 9 h real time = 08:00 summer time


def test_night_shift_over_autumn_dst_change() -> None:
    start = local_datetime(dt.date(2026, 10, 24), dt.time(22, 0))
    end = local_datetime(dt.date(2026, 10, 25), dt.time(7, 0))
    assert worked_minutes(start, end) == Minutes(10 * 60)


def test_non_existent_local_time_moves_forward() -> None:
    moment = local_datetime(dt.date(2026, 3, 29), dt.time(2, 30))
    assert to_local(moment).hour == 3


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(DomainError):
        worked_minutes(dt.datetime(2026, 1, 1, 8), dt.datetime(2026, 1, 1, 16))


def test_swedish_number_formats() -> None:
    from insats.domain.formatting import format_hours, format_kronor, format_number, format_percent

    assert format_number(1234.5, 1) == "1\u00a0234,5"
    assert format_hours(90, 1) == "1,5\u00a0h"
    assert format_percent(0.0842) == "8,4\u00a0%"
    assert format_percent(None) == "–"
    assert format_kronor(-123456789) == "-1\u00a0234\u00a0568\u00a0kr"
