"""Column generation: the Lagrangian bound is a true lower bound, the dive a valid roster."""

from __future__ import annotations

import time

import pytest

from insats.domain.planning import PlanningRules, PlanStatus, RequestKind, ShiftRequest
from insats.domain.validate import check_roster, employee_breaches
from insats.optimizer.benchmarks.adapter import to_planning_instance
from insats.optimizer.benchmarks.shift_scheduling import read_instance
from insats.optimizer.columns import (
    SUPPORT_EPSILON,
    SUPPORT_EXTRA,
    TAIL_ROUNDS,
    ColumnGenerator,
    generate,
    tails_off,
)
from insats.optimizer.engine import SolveOptions, solve
from insats.optimizer.model import Prepared, assignments_of
from tests.benchmark_files import BENCHMARKS, needs_benchmarks
from tests.planning_builders import an_employee, an_instance


def test_the_bound_starts_from_any_roster_and_never_passes_the_optimum() -> None:
    # the optimum is 0 (B covers day 0, A days 1 and 2); starting from A on every day
    # (cost 5) once gave a "bound" of 5 when λ had an upper bound that stole the
    # convexity duals
    instance = an_instance(
        days=3, employees=(an_employee("A"), an_employee("B")), under_weight=100,
        requests=(ShiftRequest("A", 0, "D", 5, RequestKind.OFF),
                  ShiftRequest("B", 1, "D", 5, RequestKind.OFF)))
    start = {("A", day): ("D", "g") for day in range(3)}
    state = generate(Prepared.of(instance), start, time.monotonic() + 30, seed=0, workers=2)
    assert state.converged
    assert state.lower_bound is not None and abs(state.lower_bound) < 1e-6


def test_the_lp_tails_off_when_it_falls_by_less_than_two_percent_over_five_rounds() -> None:
    assert TAIL_ROUNDS == 5
    falling = [3000.0, 2000.0, 1600.0, 1450.0, 1420.0, 1400.0]
    assert not tails_off(falling[:5])  # too few rounds to tell
    assert not tails_off(falling)  # 3 000 to 1 400
    assert not tails_off([*falling, 1390.0])  # 2 000 to 1 390
    assert tails_off([1000.0, 995.0, 993.0, 991.0, 990.0, 989.0])  # 1.1 % in five rounds
    assert not tails_off([1000.0, 995.0, 993.0, 991.0, 990.0, 975.0])  # 2.6 %
    assert tails_off([*falling, 1399.0, 1398.0, 1397.0, 1396.0, 1395.0])  # 1 400 to 1 395


@needs_benchmarks
def test_on_a_benchmark_the_bound_is_below_the_proven_optimum_and_close_to_it() -> None:
    instance = to_planning_instance(read_instance(BENCHMARKS / "Instance2.txt"))
    state = generate(Prepared.of(instance), {}, time.monotonic() + 60, seed=0, workers=2)
    assert state.converged and state.lower_bound is not None
    assert 0.95 * 828 <= state.lower_bound <= 828 + 1e-6


@needs_benchmarks
def test_a_dive_gives_every_employee_a_schedule_that_keeps_their_rules() -> None:
    instance = to_planning_instance(read_instance(BENCHMARKS / "Instance4.txt"))
    prep = Prepared.of(instance)
    with ColumnGenerator(prep, {}, seed=0, workers=2) as generator:
        generator.run(time.monotonic() + 60)
        roster = generator.dive(time.monotonic() + 60)
    assert roster is not None
    rows = assignments_of(roster)
    by_day = {(a.employee, a.day): a for a in rows}
    for employee in instance.employees.values():
        assert employee_breaches(instance, employee, by_day) == []
    check = check_roster(instance, rows)
    assert check.feasible and check.objective >= 1716


