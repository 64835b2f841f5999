"""Read-side queries for the key figures of the overview, unit and client pages.

Every figure is read with grouped SQL over *segments*: the disjoint day ranges between
consecutive window boundaries (``insats.domain.key_figures.segments``), so that one scan
of the time entries gives the sums of all the weeks and months of a trend at once. The
segment of a row is a ``CASE`` over the boundaries, which every backend evaluates the same
way. Rows are light tuples, not entities.

``unit_ids`` restricts a query to some units (a unit manager's scope); None means all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Date, and_, case, exists, func, literal, or_, select
from sqlalchemy.orm import Session, aliased

from insats.db.models.absence import AbsenceRow
from insats.db.models.clients import ClientRow
from insats.db.models.decisions import DecisionRow
from insats.db.models.providers import ProviderRow
from insats.db.models.scheduling import (
    AssistanceGroupRow,
    GroupMembershipRow,
    PlannedShiftRow,
)
from insats.db.models.staff import EmployeeRow
from insats.db.models.time_reports import TimeEntryRow
from insats.domain.absence import AbsenceKind
from insats.domain.decisions import HOURLY_INSATSER
from insats.domain.scheduling import ShiftStatus
from insats.domain.staff import EmploymentForm
from insats.domain.time_reports import TimeEntryStatus, TimeKind

_correction = aliased(TimeEntryRow)
LONGEST_ENTRY = dt.timedelta(days=2)
"""Reported time is looked for this many days around a shift's start date."""


class TimeSums(NamedTuple):
    """Counting time of one unit's groups for one client (None: no client) in a segment."""

    unit_id: str
    client_id: str | None
    segment: int
    performed: int
    overtime: int
    extra: int


class Grant(NamedTuple):
    """An hourly decision the municipality performs itself, as plain values."""

    client_id: str
    unit_id: str  # the client's unit
    per_week: int | None
    total: int | None
    double_per_week: int
    valid_from: dt.date
    valid_to: dt.date | None


class Census(NamedTuple):
    """Clients with a decision, or staff employed, in a unit on a day."""

    day: dt.date
    unit_id: str
    number: int
    percent: int  # the sum of employment percent (staff); 0 for clients


class StaffMember(NamedTuple):
    employee_id: str
    unit_id: str
    hourly: bool
    contracted_per_week: int
    employed_from: dt.date
    employed_to: dt.date | None


class SickSpell(NamedTuple):
    employee_id: str
    start: dt.date
    end: dt.date
    extent_percent: int


def _segment_of(column: Any, bounds: Sequence[dt.date]) -> Any:
    """The index of the segment containing ``column``: a nested ``CASE`` halving the
    boundaries (a handful of comparisons per row, whatever the number of segments).
    Rows outside ``[bounds[0], bounds[-1])`` must be filtered out by the caller."""

    def between(lo: int, hi: int) -> Any:
        if hi - lo == 1:
            return literal(lo)
        mid = (lo + hi) // 2
        return case((column < bounds[mid], between(lo, mid)), else_=between(mid, hi))

    return between(0, len(bounds) - 1)


def _counting() -> list[ColumnElement[bool]]:
    """Time entries that count: not rejected, not replaced by a correction."""
    replaced = select(_correction.corrects_entry_id).where(
        _correction.corrects_entry_id.is_not(None))
    return [TimeEntryRow.status != TimeEntryStatus.REJECTED,
            TimeEntryRow.id.not_in(replaced)]


def last_performed_day(session: Session) -> dt.date | None:
    """The latest Stockholm date with counting time in the database."""
    statement = (select(TimeEntryRow.worked_on)
                 .where(TimeEntryRow.status != TimeEntryStatus.REJECTED)
                 .order_by(TimeEntryRow.worked_on.desc()).limit(1))
    found = session.execute(statement).scalar()
    return found


