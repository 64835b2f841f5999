"""The schedule timeline: a group's or an employee's published shifts over one or four
weeks, with working-time breaches, open shifts and absences.

Scope: ``Capability.VIEW_SCHEDULES``; a unit manager sees the groups of their units and
the employees of ``services.staff.employee_in_scope``. A breach check needs all of an
employee's shifts, so each shown employee's shifts in every unit are read and checked,
but only groups in the viewer's scope are shown (other shifts appear in a breach's
explanation as times only). Absences are shown as "frånvaro" without their kind, and each
employee whose absence is shown gets a line in the access log.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from insats.db.repositories import rosters as queries
from insats.db.repositories._base import NotFoundError
from insats.domain.absence import Absence
from insats.domain.access import AuditAction, Caller, Capability
from insats.domain.calendar import local_date, local_datetime
from insats.domain.common import DomainError, IsoWeek, Period
from insats.domain.organisation import Unit
from insats.domain.scheduling import AssistanceGroup, PlannedShift
from insats.domain.staff import Employee
from insats.domain.working_time import WorkingTimeBreach
from insats.services.audit import Touched, log
from insats.services.runtime import UowFactory
from insats.services.scope import unit_in_scope, visible_units
from insats.services.staff import checked_id, employee_in_scope
from insats.services.uow import UnitOfWork
from insats.services.working_time import check_employees

WEEK_CHOICES = (1, 4)
WEEK_PATTERN = re.compile(r"(\d{4})-?W(\d{1,2})")
FIRST_YEAR, LAST_YEAR = 2000, 2100


def parse_week(text: str | None) -> IsoWeek | None:
    """``2026-W43`` (as an ``<input type="week">`` sends it) → the ISO week; blank → None."""
    if text is None or not text.strip():
        return None
    match = WEEK_PATTERN.fullmatch(text.strip().upper())
    if match is None:
        raise DomainError("week.invalid",
                          "Veckan ska skrivas ÅÅÅÅ-Vnn, till exempel 2026-W43.")
    year, week = int(match.group(1)), int(match.group(2))
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise DomainError("week.invalid",
                          f"Året ska vara mellan {FIRST_YEAR} och {LAST_YEAR}.")
    return IsoWeek(year, week)


def parse_weeks(text: str | int | None) -> int:
    """How many weeks to show: 1 (default) or 4."""
    if text is None or text == "":
        return 1
    value = str(text).strip()
    if value not in {str(w) for w in WEEK_CHOICES}:
        raise DomainError("weeks.invalid", "Schemat visas för 1 eller 4 veckor.")
    return int(value)


@dataclass(frozen=True, slots=True)
class ShiftLine:
    """A shift on the timeline. ``group`` is None when it is outside the viewer's scope;
    ``context`` marks another group's shift of a shown employee (not one of the listed)."""

    shift: PlannedShift
    group: AssistanceGroup | None
    employee_name: str | None
    breaches: tuple[WorkingTimeBreach, ...] = ()
    context: bool = False

    @property
    def is_open(self) -> bool:
        return self.shift.employee_id is None


@dataclass(frozen=True, slots=True)
class AbsenceSpan:
    """Days ``[start, end)`` (within the shown days) an employee is away, at a percentage;
    the kind of absence is not shown on the schedule."""

    employee_id: str
    start: dt.date
    end: dt.date
    extent_percent: int


@dataclass(frozen=True, slots=True)
class TimelineRow:
    kind: str  # "employee", "open", "group" or "absence"
    key: str
    label: str
    lines: tuple[ShiftLine, ...] = ()
    absences: tuple[AbsenceSpan, ...] = ()
    employee_id: str | None = None
    group_id: str | None = None


@dataclass(frozen=True, slots=True)
class BreachLine:
    breach: WorkingTimeBreach
    employee_name: str
    shown_shift_ids: tuple[str, ...]  # the breach's shifts that are on this timeline


@dataclass(frozen=True)
class Schedule:
    units: list[Unit]
    unit: Unit | None
    groups: list[AssistanceGroup]
    group: AssistanceGroup | None
    employee: Employee | None
    week: IsoWeek
    weeks: int
    days: Period
    rows: list[TimelineRow] = field(default_factory=list)
    shifts: list[ShiftLine] = field(default_factory=list)  # the listed shifts, by start
    breaches: list[BreachLine] = field(default_factory=list)

    @property
    def open_shifts(self) -> int:
        return sum(1 for line in self.shifts if line.is_open)

    @property
    def previous_week(self) -> IsoWeek:
        return IsoWeek.of(self.week.monday - dt.timedelta(weeks=self.weeks))

    @property
    def next_week(self) -> IsoWeek:
        return IsoWeek.of(self.week.monday + dt.timedelta(weeks=self.weeks))

    @property
    def day_list(self) -> list[dt.date]:
        return list(self.days.iter_days())


