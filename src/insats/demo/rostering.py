"""Planned shifts: the schedule structures rolled out day by day and staffed.

Each day's shifts are staffed in order of start time. A shift goes to the group's regular
member with the most room left in their contracted week who is present, not already
working and has had their dygnsvila (11 h; short visits on the same day may be split
shifts within ten hours). When no member has room, the shift is covered, in this order,
by a free pool substitute (the unit's own timvikarier first, then the övertalighetsteam
for personal assistance, then the rest of the pool), then by a member working beyond
contract (mertid for part-timers, else övertid), and otherwise it is left open.
An absence day counts as a seventh of the contracted week, so sick leave and VAB show
up as cover: substitutes while the pool lasts, overtime when it does not.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from insats.demo.structures import DOUBLE_PREFIX
from insats.domain.absence import Absence
from insats.domain.calendar import shift_bounds
from insats.domain.common import Minutes
from insats.domain.scheduling import AssistanceGroup, PlannedShift, ShiftKind, ShiftTemplate
from insats.domain.staff import Employee, EmploymentForm
from insats.domain.time_reports import TimeKind

REST = dt.timedelta(hours=11)
SPLIT_DAY_LIMIT = 600
FULL_TIME = 2400
NO_TIME = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(slots=True)
class Roster:
    shifts: list[PlannedShift] = field(default_factory=list)
    time_kind: dict[str, TimeKind] = field(default_factory=dict)
    cover: dict[str, str] = field(default_factory=dict)  # shift id -> Swedish comment


AVERAGE_WEEK_LIMIT = 48 * 60


@dataclass(slots=True)
class _State:
    contract: int
    cap: int
    last_end: dt.datetime = NO_TIME
    last_day: dt.date = dt.date(1970, 1, 1)
    day_minutes: int = 0
    week_minutes: int = 0
    month: dt.date = dt.date(1970, 1, 1)
    month_minutes: int = 0


@dataclass(frozen=True, slots=True)
class _Slot:
    start: dt.datetime
    end: dt.datetime
    group_id: str
    template_id: str | None
    kind: ShiftKind
    break_minutes: int
    is_double: bool


def _month_limit(month: dt.date) -> int:
    """ATL's 48 hours a week on average, over the calendar month."""
    following = (month + dt.timedelta(days=32)).replace(day=1)
    return AVERAGE_WEEK_LIMIT * (following - month).days // 7


def absent_days(absences: list[Absence]) -> dict[str, dict[int, str]]:
    """Employee id -> {date ordinal: absence kind}; a part-time absence is every other day."""
    result: dict[str, dict[int, str]] = {}
    for absence in absences:
        days = result.setdefault(absence.employee_id, {})
        for day in absence.period.iter_days():
            ordinal = day.toordinal()
            if absence.extent_percent == 100 or ordinal % 2 == 0:
                days[ordinal] = absence.kind.value
    return result


