"""Pricing by dynamic programming (optimizer.pricing) against every schedule there is, and
against CP-SAT on a benchmark instance."""

from __future__ import annotations

import itertools
import math
import random
from dataclasses import replace

import pytest

from insats.domain.planning import (
    Assignment,
    PlanningRules,
    PlanShift,
    RequestKind,
    ShiftRequest,
)
from insats.domain.validate import employee_breaches
from insats.optimizer import pricing
from insats.optimizer.benchmarks.adapter import to_planning_instance
from insats.optimizer.benchmarks.shift_scheduling import read_instance
from insats.optimizer.model import Cell, Prepared
from insats.optimizer.pricers import EmployeePricer, own_cost
from insats.optimizer.pricing import THOROUGH_ATTEMPTS, Priced, SchedulePricer
from tests.benchmark_files import BENCHMARKS, needs_benchmarks
from tests.planning_builders import DAY, GROUP, NIGHT, an_employee, an_instance

DAYS = 9


def _instance(shifts: tuple[PlanShift, ...] = (DAY, NIGHT), **changes: object) -> Prepared:
    # day 0 is a Saturday: days 0-1 and 7-8 are weekends
    rules: dict[str, object] = {
        "min_minutes": 3 * 480, "max_minutes": 6 * 480, "target_minutes": 5 * 480,
        "under_target_weight": 1, "over_target_weight": 2, "max_consecutive_shifts": 3,
        "min_consecutive_shifts": 2, "min_consecutive_days_off": 2, "max_weekends": 1,
        "max_shifts": {"N": 2}, "unavailable": frozenset({4})}
    employee = an_employee("A", **{**rules, **changes})
    requests = (ShiftRequest("A", 2, "D", 40, RequestKind.ON),
                ShiftRequest("A", 6, None, 30, RequestKind.OFF),
                ShiftRequest("A", 7, "N", 25, RequestKind.OFF))
    instance = an_instance(DAYS, employees=(employee,), shifts=shifts,
                           rules=PlanningRules(forbidden_successions=frozenset({("N", "D")})),
                           requests=requests, first_weekday=5)
    return Prepared.of(instance)


def _every_schedule(prep: Prepared) -> list[dict[int, Cell]]:
    instance = prep.instance
    employee = instance.employees["A"]
    found = []
    for choice in itertools.product((None, *instance.shifts), repeat=DAYS):
        cells = {day: (shift, GROUP) for day, shift in enumerate(choice) if shift}
        rows = {("A", d): Assignment("A", d, s, g) for d, (s, g) in cells.items()}
        if 4 not in cells and not employee_breaches(instance, employee, rows):
            found.append(cells)
    return found


def _reduced(prep: Prepared, cells: dict[int, Cell], duals: dict[tuple[str, int, str], float],
             mu: float) -> float:
    own = own_cost(prep, "A", frozenset((d, s, g) for d, (s, g) in cells.items()))
    return own - sum(duals.get((g, d, s), 0.0) for d, (s, g) in cells.items()) - mu


def _draw(draw: int, shifts: tuple[str, ...] = ("D", "N")
          ) -> tuple[dict[tuple[str, int, str], float], float]:
    rng = random.Random(draw)
    # large duals on the night shifts make the maximum of two nights bind in some draws
    duals = {(GROUP, d, s): rng.uniform(0, 400 if s == "N" else 250)
             for d in range(DAYS) for s in shifts}
    return duals, rng.uniform(-100, 100)


def _assert_the_cheapest(prep: Prepared, every: list[dict[int, Cell]], priced: list[Priced],
                         bound: float, duals: dict[tuple[str, int, str], float],
                         mu: float) -> None:
    """The programme's first schedule is the cheapest of ``every`` and its bound is exact;
    every schedule it returns is priced and told apart (keeps the rules or not) rightly."""
    cheapest = min(_reduced(prep, cells, duals, mu) for cells in every)
    assert bound == pytest.approx(cheapest)
    assert priced[0].keeps_rules
    assert priced[0].reduced == pytest.approx(cheapest)
    for p in priced:
        assert p.reduced == pytest.approx(_reduced(prep, p.cells, duals, mu))
        assert p.keeps_rules == (p.cells in every)


@pytest.mark.parametrize("draw", range(12))
@pytest.mark.parametrize("longest_run", [3, None])
def test_without_a_shift_maximum_the_programme_finds_the_cheapest_schedule(
        draw: int, longest_run: int | None) -> None:
    prep = _instance(max_shifts={}, max_consecutive_shifts=longest_run)
    every = _every_schedule(prep)
    assert len(every) > 50  # the rules leave a real choice
    duals, mu = _draw(draw)

    priced, bound = SchedulePricer(prep, "A").price(duals, mu)

    _assert_the_cheapest(prep, every, priced, bound, duals, mu)


