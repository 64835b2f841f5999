"""The shift scheduling benchmark as a ``PlanningInstance``, and rosters back as its rows.

The benchmark has one place of work, so every shift goes to the single group
``BENCHMARK_GROUP``. Shift types carry no start time: the benchmark's own "cannot follow"
lists become forbidden successions and no rest rule is switched on. Day 0 is a Monday.
"""

from __future__ import annotations

from collections.abc import Iterable

from insats.domain.planning import (
    Assignment,
    Demand,
    PlanEmployee,
    PlanGroup,
    PlanningInstance,
    PlanningRules,
    PlanShift,
    RequestKind,
    ShiftRequest,
)
from insats.optimizer.benchmarks.shift_scheduling import ShiftSchedulingInstance

BENCHMARK_GROUP = "benchmark"


def to_planning_instance(source: ShiftSchedulingInstance) -> PlanningInstance:
    shifts = {
        shift.id: PlanShift(shift.id, start=0, duration=shift.minutes, work_minutes=shift.minutes)
        for shift in source.shifts.values()
    }
    groups = {BENCHMARK_GROUP: PlanGroup(BENCHMARK_GROUP, "Benchmark")}
    employees = {
        member.id: PlanEmployee(
            id=member.id,
            groups=frozenset({BENCHMARK_GROUP}),
            min_minutes=member.min_total_minutes,
            max_minutes=member.max_total_minutes,
            max_shifts={shift: member.max_shifts.get(shift, 0) for shift in source.shifts},
            max_consecutive_shifts=member.max_consecutive_shifts,
            min_consecutive_shifts=max(1, member.min_consecutive_shifts),
            min_consecutive_days_off=max(1, member.min_consecutive_days_off),
            max_weekends=member.max_weekends,
            unavailable=source.days_off.get(member.id, frozenset()),
        )
        for member in source.staff.values()
    }
    requests = tuple(
        ShiftRequest(r.employee, r.day, r.shift, r.weight, kind)
        for kind, rows in ((RequestKind.ON, source.on_requests),
                           (RequestKind.OFF, source.off_requests))
        for r in rows
    )
    demand = tuple(
        Demand(BENCHMARK_GROUP, c.day, c.shift, preferred=c.requirement,
               under_weight=c.under_weight, over_weight=c.over_weight)
        for c in source.cover
    )
    successions = frozenset(
        (shift.id, blocked) for shift in source.shifts.values() for blocked in shift.cannot_follow
    )
    return PlanningInstance(
        name=source.name, days=source.horizon, shifts=shifts, groups=groups,
        employees=employees, demand=demand, requests=requests,
        rules=PlanningRules(forbidden_successions=successions), first_weekday=0,
    )


def benchmark_rows(assignments: Iterable[Assignment]) -> list[tuple[str, int, str]]:
    """(employee, day, shift) rows, sorted, as the benchmark's roster files hold them."""
    return sorted((a.employee, a.day, a.shift) for a in assignments)


def from_benchmark_rows(rows: Iterable[tuple[str, int, str]]) -> list[Assignment]:
    return [Assignment(employee, day, shift, BENCHMARK_GROUP) for employee, day, shift in rows]
