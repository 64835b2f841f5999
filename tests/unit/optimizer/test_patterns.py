"""The exact day-by-day pattern for a contract the greedy cannot meet (optimizer.patterns),
each schedule checked by the validator."""

from __future__ import annotations

from insats.domain.planning import Assignment, Breach, PlanEmployee, PlanningInstance
from insats.domain.validate import employee_breaches
from insats.optimizer.benchmarks.adapter import to_planning_instance
from insats.optimizer.benchmarks.shift_scheduling import read_instance
from insats.optimizer.construct import greedy_roster
from insats.optimizer.model import Cell, Prepared, assignments_of
from insats.optimizer.patterns import pattern_schedule
from tests.benchmark_files import BENCHMARKS, needs_benchmarks
from tests.planning_builders import an_employee, an_instance

SHIFT = 480


def _breaches(instance: PlanningInstance, employee: PlanEmployee,
              schedule: dict[int, Cell]) -> list[Breach]:
    rows = {(employee.id, d): Assignment(employee.id, d, s, g)
            for d, (s, g) in schedule.items()}
    return employee_breaches(instance, employee, rows)


def test_a_contract_that_allows_one_pattern_gets_it() -> None:
    # twenty shifts in four weeks, no weekend, at most five in a row: Monday to Friday
    employee = an_employee("A", min_minutes=20 * SHIFT, max_consecutive_shifts=5,
                           min_consecutive_shifts=2, min_consecutive_days_off=2,
                           max_weekends=0)
    instance = an_instance(days=28, employees=(employee,))
    schedule = pattern_schedule(Prepared.of(instance), employee)
    assert schedule is not None
    assert sorted(schedule) == [d for d in range(28) if instance.weekday(d) < 5]
    assert _breaches(instance, employee, schedule) == []


def test_runs_and_rests_at_the_edges_follow_the_rules() -> None:
    # eleven of fourteen days with at most five in a row and two days off between runs:
    # only runs touching the horizon's ends may be shorter, so ten is the most
    rules = {"max_consecutive_shifts": 5, "min_consecutive_shifts": 2,
             "min_consecutive_days_off": 2}
    too_many = an_employee("A", min_minutes=11 * SHIFT, **rules)
    assert pattern_schedule(Prepared.of(an_instance(days=14, employees=(too_many,))),
                            too_many) is None
    ten = an_employee("A", min_minutes=10 * SHIFT, max_minutes=10 * SHIFT, **rules)
    instance = an_instance(days=14, employees=(ten,))
    schedule = pattern_schedule(Prepared.of(instance), ten)
    assert schedule is not None and len(schedule) == 10
    assert _breaches(instance, ten, schedule) == []


def test_weekends_and_unavailable_days_are_kept() -> None:
    employee = an_employee("A", min_minutes=9 * SHIFT, max_minutes=9 * SHIFT,
                           max_consecutive_shifts=5, min_consecutive_days_off=2,
                           max_weekends=1, unavailable=frozenset({0, 7}))
    instance = an_instance(days=14, employees=(employee,))
    schedule = pattern_schedule(Prepared.of(instance), employee)
    assert schedule is not None and len(schedule) == 9
    assert not {0, 7} & set(schedule)
    assert len({d // 7 for d in schedule if instance.is_weekend(d)}) <= 1
    assert _breaches(instance, employee, schedule) == []


@needs_benchmarks
def test_every_employee_of_instance22_gets_a_schedule_that_keeps_their_rules() -> None:
    """The greedy alone leaves I, AN and D without one; CP-SAT found I only by luck."""
    instance = to_planning_instance(read_instance(BENCHMARKS / "Instance22.txt"))
    roster, failed = greedy_roster(Prepared.of(instance), list(instance.employees), {})
    assert failed == []
    rows = {(a.employee, a.day): a for a in assignments_of(roster)}
    for employee in instance.employees.values():
        assert employee_breaches(instance, employee, rows) == []
