"""The roster engine: each rule family alone on a tiny case, relaxation, pins, determinism,
and small benchmark instances to their proven optimum. Every roster is checked by the
independent validator, and the engine's objective must be the validator's."""

from __future__ import annotations

import time

import pytest

from insats.domain.planning import (
    Assignment,
    Demand,
    PlanGroup,
    PlanningInstance,
    PlanningResult,
    PlanningRules,
    PlanStatus,
    RequestKind,
    ShiftRequest,
    Weights,
)
from insats.domain.validate import check_roster
from insats.optimizer.benchmarks.adapter import benchmark_rows, to_planning_instance
from insats.optimizer.benchmarks.scoring import score_roster
from insats.optimizer.benchmarks.shift_scheduling import read_instance
from insats.optimizer.engine import (
    SolveOptions,
    _column_generation_pays,
    _Search,
    _solve_support,
    solve,
)
from insats.optimizer.model import Cell, Prepared, Roster
from tests.benchmark_files import BENCHMARKS, needs_benchmarks
from tests.planning_builders import DAY, EVENING, GROUP, an_employee, an_instance, worked

QUICK = SolveOptions(time_limit=10, seed=1)


def solved(instance: PlanningInstance, options: SolveOptions = QUICK) -> PlanningResult:
    result = solve(instance, options)
    check = check_roster(instance, result.assignments)
    assert result.objective == check.objective
    assert result.breaches == check.breaches
    assert (result.status is PlanStatus.RELAXED) == (not check.feasible)
    return result


def test_cover_is_met_when_staff_allow_and_priced_when_not() -> None:
    instance = an_instance(days=7, employees=(an_employee("A", max_consecutive_shifts=3),
                                              an_employee("B", max_consecutive_shifts=3)))
    result = solved(instance)
    assert result.status is PlanStatus.OPTIMAL and result.objective == 0
    alone = an_instance(days=7, employees=(an_employee("A", max_consecutive_shifts=3),),
                        under_weight=50)
    result = solved(alone)
    # one person, at most three days in a row: six of seven days (3 + off + 3)
    assert result.objective == 50 and result.penalties["under_cover"] == 50


def test_a_group_without_staff_gets_the_empty_roster_with_its_cover_priced() -> None:
    # a unit whose employees have all left: nothing to choose, so the answer is proven
    result = solved(an_instance(days=7, employees=(), under_weight=50))
    assert result.assignments == ()
    assert result.status is PlanStatus.OPTIMAL
    assert result.objective == result.bound == 7 * 50


def test_rest_between_shifts_leaves_a_shift_uncovered() -> None:
    demand = (Demand(GROUP, 0, "E", 1, 10, 0), Demand(GROUP, 1, "D", 1, 20, 0))
    instance = an_instance(days=2, shifts=(DAY, EVENING), demand=demand,
                           rules=PlanningRules(min_daily_rest=11 * 60))
    result = solved(instance)
    assert result.assignments == tuple(worked("A", [1], "D"))
    assert result.objective == 10


def test_min_consecutive_and_days_off_shape_the_roster() -> None:
    # cover wanted on days 1 and 3 only; runs of two shifts and two days off are required,
    # so 1 and 3 alone are not allowed: the best is days 1-3, one shift over cover.
    demand = tuple(Demand(GROUP, d, "D", 1 if d in (1, 3) else 0, 10, 1) for d in range(5))
    instance = an_instance(days=5, demand=demand, employees=(an_employee(
        "A", min_consecutive_shifts=2, min_consecutive_days_off=2),))
    result = solved(instance)
    assert [a.day for a in result.assignments] == [1, 2, 3]
    assert result.objective == 1 and result.status is PlanStatus.OPTIMAL


