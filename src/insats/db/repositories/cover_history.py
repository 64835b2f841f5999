"""Read side for the pool simulation: worked minutes per day, employee, group and time kind,
unstaffed shifts per day, regular memberships, and the span of reported time.

Worked minutes leave out rejected entries and entries replaced by a correction (a later
row that points to them and is not rejected), so a corrected shift counts once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from insats.db.models.scheduling import GroupMembershipRow, PlannedShiftRow
from insats.db.models.time_reports import TimeEntryRow
from insats.domain.common import Period
from insats.domain.scheduling import ShiftStatus
from insats.domain.time_reports import TimeEntryStatus, TimeKind


@dataclass(frozen=True, slots=True)
class WorkedMinutes:
    day: dt.date
    employee_id: str
    group_id: str
    kind: TimeKind
    minutes: int


def _date(value: object) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def reported_span(session: Session) -> tuple[dt.date, dt.date] | None:
    """The first and last Stockholm date with reported (not rejected) time."""
    first, last = session.execute(
        select(func.min(TimeEntryRow.worked_on), func.max(TimeEntryRow.worked_on))
        .where(TimeEntryRow.status != TimeEntryStatus.REJECTED)).one()
    if first is None or last is None:
        return None
    return _date(first), _date(last)


def worked_minutes(session: Session, start: dt.date, end: dt.date) -> list[WorkedMinutes]:
    """Worked minutes (after breaks) per day, employee, group and kind in ``[start, end)``."""
    correction = aliased(TimeEntryRow)
    replaced = (select(correction.corrects_entry_id)
                .where(correction.corrects_entry_id.is_not(None),
                       correction.status != TimeEntryStatus.REJECTED))
    statement = (
        select(TimeEntryRow.worked_on, TimeEntryRow.employee_id, TimeEntryRow.group_id,
               TimeEntryRow.kind, func.sum(TimeEntryRow.worked_minutes))
        .where(TimeEntryRow.worked_on >= start, TimeEntryRow.worked_on < end,
               TimeEntryRow.status != TimeEntryStatus.REJECTED,
               TimeEntryRow.id.not_in(replaced))
        .group_by(TimeEntryRow.worked_on, TimeEntryRow.employee_id, TimeEntryRow.group_id,
                  TimeEntryRow.kind)
    )
    kinds = {str(k): k for k in TimeKind}
    rows = session.connection().execute(statement).all()
    return [WorkedMinutes(_date(day), employee_id, group_id, kinds[str(kind)], int(minutes))
            for day, employee_id, group_id, kind, minutes in rows]


def unstaffed_minutes(session: Session, start: dt.date, end: dt.date) -> list[tuple[dt.date,
                                                                                      int]]:
    """Paid minutes of published shifts nobody was put on, per Stockholm start date."""
    statement = (
        select(PlannedShiftRow.starts_on, func.sum(PlannedShiftRow.paid_minutes))
        .where(PlannedShiftRow.employee_id.is_(None),
               PlannedShiftRow.status == ShiftStatus.PUBLISHED,
               PlannedShiftRow.starts_on >= start, PlannedShiftRow.starts_on < end)
        .group_by(PlannedShiftRow.starts_on)
    )
    return [(_date(day), int(minutes)) for day, minutes in session.execute(statement)]


def regular_memberships(session: Session) -> dict[tuple[str, str], list[Period]]:
    """(employee id, group id) → the periods of their regular membership."""
    result: dict[tuple[str, str], list[Period]] = {}
    statement = select(GroupMembershipRow.employee_id, GroupMembershipRow.group_id,
                       GroupMembershipRow.valid_from, GroupMembershipRow.valid_to).where(
        GroupMembershipRow.is_regular.is_(True))
    for employee_id, group_id, valid_from, valid_to in session.execute(statement):
        result.setdefault((employee_id, group_id), []).append(
            Period(_date(valid_from), None if valid_to is None else _date(valid_to)))
    return result
