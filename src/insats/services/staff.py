"""Use cases for the staff pages: who works here, how much, and one employee's details.

Scope (``Capability.VIEW_STAFF``: avdelningschef, enhetschef, samordnare):

* department-wide roles see every employee;
* a unit manager sees the employees whose home unit is one of theirs and those who work
  in a group of their units (a membership not ended ``WORKS_IN_DAYS`` ago, or a published
  shift since then) — checked here for the list, one employee, and the schedule of one
  employee (``employee_in_scope``), so a page cannot show more than this.

Absence is sensitive: reading an employee's absences (the details page) writes an
access-log line (object ``absence``, the employee's id, no names); the list, which shows
each employee's sick-leave rate, writes one line for the list.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass

from insats.db.repositories import rosters as queries
from insats.db.repositories._base import NotFoundError
from insats.domain.absence import SICK_LEAVE_RULE_KEY, Absence, AbsenceKind, tally_sick_leave
from insats.domain.access import AccessDenied, AuditAction, Caller, Capability
from insats.domain.calendar import local_date, local_datetime
from insats.domain.common import IsoWeek, Period, add_months
from insats.domain.organisation import Unit
from insats.domain.scheduling import AssistanceGroup, GroupMembership, PlannedShift
from insats.domain.staff import POSITION_LABELS, Employee
from insats.domain.working_time import WorkingTimeBreach
from insats.services.audit import Touched, log
from insats.services.runtime import UowFactory
from insats.services.scope import in_scope, unit_in_scope
from insats.services.uow import UnitOfWork
from insats.services.working_time import check_employees

WORKS_IN_DAYS = 183
"""How far back a membership or a shift makes an employee "work in" a unit's group."""
SHIFTS_AROUND = 5
PAGE_SIZE = 200
BREACH_WEEKS = 4
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}")


def checked_id(value: str, what: str) -> str:
    """``value`` if it can be an id; otherwise the thing is reported as not found (so odd
    input never reaches the database)."""
    if not ID_PATTERN.fullmatch(value):
        raise NotFoundError(what, "med den angivna koden")
    return value


def last_month(today: dt.date) -> Period:
    first = today.replace(day=1)
    return Period(add_months(first, -1), first)


def sick_leave_period(today: dt.date) -> Period:
    """The twelve whole months before the current one."""
    first = today.replace(day=1)
    return Period(add_months(first, -12), first)


def employer_period_days(uow: UnitOfWork, on: dt.date) -> int:
    """The employer's sick-pay period in days on ``on``, from the rule book."""
    return uow.rules.rule_book(SICK_LEAVE_RULE_KEY).number(SICK_LEAVE_RULE_KEY, on)


def works_in_since(today: dt.date) -> dt.date:
    return today - dt.timedelta(days=WORKS_IN_DAYS)


def _visible_employee(uow: UnitOfWork, caller: Caller, employee: Employee,
                      today: dt.date) -> bool:
    viewer = caller.viewer
    if viewer.department_wide or viewer.sees_unit(employee.home_unit_id):
        return True
    return bool(queries.employees_working_in_units(
        uow.session, viewer.unit_ids, works_in_since(today), employee_id=employee.id))


def employee_in_scope(uow: UnitOfWork, caller: Caller, employee_id: str, *,
                      today: dt.date) -> Employee:
    """The employee, if the caller's scope covers them (see the module docstring); a
    refusal is written to the access log and committed before raising."""
    employee = uow.staff.get(checked_id(employee_id, "Medarbetaren"))
    if employee is None:
        raise NotFoundError("Medarbetaren", employee_id)
    if not _visible_employee(uow, caller, employee, today):
        log(uow, caller, AuditAction.DENIED,
            [Touched("employee", employee.id, None, employee.home_unit_id)])
        uow.commit()
        raise AccessDenied("Medarbetaren hör inte till någon enhet i din behörighet.")
    return employee


# --- the list ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class StaffRow:
    employee: Employee
    unit_name: str
    worked_minutes: int
    overtime_minutes: int
    extra_minutes: int
    sick_leave_rate: float | None  # None: no contracted time (hourly substitutes)
    home_elsewhere: bool  # works in the shown unit's groups, home unit another

    @property
    def position_label(self) -> str:
        return POSITION_LABELS[self.employee.position]


@dataclass(frozen=True, slots=True)
class StaffList:
    units: list[Unit]
    unit: Unit | None
    text: str
    month: Period
    sick_period: Period
    rows: list[StaffRow]  # the page's rows
    total: int  # matching employees on all pages
    page: int  # 1-based; 0 when every row is given
    pages: int