def time_by_segment(session: Session, bounds: Sequence[dt.date]) -> list[TimeSums]:
    """Counting time per (group's unit, client, segment) starting on Stockholm dates in
    ``[bounds[0], bounds[-1])``. Grouped by group, whose unit is looked up after: the
    join would cost more than the few hundred groups."""
    segment = _segment_of(TimeEntryRow.worked_on, bounds)
    minutes = TimeEntryRow.worked_minutes
    statement = (
        select(
            TimeEntryRow.group_id, TimeEntryRow.client_id, segment,
            func.sum(minutes),
            func.sum(case((TimeEntryRow.kind == TimeKind.OVERTIME, minutes), else_=0)),
            func.sum(case((TimeEntryRow.kind == TimeKind.EXTRA, minutes), else_=0)),
        )
        .where(TimeEntryRow.worked_on >= bounds[0], TimeEntryRow.worked_on < bounds[-1],
               *_counting())
        .group_by(TimeEntryRow.group_id, TimeEntryRow.client_id, segment)
    )
    unit_of: dict[str, str] = {
        str(g): str(u)
        for g, u in session.execute(select(AssistanceGroupRow.id, AssistanceGroupRow.unit_id))}
    return [TimeSums(str(unit_of[group]), client, int(seg), int(p or 0), int(o or 0),
                     int(e or 0))
            for group, client, seg, p, o, e in session.connection().execute(statement)]


def client_units(session: Session, unit_ids: Collection[str] | None) -> dict[str, str]:
    """Each client's unit (``clients.unit_id``)."""
    statement = select(ClientRow.id, ClientRow.unit_id)
    if unit_ids is not None:
        statement = statement.where(ClientRow.unit_id.in_(list(unit_ids)))
    return {str(c): str(u) for c, u in session.connection().execute(statement)}


def own_grants(session: Session, start: dt.date, end: dt.date,
               unit_ids: Collection[str] | None) -> list[Grant]:
    """Hourly decisions overlapping ``[start, end)`` whose provider is the municipality
    itself (egen regi), with the client's unit."""
    statement = (
        select(DecisionRow.client_id, ClientRow.unit_id, DecisionRow.granted_minutes_per_week,
               DecisionRow.granted_minutes_total,
               DecisionRow.double_assistance_minutes_per_week, DecisionRow.valid_from,
               DecisionRow.valid_to)
        .join(ClientRow, ClientRow.id == DecisionRow.client_id)
        .join(ProviderRow, ProviderRow.id == DecisionRow.provider_id)
        .where(ProviderRow.is_municipal.is_(True),
               DecisionRow.insats.in_([i.value for i in HOURLY_INSATSER]),
               DecisionRow.valid_from < end,
               or_(DecisionRow.valid_to.is_(None), DecisionRow.valid_to > start))
    )
    if unit_ids is not None:
        statement = statement.where(ClientRow.unit_id.in_(list(unit_ids)))
    return [Grant(str(c), str(u), w, t, int(d or 0), f, to)
            for c, u, w, t, d, f, to in session.connection().execute(statement)]