class _Rosterer:
    def __init__(self, rng: random.Random, employees: list[Employee],
                 absences: list[Absence]) -> None:
        self.state: dict[str, _State] = {}
        for e in employees:
            contract = e.contracted_minutes_per_week.value
            cap = contract
            if e.employment_form is EmploymentForm.HOURLY:
                cap = rng.choice((360, 480, 600, 720, 840))
            self.state[e.id] = _State(contract, cap)
        self.part_time = {e.id for e in employees
                          if e.employment_form is not EmploymentForm.HOURLY
                          and e.employment_percent < 100}
        self.absent = absent_days(absences)
        self.roster = Roster()

    def _free(self, employee_id: str, slot: _Slot, day: dt.date, length: int) -> bool:
        s = self.state[employee_id]
        if day.toordinal() in self.absent.get(employee_id, {}):
            return False
        month = day.replace(day=1)
        used = s.month_minutes if s.month == month else 0
        if used + length > _month_limit(month):
            return False  # the schedulers keep everyone within 48 h a week on average
        if slot.start >= s.last_end + REST:
            return True
        return (s.last_day == day and slot.start >= s.last_end
                and s.day_minutes + length <= SPLIT_DAY_LIMIT)

    def _take(self, employee_id: str, slot: _Slot, day: dt.date, length: int) -> None:
        s = self.state[employee_id]
        s.day_minutes = s.day_minutes + length if s.last_day == day else length
        s.last_day = day
        s.last_end = max(s.last_end, slot.end)
        s.week_minutes += length
        month = day.replace(day=1)
        s.month_minutes = (s.month_minutes if s.month == month else 0) + length
        s.month = month

    def new_week(self) -> None:
        for s in self.state.values():
            s.week_minutes = 0

    def charge_absences(self, day: dt.date) -> None:
        ordinal = day.toordinal()
        for employee_id, days in self.absent.items():
            if ordinal in days and employee_id in self.state:
                s = self.state[employee_id]
                s.week_minutes += s.contract // 7

    def staff(self, slot: _Slot, day: dt.date, members: list[str], pool: list[str],
              extra: list[str], shift_id: str) -> str | None:
        length = int((slot.end - slot.start).total_seconds()) // 60 - slot.break_minutes
        state = self.state
        best: str | None = None
        best_room = 0
        for employee_id in members:
            s = state[employee_id]
            room = s.cap - s.week_minutes - length
            if room >= -60 and (best is None or room > best_room) and self._free(
                    employee_id, slot, day, length):
                best, best_room = employee_id, room
        kind = TimeKind.ON_CALL if slot.kind is ShiftKind.ON_CALL else TimeKind.ORDINARY
        if best is None:
            for employee_id in (*extra, *pool):
                s = state[employee_id]
                if s.week_minutes + length <= s.cap and self._free(employee_id, slot, day,
                                                                   length):
                    best = employee_id
                    self.roster.cover[shift_id] = "Vikarie ur vikariepoolen täcker passet."
                    break
        if best is None:
            candidates = [e for e in members if self._free(e, slot, day, length)]
            if candidates:
                best = min(candidates, key=lambda e: (state[e].week_minutes, e))
                over_full = state[best].week_minutes + length > FULL_TIME
                kind = (TimeKind.EXTRA if best in self.part_time and not over_full
                        else TimeKind.OVERTIME)
                self.roster.cover[shift_id] = (
                    "Ordinarie personal täcker frånvaro med "
                    + ("mertid." if kind is TimeKind.EXTRA else "övertid."))
        if best is not None:
            self._take(best, slot, day, length)
            self.roster.time_kind[shift_id] = kind
        return best


def build_roster(*, rng: random.Random, start: dt.date, end: dt.date,
                 templates: list[ShiftTemplate], groups: list[AssistanceGroup],
                 employees: list[Employee], absences: list[Absence],
                 members_by_group: dict[str, list[str]],
                 extra_by_group: dict[str, list[str]], pool_by_unit: dict[str, list[str]],
                 episodes: list[tuple[str, dt.date, int]]) -> Roster:
    """Roll out every template from ``start`` to ``end`` and staff the shifts.

    ``episodes`` are basansvar cover episodes: (group id, first day, number of days).
    """
    rosterer = _Rosterer(rng, employees, absences)
    unit_of = {g.id: g.unit_id for g in groups}
    by_weekday: dict[int, list[ShiftTemplate]] = {d: [] for d in range(7)}
    for template in templates:
        by_weekday[template.weekday].append(template)
    count = 0
    day = start
    while day < end:
        if day.weekday() == 0 or day == start:
            rosterer.new_week()
        rosterer.charge_absences(day)
        slots: list[_Slot] = []
        for template in by_weekday[day.weekday()]:
            if not template.valid.contains(day):
                continue
            begin, finish = shift_bounds(day, template.start, Minutes(template.length_minutes))
            double = template.name.startswith(DOUBLE_PREFIX)
            for _ in range(template.positions):
                slots.append(_Slot(begin, finish, template.group_id, template.id,
                                   template.kind, template.break_minutes, double))
        for group_id, first, days in episodes:
            if first <= day < first + dt.timedelta(days=days):
                for clock, length in ((dt.time(7, 0), 480), (dt.time(15, 0), 420)):
                    begin, finish = shift_bounds(day, clock, Minutes(length))
                    slots.append(_Slot(begin, finish, group_id, None, ShiftKind.ORDINARY, 0,
                                       False))
        slots.sort(key=lambda s: (s.start, s.group_id, s.template_id or "", s.is_double))
        for slot in slots:
            count += 1
            shift_id = f"S{count:06d}"
            employee_id = rosterer.staff(
                slot, day, members_by_group.get(slot.group_id, []),
                pool_by_unit.get(unit_of[slot.group_id], []),
                extra_by_group.get(slot.group_id, []), shift_id)
            rosterer.roster.shifts.append(PlannedShift(
                id=shift_id, group_id=slot.group_id, start=slot.start, end=slot.end,
                employee_id=employee_id, kind=slot.kind, break_minutes=slot.break_minutes,
                is_double=slot.is_double, template_id=slot.template_id,
            ))
        day += dt.timedelta(days=1)
    return rosterer.roster