def test_contract_minutes_force_work_and_weekends_are_limited() -> None:
    instance = an_instance(days=14, preferred=0, over_weight=1, employees=(an_employee(
        "A", min_minutes=10 * 480, max_weekends=1),))
    result = solved(instance)
    assert len(result.assignments) == 10
    weekend_days = {a.day for a in result.assignments if a.day % 7 in (5, 6)}
    assert len({d // 7 for d in weekend_days}) <= 1
    assert result.objective == 10


def test_requests_are_honoured_when_cover_allows() -> None:
    instance = an_instance(
        days=3, employees=(an_employee("A"), an_employee("B")), under_weight=100,
        requests=(ShiftRequest("A", 0, "D", 5, RequestKind.OFF),
                  ShiftRequest("B", 1, "D", 5, RequestKind.OFF)),
    )
    result = solved(instance)
    assert result.objective == 0
    assert Assignment("A", 0, "D", GROUP) not in result.assignments


def test_demand_maximum_is_never_exceeded_even_to_meet_contracts() -> None:
    demand = tuple(Demand(GROUP, d, "D", 1, 100, 0, maximum=1) for d in range(5))
    instance = an_instance(days=5, demand=demand, employees=(
        an_employee("A", target_minutes=5 * 480, under_target_weight=1),
        an_employee("B", target_minutes=5 * 480, under_target_weight=1)))
    result = solved(instance)
    assert len(result.assignments) == 5
    assert result.penalties["contract_under"] == 5 * 480


def test_co_planning_and_continuity_are_priced() -> None:
    home, other = "g", "h"
    groups = {home: PlanGroup(home), other: PlanGroup(other, max_distinct_employees=1)}
    demand = tuple(Demand(g, d, "D", 1, 100, 0, maximum=1) for g in groups for d in range(2))
    staff = (an_employee("A", groups=frozenset(groups), home_groups=frozenset({home}),
                         foreign_group_weight=3),
             an_employee("B", groups=frozenset(groups), home_groups=frozenset({other})),
             an_employee("C", groups=frozenset(groups), home_groups=frozenset({other})))
    instance = an_instance(days=2, demand=demand, employees=staff, groups=groups,
                           weights=Weights(continuity=50))
    result = solved(instance)
    # h is served by one person only (continuity), A stays home: nothing to pay
    assert result.objective == 0
    assert len({a.employee for a in result.assignments if a.group == other}) == 1


def test_an_impossible_employee_gets_a_roster_and_the_broken_rule_named() -> None:
    # A must work five shifts but is unavailable on three of five days
    instance = an_instance(days=5, employees=(an_employee(
        "A", min_minutes=5 * 480, unavailable=frozenset({0, 1, 2})),))
    result = solved(instance)
    assert result.status is PlanStatus.RELAXED
    assert {b.rule for b in result.breaches} == {"min_minutes"}
    assert any("min_minutes" in line for line in result.explanation)
    assert len(result.assignments) == 2


def test_pinned_shifts_stay_even_when_they_cost() -> None:
    pin = Assignment("A", 2, "D", GROUP)
    instance = an_instance(days=4, preferred=0, over_weight=9, pinned=(pin,))
    result = solved(instance)
    assert result.assignments == (pin,)
    assert result.objective == 9


def test_a_hint_that_keeps_the_rules_is_the_starting_point_and_replanning_keeps_pins() -> None:
    staff = (an_employee("A", max_consecutive_shifts=5), an_employee("B"))
    instance = an_instance(days=7, employees=staff)
    first = solved(instance)
    pins = tuple(a for a in first.assignments if a.employee == "B")
    replanned = solved(an_instance(days=7, employees=staff, pinned=pins),
                       SolveOptions(time_limit=10, seed=2, hint=first.assignments))
    assert set(pins) <= set(replanned.assignments)
    assert replanned.objective == first.objective == 0


@needs_benchmarks
def test_the_same_seed_and_iterations_give_the_same_roster() -> None:
    path = BENCHMARKS / "Instance3.txt"
    instance = to_planning_instance(read_instance(path))
    options = SolveOptions(time_limit=300, seed=7, max_iterations=3)
    first = solve(instance, options)
    second = solve(instance, options)
    assert first.assignments == second.assignments
    assert first.objective == second.objective


@needs_benchmarks
@pytest.mark.slow
@pytest.mark.parametrize(("number", "optimum"), [(1, 607), (2, 828), (3, 1001)])
def test_small_benchmark_instances_reach_their_proven_optimum(number: int, optimum: int) -> None:
    source = read_instance(BENCHMARKS / f"Instance{number}.txt")
    instance = to_planning_instance(source)
    result = solved(instance, SolveOptions(time_limit=60, seed=0))
    score = score_roster(source, benchmark_rows(result.assignments))
    assert score.feasible and score.objective == result.objective == optimum
    assert result.status is PlanStatus.OPTIMAL and result.bound == optimum


def test_restricting_the_cells_keeps_only_those_allowed_and_every_pin() -> None:
    pin = Assignment("A", 1, "E", GROUP)
    instance = an_instance(days=2, shifts=(DAY, EVENING),
                           employees=(an_employee("A"), an_employee("B")), pinned=(pin,))
    prep = Prepared.of(instance)
    narrow = prep.restricted({"A": [{("D", GROUP)}, set()]})
    assert narrow.options["A"] == ((("D", GROUP),), (("E", GROUP),))
    assert narrow.options["B"] == prep.options["B"]  # not named: every cell stays
    assert prep.options["A"][0] == (("D", GROUP), ("E", GROUP))  # the original is untouched


def test_the_model_on_the_supports_cells_finds_what_they_allow_but_proves_nothing() -> None:
    # A is off on day 0 by request; the start has A on all three days (cost 5), the
    # optimum has B on day 0 and A on days 1 and 2 (cost 0)
    instance = an_instance(
        days=3, employees=(an_employee("A"), an_employee("B")), under_weight=100,
        requests=(ShiftRequest("A", 0, "D", 5, RequestKind.OFF),
                  ShiftRequest("B", 1, "D", 5, RequestKind.OFF)))
    prep = Prepared.of(instance)
    start: Roster = {("A", day): ("D", GROUP) for day in range(3)}

    def search() -> _Search:
        return _Search(instance, prep, QUICK, None, time.monotonic(), dict(start), 5)

    only_the_start: dict[str, list[set[Cell]]] = {
        "A": [{("D", GROUP)}] * 3, "B": [set(), set(), set()]}
    stuck = search()
    _solve_support(stuck, only_the_start, share=1.0)
    assert stuck.roster == start and stuck.objective == 5
    assert not stuck.proven and stuck.bound is None

    with_the_optimum: dict[str, list[set[Cell]]] = {
        "A": [{("D", GROUP)}] * 3, "B": [{("D", GROUP)}, set(), set()]}
    found = search()
    _solve_support(found, with_the_optimum, share=1.0)
    assert found.objective == 0
    assert found.roster == {("B", 0): ("D", GROUP), ("A", 1): ("D", GROUP),
                            ("A", 2): ("D", GROUP)}
    # optimal over those cells is no proof for the instance
    assert not found.proven and found.bound is None


def test_column_generation_runs_on_half_year_horizons_when_the_limit_gives_it_rounds() -> None:
    def staff(count: int, days: int) -> PlanningInstance:
        return an_instance(days=days, employees=tuple(an_employee(f"E{i}")
                                                      for i in range(count)))

    # the sizes of Instance20, 21 and 22; column generation gets half the time limit
    assert _column_generation_pays(staff(50, 182), 30)  # 20 at 60 s
    assert not _column_generation_pays(staff(100, 182), 30)  # 21 at 60 s: 4 rounds
    assert _column_generation_pays(staff(100, 182), 60)  # 21 at 120 s
    assert not _column_generation_pays(staff(50, 364), 300)  # a year: not measured
    assert _column_generation_pays(staff(120, 28), 2.5)  # Instance13 at 5 s
    assert not _column_generation_pays(staff(40, 84), 2.5)  # Instance19 at 5 s
