"""The greedy first roster: it keeps each employee's rules or hands the employee back."""

from __future__ import annotations

from collections import Counter

from insats.domain.planning import Assignment, Demand, PlanningRules
from insats.domain.validate import check_roster, employee_breaches
from insats.optimizer.benchmarks.adapter import to_planning_instance
from insats.optimizer.benchmarks.shift_scheduling import read_instance
from insats.optimizer.construct import greedy_roster, greedy_schedule
from insats.optimizer.model import Prepared, assignments_of
from tests.benchmark_files import BENCHMARKS, needs_benchmarks
from tests.planning_builders import GROUP, an_employee, an_instance


def test_the_greedy_never_staffs_above_a_demand_maximum_and_keeps_pins() -> None:
    demand = tuple(Demand(GROUP, d, "D", 1, 100, 0, maximum=1) for d in range(5))
    pin = Assignment("B", 4, "D", GROUP)
    instance = an_instance(days=5, demand=demand, pinned=(pin,),
                           employees=(an_employee("A"), an_employee("B")))
    roster, failed = greedy_roster(Prepared.of(instance), ["B", "A"], {})
    assert failed == []
    rows = assignments_of(roster)
    assert pin in rows
    assert max(Counter(a.day for a in rows).values()) == 1
    assert check_roster(instance, rows).feasible


def test_an_employee_the_greedy_cannot_schedule_is_handed_back() -> None:
    # five shifts needed, three days unavailable: no schedule keeps the contract
    instance = an_instance(days=5, employees=(an_employee(
        "A", min_minutes=5 * 480, unavailable=frozenset({0, 1, 2})),))
    roster, failed = greedy_roster(Prepared.of(instance), ["A"], {})
    assert failed == ["A"]
    # the attempt that breaks fewest rules stays: days 3 and 4, short of the contract
    assert sorted(day for _, day in roster) == [3, 4]


@needs_benchmarks
def test_greedy_schedules_on_a_benchmark_keep_each_employee_s_rules() -> None:
    instance = to_planning_instance(read_instance(BENCHMARKS / "Instance10.txt"))
    prep = Prepared.of(instance)
    roster, failed = greedy_roster(prep, list(instance.employees), {})
    assert len(failed) < len(instance.employees) // 2
    rows = {(a.employee, a.day): a for a in assignments_of(roster)}
    for name, employee in instance.employees.items():
        if name not in failed:
            assert employee_breaches(instance, employee, rows) == []
    schedule = greedy_schedule(prep, instance.employees["A"], Counter())
    assert all(cell in prep.cells_of_day("A", day) for day, cell in schedule.items())


def test_the_greedy_keeps_the_weekly_rest() -> None:
    # cover wanted every day and a contract that pushes for work: without the weekly-rest
    # rule in mind the greedy would work seven days a week
    instance = an_instance(days=14, rules=PlanningRules(min_weekly_rest=36 * 60),
                           employees=(an_employee("A", target_minutes=14 * 480),))
    roster, failed = greedy_roster(Prepared.of(instance), ["A"], {})
    assert failed == []
    assert check_roster(instance, assignments_of(roster)).feasible
    assert len(roster) >= 10
