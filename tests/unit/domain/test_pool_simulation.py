"""The pool model and the Monte Carlo simulation on small hand-built histories.

The histories are twelve whole weeks ending 1 April 2026 (the weeks start on Wednesdays,
7 January – 31 March), so every weekly figure is easy to work by hand.
"""

from __future__ import annotations

import datetime as dt
import itertools
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest

from insats.domain.absence import Absence
from insats.domain.common import DomainError, Money, Period
from insats.domain.pool_model import (
    CoverCosts,
    CoverMinutes,
    CoverSource,
    PoolHistory,
    PoolModel,
    cover_costs,
    cover_source,
    estimate_model,
)
from insats.domain.pool_simulation import CoverPolicy, simulate
from insats.domain.rules import RuleBook, bundled_parameters
from insats.domain.staff import Employee
from insats.domain.time_reports import TimeKind
from insats.reports.pool_chart import pool_curve_svg
from tests.builders import an_absence, an_employee, an_hourly_substitute

RULES = RuleBook(bundled_parameters())
END = dt.date(2026, 4, 1)
FIRST = END - dt.timedelta(weeks=12)  # Wednesday 7 January 2026
WEEKS = 12


def week(n: int, offset: int = 0) -> dt.date:
    return FIRST + dt.timedelta(weeks=n, days=offset)


def staff() -> list[Employee]:
    """Seven full-timers (2400 min a week), one part-timer at 75 %, one pool substitute."""
    full = [an_employee(id=f"E{n}", employment_percent=100, monthly_wage=Money.kronor(30_000))
            for n in range(1, 8)]
    return [*full, an_employee(id="E8", employment_percent=75, monthly_wage=Money.kronor(22_500)),
            an_hourly_substitute(id="P1", hourly_wage=Money.kronor(150))]


def sick_days(n: int, days: int, employee: str = "E1") -> Absence:
    start = week(n)
    return an_absence(id=f"A{employee}{n}", employee_id=employee,
                      period=Period(start, start + dt.timedelta(days=days)))


def a_history(*, absence_days: list[int], need_extra: list[float] | None = None,
              pool_week: int = 480, colleague_week: int = 240) -> PoolHistory:
    """Week ``n`` has E1 sick ``absence_days[n]`` days (7 × 2400/7 = 2400 min at most):
    cover need that week = 600 + ½ × absence minutes (+ ``need_extra``), met by P1
    (``pool_week``), a colleague (``colleague_week``), and the rest as 90 % mertid, 10 %
    overtime (none uncovered)."""
    absences = [sick_days(n, d) for n, d in enumerate(absence_days) if d]
    cover: list[CoverMinutes] = []
    for n, days in enumerate(absence_days):
        need = 600 + 0.5 * days * 2400 / 7 + (need_extra[n] if need_extra else 0)
        rest = need - pool_week - colleague_week
        cover += [
            CoverMinutes(week(n), CoverSource.POOL, pool_week, "P1", 15_000),
            CoverMinutes(week(n, 1), CoverSource.COLLEAGUE, colleague_week, "E7", 17_308,
                         paid_by_the_hour=False),
            CoverMinutes(week(n, 2), CoverSource.MERTID, round(rest * 0.9), "E8", 17_308),
            CoverMinutes(week(n, 3), CoverSource.OVERTIME, round(rest * 0.1), "E2", 17_308),
        ]
    return PoolHistory(start=FIRST, end=END, employees=tuple(staff()),
                       absences=tuple(absences), cover=tuple(cover), pool_size=1)


ABSENCE_DAYS = [0, 7, 2, 0, 3, 7, 1, 0, 4, 7, 0, 2]


