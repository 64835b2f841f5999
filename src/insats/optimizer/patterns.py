"""One employee's work pattern found exactly, day by day, when the greedy cannot.

A contract that needs nearly every day the sequence rules allow (232 of 364 days, at most 5
in a row, at least 2 days off between runs, at most 26 weekends) leaves almost a single
pattern. The greedy misses it, and CP-SAT finds it by luck or not at all. Here it is a
dynamic programme over the days: the state is the current run of worked days or days off
(whether it began on day 0, which exempts it from the minimums), the weekends worked so
far and whether this week's weekend is already counted; each state keeps the set of
worked-day counts that can reach it (a bit set). Every worked day takes one shift type
that may follow itself and has no maximum below the horizon, so the shift rules hold by
construction; the caller checks the schedule with the validator all the same (weekly
rest, the 48-hour average and the like are not modelled here).
"""

from __future__ import annotations

from insats.domain.planning import PlanEmployee, PlanningInstance
from insats.optimizer.model import Cell, Prepared

# the run of worked days, of days off, whether the run began on day 0, weekends worked,
# whether this week's weekend is counted
State = tuple[int, int, bool, int, bool]


def pattern_schedule(prep: Prepared, employee: PlanEmployee) -> dict[int, Cell] | None:
    """A schedule that keeps ``employee``'s sequence, weekend and minutes rules using one
    shift type, or None when no such schedule exists (or no shift type qualifies)."""
    instance = prep.instance
    days = instance.days
    shift = _single_shift(prep, employee)
    if shift is None or any(e == employee.id for e, _ in prep.pinned):
        return None  # pinned days are the search's to keep
    cells: list[Cell | None] = [next((c for c in prep.cells_of_day(employee.id, d)
                                      if c[0] == shift), None) for d in range(days)]
    minutes = instance.shifts[shift].work_minutes
    top = employee.max_minutes
    limit = instance.max_horizon_minutes()
    if limit is not None:
        top = limit if top is None else min(top, limit)
    fewest = -(-employee.min_minutes // minutes)
    most = days if top is None else top // minutes
    if fewest > most:
        return None
    layers = _forward(instance, employee, cells)
    wanted = sum(1 << n for n in range(fewest, most + 1))
    finals = [s for s, mask in layers[-1].items() if mask & wanted]
    if not finals:
        return None
    state = finals[0]
    count = (layers[-1][state] & wanted).bit_length() - 1
    schedule: dict[int, Cell] = {}
    for day in range(days - 1, -1, -1):
        worked = state[0] > 0
        if worked:
            cell = cells[day]
            assert cell is not None
            schedule[day] = cell
            count -= 1
        if day == 0:
            break
        state = next(p for p, mask in layers[day - 1].items()
                     if mask >> count & 1
                     and _step(instance, employee, p, day, worked) == state)
    return schedule


def _single_shift(prep: Prepared, employee: PlanEmployee) -> str | None:
    """The shift type offered on most of the employee's days that has working minutes, may
    follow itself and whose maximum does not bind."""
    instance = prep.instance
    offered: dict[str, int] = {}
    for day in range(instance.days):
        for shift in {c[0] for c in prep.cells_of_day(employee.id, day)}:
            offered[shift] = offered.get(shift, 0) + 1
    fits = [s for s in offered
            if instance.shifts[s].work_minutes > 0  # on-call alone counts no minutes
            and employee.max_shifts.get(s, instance.days) >= instance.days
            and s not in prep.forbidden_after.get(s, ())]
    return max(fits, key=lambda s: (offered[s], s), default=None)


def _forward(instance: PlanningInstance, employee: PlanEmployee,
             cells: list[Cell | None]) -> list[dict[State, int]]:
    """For each day, the states reachable after it and their worked-day counts."""
    layers: list[dict[State, int]] = []
    current: dict[State, int] = {}
    for day, cell in enumerate(cells):
        following: dict[State, int] = {}
        sources = current.items() if day else [(None, 1)]
        for state, mask in sources:
            for worked in ((False, True) if cell is not None else (False,)):
                after = _step(instance, employee, state, day, worked)
                if after is not None:
                    following[after] = following.get(after, 0) | (mask << 1 if worked else mask)
        layers.append(following)
        current = following
    return layers


def _step(instance: PlanningInstance, employee: PlanEmployee, state: State | None, day: int,
          worked: bool) -> State | None:
    """The state after ``day`` worked or not, from ``state`` after the day before (None:
    before day 0, as after a long rest); None when a rule forbids it. A run that reaches
    the last day is never checked against the minimums, as the rules exempt it."""
    work, off, from_start, weekends, counted = state or (0, 0, True, 0, False)
    if instance.weekday(day) == 0:
        counted = False
    if worked:
        if off and not from_start and off < employee.min_consecutive_days_off:
            return None
        most = employee.max_consecutive_shifts
        if most is not None and work + 1 > most:
            return None
        if instance.is_weekend(day) and not counted:
            weekends += 1
            counted = True
            if employee.max_weekends is not None and weekends > employee.max_weekends:
                return None
        begins = work == 0
        run = work + 1 if most is not None else min(work + 1, employee.min_consecutive_shifts)
        return (run, 0, from_start if not begins else state is None, weekends, counted)
    if work and not from_start and work < employee.min_consecutive_shifts:
        return None
    begins = off == 0
    capped = min(off + 1, employee.min_consecutive_days_off)
    return (0, capped, from_start if not begins else state is None, weekends, counted)
