"""Read-side queries for the hour ledger: light tuples, not entities, for speed.

The statements run on the session's connection (Core), in the session's transaction,
without the ORM's result machinery, since no entity is loaded.

Time entries that were rejected, or that a later correction replaces, are left out: the
correction is what counts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from sqlalchemy import Select, and_, extract, func, select
from sqlalchemy.orm import Session, aliased

from insats.db.models.clients import ClientRow
from insats.db.models.decisions import DecisionRow
from insats.db.models.scheduling import AssistanceGroupRow, PlannedShiftRow
from insats.db.models.staff import EmployeeRow
from insats.db.models.time_reports import TimeEntryRow
from insats.domain.decisions import Insats
from insats.domain.eligibility import Work
from insats.domain.ledger import Scheduled
from insats.domain.scheduling import ShiftStatus
from insats.domain.time_reports import TimeEntryStatus

_corrected = aliased(TimeEntryRow)


def _counting_entries(statement: Select[Any]) -> Select[Any]:
    replaced = select(_corrected.corrects_entry_id).where(
        _corrected.corrects_entry_id.is_not(None))
    return statement.where(TimeEntryRow.status != TimeEntryStatus.REJECTED,
                           TimeEntryRow.id.not_in(replaced))


def _work_columns() -> Select[Any]:
    return select(
        TimeEntryRow.id, TimeEntryRow.employee_id, func.coalesce(TimeEntryRow.client_id, ""),
        TimeEntryRow.start_at, TimeEntryRow.end_at, TimeEntryRow.worked_minutes,
        TimeEntryRow.is_double, TimeEntryRow.status == TimeEntryStatus.ATTESTED,
        TimeEntryRow.reported_on, TimeEntryRow.at_hospital, TimeEntryRow.planned_shift_id,
    )


def _works(session: Session, start: dt.date, end: dt.date, condition: Any) -> list[Work]:
    statement = _counting_entries(_work_columns()).where(
        condition, TimeEntryRow.worked_on >= start, TimeEntryRow.worked_on < end)
    make = Work._make
    return [make(row) for row in session.connection().execute(statement)]


def works_of_clients(session: Session, client_ids: Collection[str], start: dt.date,
                     end: dt.date) -> list[Work]:
    """Counting time entries of the clients that start on Stockholm dates ``[start, end)``."""
    return _works(session, start, end, TimeEntryRow.client_id.in_(list(client_ids)))


def works_of_employees(session: Session, employee_ids: Collection[str], start: dt.date,
                       end: dt.date) -> list[Work]:
    """All counting time of the employees, whatever the client, in ``[start, end)``."""
    return _works(session, start, end, TimeEntryRow.employee_id.in_(list(employee_ids)))


def monthly_worked_minutes(session: Session, start: dt.date,
                           end: dt.date) -> dict[tuple[str, dt.date], int]:
    """Counting minutes per (employee, first day of the Stockholm month) in ``[start, end)``."""
    year = extract("year", TimeEntryRow.worked_on)
    month = extract("month", TimeEntryRow.worked_on)
    statement = _counting_entries(
        select(TimeEntryRow.employee_id, year, month, func.sum(TimeEntryRow.worked_minutes))
    ).where(TimeEntryRow.worked_on >= start, TimeEntryRow.worked_on < end).group_by(
        TimeEntryRow.employee_id, year, month)
    return {(employee, dt.date(int(y), int(m), 1)): int(total)
            for employee, y, m, total in session.connection().execute(statement)}


def scheduled_of_clients(session: Session, client_ids: Collection[str], start: dt.date,
                         end: dt.date) -> list[Scheduled]:
    """Planned shifts in the clients' groups starting on Stockholm dates ``[start, end)``.

    The end is the start plus the shift's length (paid minutes and break), which is how
    the row was written; reading one timestamp instead of two halves the conversions.
    """
    statement = select(
        PlannedShiftRow.id, AssistanceGroupRow.client_id, PlannedShiftRow.employee_id,
        PlannedShiftRow.start_at, PlannedShiftRow.paid_minutes, PlannedShiftRow.break_minutes,
        PlannedShiftRow.is_double, PlannedShiftRow.status == ShiftStatus.PUBLISHED,
    ).join(AssistanceGroupRow, AssistanceGroupRow.id == PlannedShiftRow.group_id).where(
        AssistanceGroupRow.client_id.in_(list(client_ids)),
        PlannedShiftRow.starts_on >= start, PlannedShiftRow.starts_on < end,
    )
    minute = dt.timedelta(minutes=1)
    return [Scheduled(shift_id, client_id, employee_id, begin,
                      begin + (paid + pause) * minute, paid, double, published)
            for shift_id, client_id, employee_id, begin, paid, pause, double, published
            in session.connection().execute(statement)]


def assistants_outside_eea(session: Session) -> frozenset[str]:
    """Employees living outside the EES without approved särskilda skäl."""
    statement = select(EmployeeRow.id).where(EmployeeRow.resides_outside_eea.is_(True),
                                             EmployeeRow.outside_eea_approved.is_(False))
    return frozenset(str(e) for e in session.connection().execute(statement).scalars())


def assistance_client_ids(session: Session, unit_ids: Collection[str] | None) -> list[str]:
    """Clients with a personal-assistance decision, optionally of some units."""
    statement = select(DecisionRow.client_id).distinct().join(
        ClientRow, ClientRow.id == DecisionRow.client_id).where(
        DecisionRow.insats == Insats.PERSONAL_ASSISTANCE)
    if unit_ids is not None:
        statement = statement.where(and_(ClientRow.unit_id.in_(list(unit_ids))))
    return sorted(str(c) for c in session.scalars(statement))


def last_worked_on(session: Session) -> dt.date | None:
    """The latest Stockholm date with counting time, or None when nothing is reported."""
    statement = _counting_entries(select(func.max(TimeEntryRow.worked_on)))
    found = session.connection().execute(statement).scalar()
    return found if isinstance(found, dt.date) or found is None else dt.date.fromisoformat(
        str(found))
