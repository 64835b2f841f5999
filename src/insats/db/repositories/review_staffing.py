"""Grouped queries for the staffing reviews (``insats.services.review_surplus`` and
``insats.services.review_resource_unit``): counting time per employee, group and kind,
and published shifts per group and staffing, over Stockholm dates ``[start, end)``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import NamedTuple

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from insats.db.models.scheduling import GroupMembershipRow, PlannedShiftRow
from insats.db.models.time_reports import TimeEntryRow
from insats.db.repositories.key_figures import _counting
from insats.domain.common import Period
from insats.domain.scheduling import ShiftStatus
from insats.domain.time_reports import TimeKind


class WorkedTime(NamedTuple):
    """Counting minutes one employee performed in one group, of one kind."""

    employee_id: str
    group_id: str
    kind: TimeKind
    minutes: int


class ShiftTime(NamedTuple):
    """Paid minutes and count of published shifts of a group given to one employee
    (``employee_id`` None: open shifts)."""

    group_id: str
    employee_id: str | None
    shifts: int
    minutes: int


def worked_time(session: Session, start: dt.date, end: dt.date, *,
                group_ids: Collection[str] | None = None,
                employee_ids: Collection[str] | None = None) -> list[WorkedTime]:
    """Counting time (not rejected, not replaced by a correction) worked on Stockholm
    dates ``[start, end)``, per employee, group and kind; restricted to the groups or
    employees given (both None: all)."""
    statement = (
        select(TimeEntryRow.employee_id, TimeEntryRow.group_id, TimeEntryRow.kind,
               func.sum(TimeEntryRow.worked_minutes))
        .where(TimeEntryRow.worked_on >= start, TimeEntryRow.worked_on < end, *_counting())
        .group_by(TimeEntryRow.employee_id, TimeEntryRow.group_id, TimeEntryRow.kind))
    if group_ids is not None:
        statement = statement.where(TimeEntryRow.group_id.in_(list(group_ids)))
    if employee_ids is not None:
        statement = statement.where(TimeEntryRow.employee_id.in_(list(employee_ids)))
    return [WorkedTime(e, g, TimeKind(k), int(m or 0))
            for e, g, k, m in session.execute(statement)]


def shift_time(session: Session, start: dt.date, end: dt.date,
               group_ids: Collection[str]) -> list[ShiftTime]:
    """Published shifts starting on Stockholm dates ``[start, end)`` in the groups, per
    group and employee (None for open shifts)."""
    if not group_ids:
        return []
    statement = (
        select(PlannedShiftRow.group_id, PlannedShiftRow.employee_id, func.count(),
               func.sum(PlannedShiftRow.paid_minutes))
        .where(PlannedShiftRow.starts_on >= start, PlannedShiftRow.starts_on < end,
               PlannedShiftRow.status == ShiftStatus.PUBLISHED,
               PlannedShiftRow.group_id.in_(list(group_ids)))
        .group_by(PlannedShiftRow.group_id, PlannedShiftRow.employee_id))
    return [ShiftTime(g, e, int(n), int(m or 0)) for g, e, n, m in session.execute(statement)]


def regular_members(session: Session, group_ids: Collection[str],
                    period: Period) -> dict[str, set[str]]:
    """Group id -> the employees who are regular members of it at some time in
    ``period`` (one query for all the groups)."""
    result: dict[str, set[str]] = {g: set() for g in group_ids}
    if not group_ids:
        return result
    statement = select(GroupMembershipRow.group_id, GroupMembershipRow.employee_id).where(
        GroupMembershipRow.group_id.in_(list(group_ids)), GroupMembershipRow.is_regular,
        or_(GroupMembershipRow.valid_to.is_(None),
            GroupMembershipRow.valid_to > period.start))
    if period.end is not None:
        statement = statement.where(GroupMembershipRow.valid_from < period.end)
    for group_id, employee_id in session.execute(statement):
        result[group_id].add(employee_id)
    return result
