"""Grouped queries for the key-figure report (``insats.services.key_figures``) that the
overview's queries (``insats.db.repositories.key_figures``) do not already give: booked
amounts and budgets per unit, month and category, continuity, substitutes' time,
meetings and training, and the personal-assistance clients on a census day.

Months are segments between month boundaries (``_segment_of``), so each query is one
grouped scan and runs the same on SQLite and PostgreSQL. ``unit_ids`` None means all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from typing import NamedTuple

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from insats.db.models.activities import ActivityParticipantRow, ActivityRow
from insats.db.models.clients import ClientRow
from insats.db.models.decisions import DecisionRow
from insats.db.models.economy import BudgetRow, CostEntryRow
from insats.db.models.scheduling import AssistanceGroupRow
from insats.db.models.staff import EmployeeRow
from insats.db.models.time_reports import TimeEntryRow
from insats.db.repositories.key_figures import _counting, _segment_of
from insats.domain.decisions import Insats
from insats.domain.economy import AccountCategory
from insats.domain.staff import EmploymentForm


class Amount(NamedTuple):
    """Booked (or budgeted) öre of one unit, segment (month) and category."""

    unit_id: str
    segment: int
    category: AccountCategory
    ore: int


class Budgeted(NamedTuple):
    unit_id: str
    year: int
    month: int
    category: AccountCategory
    ore: int


class ActivityTime(NamedTuple):
    """One participant's time in the activities of a unit starting at ``start_at``."""

    unit_id: str
    start_at: dt.datetime
    employee_id: str
    minutes: int


def booked_by_segment(session: Session, bounds: Sequence[dt.date],
                      unit_ids: Collection[str] | None) -> list[Amount]:
    """Booked öre per (unit, segment of ``booked_on``, category)."""
    segment = _segment_of(CostEntryRow.booked_on, bounds)
    statement = (
        select(CostEntryRow.unit_id, segment, CostEntryRow.category,
               func.sum(CostEntryRow.amount_ore))
        .where(CostEntryRow.booked_on >= bounds[0], CostEntryRow.booked_on < bounds[-1])
        .group_by(CostEntryRow.unit_id, segment, CostEntryRow.category)
    )
    if unit_ids is not None:
        statement = statement.where(CostEntryRow.unit_id.in_(list(unit_ids)))
    return [Amount(str(u), int(s), AccountCategory(c), int(o or 0))
            for u, s, c, o in session.execute(statement)]


def budgets_of_years(session: Session, first_year: int, last_year: int,
                     unit_ids: Collection[str] | None) -> list[Budgeted]:
    """Budgeted öre per (unit, year, month, category) for the years given."""
    statement = select(BudgetRow.unit_id, BudgetRow.year, BudgetRow.month, BudgetRow.category,
                       BudgetRow.amount_ore).where(BudgetRow.year >= first_year,
                                                   BudgetRow.year <= last_year)
    if unit_ids is not None:
        statement = statement.where(BudgetRow.unit_id.in_(list(unit_ids)))
    return [Budgeted(str(u), int(y), int(m), AccountCategory(c), int(o or 0))
            for u, y, m, c, o in session.execute(statement)]


def assistants_by_client(session: Session, bounds: Sequence[dt.date]) -> list[tuple[str, int, int]]:
    """(client, segment, distinct employees with counting time for the client)."""
    segment = _segment_of(TimeEntryRow.worked_on, bounds)
    statement = (
        select(TimeEntryRow.client_id, segment, func.count(func.distinct(TimeEntryRow.employee_id)))
        .where(TimeEntryRow.client_id.is_not(None), TimeEntryRow.worked_on >= bounds[0],
               TimeEntryRow.worked_on < bounds[-1], *_counting())
        .group_by(TimeEntryRow.client_id, segment)
    )
    return [(str(c), int(s), int(n)) for c, s, n in session.execute(statement)]


def substitute_time_by_segment(session: Session, bounds: Sequence[dt.date],
                               unit_ids: Collection[str] | None) -> list[tuple[str, int, int]]:
    """(group's unit, segment, counting minutes of hourly substitutes)."""
    segment = _segment_of(TimeEntryRow.worked_on, bounds)
    statement = (
        select(AssistanceGroupRow.unit_id, segment, func.sum(TimeEntryRow.worked_minutes))
        .join(EmployeeRow, EmployeeRow.id == TimeEntryRow.employee_id)
        .join(AssistanceGroupRow, AssistanceGroupRow.id == TimeEntryRow.group_id)
        .where(EmployeeRow.employment_form == EmploymentForm.HOURLY,
               TimeEntryRow.worked_on >= bounds[0], TimeEntryRow.worked_on < bounds[-1],
               *_counting())
        .group_by(AssistanceGroupRow.unit_id, segment)
    )
    if unit_ids is not None:
        statement = statement.where(AssistanceGroupRow.unit_id.in_(list(unit_ids)))
    return [(str(u), int(s), int(m or 0)) for u, s, m in session.execute(statement)]


def activity_time(session: Session, start: dt.datetime, end: dt.datetime,
                  unit_ids: Collection[str] | None) -> list[ActivityTime]:
    """Each participant's minutes in meetings and training starting in ``[start, end)``
    (a few rows per activity; months are found in Stockholm time by the caller)."""
    statement = (
        select(ActivityRow.unit_id, ActivityRow.start_at, ActivityParticipantRow.employee_id,
               ActivityRow.duration_minutes)
        .join(ActivityParticipantRow, ActivityParticipantRow.activity_id == ActivityRow.id)
        .where(ActivityRow.start_at >= start, ActivityRow.start_at < end)
    )
    if unit_ids is not None:
        statement = statement.where(ActivityRow.unit_id.in_(list(unit_ids)))
    return [ActivityTime(str(u), s, str(e), int(m)) for u, s, e, m in session.execute(statement)]


def assistance_clients_on(session: Session, day: dt.date,
                          unit_ids: Collection[str] | None) -> dict[str, int]:
    """Distinct clients with a decision on personal assistance (LSS or SFB, any provider)
    in force on ``day``, per client unit."""
    statement = (
        select(ClientRow.unit_id, func.count(func.distinct(DecisionRow.client_id)))
        .join(ClientRow, ClientRow.id == DecisionRow.client_id)
        .where(DecisionRow.insats == Insats.PERSONAL_ASSISTANCE,
               and_(DecisionRow.valid_from <= day,
                    or_(DecisionRow.valid_to.is_(None), DecisionRow.valid_to > day)))
        .group_by(ClientRow.unit_id)
    )
    if unit_ids is not None:
        statement = statement.where(ClientRow.unit_id.in_(list(unit_ids)))
    return {str(u): int(n) for u, n in session.execute(statement)}
