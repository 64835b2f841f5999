"""A first roster fast: a greedy pass per employee, CP-SAT only where the greedy fails.

For long horizons (a year, 150 staff) even building one exact model per employee takes
longer than a planner waits, so the first roster is made day by day: for each employee in
turn, each day is worked or free by the sequence rules (runs of shifts and of days off,
weekends, the pace needed to reach the contract minutes), and a worked day takes the
allowed shift with the most uncovered demand. The result is checked with the validator's
rules for that employee; for one it fails, a day-by-day exact programme looks for a work
pattern that keeps the sequence rules (``optimizer.patterns``), and an employee that still
fails is solved exactly with CP-SAT (feasibility first).
"""

from __future__ import annotations

from collections import Counter

from insats.domain.planning import (
    Assignment,
    Breach,
    PlanEmployee,
    PlanningInstance,
    RequestKind,
)
from insats.domain.validate import employee_breaches
from insats.optimizer.model import Cell, Prepared, Roster
from insats.optimizer.patterns import pattern_schedule


def greedy_schedule(prep: Prepared, employee: PlanEmployee,
                    staffed: Counter[tuple[str, int, str]],
                    aim_high: bool = False) -> dict[int, Cell]:
    """One employee's days, chosen greedily against the staffing ``staffed`` so far.

    The pace aims at the middle of the contract's range, or at its top with
    ``aim_high`` (for contracts whose range is too narrow to reach from the middle)."""
    instance = prep.instance
    days = instance.days
    limit = instance.max_horizon_minutes()
    top = employee.max_minutes if employee.max_minutes is not None else 10**9
    if limit is not None:
        top = min(top, limit)
    goal = employee.target_minutes if employee.target_minutes is not None else (
        employee.min_minutes + (top if top < 10**9 else employee.min_minutes)) // 2
    goal = max(goal, employee.min_minutes)
    if aim_high and top < 10**9:
        goal = top
    most = employee.max_consecutive_shifts or days
    schedule: dict[int, Cell] = {}
    counts: Counter[str] = Counter()
    weekends: set[int] = set()
    minutes = 0
    work_run = 0
    off_run = 0
    run_from_start = True  # the current run touches day 0 and is exempt from minimums
    previous: str | None = None
    rested: set[int] = set()  # seven-day blocks that already have their weekly rest
    for day in range(days):
        cells = [c for c in prep.cells_of_day(employee.id, day)
                 if counts[c[0]] < employee.max_shifts.get(c[0], days)
                 and (previous is None or c[0] not in prep.forbidden_after.get(previous, ()))
                 and minutes + instance.shifts[c[0]].work_minutes <= top
                 and _room_in_demand(prep, staffed, day, c)]
        weekend = instance.weekend_index(day) if instance.is_weekend(day) else None
        if weekend is not None and weekend not in weekends and employee.max_weekends is not None \
                and len(weekends) >= employee.max_weekends:
            cells = []
        pinned = prep.pinned.get((employee.id, day))
        if pinned is not None:
            cells = [pinned]
        must_work = pinned is not None or (
            0 < work_run < employee.min_consecutive_shifts and not run_from_start)
        must_rest = work_run >= most or (
            0 < off_run < employee.min_consecutive_days_off and not run_from_start
        ) or _weekly_rest_due(instance, day, rested)
        if not cells or (must_rest and not must_work):
            work = False
        elif must_work:
            work = True
        else:
            pace = goal * (day + 1) // days
            starting = work_run == 0
            shortest = min(instance.shifts[c[0]].work_minutes for c in cells)
            minutes_left = minutes + shortest * employee.min_consecutive_shifts <= top
            room = starting and not (minutes_left
                                     and _room_for_run(prep, employee, day, weekends))
            work = not room and (minutes < pace or (_need(prep, staffed, day, cells) > 0
                                                       and minutes < goal))
        if work and cells:
            if work_run + 1 < employee.min_consecutive_shifts and day + 1 < days:
                # the run must go on tomorrow: keep a shift that tomorrow's shifts may follow
                tomorrow = {c[0] for c in prep.cells_of_day(employee.id, day + 1)}
                cells = [c for c in cells
                         if tomorrow - prep.forbidden_after.get(c[0], frozenset())] or cells
            behind = minutes < goal * (day + 1) // days
            best = max(cells, key=lambda c: (
                _score(prep, employee.id, day, c, staffed),
                instance.shifts[c[0]].work_minutes if behind else 0))
            schedule[day] = best
            counts[best[0]] += 1
            minutes += instance.shifts[best[0]].work_minutes
            if weekend is not None:
                weekends.add(weekend)
            if work_run == 0:
                run_from_start = day == 0
            work_run, off_run, previous = work_run + 1, 0, best[0]
        else:
            if off_run == 0:
                run_from_start = day == 0
            if off_run > 0 or day in (0, days - 1):
                # two days off in a row (or one at an edge) always give the weekly rest
                rested.add(day // 7)
                rested.add((day - 1) // 7)
            work_run, off_run, previous = 0, off_run + 1, None
    return schedule


def _weekly_rest_due(instance: PlanningInstance, day: int, rested: set[int]) -> bool:
    """With the weekly-rest rule on, a full block without its rest must rest on its last
    two days (two days off in a row always qualify; see ``insats.domain.validate``)."""
    if instance.rules.min_weekly_rest is None:
        return False
    block = day // 7
    block_end = block * 7 + 7
    return block_end <= instance.days and block not in rested and block_end - day <= 2


def _room_for_run(prep: Prepared, employee: PlanEmployee, day: int, weekends: set[int]) -> bool:
    """Whether a run of the minimum length can start on ``day`` (cells, weekends left)."""
    instance = prep.instance
    needed = employee.min_consecutive_shifts
    new_weekends = {instance.weekend_index(d) for d in range(day, min(day + needed,
                                                                     instance.days))
                    if instance.is_weekend(d)} - weekends
    if employee.max_weekends is not None and len(weekends) + len(new_weekends) > (
        employee.max_weekends
    ):
        return False
    return all(d >= instance.days or prep.cells_of_day(employee.id, d)
               for d in range(day, day + needed))


def _room_in_demand(prep: Prepared, staffed: Counter[tuple[str, int, str]], day: int,
                    cell: Cell) -> bool:
    maximum = prep.demand[(cell[1], day, cell[0])].maximum
    return maximum is None or staffed[(cell[1], day, cell[0])] < maximum


def _need(prep: Prepared, staffed: Counter[tuple[str, int, str]], day: int,
          cells: list[Cell]) -> int:
    """The largest shortfall against the preferred staffing among ``cells`` on ``day``."""
    return max((prep.demand[(g, day, s)].preferred - staffed[(g, day, s)] for s, g in cells),
               default=0)


def _score(prep: Prepared, employee: str, day: int, cell: Cell,
           staffed: Counter[tuple[str, int, str]]) -> float:
    shift, group = cell
    need = prep.demand[(group, day, shift)]
    have = staffed[(group, day, shift)]
    value = float(need.under_weight if have < need.preferred else -need.over_weight)
    for wanted, weight, kind in prep.requests.get((employee, day), ()):
        if wanted in (None, shift):
            value += weight if kind is RequestKind.ON else -weight
    return value


def _breaches(prep: Prepared, employee: PlanEmployee, schedule: dict[int, Cell]) -> list[Breach]:
    rows = {(employee.id, d): Assignment(employee.id, d, s, g) for d, (s, g) in schedule.items()}
    return employee_breaches(prep.instance, employee, rows)


def greedy_roster(prep: Prepared, order: list[str], roster: Roster) -> tuple[Roster, list[str]]:
    """Greedy schedules for ``order``; returns the roster and the employees whose schedule
    in it breaks one of their rules (the best attempt is kept for them)."""
    instance = prep.instance
    staffed: Counter[tuple[str, int, str]] = Counter(
        (g, d, s) for (_, d), (s, g) in roster.items())
    failed: list[str] = []
    for name in order:
        employee = instance.employees[name]
        # first with the cover in mind; then the pace and the rules alone (cover left to
        # the search); then aiming at the top of the contract range. If all break a rule,
        # the attempt that breaks fewest stays, and the employee is handed back.
        attempts = (greedy_schedule(prep, employee, staffed),
                    greedy_schedule(prep, employee, Counter()),
                    greedy_schedule(prep, employee, Counter(), aim_high=True))
        schedule = min(attempts, key=lambda found: len(_breaches(prep, employee, found)))
        if _breaches(prep, employee, schedule):
            # a contract that leaves almost a single pattern: found exactly, if it exists
            pattern = pattern_schedule(prep, employee)
            if pattern is not None and not _breaches(prep, employee, pattern):
                schedule = pattern
            else:
                failed.append(name)
        for day, (shift, group) in schedule.items():
            roster[(name, day)] = (shift, group)
            staffed[(group, day, shift)] += 1
    return roster, failed
