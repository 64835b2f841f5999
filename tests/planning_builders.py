"""Tiny planning instances for tests: one group, day shifts, every rule off unless asked."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from insats.domain.planning import (
    Assignment,
    Demand,
    PlanEmployee,
    PlanGroup,
    PlanningInstance,
    PlanningRules,
    PlanShift,
)

DAY = PlanShift("D", start=7 * 60, duration=8 * 60, work_minutes=8 * 60)
EVENING = PlanShift("E", start=14 * 60, duration=8 * 60, work_minutes=8 * 60)
NIGHT = PlanShift("N", start=21 * 60, duration=10 * 60, work_minutes=10 * 60)
GROUP = "g"


def an_employee(name: str, **changes: Any) -> PlanEmployee:
    return replace(PlanEmployee(name, groups=frozenset({GROUP})), **changes)


def an_instance(days: int = 7, *, employees: tuple[PlanEmployee, ...] | None = None,
                shifts: tuple[PlanShift, ...] = (DAY,), preferred: int = 1,
                under_weight: int = 100, over_weight: int = 1,
                demand: tuple[Demand, ...] | None = None, rules: PlanningRules | None = None,
                groups: dict[str, PlanGroup] | None = None, **changes: Any) -> PlanningInstance:
    staff = employees if employees is not None else (an_employee("A"),)
    if demand is None:
        demand = tuple(Demand(GROUP, day, shift.id, preferred, under_weight, over_weight)
                       for day in range(days) for shift in shifts)
    instance = PlanningInstance(
        name="test", days=days, shifts={s.id: s for s in shifts},
        groups=groups or {GROUP: PlanGroup(GROUP, "Gruppen")},
        employees={e.id: e for e in staff}, demand=demand,
        rules=rules or PlanningRules(), **changes,
    )
    return instance


def worked(employee: str, days: list[int], shift: str = "D",
           group: str = GROUP) -> list[Assignment]:
    return [Assignment(employee, day, shift, group) for day in days]
