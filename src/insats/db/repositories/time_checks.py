"""Read-side queries for the time-report checks and the approval queue (issue 5).

Time entries of some groups or employees over a span, and the planned shifts of some
groups, read in chunks of ids like :mod:`insats.db.repositories.rosters`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from typing import Any, NamedTuple

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from insats.db.models.scheduling import AssistanceGroupRow, PlannedShiftRow
from insats.db.models.time_reports import TimeEntryRow
from insats.db.repositories.rosters import _chunks
from insats.domain.scheduling import ShiftStatus
from insats.domain.time_reports import TimeEntry

UNREAD_LIMIT = 2000  # unread groups named in an IN; beyond it, filtered after reading
_ENTRY_COLUMNS = (
    TimeEntryRow.id, TimeEntryRow.employee_id, TimeEntryRow.group_id, TimeEntryRow.start_at,
    TimeEntryRow.end_at, TimeEntryRow.kind, TimeEntryRow.status, TimeEntryRow.client_id,
    TimeEntryRow.planned_shift_id, TimeEntryRow.break_minutes, TimeEntryRow.is_double,
    TimeEntryRow.at_hospital, TimeEntryRow.reported_on, TimeEntryRow.attested_at,
    TimeEntryRow.attested_by, TimeEntryRow.corrects_entry_id, TimeEntryRow.ob_claimed,
    TimeEntryRow.comment,
)


def _entries(session: Session, column: Any, ids: Collection[str], start: dt.datetime,
             end: dt.datetime, *conditions: Any) -> list[TimeEntry]:
    found: list[TimeEntry] = []
    for chunk in _chunks(ids):
        found += [TimeEntry(*row) for row in session.execute(
            select(*_ENTRY_COLUMNS).where(column.in_(chunk), TimeEntryRow.start_at >= start,
                                          TimeEntryRow.start_at < end, *conditions))]
    return sorted(found, key=lambda e: (e.start, e.id))


def entries_of_groups(session: Session, group_ids: Collection[str],
                      start: dt.datetime, end: dt.datetime) -> list[TimeEntry]:
    """Entries of the groups that start in ``[start, end)`` (read-only: no versions)."""
    return _entries(session, TimeEntryRow.group_id, group_ids, start, end)


def entries_of_employees(session: Session, employee_ids: Collection[str],
                         start: dt.datetime, end: dt.datetime, *,
                         skip_groups: Collection[str] = (),
                         skip_span: tuple[dt.datetime, dt.datetime] | None = None
                         ) -> list[TimeEntry]:
    """Entries of the employees, in every group, that start in ``[start, end)``; without
    those of ``skip_groups`` starting in ``skip_span`` (the caller has read them).

    Within the span only the groups the employees worked in and the caller has not read
    are read (found first by a DISTINCT query that makes no entries, unless the caller
    read every group), so a caller that read a whole department reads nothing twice,
    however many groups it has."""
    column = TimeEntryRow.employee_id
    if not skip_groups or skip_span is None:
        return _entries(session, column, employee_ids, start, end)
    low, high = skip_span
    skip = set(skip_groups)
    unread = [] if _every_group_in(session, skip) else sorted(
        _groups_of_employees(session, employee_ids, low, high) - skip)
    if not unread:
        inside: list[TimeEntry] = []
    elif len(unread) > UNREAD_LIMIT:
        inside = [e for e in _entries(session, column, employee_ids, low, high)
                  if e.group_id not in skip]
    else:
        inside = _entries(session, column, employee_ids, low, high,
                          TimeEntryRow.group_id.in_(unread))
    return sorted(
        _entries(session, column, employee_ids, start, low) + inside
        + _entries(session, column, employee_ids, high, end),
        key=lambda e: (e.start, e.id))


def _every_group_in(session: Session, group_ids: Collection[str]) -> bool:
    """Whether ``group_ids`` (ids of stored groups, as read) holds every assistance group
    there is: a count, so that a caller checking unit by unit reads no ids per unit."""
    if not group_ids:
        return False
    stored = session.scalar(select(func.count()).select_from(AssistanceGroupRow)) or 0
    return len(set(group_ids)) >= stored


def _groups_of_employees(session: Session, employee_ids: Collection[str],
                         start: dt.datetime, end: dt.datetime) -> set[str]:
    """The groups the employees have entries in that start in ``[start, end)``."""
    found: set[str] = set()
    for chunk in _chunks(employee_ids):
        found.update(session.scalars(
            select(TimeEntryRow.group_id).distinct().where(
                TimeEntryRow.employee_id.in_(chunk), TimeEntryRow.start_at >= start,
                TimeEntryRow.start_at < end)))
    return found


class ShiftSpan(NamedTuple):
    """A published shift's group, planned employee (None: open) and times."""

    group_id: str
    employee_id: str | None
    start: dt.datetime
    end: dt.datetime


def published_shift_spans(session: Session, group_ids: Collection[str],
                          start: dt.datetime, end: dt.datetime, *,
                          meeting: Mapping[str, tuple[dt.datetime, dt.datetime]] | None = None
                          ) -> list[ShiftSpan]:
    """Published shifts of the groups, staffed or not, that start in ``[start, end)``, as
    spans only (what the overtime check needs), by start. With ``meeting`` (group id →
    ``(from, to)``), only each group's shifts that share a moment with its ``[from, to)``."""
    found: list[ShiftSpan] = []
    for chunk in _chunks(group_ids):
        if meeting is None:
            which: Any = PlannedShiftRow.group_id.in_(chunk)
        else:
            which = or_(*(and_(PlannedShiftRow.group_id == group_id,
                               PlannedShiftRow.start_at < meeting[group_id][1],
                               PlannedShiftRow.end_at > meeting[group_id][0])
                          for group_id in chunk))
        found += [ShiftSpan(*row) for row in session.execute(
            select(PlannedShiftRow.group_id, PlannedShiftRow.employee_id,
                   PlannedShiftRow.start_at, PlannedShiftRow.end_at).where(
                which, PlannedShiftRow.start_at >= start, PlannedShiftRow.start_at < end,
                PlannedShiftRow.status == ShiftStatus.PUBLISHED))]
    return sorted(found, key=lambda s: s.start)
