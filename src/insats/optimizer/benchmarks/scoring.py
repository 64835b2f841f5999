"""Independent scoring of a roster against the shift scheduling benchmark's rules.

Solver-independent: it is the specification the engine is measured by. Hard rules and the
soft objective follow shared/benchmarks/shift-scheduling/README.md:

Hard: (1) one shift per employee and day; (2) no shift in s's cannot-follow list the day
after s; (3) MaxShifts per type; (4) max and min total minutes; (5) max consecutive
shifts; (6) min consecutive shifts, runs touching day 0 or the last day exempt; (7) min
consecutive days off, runs touching either end exempt; (8) max weekends worked (Saturday
or Sunday, day mod 7 in {5, 6}); (9) no shift on a listed day off.
Soft: unmet shift-on request (weight); met shift-off request (weight); cover below the
requirement ((req − x) × under weight) and above it ((x − req) × over weight).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from insats.optimizer.benchmarks.shift_scheduling import ShiftSchedulingInstance

Assignment = tuple[str, int, str]  # (employee, day, shift)


@dataclass(frozen=True, slots=True)
class RosterScore:
    hard_violations: tuple[str, ...]
    shift_on_requests: int
    shift_off_requests: int
    under_cover: int
    over_cover: int

    @property
    def objective(self) -> int:
        return self.shift_on_requests + self.shift_off_requests + self.under_cover + self.over_cover

    @property
    def feasible(self) -> bool:
        return not self.hard_violations


def _runs(worked: list[bool], value: bool) -> list[tuple[int, int]]:
    """(start, length) of each maximal run of ``value`` in ``worked``."""
    runs: list[tuple[int, int]] = []
    start: int | None = None
    for day, flag in enumerate([*worked, not value]):
        if flag == value and start is None:
            start = day
        elif flag != value and start is not None:
            runs.append((start, day - start))
            start = None
    return runs


def score_roster(instance: ShiftSchedulingInstance,
                 assignments: Iterable[Assignment]) -> RosterScore:
    """Check every hard rule and price the soft ones; never raises on a bad roster."""
    horizon = instance.horizon
    violations: list[str] = []
    plan: dict[tuple[str, int], str] = {}
    for employee, day, shift in assignments:
        if employee not in instance.staff or shift not in instance.shifts or not (
            0 <= day < horizon
        ):
            violations.append(f"okänd rad {employee},{day},{shift}")
            continue
        if (employee, day) in plan:
            violations.append(f"{employee} har två pass dag {day}")
            continue
        plan[(employee, day)] = shift
    for employee_id in instance.staff:
        violations += _employee_violations(instance, employee_id, plan)
    on = sum(r.weight for r in instance.on_requests
             if plan.get((r.employee, r.day)) != r.shift)
    off = sum(r.weight for r in instance.off_requests
              if plan.get((r.employee, r.day)) == r.shift)
    staffed = Counter((day, shift) for (_, day), shift in plan.items())
    under = over = 0
    for cover in instance.cover:
        working = staffed[(cover.day, cover.shift)]
        under += max(0, cover.requirement - working) * cover.under_weight
        over += max(0, working - cover.requirement) * cover.over_weight
    return RosterScore(tuple(violations), on, off, under, over)


def _employee_violations(instance: ShiftSchedulingInstance, employee_id: str,
                         plan: dict[tuple[str, int], str]) -> list[str]:
    member = instance.staff[employee_id]
    horizon = instance.horizon
    days = [plan.get((employee_id, day)) for day in range(horizon)]
    worked = [shift is not None for shift in days]
    found: list[str] = []
    for day in range(horizon - 1):
        today, tomorrow = days[day], days[day + 1]
        if today is not None and tomorrow is not None and (
            tomorrow in instance.shifts[today].cannot_follow
        ):
            found.append(f"{employee_id}: {tomorrow} dag {day + 1} får inte följa {today}")
    counts = Counter(shift for shift in days if shift is not None)
    for shift, count in counts.items():
        limit = member.max_shifts.get(shift, 0)
        if count > limit:
            found.append(f"{employee_id}: {count} pass {shift}, högst {limit}")
    minutes = sum(instance.shifts[shift].minutes for shift in days if shift is not None)
    if not member.min_total_minutes <= minutes <= member.max_total_minutes:
        found.append(f"{employee_id}: {minutes} minuter utanför "
                     f"{member.min_total_minutes}–{member.max_total_minutes}")
    for start, length in _runs(worked, True):
        if length > member.max_consecutive_shifts:
            found.append(f"{employee_id}: {length} pass i följd från dag {start}")
        touches_end = start == 0 or start + length == horizon
        if length < member.min_consecutive_shifts and not touches_end:
            found.append(f"{employee_id}: bara {length} pass i följd från dag {start}")
    for start, length in _runs(worked, False):
        touches_end = start == 0 or start + length == horizon
        if length < member.min_consecutive_days_off and not touches_end:
            found.append(f"{employee_id}: bara {length} lediga dagar från dag {start}")
    weekends = {day // 7 for day in range(horizon) if worked[day] and day % 7 in (5, 6)}
    if len(weekends) > member.max_weekends:
        found.append(f"{employee_id}: {len(weekends)} helger, högst {member.max_weekends}")
    for day in sorted(instance.days_off.get(employee_id, frozenset())):
        if worked[day]:
            found.append(f"{employee_id}: pass på ledig dag {day}")
    return found
