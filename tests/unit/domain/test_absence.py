"""Sick-leave tally: sick time as a share of contracted time, with exact hand-computed figures.

All cases use February 2026 (28 days = 4 weeks) and a 40-hour full-time week (2400 min),
so a full-timer's contracted month is 2400 × 28 / 7 = 9600 min and a calendar day is
2400 / 7 ≈ 342.857 min.
"""

from __future__ import annotations

import datetime as dt

import pytest

from insats.domain.absence import (
    Absence,
    AbsenceKind,
    SickLeaveTally,
    tally_by_unit,
    tally_sick_leave,
)
from insats.domain.common import DomainError, Period
from insats.domain.rules import RuleBook, bundled_parameters
from insats.domain.staff import Employee
from tests.builders import an_absence, an_employee, an_hourly_substitute

FEB = Period.month(2026, 2)
N = 14  # sick.employer_period_days, checked against the bundled rule below


def d(month: int, day: int) -> dt.date:
    return dt.date(2026, month, day)


def sick(employee_id: str, start: dt.date, end: dt.date, **extra: object) -> Absence:
    return an_absence(id=f"A-{employee_id}-{start}", employee_id=employee_id,
                      period=Period(start, end), **extra)


def tally(employees: list[Employee], absences: list[Absence]) -> SickLeaveTally:
    return tally_sick_leave(employees, absences, FEB, employer_period_days=N)


def test_employer_period_comes_from_the_dated_rule() -> None:
    assert RuleBook(bundled_parameters()).number("sick.employer_period_days", d(2, 1)) == N


def test_part_time_employee() -> None:
    # 75 % → 1800 min/week; contracted 1800 × 4 = 7200; sick 7 days = 1800.
    e = an_employee(id="E1", employment_percent=75)
    result = tally([e], [sick("E1", d(2, 9), d(2, 16))])
    assert result == SickLeaveTally(contracted_minutes=7200, sick_minutes=1800,
                                    short_term_sick_minutes=1800)
    assert result.rate == 0.25


def test_half_extent_counts_half() -> None:
    # full time, 7 days at 50 %: 2400 × 7 / 7 × 0.5 = 1200 of 9600.
    e = an_employee(id="E1", employment_percent=100)
    result = tally([e], [sick("E1", d(2, 2), d(2, 9), extent_percent=50)])
    assert result == SickLeaveTally(9600, 1200, 1200)
    assert result.rate == 0.125


def test_spell_crossing_the_period_start_is_split_short_and_long() -> None:
    # Spell 20 Jan – 9 Feb: day 1 = 20 Jan, day 14 = 2 Feb, day 15 = 3 Feb.
    # In February: 1–9 Feb = 9 days → 2400 × 9 / 7 = 3085.71 → 3086;
    # short-term 1–2 Feb = 2 days → 2400 × 2 / 7 = 685.71 → 686; long-term 7 days = 2400.
    e = an_employee(id="E1", employment_percent=100)
    result = tally([e], [sick("E1", d(1, 20), d(2, 10))])
    assert result == SickLeaveTally(9600, 3086, 686)
    assert result.long_term_sick_minutes == 2400


def test_spell_crossing_the_period_end_counts_only_days_inside() -> None:
    # 25 Feb – 9 Mar: 25–28 Feb = 4 days → 2400 × 4 / 7 = 1371.43 → 1371, all short-term.
    e = an_employee(id="E1", employment_percent=100)
    assert tally([e], [sick("E1", d(2, 25), d(3, 10))]) == SickLeaveTally(9600, 1371, 1371)


def test_spell_longer_than_employer_period() -> None:
    # 1–21 Feb = 21 days → 7200; days 1–14 → 4800 short-term; days 15–21 → 2400 long-term.
    e = an_employee(id="E1", employment_percent=100)
    result = tally([e], [sick("E1", d(2, 1), d(2, 22))])
    assert result == SickLeaveTally(9600, 7200, 4800)
    assert result.long_term_sick_minutes == 2400
    assert result.rate == 0.75
    assert result.short_term_rate == 0.5


