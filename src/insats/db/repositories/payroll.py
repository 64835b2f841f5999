"""Read-side query for the payroll export: time entries as light tuples, not entities.

Rejected entries, and entries that a later correction replaces, are left out: the
correction is what is paid.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from insats.db.models.time_reports import TimeEntryRow
from insats.domain.pay_rules import PayEntry
from insats.domain.time_reports import TimeEntryStatus

_correction = aliased(TimeEntryRow)


def pay_entries(session: Session, start: dt.date, end: dt.date, *,
                employee_ids: Collection[str] | None = None,
                attested_only: bool = True) -> tuple[list[PayEntry], list[dt.date]]:
    """Counting entries that start on Stockholm dates ``[start, end)``.

    Returns the entries, and the start dates of the reported (not yet attested) entries
    left out because ``attested_only`` is set.
    """
    replaced = select(_correction.corrects_entry_id).where(
        _correction.corrects_entry_id.is_not(None))
    statement = select(
        TimeEntryRow.id, TimeEntryRow.employee_id, TimeEntryRow.worked_on,
        TimeEntryRow.start_at, TimeEntryRow.end_at, TimeEntryRow.break_minutes,
        TimeEntryRow.kind, TimeEntryRow.status,
    ).where(
        TimeEntryRow.status != TimeEntryStatus.REJECTED,
        TimeEntryRow.id.not_in(replaced),
        TimeEntryRow.worked_on >= start, TimeEntryRow.worked_on < end,
    )
    if employee_ids is not None:
        statement = statement.where(TimeEntryRow.employee_id.in_(list(employee_ids)))
    entries: list[PayEntry] = []
    skipped: list[dt.date] = []
    make = PayEntry._make
    attested = TimeEntryStatus.ATTESTED
    for row in session.connection().execute(statement):
        if attested_only and row[7] != attested:
            skipped.append(row[2])
            continue
        entries.append(make(row[:7]))
    return entries, skipped
