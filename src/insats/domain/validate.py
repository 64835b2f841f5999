"""The specification of a roster: every hard rule checked, every soft term priced.

``check_roster`` takes any roster for a ``PlanningInstance`` (made by hand, imported or
produced by the engine) and returns the hard-rule breaches, each with a stable code and a
Swedish message, and the objective split into named penalties. The engine's own objective
must equal ``RosterCheck.objective`` for every roster it returns; tests hold it to that.

Hard rules (code):
- ``unknown``: an employee, shift, group or day the instance does not have;
- ``one_per_day``: at most one shift per employee and day;
- ``not_allowed``: a group the employee may not work in or lacks the skills for;
- ``unavailable``: a day the employee is unavailable;
- ``shift_length``: a shift type longer than the shift-length or work-plus-on-call limit;
- ``succession``: shift b the day after shift a where (a, b) is forbidden (listed, or less
  daily rest than required);
- ``max_shifts``: more shifts of a type than the employee's limit;
- ``min_minutes`` / ``max_minutes``: contract minutes over the horizon;
- ``max_consecutive``: more shifts in a row than allowed;
- ``min_consecutive``: a run of worked days shorter than required (runs that touch the
  first or last day are exempt);
- ``min_days_off``: a run of days off shorter than required (runs touching either end are
  exempt);
- ``max_weekends``: more weekends worked (a shift on Saturday or Sunday) than allowed;
- ``weekly_rest``: a full seven-day block from day 0 with no qualifying rest day: a day off
  next to another day off or the horizon's edge, or with at least the weekly rest between
  the end of the previous day's shift and the start of the next day's;
- ``average_week``: work plus on-call over the horizon above the weekly average limit;
- ``demand_min`` / ``demand_max``: staff in a group, day and shift outside the demand's
  hard minimum and maximum (no demand row means nobody is wanted there);
- ``pinned``: a pinned assignment missing.

Penalties (key): ``under_cover``, ``over_cover`` (per staff from the preferred level,
times the demand's weights), ``shift_on_requests`` (unmet), ``shift_off_requests`` (met),
``contract_under``, ``contract_over`` (per minute from the target), ``co_planning``
(shifts outside home groups),
``continuity`` (distinct employees above a group's limit).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from insats.domain.planning import (
    MINUTES_PER_DAY,
    Assignment,
    Breach,
    PlanEmployee,
    PlanningInstance,
    RequestKind,
)

PENALTY_LABELS: Mapping[str, str] = {
    "under_cover": "Underbemanning",
    "over_cover": "Överbemanning",
    "shift_on_requests": "Önskade pass som inte blev av",
    "shift_off_requests": "Pass mot önskemål om ledighet",
    "contract_under": "Kontraktstid som inte planerats",
    "contract_over": "Mertid och övertid",
    "co_planning": "Pass i andra grupper (samplanering)",
    "continuity": "Fler assistenter per brukare än målet",
    "relaxed_rules": "Avsteg från regler",
}


@dataclass(frozen=True, slots=True)
class RosterCheck:
    breaches: tuple[Breach, ...]
    penalties: Mapping[str, int]

    @property
    def feasible(self) -> bool:
        return not self.breaches

    @property
    def objective(self) -> int:
        return sum(self.penalties.values())


def contract_penalty(employee: PlanEmployee, minutes: int) -> tuple[int, int]:
    """(under, over) penalty for ``minutes`` worked against the target: weights per minute."""
    if employee.target_minutes is None:
        return 0, 0
    short = max(0, employee.target_minutes - minutes)
    extra = max(0, minutes - employee.target_minutes)
    return short * employee.under_target_weight, extra * employee.over_target_weight


def request_cost(wanted: str | None, kind: RequestKind, weight: int,
                 worked: str | None) -> int:
    """What a request costs when the employee works ``worked`` (None: free) that day: an
    unmet ON request or a met OFF request costs its weight; ``wanted`` None is any shift."""
    hit = worked is not None and wanted in (None, worked)
    return weight if (kind is RequestKind.ON) != hit else 0


def runs(flags: list[bool], value: bool) -> list[tuple[int, int]]:
    """(start, length) of each maximal run of ``value`` in ``flags``."""
    found: list[tuple[int, int]] = []
    start: int | None = None
    for index, flag in enumerate([*flags, not value]):
        if flag == value and start is None:
            start = index
        elif flag != value and start is not None:
            found.append((start, index - start))
            start = None
    return found


def check_roster(instance: PlanningInstance, roster: Iterable[Assignment]) -> RosterCheck:
    """Check every hard rule and price every soft term; never raises on a bad roster."""
    breaches: list[Breach] = []
    by_day: dict[tuple[str, int], Assignment] = {}
    for row in sorted(set(roster)):
        if (row.employee not in instance.employees or row.shift not in instance.shifts
                or row.group not in instance.groups or not 0 <= row.day < instance.days):
            breaches.append(Breach("unknown", f"Okänd rad {row.employee}, dag {row.day}, "
                                   f"{row.shift}, {row.group}", row.employee, row.day))
            continue
        if (row.employee, row.day) in by_day:
            breaches.append(Breach("one_per_day", f"{row.employee} har två pass dag {row.day}",
                                   row.employee, row.day))
            continue
        by_day[(row.employee, row.day)] = row
    rows = list(by_day.values())
    breaches += _placement_breaches(instance, rows)
    for employee in instance.employees.values():
        breaches += employee_breaches(instance, employee, by_day)
    breaches += _demand_breaches(instance, rows)
    missing = [pin for pin in instance.pinned if by_day.get((pin.employee, pin.day)) != pin]
    breaches += [Breach("pinned", f"Låst pass saknas: {pin.employee} dag {pin.day} "
                        f"{pin.shift} i {pin.group}", pin.employee, pin.day) for pin in missing]
    return RosterCheck(tuple(breaches), price_roster(instance, rows))


def _placement_breaches(instance: PlanningInstance, rows: list[Assignment]) -> list[Breach]:
    found: list[Breach] = []
    for row in rows:
        employee = instance.employees[row.employee]
        group = instance.groups[row.group]
        if row.group not in employee.groups or not group.required_skills <= employee.skills:
            found.append(Breach("not_allowed", f"{row.employee} får inte arbeta i "
                                f"{group.name or group.id}", row.employee, row.day))
        if row.day in employee.unavailable:
            found.append(Breach("unavailable", f"{row.employee} är inte tillgänglig dag "
                                f"{row.day}", row.employee, row.day))
        if not instance.shift_allowed(instance.shifts[row.shift]):
            found.append(Breach("shift_length", f"Passet {row.shift} är längre än reglerna "
                                "tillåter", row.employee, row.day))
    return found


def employee_breaches(instance: PlanningInstance, employee: PlanEmployee,
                       by_day: Mapping[tuple[str, int], Assignment]) -> list[Breach]:
    name = employee.id
    days = [by_day.get((name, day)) for day in range(instance.days)]
    shifts = [row.shift if row else None for row in days]
    worked = [shift is not None for shift in shifts]
    found: list[Breach] = []
    forbidden = instance.forbidden_pairs()
    for day in range(instance.days - 1):
        today, tomorrow = shifts[day], shifts[day + 1]
        if today is not None and tomorrow is not None and (today, tomorrow) in forbidden:
            found.append(Breach("succession", f"{name}: {tomorrow} dag {day + 1} får inte följa "
                                f"{today} (vilotid)", name, day + 1))
    for shift, count in sorted(Counter(s for s in shifts if s is not None).items()):
        limit = employee.max_shifts.get(shift)
        if limit is not None and count > limit:
            found.append(Breach("max_shifts", f"{name}: {count} pass {shift}, högst {limit}",
                                name))
    minutes = sum(instance.shifts[s].work_minutes for s in shifts if s is not None)
    if minutes < employee.min_minutes:
        found.append(Breach("min_minutes", f"{name}: {minutes} minuter, minst "
                            f"{employee.min_minutes}", name))
    if employee.max_minutes is not None and minutes > employee.max_minutes:
        found.append(Breach("max_minutes", f"{name}: {minutes} minuter, högst "
                            f"{employee.max_minutes}", name))
    found += _sequence_breaches(instance, employee, worked)
    weekends = instance.weekends_worked(d for d in range(instance.days) if worked[d])
    if employee.max_weekends is not None and weekends > employee.max_weekends:
        found.append(Breach("max_weekends", f"{name}: {weekends} helger, högst "
                            f"{employee.max_weekends}", name))
    found += _weekly_rest_breaches(instance, name, shifts)
    limit = instance.max_horizon_minutes()
    total = sum(instance.shifts[s].work_minutes + instance.shifts[s].on_call_minutes
                for s in shifts if s is not None)
    if limit is not None and total > limit:
        found.append(Breach("average_week", f"{name}: {total} minuter arbete och jour, högst "
                            f"{limit} i snitt 48 timmar i veckan", name))
    return found


def _sequence_breaches(instance: PlanningInstance, employee: PlanEmployee,
                       worked: list[bool]) -> list[Breach]:
    name = employee.id
    last = instance.days
    found: list[Breach] = []
    for start, length in runs(worked, True):
        touches_end = start == 0 or start + length == last
        if employee.max_consecutive_shifts is not None and (
            length > employee.max_consecutive_shifts
        ):
            found.append(Breach("max_consecutive", f"{name}: {length} pass i följd från dag "
                                f"{start}, högst {employee.max_consecutive_shifts}", name, start))
        if length < employee.min_consecutive_shifts and not touches_end:
            found.append(Breach("min_consecutive", f"{name}: bara {length} pass i följd från "
                                f"dag {start}", name, start))
    for start, length in runs(worked, False):
        touches_end = start == 0 or start + length == last
        if length < employee.min_consecutive_days_off and not touches_end:
            found.append(Breach("min_days_off", f"{name}: bara {length} lediga dagar från dag "
                                f"{start}", name, start))
    return found


def weekly_rest_qualifies(instance: PlanningInstance, shifts: list[str | None], day: int) -> bool:
    """Whether ``day`` gives the weekly rest (see the module docstring)."""
    limit = instance.rules.min_weekly_rest
    if shifts[day] is not None:
        return False
    if limit is None or day == 0 or day == instance.days - 1:
        return True
    before, after = shifts[day - 1], shifts[day + 1]
    if before is None or after is None:
        return True
    gap = 2 * MINUTES_PER_DAY + instance.shifts[after].start - instance.shifts[before].end
    return gap >= limit


def _weekly_rest_breaches(instance: PlanningInstance, name: str,
                          shifts: list[str | None]) -> list[Breach]:
    if instance.rules.min_weekly_rest is None:
        return []
    return [
        Breach("weekly_rest", f"{name}: ingen veckovila dag {block.start}–{block.stop - 1}",
               name, block.start)
        for block in instance.weekly_rest_blocks()
        if len(block) == 7 and not any(weekly_rest_qualifies(instance, shifts, d) for d in block)
    ]


def _demand_breaches(instance: PlanningInstance, rows: list[Assignment]) -> list[Breach]:
    staffed = Counter((row.group, row.day, row.shift) for row in rows)
    demand = {(need.group, need.day, need.shift): need for need in instance.demand}
    found: list[Breach] = []
    for key, need in demand.items():
        count = staffed.get(key, 0)
        if count < need.minimum:
            found.append(Breach("demand_min", f"{need.group} dag {need.day} {need.shift}: "
                                f"{count} bemannade, minst {need.minimum}", day=need.day))
        if need.maximum is not None and count > need.maximum:
            found.append(Breach("demand_max", f"{need.group} dag {need.day} {need.shift}: "
                                f"{count} bemannade, högst {need.maximum}", day=need.day))
    for key, count in sorted(staffed.items()):
        if key not in demand:
            group, day, shift = key
            found.append(Breach("demand_max", f"{group} dag {day} {shift}: {count} bemannade "
                                "där inget behov finns", day=day))
    return found


def price_roster(instance: PlanningInstance, rows: Iterable[Assignment]) -> dict[str, int]:
    """The soft terms of a roster by name (no hard-rule checks; rows must be one a day)."""
    rows = list(rows)
    penalties = dict.fromkeys(
        ("under_cover", "over_cover", "shift_on_requests", "shift_off_requests",
         "contract_under", "contract_over", "co_planning", "continuity"), 0)
    staffed = Counter((row.group, row.day, row.shift) for row in rows)
    for need in instance.demand:
        count = staffed.get((need.group, need.day, need.shift), 0)
        penalties["under_cover"] += max(0, need.preferred - count) * need.under_weight
        penalties["over_cover"] += max(0, count - need.preferred) * need.over_weight
    worked = {(row.employee, row.day): row.shift for row in rows}
    for request in instance.requests:
        cost = request_cost(request.shift, request.kind, request.weight,
                            worked.get((request.employee, request.day)))
        key = "shift_on_requests" if request.kind is RequestKind.ON else "shift_off_requests"
        penalties[key] += cost
    minutes: dict[str, int] = defaultdict(int)
    members: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        employee = instance.employees[row.employee]
        minutes[row.employee] += instance.shifts[row.shift].work_minutes
        members[row.group].add(row.employee)
        if not employee.is_home(row.group):
            penalties["co_planning"] += employee.foreign_group_weight
    for employee in instance.employees.values():
        under, over = contract_penalty(employee, minutes[employee.id])
        penalties["contract_under"] += under
        penalties["contract_over"] += over
    for group in instance.groups.values():
        if group.max_distinct_employees is not None:
            excess = len(members[group.id]) - group.max_distinct_employees
            penalties["continuity"] += max(0, excess) * instance.weights.continuity
    return penalties