def unreported_by_segment(session: Session, bounds: Sequence[dt.date], until: dt.date,
                          unit_ids: Collection[str] | None) -> list[tuple[str, int, int]]:
    """(unit, segment, minutes) of published, staffed shifts of clients' groups starting on
    Stockholm dates before ``until`` with no counting time entry: none that names the
    shift, and none of the same employee for the same client without a shift that
    overlaps it (the ledger's definition of scheduled but unreported).

    Most shifts are named by an entry, so shifts are first probed on the index of
    ``planned_shift_id`` alone; the few named only by rejected or replaced entries are
    found separately, and the overlap with unnamed entries is checked on the candidates.
    """
    end = min(bounds[-1], until)
    if end <= bounds[0]:
        return []
    segment = _segment_of(PlannedShiftRow.starts_on, bounds)
    named_at_all = exists().where(TimeEntryRow.planned_shift_id == PlannedShiftRow.id)
    named_counting = exists().where(TimeEntryRow.planned_shift_id == PlannedShiftRow.id,
                                    *_counting())
    not_counting = select(TimeEntryRow.planned_shift_id).where(
        TimeEntryRow.planned_shift_id.is_not(None),
        TimeEntryRow.worked_on >= bounds[0] - LONGEST_ENTRY,
        TimeEntryRow.worked_on < end + LONGEST_ENTRY,
        or_(TimeEntryRow.status == TimeEntryStatus.REJECTED,
            TimeEntryRow.id.in_(select(_correction.corrects_entry_id).where(
                _correction.corrects_entry_id.is_not(None)))))
    base = (
        select(AssistanceGroupRow.unit_id, segment, PlannedShiftRow.paid_minutes,
               PlannedShiftRow.employee_id, AssistanceGroupRow.client_id,
               PlannedShiftRow.start_at, PlannedShiftRow.end_at)
        .join(AssistanceGroupRow, AssistanceGroupRow.id == PlannedShiftRow.group_id)
        .where(PlannedShiftRow.starts_on >= bounds[0], PlannedShiftRow.starts_on < end,
               PlannedShiftRow.status == ShiftStatus.PUBLISHED,
               PlannedShiftRow.employee_id.is_not(None),
               AssistanceGroupRow.client_id.is_not(None))
    )
    if unit_ids is not None:
        base = base.where(AssistanceGroupRow.unit_id.in_(list(unit_ids)))
    candidates: list[Any] = []
    for statement in (base.where(~named_at_all),
                      base.where(PlannedShiftRow.id.in_(not_counting), ~named_counting)):
        candidates.extend(session.execute(statement).all())
    if not candidates:
        return []
    unnamed: dict[tuple[str, str], list[tuple[dt.datetime, dt.datetime]]] = {}
    employees = sorted({str(c[3]) for c in candidates})
    statement = select(TimeEntryRow.employee_id, TimeEntryRow.client_id, TimeEntryRow.start_at,
                       TimeEntryRow.end_at).where(
        TimeEntryRow.planned_shift_id.is_(None),
        TimeEntryRow.employee_id.in_(employees),
        TimeEntryRow.worked_on >= bounds[0] - LONGEST_ENTRY,
        TimeEntryRow.worked_on < end + LONGEST_ENTRY, *_counting())
    for employee, client, begin, finish in session.execute(statement):
        unnamed.setdefault((str(employee), str(client)), []).append((begin, finish))
    sums: dict[tuple[str, int], int] = {}
    for unit, seg, minutes, employee, client, begin, finish in candidates:
        if any(b < finish and begin < f for b, f in unnamed.get((employee, client), ())):
            continue
        key = (str(unit), int(seg))
        sums[key] = sums.get(key, 0) + int(minutes or 0)
    return [(unit, seg, minutes) for (unit, seg), minutes in sorted(sums.items())]


def _days_table(days: Collection[dt.date]) -> Any:
    parts = [select(literal(day, Date).label("day")) for day in sorted(set(days))]
    first, *rest = parts
    return (first.union_all(*rest) if rest else first).subquery("days")


def clients_on_days(session: Session, days: Collection[dt.date],
                    unit_ids: Collection[str] | None) -> list[Census]:
    """Distinct clients with a decision (any insats and provider) in force, per unit and
    day (the summary's definition of a unit's clients)."""
    if not days:
        return []
    table = _days_table(days)
    statement = (
        select(table.c.day, ClientRow.unit_id, func.count(func.distinct(DecisionRow.client_id)))
        .select_from(table)
        .join(DecisionRow, and_(DecisionRow.valid_from <= table.c.day,
                                or_(DecisionRow.valid_to.is_(None),
                                    DecisionRow.valid_to > table.c.day)))
        .join(ClientRow, ClientRow.id == DecisionRow.client_id)
        .group_by(table.c.day, ClientRow.unit_id)
    )
    if unit_ids is not None:
        statement = statement.where(ClientRow.unit_id.in_(list(unit_ids)))
    return [Census(_as_date(d), str(u), int(n), 0)
            for d, u, n in session.connection().execute(statement)]


