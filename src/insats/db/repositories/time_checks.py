"""Read-side queries for the time-report checks and the approval queue (issue 5).

Time entries of some groups or employees over a span, and the planned shifts of some
groups, read in chunks of ids like :mod:`insats.db.repositories.rosters`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from sqlalchemy import select

from insats.db.models.scheduling import PlannedShiftRow
from insats.db.models.time_reports import TimeEntryRow
from insats.db.repositories.rosters import _SHIFT_COLUMNS as SHIFT_COLUMNS
from insats.db.repositories.rosters import _chunks, _shifts
from insats.db.repositories.time_reports import TimeEntryRepository
from insats.domain.scheduling import PlannedShift, ShiftStatus
from insats.domain.time_reports import TimeEntry


def entries_of_groups(repository: TimeEntryRepository, group_ids: Collection[str],
                      start: dt.datetime, end: dt.datetime) -> list[TimeEntry]:
    """Entries of the groups that start in ``[start, end)`` (versions remembered)."""
    found: list[TimeEntry] = []
    for chunk in _chunks(group_ids):
        found += [repository.load(row) for row in repository.session.scalars(
            select(TimeEntryRow).where(TimeEntryRow.group_id.in_(chunk),
                                       TimeEntryRow.start_at >= start,
                                       TimeEntryRow.start_at < end))]
    return sorted(found, key=lambda e: (e.start, e.id))


def entries_of_employees(repository: TimeEntryRepository, employee_ids: Collection[str],
                         start: dt.datetime, end: dt.datetime) -> list[TimeEntry]:
    """Entries of the employees, in every group, that start in ``[start, end)``."""
    found: list[TimeEntry] = []
    for chunk in _chunks(employee_ids):
        found += [repository.load(row) for row in repository.session.scalars(
            select(TimeEntryRow).where(TimeEntryRow.employee_id.in_(chunk),
                                       TimeEntryRow.start_at >= start,
                                       TimeEntryRow.start_at < end))]
    return sorted(found, key=lambda e: (e.start, e.id))


def published_shifts_of_groups(repository: TimeEntryRepository, group_ids: Collection[str],
                               start: dt.datetime, end: dt.datetime) -> list[PlannedShift]:
    """Published shifts of the groups, staffed or not, that start in ``[start, end)``."""
    found: list[PlannedShift] = []
    for chunk in _chunks(group_ids):
        found += _shifts(repository.session, select(*SHIFT_COLUMNS).where(
            PlannedShiftRow.group_id.in_(chunk),
            PlannedShiftRow.start_at >= start, PlannedShiftRow.start_at < end,
            PlannedShiftRow.status == ShiftStatus.PUBLISHED))
    return sorted(found, key=lambda s: (s.start, s.id))