def _default_unit(uow: UnitOfWork, units: list[Unit]) -> Unit | None:
    """The first unit (by id) in scope that has groups."""
    ordered = sorted(units, key=lambda u: u.id)
    for unit in ordered:
        if queries.groups_of_units(uow.session, [unit.id]):
            return unit
    return ordered[0] if ordered else None


def schedule(uow_factory: UowFactory, caller: Caller, *, today: dt.date,
             unit_id: str | None = None, group_id: str | None = None,
             employee_id: str | None = None, week: IsoWeek | None = None,
             weeks: int = 1) -> Schedule:
    """The timeline of one group (``group_id``, or the unit's first group) or of one
    employee (``employee_id``), for ``weeks`` weeks from ``week`` (by default the week of
    the latest published shift up to ``today``, shown as the last of the weeks).

    A ``unit_id`` chooses the unit; a group of another unit is then ignored (the page's
    unit menu changes the unit first). Unknown ids are ``NotFoundError``; ids outside the
    caller's scope ``AccessDenied``.
    """
    viewer = caller.viewer
    viewer.require(Capability.VIEW_SCHEDULES)
    if weeks not in WEEK_CHOICES:
        raise DomainError("weeks.invalid", "Schemat visas för 1 eller 4 veckor.")
    with uow_factory() as uow:
        units = visible_units(uow, caller)
        unit = unit_in_scope(uow, caller, checked_id(unit_id, "Enheten")) if unit_id else None
        employee = None
        group = None
        if employee_id:
            employee = employee_in_scope(uow, caller, employee_id, today=today)
            if unit is None and viewer.sees_unit(employee.home_unit_id):
                unit = uow.organisation.get(employee.home_unit_id)
        elif group_id:
            found = uow.scheduling.get_group(checked_id(group_id, "Gruppen"))
            if found is None:
                raise NotFoundError("Gruppen", group_id)
            viewer.require_unit(found.unit_id)
            if unit is None:
                unit = uow.organisation.get(found.unit_id)
            if unit is not None and found.unit_id == unit.id:
                group = found
        if unit is None:
            unit = _default_unit(uow, units)
        groups = queries.groups_of_units(uow.session, [unit.id]) if unit else []
        groups.sort(key=lambda g: (g.name, g.id))
        if employee is None and group is None and groups:
            group = sorted(groups, key=lambda g: g.id)[0]
        if week is None:  # the latest week with shifts, last of the weeks shown
            latest = _latest_week(uow, today, group=group, employee=employee)
            week = IsoWeek.of(latest.monday - dt.timedelta(weeks=weeks - 1))
        days = Period(week.monday, week.monday + dt.timedelta(weeks=weeks))
        result = Schedule(units, unit, groups, group, employee, week, weeks, days)
        if employee is not None:
            result = _employee_timeline(uow, caller, result, employee)
        elif group is not None:
            result = _group_timeline(uow, caller, result, group)
        uow.commit()  # the access-log lines for shown absences
    return result


def _latest_week(uow: UnitOfWork, today: dt.date, *, group: AssistanceGroup | None,
                 employee: Employee | None) -> IsoWeek:
    before = local_datetime(today + dt.timedelta(days=1), dt.time())
    latest = queries.latest_shift_start(
        uow.session, before, group_id=group.id if group else None,
        employee_id=employee.id if employee else None)
    if latest is None and (group or employee):
        latest = queries.latest_shift_start(uow.session, before)
    return IsoWeek.of(local_date(latest) if latest else today)


def _bounds(days: Period) -> tuple[dt.datetime, dt.datetime]:
    assert days.end is not None
    return local_datetime(days.start, dt.time()), local_datetime(days.end, dt.time())


def _absences(uow: UnitOfWork, caller: Caller, employees: dict[str, Employee],
              days: Period) -> dict[str, list[AbsenceSpan]]:
    assert days.end is not None
    found: dict[str, list[AbsenceSpan]] = {}
    absences: list[Absence] = queries.absences_of_employees(uow.session, list(employees), days)
    for absence in absences:
        end = absence.period.end or days.end
        found.setdefault(absence.employee_id, []).append(AbsenceSpan(
            absence.employee_id, max(absence.period.start, days.start), min(end, days.end),
            absence.extent_percent))
    if found:
        log(uow, caller, AuditAction.READ, [
            Touched("absence", employee_id, None, employees[employee_id].home_unit_id)
            for employee_id in sorted(found) if employee_id in employees])
    return found


