"""Key figures: suppression with complements, granted minutes per window, and the sick
leave of many windows at once equal to the domain's single tally."""

from __future__ import annotations

import datetime as dt
import random

from insats.domain.absence import Absence, AbsenceKind, SickLeaveTally, tally_sick_leave
from insats.domain.common import Money, Period
from insats.domain.decisions import (
    DecidedBy,
    Decision,
    Insats,
    LegalBasis,
    Payer,
)
from insats.domain.key_figures import (
    KeyFigures,
    SickSpan,
    StaffTerms,
    granted_minutes,
    month_window,
    sick_leave_by_window,
    suppress_cells,
    suppressed_table,
    total_of,
    trend_months,
    trend_weeks,
    week_window,
)
from insats.domain.staff import Agreement, Employee, EmploymentForm, Position


def test_one_small_count_hides_the_next_smallest_so_the_total_tells_nothing() -> None:
    assert suppress_cells([1, 40, 12, 0]) == [None, 40, None, 0]
    assert suppress_cells([3, 4, 30]) == [None, None, 30]
    assert suppress_cells([0, 0, 7]) == [0, 0, 7]
    assert suppress_cells([2, 0]) == [None, 0]  # the total (2) is itself suppressed
    rows = suppressed_table([KeyFigures(clients=2, employees=9, fte=7.5),
                             KeyFigures(clients=8, employees=3, fte=2.0),
                             KeyFigures(clients=20, employees=30, fte=25.0)])
    assert [r.clients for r in rows] == [None, None, 20]
    assert [r.employees for r in rows] == [None, None, 30]
    assert rows[1].fte is None and rows[2].fte == 25.0


def test_windows_and_trends() -> None:
    on = dt.date(2026, 10, 31)
    assert week_window(on).start == dt.date(2026, 10, 26) and week_window(on).key == "2026-W44"
    assert month_window(on).end == dt.date(2026, 11, 1)
    weeks, months = trend_weeks(on), trend_months(on)
    assert len(weeks) == len(months) == 12
    assert months[0].key == "2025-11" and weeks[0].start == dt.date(2026, 8, 10)
    assert week_window(on).census_day(on) == on


def test_granted_minutes_follow_the_decision() -> None:
    decision = Decision(
        id="D1", client_id="C1", legal_basis=LegalBasis.SFB, insats=Insats.PERSONAL_ASSISTANCE,
        period=Period(dt.date(2026, 10, 7), dt.date(2027, 1, 1)), decided_by=DecidedBy.FK,
        payer=Payer.FK, provider_id="P00", decided_on=dt.date(2026, 9, 1),
        granted_minutes_per_week=4200, double_assistance_minutes_per_week=700)
    window = month_window(dt.date(2026, 10, 1))
    expected = (decision.granted_in(window.period).value
                + decision.double_granted_in(window.period).value)
    assert granted_minutes(4200, None, 700, decision.period.start, decision.period.end,
                           window) == expected
    assert granted_minutes(None, 60000, 0, dt.date(2026, 7, 1), dt.date(2027, 1, 1),
                           window) == 60000 * 31 // 184


def _employee(index: int, rng: random.Random) -> Employee:
    hourly = rng.random() < 0.15
    start = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(0, 500))
    end = None if rng.random() < 0.7 else start + dt.timedelta(days=rng.randrange(30, 400))
    return Employee(
        id=f"E{index}", given_name="A", family_name="B", home_unit_id=f"U{index % 3}",
        position=Position.ASSISTANT, employment_form=(
            EmploymentForm.HOURLY if hourly else EmploymentForm.PERMANENT),
        agreement=Agreement.AB, employment_percent=0 if hourly else rng.choice([50, 75, 100]),
        full_time_minutes_per_week=rng.choice([2400, 2220]), employed=Period(start, end),
        monthly_wage=None if hourly else Money(3000000),
        hourly_wage=Money(18000) if hourly else None)


def test_sick_leave_of_many_windows_equals_the_single_tally_of_each() -> None:
    rng = random.Random(7)
    staff = [_employee(i, rng) for i in range(40)]
    absences = []
    for n in range(160):
        employee = rng.choice(staff)
        start = dt.date(2025, 9, 1) + dt.timedelta(days=rng.randrange(0, 430))
        absences.append(Absence(
            id=f"A{n}", employee_id=employee.id, kind=AbsenceKind.SICK,
            period=Period(start, start + dt.timedelta(days=rng.randrange(1, 40))),
            extent_percent=rng.choice([25, 50, 100, 100])))
    on = dt.date(2026, 10, 31)
    windows = trend_weeks(on) + trend_months(on)
    terms = [StaffTerms(e.id, e.home_unit_id, e.employment_form is EmploymentForm.HOURLY,
                        e.contracted_minutes_per_week.value, e.employed.start, e.employed.end)
             for e in staff]
    spans = [SickSpan(a.employee_id, a.period.start, a.period.end or a.period.start,
                      a.extent_percent) for a in absences]
    result = sick_leave_by_window(terms, spans, windows, employer_period_days=14)
    for index, window in enumerate(windows):
        for unit in ("U0", "U1", "U2"):
            expected = tally_sick_leave([e for e in staff if e.home_unit_id == unit],
                                        absences, window.period, employer_period_days=14)
            got = result.get((unit, index))
            if got is None:
                assert expected.contracted_minutes == expected.sick_minutes == 0
            else:
                assert got == expected, (unit, window.key)


def _random_figures(rng: random.Random) -> KeyFigures:
    return KeyFigures(
        granted_minutes=rng.randrange(10_000), performed_minutes=rng.randrange(10_000),
        beyond_minutes=rng.randrange(500), unreported_minutes=rng.randrange(500),
        overtime_minutes=rng.randrange(500), extra_minutes=rng.randrange(500),
        sick_leave=SickLeaveTally(rng.randrange(9_000), rng.randrange(900), rng.randrange(300)),
        clients=None if rng.random() < 0.1 else rng.randrange(40),
        employees=None if rng.random() < 0.1 else rng.randrange(90),
        fte=None if rng.random() < 0.1 else rng.randrange(400) / 8)


def test_total_of_is_the_sum_one_after_the_other() -> None:
    rng = random.Random(11)
    for size in (0, 1, 2, 7, 120):
        figures = [_random_figures(rng) for _ in range(size)]
        stepwise = KeyFigures()
        for item in figures:
            stepwise = stepwise + item
        assert total_of(figures) == stepwise