def _haystack(employee: Employee, unit_name: str) -> str:
    return " ".join((employee.display_name, employee.id, POSITION_LABELS[employee.position],
                     unit_name, employee.employment_form.value,
                     employee.agreement.value)).casefold()


def staff_list(uow_factory: UowFactory, caller: Caller, *, today: dt.date,
               unit_id: str | None = None, first_unit: bool = False, text: str = "",
               page: int | None = 1, action: AuditAction = AuditAction.READ) -> StaffList:
    """Employees in the caller's scope employed some day from the start of last month:
    of one unit (home unit, or working in its groups; ``first_unit`` without a
    ``unit_id``: the first unit in scope by id) or of every unit in scope, matching
    every word of ``text`` (name, id, position, unit), by name, ``PAGE_SIZE`` a page
    (``page`` None: all, for a download). With their worked time, overtime and mertid last
    month and their sick-leave rate over the last twelve whole months, computed for the
    rows given only. The read (``action``: READ, or EXPORT for a download) is one
    access-log line."""
    viewer = caller.viewer
    viewer.require(Capability.VIEW_STAFF)
    month = last_month(today)
    sick_period = sick_leave_period(today)
    words = text.replace("\x00", "").casefold().split()
    with uow_factory() as uow:
        every_unit = uow.organisation.units()
        names = {u.id: u.name for u in every_unit}
        units = in_scope(every_unit, caller)
        if not unit_id and first_unit and units:
            unit_id = min(u.id for u in units)
        unit = None
        if unit_id:
            unit = unit_in_scope(uow, caller, checked_id(unit_id, "Enheten"))
        employed = Period(month.start, today + dt.timedelta(days=1))
        if unit is None and viewer.department_wide:
            staff = queries.employees_employed_during(uow.session, employed)
        else:
            unit_ids = [unit.id] if unit is not None else sorted(viewer.unit_ids)
            working = queries.employees_working_in_units(uow.session, unit_ids,
                                                         works_in_since(today))
            staff = queries.employees_of_units(uow.session, unit_ids, employed, also=working)
        if words:
            staff = [e for e in staff
                     if all(w in _haystack(e, names.get(e.home_unit_id, "")) for w in words)]
        staff.sort(key=lambda e: (e.family_name.casefold(), e.given_name.casefold(), e.id))
        pages = max(1, -(-len(staff) // PAGE_SIZE))
        shown = staff if page is None else staff[
            (min(max(page, 1), pages) - 1) * PAGE_SIZE:min(max(page, 1), pages) * PAGE_SIZE]
        ids = [e.id for e in shown]
        totals = queries.time_totals_by_employee(uow.session, month, employee_ids=ids)
        sick = queries.absences_of_employees(uow.session, ids, sick_period,
                                             kind=AbsenceKind.SICK)
        employer_days = employer_period_days(uow, sick_period.start)
        log(uow, caller, action, [Touched("absence", None, None, unit.id if unit else None)])
        uow.commit()
    sick_of: dict[str, list[Absence]] = defaultdict(list)
    for absence in sick:
        sick_of[absence.employee_id].append(absence)
    rows = []
    for employee in shown:
        total = totals.get(employee.id, queries.TimeTotals())
        tally = tally_sick_leave([employee], sick_of.get(employee.id, []), sick_period,
                                 employer_period_days=employer_days)
        rows.append(StaffRow(
            employee, names.get(employee.home_unit_id, employee.home_unit_id),
            total.worked_minutes, total.overtime_minutes, total.extra_minutes, tally.rate,
            not viewer.department_wide and not viewer.sees_unit(employee.home_unit_id)
            if unit is None else employee.home_unit_id != unit.id))
    current = 0 if page is None else min(max(page, 1), pages)
    return StaffList(units, unit, text.strip(), month, sick_period, rows, len(staff),
                     current, pages)


# --- one employee ----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class EmployeeGroup:
    """A group the employee works in; ``group`` None when outside the viewer's scope."""

    group: AssistanceGroup | None
    unit_name: str
    membership: GroupMembership | None
    recent_shifts: int


@dataclass(frozen=True, slots=True)
class ShiftRef:
    shift: PlannedShift
    group: AssistanceGroup | None  # None when outside the viewer's scope
    unit_name: str


@dataclass(frozen=True, slots=True)
class EmployeeDetail:
    employee: Employee
    unit: Unit | None
    groups: list[EmployeeGroup]
    last_shifts: list[ShiftRef]
    next_shifts: list[ShiftRef]
    breach_week: IsoWeek  # the first of the BREACH_WEEKS weeks checked
    breach_days: Period
    breaches: list[WorkingTimeBreach]
    absences: list[Absence]
    month: Period
    worked_minutes: int
    overtime_minutes: int
    extra_minutes: int
    sick_period: Period
    sick_leave_rate: float | None

    @property
    def position_label(self) -> str:
        return POSITION_LABELS[self.employee.position]


def employee_detail(uow_factory: UowFactory, caller: Caller, employee_id: str, *,
                    today: dt.date) -> EmployeeDetail:
    """One employee: employment, the groups they work in, their last and next shifts,
    working-time breaches in the last four weeks with shifts (up to today), absences of
    the last twelve months and later (logged), and last month's time."""
    viewer = caller.viewer
    viewer.require(Capability.VIEW_STAFF)
    now = local_datetime(today + dt.timedelta(days=1), dt.time())
    with uow_factory() as uow:
        employee = employee_in_scope(uow, caller, employee_id, today=today)
        units = {u.id: u for u in uow.organisation.units()}
        since = local_datetime(works_in_since(today), dt.time())
        memberships = queries.memberships_of_employee(uow.session, employee.id)
        counts = queries.shift_groups_of_employee(uow.session, employee.id, since)
        last, upcoming = queries.employee_shifts_around(
            uow.session, employee.id, local_datetime(today, dt.time()), limit=SHIFTS_AROUND)
        latest = queries.latest_shift_start(uow.session, now, employee_id=employee.id)
        last_week = IsoWeek.of(local_date(latest) if latest else today)
        first_week = IsoWeek.of(last_week.monday - dt.timedelta(weeks=BREACH_WEEKS - 1))
        breach_days = Period(first_week.monday, last_week.monday + dt.timedelta(days=7))
        checked = check_employees(uow, [employee.id], breach_days)
        group_ids = {m.group_id for m in memberships} | set(counts)
        group_ids |= {shift.group_id for shift in (*last, *upcoming)}
        groups = queries.groups_by_id(uow.session, group_ids)
        month = last_month(today)
        totals = queries.time_totals_by_employee(uow.session, month,
                                                 employee_ids=[employee.id])
        sick_period = sick_leave_period(today)
        absences = [a for a in uow.absences.of_employee(employee.id)
                    if a.period.end is not None and a.period.end > sick_period.start]
        employer_days = employer_period_days(uow, sick_period.start)
        log(uow, caller, AuditAction.READ,
            [Touched("absence", employee.id, None, employee.home_unit_id)])
        uow.commit()

    def shown(group_id: str) -> AssistanceGroup | None:
        group = groups.get(group_id)
        return group if group is not None and viewer.sees_unit(group.unit_id) else None

    def unit_name(group_id: str) -> str:
        group = groups.get(group_id)
        unit = units.get(group.unit_id) if group else None
        return unit.name if unit else ""

    cutoff = works_in_since(today)
    current: dict[str, GroupMembership] = {}
    for membership in memberships:  # the latest membership per group, if still recent
        end = membership.period.end
        if end is None or end > cutoff:
            current[membership.group_id] = membership
    listed = [EmployeeGroup(shown(group_id), unit_name(group_id), current.get(group_id),
                            counts.get(group_id, 0))
              for group_id in set(current) | set(counts)]
    listed.sort(key=lambda g: (g.group is None, g.unit_name, g.group.name if g.group else ""))
    total = totals.get(employee.id, queries.TimeTotals())
    tally = tally_sick_leave([employee], [a for a in absences if a.kind is AbsenceKind.SICK],
                             sick_period, employer_period_days=employer_days)
    return EmployeeDetail(
        employee=employee, unit=units.get(employee.home_unit_id), groups=listed,
        last_shifts=[ShiftRef(s, shown(s.group_id), unit_name(s.group_id)) for s in last],
        next_shifts=[ShiftRef(s, shown(s.group_id), unit_name(s.group_id)) for s in upcoming],
        breach_week=first_week, breach_days=breach_days,
        breaches=checked.breaches.get(employee.id, []),
        absences=absences, month=month, worked_minutes=total.worked_minutes,
        overtime_minutes=total.overtime_minutes, extra_minutes=total.extra_minutes,
        sick_period=sick_period, sick_leave_rate=tally.rate,
    )