# --- classification ---------------------------------------------------------------------
@pytest.mark.parametrize(("kind", "in_pool", "member", "hourly", "expected"), [
    (TimeKind.ORDINARY, True, False, True, CoverSource.POOL),
    (TimeKind.OVERTIME, True, True, True, CoverSource.POOL),
    (TimeKind.OVERTIME, False, True, False, CoverSource.OVERTIME),
    (TimeKind.EXTRA, False, True, False, CoverSource.MERTID),
    (TimeKind.ORDINARY, False, False, False, CoverSource.COLLEAGUE),
    (TimeKind.ORDINARY, False, True, True, CoverSource.COLLEAGUE),  # the group's own timvikarie
    (TimeKind.ORDINARY, False, True, False, None),
    (TimeKind.ON_CALL, False, True, False, None),
])
def test_who_covered_what(kind: TimeKind, in_pool: bool, member: bool, hourly: bool,
                          expected: CoverSource | None) -> None:
    assert cover_source(kind=kind, in_pool=in_pool, regular_member=member,
                        hourly=hourly) == expected


# --- estimation -------------------------------------------------------------------------
def test_the_model_recovers_the_line_the_history_was_built_from() -> None:
    model = estimate_model(a_history(absence_days=ABSENCE_DAYS), RULES)

    assert model.history_weeks == WEEKS and model.recorded_weeks == WEEKS
    assert model.structural == pytest.approx(600, abs=0.5)
    assert model.absence_share == pytest.approx(0.5, abs=1e-3)
    assert max(abs(r) for r in model.residuals) < 1
    # eight monthly employees for 84 days; E1's spells are the only starts
    starts = sum(1 for d in ABSENCE_DAYS if d)
    assert model.start_rate == pytest.approx(starts / (8 * 84))
    assert sorted(model.spell_days) == sorted(d for d in ABSENCE_DAYS if d)
    assert model.spell_minutes_per_day == pytest.approx([2400 / 7] * starts)
    assert model.staff == 8 and model.pool_size == 1
    assert set(model.substitute_week) == {480} and set(model.colleague_week) == {240}
    assert model.mertid_share == pytest.approx(0.9, abs=1e-3)
    assert model.uncovered_share == 0
    assert model.mertid_capacity == 600  # E8: 2400 − 1800
    assert model.overtime_capacity == pytest.approx(8 * 12_000 / 52)  # ATL 200 h a year
    assert model.recorded[CoverSource.POOL] == 12 * 480
    assert model.recorded_per_year(CoverSource.POOL) == pytest.approx(52 * 480)


def test_a_history_of_fewer_than_eight_weeks_or_without_absence_is_refused() -> None:
    short = replace(a_history(absence_days=ABSENCE_DAYS), start=END - dt.timedelta(weeks=7))
    healthy = a_history(absence_days=[0] * WEEKS)

    with pytest.raises(DomainError) as too_short:
        estimate_model(short, RULES)
    with pytest.raises(DomainError) as no_absence:
        estimate_model(healthy, RULES)
    assert too_short.value.code == no_absence.value.code == "pool.history"


def test_costs_per_hour_follow_who_covered_and_the_pay_factors() -> None:
    costs = cover_costs(a_history(absence_days=ABSENCE_DAYS), RULES)

    # PO 40 %; pool 150 kr/h; mertid 173,08 × 1,35; overtime on Saturdays (7 Jan + 3 days)
    assert costs.per_hour[CoverSource.POOL] == pytest.approx(15_000 * 1.4)
    assert costs.per_hour[CoverSource.COLLEAGUE] == 0  # unused contracted time
    assert costs.per_hour[CoverSource.MERTID] == pytest.approx(17_308 * 1.35 * 1.4)
    assert costs.weekend_overtime_share == 1
    assert costs.per_hour[CoverSource.OVERTIME] == pytest.approx(17_308 * 2.4 * 1.4)
    assert costs.substitute_upkeep == pytest.approx(16 * 15_000 * 1.4)  # 16 h a year


# --- simulation -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def model() -> PoolModel:
    return estimate_model(a_history(absence_days=ABSENCE_DAYS), RULES)


@pytest.fixture(scope="module")
def costs() -> CoverCosts:
    return cover_costs(a_history(absence_days=ABSENCE_DAYS), RULES)


def test_the_same_seed_gives_the_same_year_and_another_seed_another(
        model: PoolModel, costs: CoverCosts) -> None:
    def run(seed: int) -> object:
        return simulate(model, costs, sizes=range(4), runs=250, seed=seed,
                        policies=list(CoverPolicy))

    assert run(7) == run(7)
    assert run(7) != run(8)


