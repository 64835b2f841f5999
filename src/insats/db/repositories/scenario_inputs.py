"""Read side for the scenario calculator: grouped queries over activities, planned shifts
and cost entries of a window (see :mod:`insats.services.scenarios`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from insats.db.models.activities import ActivityParticipantRow, ActivityRow
from insats.db.models.economy import CostEntryRow
from insats.db.models.scheduling import AssistanceGroupRow, PlannedShiftRow
from insats.db.models.staff import EmployeeRow
from insats.domain.activities import ActivityKind
from insats.domain.economy import AccountCategory
from insats.domain.scheduling import ShiftKind, ShiftStatus


@dataclass(frozen=True, slots=True)
class Participation:
    """One participant of an activity (``employee_id`` None for an activity without any)."""

    activity_id: str
    unit_id: str
    title: str
    minutes: int
    substitutes_needed: int
    employee_id: str | None
    home_unit_id: str | None


@dataclass(frozen=True, slots=True)
class ShortBreaks:
    """Staffed shifts of a unit's break-allowing groups, per employee and scheduled break,
    longer than a limit and with a shorter break than proposed."""

    unit_id: str
    employee_id: str
    break_minutes: int
    shifts: int


@dataclass(frozen=True, slots=True)
class BookedCost:
    """Cost entries of one category with the same unit, text and counterparty."""

    unit_id: str
    description: str
    counterparty: str
    amount_ore: int
    entries: int


def participations(session: Session, start: dt.datetime, end: dt.datetime,
                   kinds: Collection[ActivityKind],
                   unit_ids: Collection[str] | None = None) -> list[Participation]:
    """Activities of ``kinds`` starting in ``[start, end)`` (of ``unit_ids`` when given),
    one row per participant, with the participant's home unit."""
    statement = (
        select(ActivityRow.id, ActivityRow.unit_id, ActivityRow.title,
               ActivityRow.duration_minutes, ActivityRow.substitutes_needed,
               ActivityParticipantRow.employee_id, EmployeeRow.home_unit_id)
        .outerjoin(ActivityParticipantRow, ActivityParticipantRow.activity_id == ActivityRow.id)
        .outerjoin(EmployeeRow, EmployeeRow.id == ActivityParticipantRow.employee_id)
        .where(ActivityRow.start_at >= start, ActivityRow.start_at < end,
               ActivityRow.kind.in_(list(kinds)))
        .order_by(ActivityRow.start_at, ActivityRow.id, ActivityParticipantRow.position)
    )
    if unit_ids is not None:
        statement = statement.where(ActivityRow.unit_id.in_(list(unit_ids)))
    return [Participation(*row) for row in session.execute(statement)]


def short_breaks(session: Session, start: dt.date, end: dt.date, unit_ids: Collection[str],
                 *, break_minutes: int, longer_than: int) -> list[ShortBreaks]:
    """Published, staffed ordinary shifts starting (Stockholm date) in ``[start, end)`` in
    groups where breaks can be taken, longer than ``longer_than`` minutes (paid time plus
    break) with a break shorter than ``break_minutes``, counted per unit, employee and
    scheduled break."""
    length = PlannedShiftRow.paid_minutes + PlannedShiftRow.break_minutes
    statement = (
        select(AssistanceGroupRow.unit_id, PlannedShiftRow.employee_id,
               PlannedShiftRow.break_minutes, func.count())
        .join(AssistanceGroupRow, AssistanceGroupRow.id == PlannedShiftRow.group_id)
        .where(PlannedShiftRow.starts_on >= start, PlannedShiftRow.starts_on < end,
               PlannedShiftRow.status == ShiftStatus.PUBLISHED,
               PlannedShiftRow.kind == ShiftKind.ORDINARY,
               PlannedShiftRow.employee_id.is_not(None),
               PlannedShiftRow.break_minutes < break_minutes,
               length > longer_than,
               AssistanceGroupRow.breaks_allowed.is_(True),
               AssistanceGroupRow.unit_id.in_(list(unit_ids)))
        .group_by(AssistanceGroupRow.unit_id, PlannedShiftRow.employee_id,
                  PlannedShiftRow.break_minutes)
        .order_by(AssistanceGroupRow.unit_id, PlannedShiftRow.employee_id,
                  PlannedShiftRow.break_minutes)
    )
    return [ShortBreaks(unit_id, employee_id, int(minutes), int(count))
            for unit_id, employee_id, minutes, count in session.execute(statement)]


def booked_costs(session: Session, start: dt.date, end: dt.date, unit_ids: Collection[str],
                 category: AccountCategory) -> list[BookedCost]:
    """Cost entries of ``category`` booked in ``[start, end)``, summed per unit, text and
    counterparty."""
    statement = (
        select(CostEntryRow.unit_id, CostEntryRow.description, CostEntryRow.counterparty,
               func.sum(CostEntryRow.amount_ore), func.count())
        .where(CostEntryRow.booked_on >= start, CostEntryRow.booked_on < end,
               CostEntryRow.category == category,
               CostEntryRow.unit_id.in_(list(unit_ids)))
        .group_by(CostEntryRow.unit_id, CostEntryRow.description, CostEntryRow.counterparty)
        .order_by(CostEntryRow.unit_id, CostEntryRow.description, CostEntryRow.counterparty)
    )
    return [BookedCost(unit_id, description, counterparty, int(amount), int(count))
            for unit_id, description, counterparty, amount, count in session.execute(statement)]


def booked_span(session: Session, start: dt.date, end: dt.date,
                unit_ids: Collection[str]) -> tuple[dt.date, dt.date] | None:
    """The first and last day with a cost entry of ``unit_ids`` in ``[start, end)``."""
    first, last = session.execute(
        select(func.min(CostEntryRow.booked_on), func.max(CostEntryRow.booked_on))
        .where(CostEntryRow.booked_on >= start, CostEntryRow.booked_on < end,
               CostEntryRow.unit_id.in_(list(unit_ids)))).one()
    if first is None or last is None:
        return None
    return _date(first), _date(last)


def _date(value: object) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