def staff_on_days(session: Session, days: Collection[dt.date],
                  unit_ids: Collection[str] | None) -> list[Census]:
    """Staff employed per home unit and day, with the sum of their employment percent."""
    if not days:
        return []
    table = _days_table(days)
    statement = (
        select(table.c.day, EmployeeRow.home_unit_id, func.count(EmployeeRow.id),
               func.coalesce(func.sum(EmployeeRow.employment_percent), 0))
        .select_from(table)
        .join(EmployeeRow, and_(EmployeeRow.employed_from <= table.c.day,
                                or_(EmployeeRow.employed_to.is_(None),
                                    EmployeeRow.employed_to > table.c.day)))
        .group_by(table.c.day, EmployeeRow.home_unit_id)
    )
    if unit_ids is not None:
        statement = statement.where(EmployeeRow.home_unit_id.in_(list(unit_ids)))
    return [Census(_as_date(d), str(u), int(n), int(p or 0))
            for d, u, n, p in session.connection().execute(statement)]


def staff_employed_during(session: Session, start: dt.date, end: dt.date,
                          unit_ids: Collection[str] | None) -> list[StaffMember]:
    """Staff employed some day of ``[start, end)``, with their contracted week
    (the full-time week × employment percent / 100, as ``Employee`` computes it)."""
    statement = (
        select(EmployeeRow.id, EmployeeRow.home_unit_id, EmployeeRow.employment_form,
               EmployeeRow.full_time_minutes_per_week, EmployeeRow.employment_percent,
               EmployeeRow.employed_from, EmployeeRow.employed_to)
        .where(EmployeeRow.employed_from < end,
               or_(EmployeeRow.employed_to.is_(None), EmployeeRow.employed_to > start))
    )
    if unit_ids is not None:
        statement = statement.where(EmployeeRow.home_unit_id.in_(list(unit_ids)))
    return [StaffMember(str(i), str(u), form == EmploymentForm.HOURLY,
                        int(full) * int(percent) // 100, f, to)
            for i, u, form, full, percent, f, to in session.connection().execute(statement)]


def sick_spells(session: Session, start: dt.date, end: dt.date,
                employee_ids: Collection[str] | None = None) -> list[SickSpell]:
    """Sick absences overlapping ``[start, end)``."""
    statement = select(AbsenceRow.employee_id, AbsenceRow.valid_from, AbsenceRow.valid_to,
                       AbsenceRow.extent_percent).where(
        AbsenceRow.kind == AbsenceKind.SICK, AbsenceRow.valid_from < end,
        AbsenceRow.valid_to > start)
    if employee_ids is not None:
        statement = statement.where(AbsenceRow.employee_id.in_(list(employee_ids)))
    return [SickSpell(str(e), f, t, int(x))
            for e, f, t, x in session.connection().execute(statement)]


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


# --- lists and one client ----------------------------------------------------------------
class ClientSummary(NamedTuple):
    id: str
    pseudonym: str
    given_name: str
    family_name: str
    unit_id: str


def _contains(column: Any, text: str) -> ColumnElement[bool]:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return func.lower(column).like(f"%{escaped}%", escape="\\")


def client_summaries(session: Session, unit_ids: Collection[str] | None, *,
                     text: str = "", match_names: bool = False) -> list[ClientSummary]:
    """Clients of the units (all when None) by pseudonym; ``text`` matches the pseudonym,
    and the name when ``match_names`` (only for viewers who may see names)."""
    statement = select(ClientRow.id, ClientRow.pseudonym, ClientRow.given_name,
                       ClientRow.family_name, ClientRow.unit_id).order_by(ClientRow.pseudonym)
    if unit_ids is not None:
        statement = statement.where(ClientRow.unit_id.in_(list(unit_ids)))
    if text:
        conditions = [_contains(ClientRow.pseudonym, text), _contains(ClientRow.id, text)]
        if match_names:
            full_name = ClientRow.given_name + " " + ClientRow.family_name
            conditions.append(_contains(full_name, text))
        statement = statement.where(or_(*conditions))
    return [ClientSummary(*row) for row in session.execute(statement).all()]


def group_members(session: Session, unit_id: str, on: dt.date) -> dict[str, tuple[int, int]]:
    """Per group of the unit: (regular members, all members) on ``on``."""
    statement = (
        select(GroupMembershipRow.group_id,
               func.sum(case((GroupMembershipRow.is_regular.is_(True), 1), else_=0)),
               func.count())
        .join(AssistanceGroupRow, AssistanceGroupRow.id == GroupMembershipRow.group_id)
        .where(AssistanceGroupRow.unit_id == unit_id, GroupMembershipRow.valid_from <= on,
               or_(GroupMembershipRow.valid_to.is_(None), GroupMembershipRow.valid_to > on))
        .group_by(GroupMembershipRow.group_id)
    )
    return {str(g): (int(r or 0), int(n)) for g, r, n in session.execute(statement).all()}


def client_time_by_segment(session: Session, client_id: str,
                           bounds: Sequence[dt.date]) -> dict[int, int]:
    """The client's counting minutes per segment."""
    segment = _segment_of(TimeEntryRow.worked_on, bounds)
    statement = (select(segment, func.sum(TimeEntryRow.worked_minutes))
                 .where(TimeEntryRow.client_id == client_id,
                        TimeEntryRow.worked_on >= bounds[0], TimeEntryRow.worked_on < bounds[-1],
                        *_counting())
                 .group_by(segment))
    return {int(s): int(m or 0) for s, m in session.execute(statement).all()}


def client_scheduled_by_segment(session: Session, client_id: str,
                                bounds: Sequence[dt.date]) -> dict[int, int]:
    """Paid minutes of published shifts in the client's groups per segment (by the day a
    shift starts)."""
    segment = _segment_of(PlannedShiftRow.starts_on, bounds)
    statement = (select(segment, func.sum(PlannedShiftRow.paid_minutes))
                 .join(AssistanceGroupRow, AssistanceGroupRow.id == PlannedShiftRow.group_id)
                 .where(AssistanceGroupRow.client_id == client_id,
                        PlannedShiftRow.status == ShiftStatus.PUBLISHED,
                        PlannedShiftRow.starts_on >= bounds[0],
                        PlannedShiftRow.starts_on < bounds[-1])
                 .group_by(segment))
    return {int(s): int(m or 0) for s, m in session.execute(statement).all()}


def client_assistants_by_segment(session: Session, client_id: str,
                                 bounds: Sequence[dt.date]) -> dict[int, int]:
    """Distinct employees with counting time for the client per segment."""
    segment = _segment_of(TimeEntryRow.worked_on, bounds)
    statement = (select(segment, func.count(func.distinct(TimeEntryRow.employee_id)))
                 .where(TimeEntryRow.client_id == client_id,
                        TimeEntryRow.worked_on >= bounds[0], TimeEntryRow.worked_on < bounds[-1],
                        *_counting())
                 .group_by(segment))
    return {int(s): int(n) for s, n in session.execute(statement).all()}


class TeamMember(NamedTuple):
    employee_id: str
    given_name: str
    family_name: str
    minutes: int


def client_team_time(session: Session, client_id: str, start: dt.date,
                     end: dt.date) -> list[TeamMember]:
    """Employees with counting time for the client in ``[start, end)``, most time first."""
    total = func.sum(TimeEntryRow.worked_minutes)
    statement = (select(TimeEntryRow.employee_id, EmployeeRow.given_name,
                        EmployeeRow.family_name, total)
                 .join(EmployeeRow, EmployeeRow.id == TimeEntryRow.employee_id)
                 .where(TimeEntryRow.client_id == client_id, TimeEntryRow.worked_on >= start,
                        TimeEntryRow.worked_on < end, *_counting())
                 .group_by(TimeEntryRow.employee_id, EmployeeRow.given_name,
                           EmployeeRow.family_name)
                 .order_by(total.desc(), TimeEntryRow.employee_id))
    return [TeamMember(str(e), g, f, int(m or 0)) for e, g, f, m in session.execute(statement)]


def employee_names(session: Session, employee_ids: Collection[str]) -> dict[str, tuple[str, str]]:
    if not employee_ids:
        return {}
    statement = select(EmployeeRow.id, EmployeeRow.given_name, EmployeeRow.family_name).where(
        EmployeeRow.id.in_(list(employee_ids)))
    return {str(i): (g, f) for i, g, f in session.execute(statement)}
