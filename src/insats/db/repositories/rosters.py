"""Read-side queries for the schedule and staff pages.

Plain functions on a session (like ``summary``): column selects mapped straight to domain
objects, each served by an index (``ix_planned_shifts_group_start``,
``ix_planned_shifts_employee_start``, ``ix_absences_employee_from``,
``ix_time_entries_worked_on``). Lists of ids are sent in chunks so that no statement
carries more than ``CHUNK`` parameters.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, or_, select
from sqlalchemy.orm import Session

from insats.db.models.absence import AbsenceRow
from insats.db.models.scheduling import AssistanceGroupRow, GroupMembershipRow, PlannedShiftRow
from insats.db.models.staff import EmployeeRow, EmployeeSkillRow
from insats.db.models.time_reports import TimeEntryRow
from insats.db.repositories.staff import employee_of
from insats.domain.absence import Absence, AbsenceKind
from insats.domain.calendar import local_datetime
from insats.domain.common import Period
from insats.domain.scheduling import AssistanceGroup, GroupMembership, PlannedShift, ShiftStatus
from insats.domain.staff import Employee
from insats.domain.time_reports import TimeEntryStatus, TimeKind

CHUNK = 500

_SHIFT_COLUMNS = (
    PlannedShiftRow.id, PlannedShiftRow.group_id, PlannedShiftRow.start_at,
    PlannedShiftRow.end_at, PlannedShiftRow.employee_id, PlannedShiftRow.kind,
    PlannedShiftRow.status, PlannedShiftRow.break_minutes, PlannedShiftRow.is_double,
    PlannedShiftRow.template_id,
)


def _chunks(ids: Collection[str]) -> Iterator[list[str]]:
    ordered = sorted(set(ids))
    for index in range(0, len(ordered), CHUNK):
        yield ordered[index:index + CHUNK]


def _shifts(session: Session, statement: Select[Any]) -> list[PlannedShift]:
    return [
        PlannedShift(id=r[0], group_id=r[1], start=r[2], end=r[3], employee_id=r[4], kind=r[5],
                     status=r[6], break_minutes=r[7], is_double=r[8], template_id=r[9])
        for r in session.execute(statement)
    ]


def published_shifts_of_group(session: Session, group_id: str, start: dt.datetime,
                              end: dt.datetime) -> list[PlannedShift]:
    """Published shifts of the group that start in ``[start, end)``, by start."""
    return _shifts(session, select(*_SHIFT_COLUMNS).where(
        PlannedShiftRow.group_id == group_id,
        PlannedShiftRow.start_at >= start, PlannedShiftRow.start_at < end,
        PlannedShiftRow.status == ShiftStatus.PUBLISHED,
    ).order_by(PlannedShiftRow.start_at, PlannedShiftRow.id))


def published_shifts_of_employees(session: Session, employee_ids: Collection[str],
                                  start: dt.datetime, end: dt.datetime) -> list[PlannedShift]:
    """Published shifts of the employees, in every group, that start in ``[start, end)``."""
    found: list[PlannedShift] = []
    for chunk in _chunks(employee_ids):
        found += _shifts(session, select(*_SHIFT_COLUMNS).where(
            PlannedShiftRow.employee_id.in_(chunk),
            PlannedShiftRow.start_at >= start, PlannedShiftRow.start_at < end,
            PlannedShiftRow.status == ShiftStatus.PUBLISHED,
        ))
    return sorted(found, key=lambda s: (s.start, s.id))


def employee_shifts_around(session: Session, employee_id: str, moment: dt.datetime, *,
                           limit: int) -> tuple[list[PlannedShift], list[PlannedShift]]:
    """The employee's last ``limit`` published shifts that started before ``moment``
    (latest first) and the next ``limit`` from it (earliest first)."""
    base = select(*_SHIFT_COLUMNS).where(PlannedShiftRow.employee_id == employee_id,
                                         PlannedShiftRow.status == ShiftStatus.PUBLISHED)
    last = _shifts(session, base.where(PlannedShiftRow.start_at < moment).order_by(
        PlannedShiftRow.start_at.desc(), PlannedShiftRow.id.desc()).limit(limit))
    upcoming = _shifts(session, base.where(PlannedShiftRow.start_at >= moment).order_by(
        PlannedShiftRow.start_at, PlannedShiftRow.id).limit(limit))
    return last, upcoming


def latest_shift_start(session: Session, before: dt.datetime, *, group_id: str | None = None,
                       employee_id: str | None = None) -> dt.datetime | None:
    """The start of the latest published shift starting before ``before`` (of a group or
    an employee when given)."""
    statement = select(func.max(PlannedShiftRow.start_at)).where(
        PlannedShiftRow.start_at < before, PlannedShiftRow.status == ShiftStatus.PUBLISHED)
    if group_id is not None:
        statement = statement.where(PlannedShiftRow.group_id == group_id)
    if employee_id is not None:
        statement = statement.where(PlannedShiftRow.employee_id == employee_id)
    value: dt.datetime | None = session.scalar(statement)  # max() keeps the UTC column type
    return value


def groups_by_id(session: Session, group_ids: Collection[str]) -> dict[str, AssistanceGroup]:
    found: dict[str, AssistanceGroup] = {}
    for chunk in _chunks(group_ids):
        for row in session.execute(select(
                AssistanceGroupRow.id, AssistanceGroupRow.unit_id, AssistanceGroupRow.name,
                AssistanceGroupRow.client_id, AssistanceGroupRow.breaks_allowed,
        ).where(AssistanceGroupRow.id.in_(chunk))):
            found[row[0]] = AssistanceGroup(row[0], row[1], row[2], row[3], row[4])
    return found


def groups_of_units(session: Session, unit_ids: Collection[str]) -> list[AssistanceGroup]:
    found: list[AssistanceGroup] = []
    for chunk in _chunks(unit_ids):
        found += [AssistanceGroup(r[0], r[1], r[2], r[3], r[4]) for r in session.execute(select(
            AssistanceGroupRow.id, AssistanceGroupRow.unit_id, AssistanceGroupRow.name,
            AssistanceGroupRow.client_id, AssistanceGroupRow.breaks_allowed,
        ).where(AssistanceGroupRow.unit_id.in_(chunk)))]
    return sorted(found, key=lambda g: g.id)


def _employees(session: Session, *conditions: ColumnElement[bool]) -> list[Employee]:
    """Employees matching ``conditions``, read as plain rows with their skills."""
    rows = list(session.execute(select(*EmployeeRow.__table__.c).where(*conditions)))
    skills: dict[str, set[str]] = defaultdict(set)
    for chunk in _chunks([row.id for row in rows]):
        for employee_id, skill in session.execute(select(
                EmployeeSkillRow.employee_id, EmployeeSkillRow.skill).where(
                EmployeeSkillRow.employee_id.in_(chunk))):
            skills[employee_id].add(skill)
    return [employee_of(row, frozenset(skills.get(row.id, ()))) for row in rows]


def _employed(period: Period) -> tuple[ColumnElement[bool], ...]:
    assert period.end is not None
    return (or_(EmployeeRow.employed_to.is_(None), EmployeeRow.employed_to > period.start),
            EmployeeRow.employed_from < period.end)


def employees_by_id(session: Session, employee_ids: Collection[str]) -> dict[str, Employee]:
    return {employee.id: employee for chunk in _chunks(employee_ids)
            for employee in _employees(session, EmployeeRow.id.in_(chunk))}


def employees_employed_during(session: Session, period: Period, *,
                              employee_ids: Collection[str] | None = None) -> list[Employee]:
    """Employees employed on a day of the closed ``period`` (all, or those of the ids)."""
    if employee_ids is None:
        return _employees(session, *_employed(period))
    return [employee for chunk in _chunks(employee_ids)
            for employee in _employees(session, *_employed(period), EmployeeRow.id.in_(chunk))]


def employees_of_units(session: Session, unit_ids: Collection[str], period: Period, *,
                       also: Collection[str] = ()) -> list[Employee]:
    """Employees employed on a day of the closed ``period`` whose home unit is one of
    ``unit_ids``, and those of the ids in ``also`` (working there from another unit)."""
    found = {employee.id: employee for chunk in _chunks(unit_ids)
             for employee in _employees(session, *_employed(period),
                                        EmployeeRow.home_unit_id.in_(chunk))}
    others = employees_employed_during(session, period, employee_ids=set(also) - set(found))
    return [*found.values(), *others]


def employees_working_in_units(session: Session, unit_ids: Collection[str],
                               since: dt.date, *, employee_id: str | None = None) -> set[str]:
    """Employees (of any home unit) who work in a group of the units: a membership that
    had not ended by ``since``, or a published shift starting on or after ``since``.
    With ``employee_id``, only that employee is looked for."""
    units = sorted(set(unit_ids))
    if not units:
        return set()
    groups = select(AssistanceGroupRow.id).where(AssistanceGroupRow.unit_id.in_(units))
    members = select(GroupMembershipRow.employee_id).where(
        GroupMembershipRow.group_id.in_(groups),
        or_(GroupMembershipRow.valid_to.is_(None), GroupMembershipRow.valid_to > since))
    since_at = dt.datetime.combine(since, dt.time(), tzinfo=dt.UTC)
    if employee_id is not None:
        members = members.where(GroupMembershipRow.employee_id == employee_id)
        if session.scalars(members.limit(1)).first() is not None:
            return {employee_id}
        shift = session.scalars(select(PlannedShiftRow.id).where(
            PlannedShiftRow.employee_id == employee_id, PlannedShiftRow.start_at >= since_at,
            PlannedShiftRow.group_id.in_(groups)).limit(1)).first()
        return {employee_id} if shift is not None else set()
    found = set(session.scalars(members.distinct()))
    found |= {e for e in session.scalars(select(PlannedShiftRow.employee_id).distinct().where(
        PlannedShiftRow.group_id.in_(groups), PlannedShiftRow.start_at >= since_at,
        PlannedShiftRow.employee_id.is_not(None))) if e is not None}
    return found


def memberships_of_employee(session: Session, employee_id: str) -> list[GroupMembership]:
    return [GroupMembership(r[0], r[1], Period(r[2], r[3]), r[4]) for r in session.execute(
        select(GroupMembershipRow.employee_id, GroupMembershipRow.group_id,
               GroupMembershipRow.valid_from, GroupMembershipRow.valid_to,
               GroupMembershipRow.is_regular)
        .where(GroupMembershipRow.employee_id == employee_id)
        .order_by(GroupMembershipRow.valid_from, GroupMembershipRow.group_id))]


def shift_groups_of_employee(session: Session, employee_id: str, since: dt.datetime) -> dict[
        str, int]:
    """Groups the employee has published shifts in from ``since``, with the count."""
    return {r[0]: int(r[1]) for r in session.execute(
        select(PlannedShiftRow.group_id, func.count())
        .where(PlannedShiftRow.employee_id == employee_id, PlannedShiftRow.start_at >= since,
               PlannedShiftRow.status == ShiftStatus.PUBLISHED)
        .group_by(PlannedShiftRow.group_id))}


def _absence(r: Sequence[Any]) -> Absence:
    return Absence(id=r[0], employee_id=r[1], kind=r[2], period=Period(r[3], r[4]),
                   extent_percent=r[5], medical_certificate=r[6])


_ABSENCE_COLUMNS = (AbsenceRow.id, AbsenceRow.employee_id, AbsenceRow.kind,
                    AbsenceRow.valid_from, AbsenceRow.valid_to, AbsenceRow.extent_percent,
                    AbsenceRow.medical_certificate)


def absences_of_employees(session: Session, employee_ids: Collection[str] | None,
                          period: Period, *, kind: AbsenceKind | None = None) -> list[Absence]:
    """Absences sharing a day with the closed ``period``, of the employees (or everyone
    when ``employee_ids`` is None), by start."""
    assert period.end is not None
    base = select(*_ABSENCE_COLUMNS).where(AbsenceRow.valid_from < period.end,
                                           AbsenceRow.valid_to > period.start)
    if kind is not None:
        base = base.where(AbsenceRow.kind == kind)
    rows: list[Sequence[Any]] = []
    if employee_ids is None:
        rows = list(session.execute(base))
    else:
        for chunk in _chunks(employee_ids):
            rows += list(session.execute(base.where(AbsenceRow.employee_id.in_(chunk))))
    return sorted((_absence(r) for r in rows), key=lambda a: (a.period.start, a.id))


@dataclass(frozen=True, slots=True)
class TimeTotals:
    worked_minutes: int = 0
    overtime_minutes: int = 0
    extra_minutes: int = 0


def time_totals_by_employee(session: Session, period: Period, *,
                            employee_ids: Collection[str] | None = None
                            ) -> dict[str, TimeTotals]:
    """Worked minutes (after breaks) of time entries in every group whose Stockholm date
    is in the closed ``period``, rejected rows excluded; with overtime (``overtid``) and
    extra hours (``mertid``) apart. For given employees the rows are found through
    ``ix_time_entries_employee_start`` (the Stockholm date of an entry is that of its
    start), for everyone through ``ix_time_entries_worked_on``."""
    assert period.end is not None
    start = local_datetime(period.start, dt.time())
    end = local_datetime(period.end, dt.time())
    statement = select(
        TimeEntryRow.employee_id,
        func.sum(TimeEntryRow.worked_minutes),
        func.sum(case((TimeEntryRow.kind == TimeKind.OVERTIME, TimeEntryRow.worked_minutes),
                      else_=0)),
        func.sum(case((TimeEntryRow.kind == TimeKind.EXTRA, TimeEntryRow.worked_minutes),
                      else_=0)),
    ).where(TimeEntryRow.status != TimeEntryStatus.REJECTED).group_by(TimeEntryRow.employee_id)
    rows: list[Sequence[Any]] = []
    if employee_ids is None:
        rows = list(session.execute(statement.where(TimeEntryRow.worked_on >= period.start,
                                                    TimeEntryRow.worked_on < period.end)))
    else:
        for chunk in _chunks(employee_ids):
            rows += list(session.execute(statement.where(
                TimeEntryRow.employee_id.in_(chunk), TimeEntryRow.start_at >= start,
                TimeEntryRow.start_at < end)))
    return {r[0]: TimeTotals(int(r[1] or 0), int(r[2] or 0), int(r[3] or 0)) for r in rows}