def _breach_lines(breaches: dict[str, list[WorkingTimeBreach]],
                  employees: dict[str, Employee], shown: set[str]) -> list[BreachLine]:
    lines = []
    for employee_id, found in breaches.items():
        employee = employees.get(employee_id)
        name = employee.display_name if employee else employee_id
        for breach in found:
            lines.append(BreachLine(breach, name,
                                    tuple(i for i in breach.interval_ids if i in shown)))
    return sorted(lines, key=lambda b: (b.breach.start, b.employee_name, b.breach.kind.value))


def _group_timeline(uow: UnitOfWork, caller: Caller, result: Schedule,
                    group: AssistanceGroup) -> Schedule:
    viewer = caller.viewer
    start, end = _bounds(result.days)
    listed = queries.published_shifts_of_group(uow.session, group.id, start, end)
    employee_ids = {s.employee_id for s in listed if s.employee_id is not None}
    employees = queries.employees_by_id(uow.session, employee_ids)
    checked = check_employees(uow, employee_ids, result.days)
    by_shift = checked.of_shift()
    context = [s for s in checked.shifts
               if s.group_id != group.id and s.start < end and s.end > start]
    groups = queries.groups_by_id(uow.session, {s.group_id for s in context})
    groups[group.id] = group
    absences = _absences(uow, caller, employees, result.days)

    def line(shift: PlannedShift, *, context: bool = False) -> ShiftLine:
        owner = employees.get(shift.employee_id) if shift.employee_id else None
        return ShiftLine(shift, groups.get(shift.group_id),
                         owner.display_name if owner else None,
                         tuple(by_shift.get(shift.id, ())), context)

    lines = [line(s) for s in listed]
    rows = []
    for employee in sorted(employees.values(),
                           key=lambda e: (e.family_name, e.given_name, e.id)):
        own = [ln for ln in lines if ln.shift.employee_id == employee.id]
        others = [line(s, context=True) for s in context
                  if s.employee_id == employee.id
                  and (g := groups.get(s.group_id)) is not None and viewer.sees_unit(g.unit_id)]
        rows.append(TimelineRow("employee", employee.id, employee.display_name,
                                tuple(sorted([*own, *others], key=lambda ln: ln.shift.start)),
                                tuple(absences.get(employee.id, ())), employee_id=employee.id,
                                group_id=group.id))
    unstaffed = [ln for ln in lines if ln.is_open]
    if unstaffed:
        rows.append(TimelineRow("open", "open", "Obemannade pass", tuple(unstaffed),
                                group_id=group.id))
    shown = {ln.shift.id for row in rows for ln in row.lines}
    return Schedule(result.units, result.unit, result.groups, result.group, None, result.week,
                    result.weeks, result.days, rows, lines,
                    _breach_lines(checked.breaches, employees, shown))


def _employee_timeline(uow: UnitOfWork, caller: Caller, result: Schedule,
                       employee: Employee) -> Schedule:
    viewer = caller.viewer
    start, end = _bounds(result.days)
    checked = check_employees(uow, [employee.id], result.days)
    by_shift = checked.of_shift()
    in_view = [s for s in checked.shifts if start <= s.start < end]
    groups = queries.groups_by_id(uow.session, {s.group_id for s in in_view})
    visible = [s for s in in_view
               if (g := groups.get(s.group_id)) is not None and viewer.sees_unit(g.unit_id)]
    lines = [ShiftLine(s, groups[s.group_id], employee.display_name,
                       tuple(by_shift.get(s.id, ()))) for s in visible]
    rows = []
    for group_id in sorted({ln.shift.group_id for ln in lines},
                           key=lambda g: (groups[g].name, g)):
        rows.append(TimelineRow("group", group_id, groups[group_id].name,
                                tuple(ln for ln in lines if ln.shift.group_id == group_id),
                                employee_id=employee.id, group_id=group_id))
    absences = _absences(uow, caller, {employee.id: employee}, result.days)
    if absences:
        rows.append(TimelineRow("absence", "absence", "Frånvaro",
                                absences=tuple(absences[employee.id]),
                                employee_id=employee.id))
    shown = {ln.shift.id for ln in lines}
    return Schedule(result.units, result.unit, result.groups, None, employee, result.week,
                    result.weeks, result.days, rows, lines,
                    _breach_lines(checked.breaches, {employee.id: employee}, shown))