@pytest.mark.parametrize("draw", range(6))
@pytest.mark.parametrize("fewest", [4, 5])
def test_a_minimum_near_the_most_that_can_be_worked_narrows_the_band_not_the_answer(
        draw: int, fewest: int) -> None:
    # runs of at most 3 with 2 days off between: at most 7 of the 9 days; a minimum of 4
    # or 5 day shifts keeps under 60 % of the minutes' values (in units of 120 minutes,
    # 0-24), and the cheapest schedule is still found exactly
    prep = _instance(max_shifts={}, max_weekends=None, min_minutes=fewest * 480,
                     max_minutes=6 * 480, target_minutes=6 * 480)
    pricer = SchedulePricer(prep, "A")
    assert (pricer.unit, pricer.top) == (120, 24)
    assert pricer.low[0] == 0 and pricer.high[0] == 5  # a night
    assert pricer.low[-1] == 4 * fewest and pricer.high[-1] == 24
    kept = sum(pricer.high[d] - pricer.low[d] + 1 for d in range(DAYS))
    assert kept < 0.6 * DAYS * 25
    every = _every_schedule(prep)
    assert every
    duals, mu = _draw(draw)

    priced, bound = pricer.price(duals, mu)

    _assert_the_cheapest(prep, every, priced, bound, duals, mu)


def test_a_minimum_beyond_the_most_that_can_be_worked_gives_no_schedule() -> None:
    # day shifts only: at most 6 of the 9 days, so eight shifts cannot be reached
    prep = _instance(shifts=(DAY,), max_shifts={}, max_weekends=None,
                     min_minutes=8 * 480, max_minutes=8 * 480, target_minutes=8 * 480)
    assert not _every_schedule(prep)
    pricer = SchedulePricer(prep, "A")
    assert pricer.low[-2] > pricer.high[-2]  # the band is empty from the day before the last
    priced, bound = pricer.price(*_draw(0, ("D",)))
    assert priced == [] and bound == math.inf


@pytest.mark.parametrize("draw", range(6))
def test_shifts_that_forbid_the_same_successors_share_a_state_without_losing_the_optimum(
        draw: int) -> None:
    # D and L forbid nothing after them, so the programme keeps them as one kind of
    # yesterday; yet L may follow a night and D may not, and they differ in length
    long_day = PlanShift("L", start=10 * 60, duration=10 * 60, work_minutes=10 * 60)
    prep = _instance(shifts=(DAY, long_day, NIGHT), max_shifts={},
                     min_minutes=2 * 480, max_minutes=5 * 600, target_minutes=4 * 540)
    pricer = SchedulePricer(prep, "A")
    assert pricer.kinds == 2
    every = _every_schedule(prep)
    duals, mu = _draw(draw, ("D", "L", "N"))

    priced, bound = pricer.price(duals, mu)

    _assert_the_cheapest(prep, every, priced, bound, duals, mu)


@pytest.mark.parametrize("draw", range(12))
def test_with_a_shift_maximum_the_bound_holds_and_every_schedule_is_told_apart(
        draw: int) -> None:
    # the maximum of two nights is priced (Lagrangian relaxation): the bound stays valid,
    # every schedule's reduced cost and rule check are right, and a schedule that keeps
    # the rules is always among them; when it meets the bound it is the cheapest there is
    prep = _instance()
    every = _every_schedule(prep)
    duals, mu = _draw(draw)
    cheapest = min(_reduced(prep, cells, duals, mu) for cells in every)

    priced, bound = SchedulePricer(prep, "A").price(duals, mu)

    assert bound <= cheapest + 1e-6
    keeping = [p for p in priced if p.keeps_rules]
    assert keeping, "the programme returned no schedule that keeps the rules"
    for p in priced:
        assert p.reduced == pytest.approx(_reduced(prep, p.cells, duals, mu))
        assert p.keeps_rules == (p.cells in every)
    best = min(p.reduced for p in keeping)
    assert best >= cheapest - 1e-6
    if best <= bound + 1e-6:
        assert best == pytest.approx(cheapest)


def test_the_shift_maximum_is_priced_until_a_schedule_keeps_it() -> None:
    # draw 0: the cheapest schedule of the relaxation works three nights
    prep = _instance()
    duals, mu = _draw(0)
    relaxed, _ = SchedulePricer(_instance(max_shifts={}), "A").price(duals, mu)
    assert sum(1 for s, _ in relaxed[0].cells.values() if s == "N") > 2
    priced, _ = SchedulePricer(prep, "A").price(duals, mu)
    assert any(p.keeps_rules and sum(1 for s, _ in p.cells.values() if s == "N") <= 2
               for p in priced)


def test_a_thorough_round_prices_on_while_no_schedule_found_keeps_the_maximum() -> None:
    # with one run allowed, the first run's schedules all break the maximum of two nights
    # in draws 1, 4, 6, 7 and 11; with THOROUGH_ATTEMPTS more the programme runs on until
    # one keeps it, so column generation gets a column wherever one of negative reduced
    # cost exists
    prep = _instance()
    every = _every_schedule(prep)
    short, thorough = set(), set()
    for draw in range(12):
        duals, mu = _draw(draw)
        assert min(_reduced(prep, cells, duals, mu) for cells in every) < 0
        for extra, found in ((0, short), (THOROUGH_ATTEMPTS, thorough)):
            priced, _ = SchedulePricer(prep, "A").price(duals, mu, attempts=1, extra=extra)
            if any(p.keeps_rules and p.reduced < -1e-6 for p in priced):
                found.add(draw)
    assert set(range(12)) - short == {1, 4, 6, 7, 11}
    assert thorough == set(range(12))