@needs_benchmarks
def test_a_dive_that_lets_the_lp_settle_after_each_step_stays_near_the_bound() -> None:
    # one pricing round per step gave 1 369 here (20 % above the bound); the rounds that
    # let the LP settle give 1 247
    instance = to_planning_instance(read_instance(BENCHMARKS / "Instance5.txt"))
    prep = Prepared.of(instance)
    with ColumnGenerator(prep, {}, seed=0, workers=2) as generator:
        state = generator.run(time.monotonic() + 60)
        roster = generator.dive(time.monotonic() + 60)
    assert state.converged and state.lower_bound is not None and roster is not None
    check = check_roster(instance, assignments_of(roster))
    assert check.feasible
    assert state.lower_bound <= check.objective <= 1.12 * state.lower_bound


@needs_benchmarks
def test_a_fixed_schedule_is_the_only_one_its_employee_keeps_in_the_lp() -> None:
    # the LP must give the employee exactly the fixed column, at a cost
    prep = Prepared.of(to_planning_instance(read_instance(BENCHMARKS / "Instance5.txt")))
    with ColumnGenerator(prep, {}, seed=0, workers=2) as generator:
        generator.run(time.monotonic() + 60)
        master = generator.master
        assert master.solve() is not None
        before = master.value
        employee = next(e for e in generator.employees if len(master.vars[e]) > 2)
        # the column the LP likes least: fixing it must cost something
        column = min(master.vars[employee], key=lambda vc: vc[0].solution_value())[1]
        master.fix(employee, column)
        assert master.solve() is not None
        shares = {id(c): var.solution_value() for var, c in master.vars[employee]}
    assert shares[id(column)] == pytest.approx(1.0)
    assert sum(shares.values()) == pytest.approx(1.0)
    assert master.value >= before - 1e-6


@needs_benchmarks
def test_the_support_holds_every_schedule_the_lp_uses_and_few_others() -> None:
    prep = Prepared.of(to_planning_instance(read_instance(BENCHMARKS / "Instance5.txt")))
    with ColumnGenerator(prep, {}, seed=0, workers=2) as generator:
        generator.run(time.monotonic() + 60)
        support = generator.support()
        master = generator.master
        solved = master.solve()
        assert solved is not None and master.solve() is solved  # the LP did not change
        for employee, options in master.vars.items():
            cells = {(d, s, g) for d, day in enumerate(support[employee]) for s, g in day}
            used = [c for var, c in options if var.solution_value() > SUPPORT_EPSILON]
            assert used and all(column.cells <= cells for column in used)
            # the rest of the support comes from the few columns closest to entering
            generated = set().union(*(column.cells for _, column in options))
            assert cells <= generated
            others = sorted((len(c.cells) for _, c in options if c not in used), reverse=True)
            assert len(cells) <= sum(len(c.cells) for c in used) + sum(others[:SUPPORT_EXTRA])


def test_a_rule_the_programme_leaves_out_is_kept_by_cp_sat_and_in_the_bound() -> None:
    # the weekly rest is not in the programme's state: its cheapest schedule works all 14
    # days (bound 0); CP-SAT confirms each employee once the programme runs out of
    # columns, and one employee's LP is the cost of its best schedule that rests
    instance = an_instance(
        days=14, rules=PlanningRules(min_weekly_rest=36 * 60), under_weight=100,
        employees=(an_employee("A", target_minutes=14 * 480, under_target_weight=1),))
    optimum = solve(instance, SolveOptions(time_limit=30, seed=0))
    assert optimum.status is PlanStatus.OPTIMAL
    assert optimum.objective is not None and optimum.objective > 0
    state = generate(Prepared.of(instance), {}, time.monotonic() + 30, seed=0, workers=2)
    assert state.converged and state.lower_bound is not None
    assert state.lower_bound == pytest.approx(optimum.objective)


@pytest.mark.slow
@needs_benchmarks
def test_column_generation_converges_on_an_84_day_instance() -> None:
    # 22 employees over 84 days: CP-SAT could not price one employee within its budget,
    # so column generation gave up after its first round; the programme prices them all
    instance = to_planning_instance(read_instance(BENCHMARKS / "Instance18.txt"))
    state = generate(Prepared.of(instance), {}, time.monotonic() + 120, seed=0, workers=2)
    assert state.converged and state.lower_bound is not None
    assert 0.97 * 4459 <= state.lower_bound <= 4459 + 1e-6  # 4 459 is proven optimal