def test_employee_who_starts_mid_month() -> None:
    # Employed from 15 Feb: 14 days → contracted 2400 × 14 / 7 = 4800.
    # Sick 10–16 Feb, but only 15 and 16 Feb are employed days → 2400 × 2 / 7 = 686
    # (spell days 6 and 7: short-term).
    e = an_employee(id="E1", employment_percent=100, employed=Period(d(2, 15)))
    assert tally([e], [sick("E1", d(2, 10), d(2, 17))]) == SickLeaveTally(4800, 686, 686)


def test_employee_who_leaves_before_the_period_counts_nothing() -> None:
    e = an_employee(id="E1", employed=Period(d(1, 1), d(2, 1)))
    assert tally([e], [sick("E1", d(1, 20), d(2, 10))]) == SickLeaveTally(0, 0, 0)


def test_hourly_substitute_is_ignored() -> None:
    # Only E1 counts: 9600 contracted, 1 day sick = 342.86 → 343.
    e = an_employee(id="E1", employment_percent=100)
    sub = an_hourly_substitute(id="S1")
    result = tally([e, sub], [sick("E1", d(2, 2), d(2, 3)), sick("S1", d(2, 2), d(2, 20))])
    assert result == SickLeaveTally(9600, 343, 343)
    assert tally([sub], [sick("S1", d(2, 2), d(2, 20))]) == SickLeaveTally(0, 0, 0)


def test_zero_contracted_time_has_no_rate() -> None:
    assert tally([], []).rate is None
    assert tally([], []).short_term_rate is None


def test_other_absence_kinds_and_strangers_are_ignored() -> None:
    e = an_employee(id="E1", employment_percent=100)
    absences = [sick("E1", d(2, 2), d(2, 9), kind=AbsenceKind.VACATION),
                sick("E1", d(2, 2), d(2, 9), kind=AbsenceKind.CARE_OF_CHILD),
                sick("X", d(2, 2), d(2, 9))]
    assert tally([e], absences) == SickLeaveTally(9600, 0, 0)


def test_overlapping_sick_absences_count_at_most_a_whole_day() -> None:
    # 2–8 Feb two 60 % absences → 100 % of 7 days = 2400; 9 Feb only the second → 60 % of
    # 342.857 = 205.71; total 2605.71 → 2606, all short-term.
    e = an_employee(id="E1", employment_percent=100)
    absences = [sick("E1", d(2, 2), d(2, 9), extent_percent=60),
                an_absence(id="A2", employee_id="E1", extent_percent=60,
                           period=Period(d(2, 2), d(2, 10)))]
    assert tally([e], absences) == SickLeaveTally(9600, 2606, 2606)


def test_rounds_once_at_the_end() -> None:
    # Three 50 % employees (1200 min/week), each sick one day: 3 × 1200 / 7 = 514.29 → 514
    # (rounding each employee first would give 3 × 171 = 513).
    staff = [an_employee(id=f"E{i}", employment_percent=50) for i in (1, 2, 3)]
    absences = [sick(f"E{i}", d(2, 2), d(2, 3)) for i in (1, 2, 3)]
    assert tally(staff, absences) == SickLeaveTally(3 * 4800, 514, 514)


def test_open_period_is_refused() -> None:
    with pytest.raises(DomainError):
        tally_sick_leave([], [], Period(d(2, 1)), employer_period_days=N)


def test_tally_by_unit() -> None:
    # U01: E1 full time, 7 days sick → 9600 / 2400; E3 hourly → nothing.
    # U02: E2 50 %, contracted 4800, no sick leave.
    staff = [an_employee(id="E1", employment_percent=100),
             an_employee(id="E2", employment_percent=50, home_unit_id="U02"),
             an_hourly_substitute(id="E3")]
    absences = [sick("E1", d(2, 2), d(2, 9)), sick("E3", d(2, 2), d(2, 9))]
    assert tally_by_unit(staff, absences, FEB, employer_period_days=N) == {
        "U01": SickLeaveTally(9600, 2400, 2400),
        "U02": SickLeaveTally(4800, 0, 0),
    }