def _weekends_priced(monkeypatch: pytest.MonkeyPatch, **changes: object
                     ) -> tuple[Prepared, SchedulePricer]:
    """A pricer whose weekends do not fit: the state values allowed are those of one slot
    of weekends, where counting them (up to the maximum of one) takes two."""
    prep = _instance(max_shifts={}, **changes)
    counted = SchedulePricer(prep, "A")
    assert counted.slots == 2 and not counted.weekends_priced
    widest = max(counted.high[d] - counted.low[d] + 1 for d in range(DAYS))
    states = counted.kinds * counted.runs * 2 + counted.off_runs
    monkeypatch.setattr(pricing, "MAX_STATE_VALUES", states * widest)
    pricer = SchedulePricer(prep, "A")
    assert pricer.weekends_priced and pricer.slots == 1 and pricer.usable()
    return prep, pricer


@pytest.mark.parametrize("draw", range(12))
def test_weekends_too_many_to_count_are_priced_and_the_bound_holds(
        monkeypatch: pytest.MonkeyPatch, draw: int) -> None:
    # as for a shift maximum: the bound stays valid, every schedule returned is priced and
    # checked rightly, one that keeps the rules is among them, and one that meets the
    # bound is the cheapest there is
    prep, pricer = _weekends_priced(monkeypatch)
    every = _every_schedule(prep)
    duals, mu = _draw(draw)
    cheapest = min(_reduced(prep, cells, duals, mu) for cells in every)

    priced, bound = pricer.price(duals, mu, extra=THOROUGH_ATTEMPTS)

    assert bound <= cheapest + 1e-6
    for p in priced:
        assert p.reduced == pytest.approx(_reduced(prep, p.cells, duals, mu))
        assert p.keeps_rules == (p.cells in every)
    keeping = [p.reduced for p in priced if p.keeps_rules]
    assert keeping, "no schedule found keeps the weekends' maximum"
    assert min(keeping) >= cheapest - 1e-6
    if min(keeping) <= bound + 1e-6:
        assert min(keeping) == pytest.approx(cheapest)


def test_the_weekends_price_rises_until_a_schedule_keeps_their_maximum(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # with both weekends' shifts worth the most, the relaxation works both weekends; the
    # price of a weekend worked makes the programme give one up
    _, pricer = _weekends_priced(monkeypatch)
    weekend_days = {0, 1, 7, 8}
    duals = {(GROUP, d, s): (400.0 if d in weekend_days else 100.0)
             for d in range(DAYS) for s in ("D", "N")}
    relaxed, _ = SchedulePricer(_instance(max_shifts={}, max_weekends=None), "A").price(
        duals, 0.0)
    assert {0, 7} <= set(relaxed[0].cells) or {1, 8} <= set(relaxed[0].cells)

    priced, _ = pricer.price(duals, 0.0, extra=THOROUGH_ATTEMPTS)

    assert pricer.prices[-1] > 0
    keeping = [p for p in priced if p.keeps_rules]
    assert keeping
    best = min(keeping, key=lambda p: p.reduced)
    assert not ({0, 1} & set(best.cells) and {7, 8} & set(best.cells))


def test_a_pinned_day_is_worked_and_an_unavailable_day_is_not() -> None:
    pin = Assignment("A", 3, "N", GROUP)
    pinned = Prepared.of(replace(_instance().instance, pinned=(pin,)))
    duals = {(GROUP, d, s): 0.0 for d in range(DAYS) for s in ("D", "N")}
    priced, _ = SchedulePricer(pinned, "A").price(duals, 0.0)
    assert priced
    for p in priced:
        assert p.cells.get(3) == ("N", GROUP)
        assert 4 not in p.cells


@needs_benchmarks
@pytest.mark.parametrize("number", [7])
def test_the_programme_agrees_with_cp_sat_on_a_benchmark_instance(number: int) -> None:
    prep = Prepared.of(to_planning_instance(read_instance(BENCHMARKS / f"Instance{number}.txt")))
    rng = random.Random(number)
    duals = {key: rng.uniform(0, 150) for key in prep.demand}
    for employee in list(prep.instance.employees)[:3]:
        priced, bound = SchedulePricer(prep, employee).price(duals, 0.0)
        best = min(p.reduced for p in priced if p.keeps_rules)
        solved, solved_bound, proven = EmployeePricer(prep, employee)._solve(duals, 0.0, 5.0, 0)
        assert solved_bound <= best + 0.5  # CP-SAT's duals are rounded to thousandths
        if proven:
            cp_best = min(c.cost - sum(duals.get((g, d, s), 0.0) for d, s, g in c.cells)
                          for c in solved)
            assert best == pytest.approx(cp_best, abs=0.5)
        assert math.isfinite(bound) and bound <= best + 1e-6
