import datetime as dt

import pytest

from insats.domain.common import DomainError, Minutes, Money
from insats.domain.rules import (
    Certainty,
    ParameterUnit,
    RuleBook,
    RuleParameter,
    bundled_parameters,
)
from insats.domain.rules.parameters import format_parameter_value, parse_parameter_value


def test_bundled_schablon_per_year_matches_the_sources() -> None:
    book = RuleBook(bundled_parameters())
    assert book.money("fk.schablon_per_hour", dt.date(2023, 6, 1)) == Money(32450)
    assert book.money("fk.schablon_per_hour", dt.date(2024, 12, 31)) == Money(33260)
    assert book.parameter("fk.schablon_per_hour", dt.date(2026, 3, 1)).certainty is (
        Certainty.UNCERTAIN
    )


def test_bundled_working_time_limits() -> None:
    book = RuleBook(bundled_parameters())
    day = dt.date(2026, 1, 1)
    assert book.minutes("worktime.daily_rest_min", day) == Minutes(660)
    assert book.minutes("worktime.shift_max", day) == Minutes(780)
    assert book.minutes("worktime.weekly_rest_min", day) == Minutes(36 * 60)


def test_every_bundled_parameter_has_a_source() -> None:
    assert all(p.source.strip() for p in bundled_parameters())


def test_missing_value_names_the_key_and_date() -> None:
    book = RuleBook(bundled_parameters())
    with pytest.raises(DomainError) as error:
        book.money("fk.schablon_per_hour", dt.date(2010, 1, 1))
    assert "fk.schablon_per_hour" in error.value.message
    assert "2010-01-01" in error.value.message


def test_overlapping_values_are_refused() -> None:
    def value(start: dt.date, end: dt.date | None) -> RuleParameter:
        return RuleParameter("x", start, 1, ParameterUnit.COUNT, "test", Certainty.CONFIRMED, end)

    with pytest.raises(DomainError):
        RuleBook([value(dt.date(2020, 1, 1), None), value(dt.date(2021, 1, 1), None)])


def test_wrong_unit_is_refused() -> None:
    book = RuleBook(bundled_parameters())
    with pytest.raises(DomainError):
        book.minutes("fk.schablon_per_hour", dt.date(2024, 1, 1))


@pytest.mark.parametrize(
    ("unit", "text", "value"),
    [
        (ParameterUnit.ORE, "340,50", 34050),
        (ParameterUnit.ORE, "1 234,5 kr", 123450),
        (ParameterUnit.MINUTES, "11:00", 660),
        (ParameterUnit.MINUTES, "780", 780),
        (ParameterUnit.PERMILLE, "112", 1120),
        (ParameterUnit.PERMILLE, "12,5 %", 125),
        (ParameterUnit.COUNT, "6", 6),
    ],
)
def test_values_are_read_as_people_write_them(unit: ParameterUnit, text: str, value: int) -> None:
    assert parse_parameter_value(unit, text) == value
    assert parse_parameter_value(unit, format_parameter_value(unit, value)) == value


@pytest.mark.parametrize(
    ("unit", "text"),
    [(ParameterUnit.ORE, "tre"), (ParameterUnit.MINUTES, "11:0"), (ParameterUnit.PERMILLE, "1,25")],
)
def test_unreadable_values_are_refused_in_swedish(unit: ParameterUnit, text: str) -> None:
    with pytest.raises(DomainError) as error:
        parse_parameter_value(unit, text)
    assert error.value.code == "rule.value"
