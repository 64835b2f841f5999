"""The change in the objective when one part of a roster changes.

A neighbourhood of the search changes only its free employees on its window of days, so
only the cover of those days and those employees' own costs can change. Pricing just that
(about employees × window cells) instead of the whole roster keeps a year-long search
from spending its time on arithmetic it already knows. The prices are the validator's
(``request_cost``, ``contract_penalty``); the distinct-employee limit needs every group's
members, so with such groups the caller prices the whole roster instead.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from insats.domain.planning import Demand, PlanEmployee
from insats.domain.validate import contract_penalty, request_cost
from insats.optimizer.model import Cell, Prepared, Roster


def part_change(prep: Prepared, old: Roster, new: Roster, free: list[str],
                window: range) -> int | None:
    """new's objective minus old's, where the two differ only for ``free`` on ``window``
    days; None when the change cannot be priced locally (distinct-employee limits)."""
    if prep.limited_groups:
        return None
    instance = prep.instance
    freed = set(free)
    before = _part_state(prep, old, freed, window)
    after = _part_state(prep, new, freed, window)
    change = 0
    for day in window:
        for need in prep.demand_by_day.get(day, ()):
            key = (need.group, day, need.shift)
            fixed = before.fixed_cover[key]
            change += _cover_cost(need, fixed + after.free_cover[key])
            change -= _cover_cost(need, fixed + before.free_cover[key])
    for employee_id in freed:
        employee = instance.employees[employee_id]
        change += sum(contract_penalty(employee, after.minutes[employee_id]))
        change -= sum(contract_penalty(employee, before.minutes[employee_id]))
        for day in window:
            requests = prep.requests.get((employee_id, day), ())
            old_cell, new_cell = old.get((employee_id, day)), new.get((employee_id, day))
            if old_cell == new_cell:
                continue
            for shift, weight, kind in requests:
                change += request_cost(shift, kind, weight, new_cell[0] if new_cell else None)
                change -= request_cost(shift, kind, weight, old_cell[0] if old_cell else None)
            if employee.foreign_group_weight:
                change += employee.foreign_group_weight * (
                    _is_foreign(employee, new_cell) - _is_foreign(employee, old_cell))
    return change


class _PartState:
    __slots__ = ("fixed_cover", "free_cover", "minutes")

    def __init__(self) -> None:
        self.fixed_cover: Counter[tuple[str, int, str]] = Counter()
        self.free_cover: Counter[tuple[str, int, str]] = Counter()
        self.minutes: dict[str, int] = defaultdict(int)


def _part_state(prep: Prepared, roster: Roster, freed: set[str], window: range) -> _PartState:
    state = _PartState()
    shifts = prep.instance.shifts
    for (employee, day), (shift, group) in roster.items():
        free = employee in freed
        if free:
            state.minutes[employee] += shifts[shift].work_minutes
        if day in window:
            target = state.free_cover if free else state.fixed_cover
            target[(group, day, shift)] += 1
    return state


def _cover_cost(need: Demand, count: int) -> int:
    return (max(0, need.preferred - count) * need.under_weight
            + max(0, count - need.preferred) * need.over_weight)


def _is_foreign(employee: PlanEmployee, cell: Cell | None) -> int:
    return 0 if cell is None or employee.is_home(cell[1]) else 1