def test_a_bigger_pool_never_leaves_more_uncovered_or_more_overtime(
        costs: CoverCosts) -> None:
    busy = replace(estimate_model(a_history(absence_days=ABSENCE_DAYS), RULES),
                   uncovered_share=0.2, mertid_capacity=300.0)  # some need stays uncovered
    simulation = simulate(busy, costs, sizes=range(0, 9), runs=300, seed=11,
                          policies=list(CoverPolicy))

    for outcome in simulation.policies:
        uncovered = [s.minutes[CoverSource.UNCOVERED].mean for s in outcome.sizes]
        overtime = [s.minutes[CoverSource.OVERTIME].mean for s in outcome.sizes]
        assert uncovered[0] > 0
        assert all(a >= b for a, b in itertools.pairwise(uncovered))
        assert all(a >= b for a, b in itertools.pairwise(overtime))


def test_the_simulated_absence_matches_the_rate_it_was_drawn_from(
        model: PoolModel, costs: CoverCosts) -> None:
    simulation = simulate(model, costs, sizes=[0], runs=2000, seed=5)

    # starts per day × mean spell length × minutes a day × 364 days (in steady state)
    mean_days = sum(model.spell_days) / len(model.spell_days)
    expected = model.staff * model.start_rate * 364 * mean_days * 2400 / 7
    assert simulation.absence_minutes.mean == pytest.approx(expected, rel=0.05)
    assert simulation.absence_minutes.low < expected < simulation.absence_minutes.high


def test_the_pool_takes_the_need_first_and_colleagues_first_under_the_other_policy(
        model: PoolModel, costs: CoverCosts) -> None:
    simulation = simulate(model, costs, sizes=[1, 3], runs=200, seed=2,
                          policies=list(CoverPolicy))
    pool_first = simulation.policy(CoverPolicy.POOL_FIRST)
    colleague_first = simulation.policy(CoverPolicy.COLLEAGUE_FIRST)

    one = pool_first.size(1)
    assert one is not None
    assert one.minutes[CoverSource.POOL].mean == pytest.approx(52 * 480)  # always exhausted
    assert one.shifts_per_substitute_month is not None
    other = colleague_first.size(3)
    three = pool_first.size(3)
    assert other is not None and three is not None
    assert other.minutes[CoverSource.COLLEAGUE].mean >= three.minutes[CoverSource.COLLEAGUE].mean
    assert other.minutes[CoverSource.POOL].mean <= three.minutes[CoverSource.POOL].mean


def test_the_cheapest_size_has_the_lowest_expected_total(
        model: PoolModel, costs: CoverCosts) -> None:
    outcome = simulate(model, costs, sizes=range(0, 6), runs=200, seed=1).policies[0]

    assert outcome.cheapest.total_cost.mean == min(s.total_cost.mean for s in outcome.sizes)
    zero = outcome.size(0)
    assert zero is not None and zero.shifts_per_substitute_month is None


@pytest.mark.parametrize(("sizes", "runs"), [([], 10), ([-1, 2], 10), ([1], 0)])
def test_bad_sizes_and_runs_are_refused(model: PoolModel, costs: CoverCosts,
                                        sizes: list[int], runs: int) -> None:
    with pytest.raises(DomainError):
        simulate(model, costs, sizes=sizes, runs=runs, seed=1)


def test_the_chart_is_an_svg_with_a_band_and_a_line_per_policy_and_panel(
        model: PoolModel, costs: CoverCosts) -> None:
    simulation = simulate(model, costs, sizes=range(0, 5), runs=50, seed=1,
                          policies=list(CoverPolicy))

    svg = pool_curve_svg(simulation.policies, today_size=1, title="Pool <test>")

    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.find(f"{ns}title") is not None
    assert root.find(f"{ns}title").text == "Pool <test>"  # type: ignore[union-attr]
    assert len(root.findall(f"{ns}polyline")) == 2 * 2
    assert len(root.findall(f"{ns}polygon")) == 2 * 2
    assert "i dag (1)" in svg
