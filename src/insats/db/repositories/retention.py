"""Retention (gallring) in SQL: count, remove or anonymise what passed its limit, and the
append-only log of runs (``retention_runs``).

Each ``*_past`` method takes the cutoff (records whose reference date is before it are past
their limit), removes or anonymises those records and returns how many, per table. A dry
run is the same run rolled back, so it counts exactly what a run would do. Rows that
kept records still refer to are kept (a correction that is kept keeps the entry it
corrects; a time entry keeps its planned shift; a published shift keeps the planning run
that proposed it). Nothing commits here: the service runs everything in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, and_, delete, exists, func, or_, select
from sqlalchemy import update as sql_update
from sqlalchemy.orm import Session

from insats.db.append_only import guard_lifted
from insats.db.base import Base
from insats.db.models import (
    AbsenceRow,
    AuditEventRow,
    ClientRow,
    CoverBookingRow,
    DecisionRow,
    LoginFailureRow,
    PlannedShiftRow,
    PlanningRunRow,
    RetentionRunRow,
    TimeEntryRow,
    WebSessionRow,
)
from insats.domain.personnummer import IdentityKind
from insats.domain.retention import ANONYMISED_NAME, anonymised_identity
from insats.domain.scheduling import ShiftStatus

Counts = dict[str, int]


def _table(model: type[Base]) -> Table:
    return cast(Table, model.__table__)


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


class RetentionRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    # --- shared -----------------------------------------------------------------------
    def _count(self, table: Table, condition: ColumnElement[bool]) -> int:
        return int(self._session.execute(
            select(func.count()).select_from(table).where(condition)).scalar_one())

    def _remove(self, table: Table, condition: ColumnElement[bool]) -> int:
        count = self._count(table, condition)
        if count:
            self._session.execute(delete(table).where(condition))
        return count

    # --- record types -------------------------------------------------------------------
    def time_reports_past(self, cutoff: dt.date) -> Counts:
        entries = _table(TimeEntryRow)
        kept = entries.alias("kept")
        still_corrected = exists().where(kept.c.corrects_entry_id == entries.c.id,
                                         kept.c.worked_on >= cutoff)
        condition = and_(entries.c.worked_on < cutoff, ~still_corrected)
        return {"time_entries": self._remove(entries, condition)}

    def absences_past(self, cutoff: dt.date) -> Counts:
        absences, bookings = _table(AbsenceRow), _table(CoverBookingRow)
        past = absences.c.valid_to <= cutoff  # valid_to is exclusive: last day < cutoff
        their_bookings = bookings.c.absence_id.in_(select(absences.c.id).where(past))
        return {"cover_bookings": self._remove(bookings, their_bookings),
                "absences": self._remove(absences, past)}

    def schedules_past(self, cutoff: dt.date) -> Counts:
        shifts, bookings = _table(PlannedShiftRow), _table(CoverBookingRow)
        entries = _table(TimeEntryRow)
        past = and_(shifts.c.starts_on < cutoff,
                    ~exists().where(entries.c.planned_shift_id == shifts.c.id))
        their_bookings = bookings.c.shift_id.in_(select(shifts.c.id).where(past))
        return {"cover_bookings": self._remove(bookings, their_bookings),
                "planned_shifts": self._remove(shifts, past)}

    def planning_runs_past(self, cutoff: dt.date) -> Counts:
        runs, shifts = _table(PlanningRunRow), _table(PlannedShiftRow)
        bookings, entries = _table(CoverBookingRow), _table(TimeEntryRow)
        old_runs = select(runs.c.id).where(runs.c.created_at < _start_of(cutoff))
        proposals = and_(shifts.c.planning_run_id.in_(old_runs),
                         shifts.c.status == ShiftStatus.PROPOSED.value,
                         ~exists().where(entries.c.planned_shift_id == shifts.c.id),
                         ~exists().where(bookings.c.shift_id == shifts.c.id))
        removed_proposals = self._remove(shifts, proposals)
        unreferenced = and_(runs.c.created_at < _start_of(cutoff),
                            ~exists().where(shifts.c.planning_run_id == runs.c.id))
        return {"planning_runs": self._remove(runs, unreferenced),
                "planned_shifts": removed_proposals}

    def clients_past(self, cutoff: dt.date) -> Counts:
        """Anonymise clients all of whose decisions ended before the cutoff: the name,
        identity number (replaced by a reserve number from the pseudonym), address and
        coordinates go; the pseudonym, unit and the records keyed by the client stay."""
        clients, decisions = _table(ClientRow), _table(DecisionRow)
        last_end = (select(func.max(decisions.c.valid_to))
                    .where(decisions.c.client_id == clients.c.id).scalar_subquery())
        condition = and_(
            exists().where(decisions.c.client_id == clients.c.id),
            ~exists().where(decisions.c.client_id == clients.c.id,
                            decisions.c.valid_to.is_(None)),
            last_end <= cutoff,  # valid_to is exclusive: the last day is before cutoff
            or_(clients.c.given_name != ANONYMISED_NAME,
                clients.c.identity_kind != IdentityKind.RESERVNUMMER.value),
        )
        found = self._session.execute(
            select(clients.c.id, clients.c.pseudonym).where(condition)).all()
        for client_id, pseudonym in found:
            self._session.execute(sql_update(clients).where(clients.c.id == client_id)
                                  .values(given_name=ANONYMISED_NAME, family_name="",
                                          identity_number=anonymised_identity(pseudonym),
                                          identity_kind=IdentityKind.RESERVNUMMER.value,
                                          address="", latitude=None, longitude=None))
        return {"clients": len(found)}

    def access_log_past(self, cutoff: dt.date) -> Counts:
        """Remove access-log entries before the cutoff. The table is append-only: its guard
        is lifted for this one DELETE inside the run's transaction and put back at once."""
        events = _table(AuditEventRow)
        past = events.c.at < _start_of(cutoff)
        count = self._count(events, past)
        if count:
            with guard_lifted(self._session.connection(), events.name):
                self._session.execute(delete(events).where(past))
        return {"audit_events": count}

    def sign_in_log_past(self, cutoff: dt.date) -> Counts:
        failures, sessions = _table(LoginFailureRow), _table(WebSessionRow)
        start = _start_of(cutoff)
        return {"login_failures": self._remove(failures, failures.c.at < start),
                "web_sessions": self._remove(sessions, sessions.c.last_seen_at < start)}

    # --- the log of runs ----------------------------------------------------------------
    def add_run(self, *, ran_at: dt.datetime, ran_by: str, as_of: dt.date,
                items: list[dict[str, Any]]) -> int:
        row = RetentionRunRow(ran_at=ran_at, ran_by=ran_by, as_of=as_of, items=items)
        self._session.add(row)
        self._session.flush()
        return row.id

    def runs(self, *, limit: int = 100) -> Sequence[RetentionRunRow]:
        return self._session.scalars(select(RetentionRunRow)
                                     .order_by(RetentionRunRow.id.desc()).limit(limit)).all()
