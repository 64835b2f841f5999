"""Use case: the department's headline figures per unit (the `insats summary` view)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from insats.db.maintenance import has_department
from insats.db.repositories.summary import UnitHeadline, unit_headlines
from insats.domain.common import DomainError
from insats.services.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class SummaryRow:
    unit_name: str
    kind: str
    clients: int
    granted_minutes_per_week: int
    employees: int
    fte: float
    performed_minutes: int
    overtime_minutes: int
    sick_leave_rate: float | None


@dataclass(frozen=True, slots=True)
class DepartmentSummary:
    department_name: str
    on: dt.date
    month: tuple[int, int]
    units: list[SummaryRow]
    total: SummaryRow


def previous_month(day: dt.date) -> tuple[int, int]:
    return (day.year - 1, 12) if day.month == 1 else (day.year, day.month - 1)


def department_summary(
    uow_factory: Callable[[], UnitOfWork], *, on: dt.date
) -> DepartmentSummary:
    """Per unit on ``on``: clients, granted h/week, staff, FTE; for the previous month:
    performed hours, overtime and the sick-leave rate (sick / scheduled minutes)."""
    month = previous_month(on)
    with uow_factory() as uow:
        if not has_department(uow.session):
            raise DomainError(
                "summary.empty",
                "Databasen innehåller ingen avdelning. Kör 'insats demo load' först.",
            )
        departments = uow.organisation.departments()
        headlines = unit_headlines(uow.session, on=on, month=month)
    rows = [_row(h) for h in headlines]
    scheduled = sum(h.scheduled_minutes for h in headlines)
    total = SummaryRow(
        unit_name="Hela avdelningen",
        kind="",
        clients=sum(r.clients for r in rows),
        granted_minutes_per_week=sum(r.granted_minutes_per_week for r in rows),
        employees=sum(r.employees for r in rows),
        fte=sum(r.fte for r in rows),
        performed_minutes=sum(r.performed_minutes for r in rows),
        overtime_minutes=sum(r.overtime_minutes for r in rows),
        sick_leave_rate=(sum(h.sick_minutes for h in headlines) / scheduled) if scheduled
        else None,
    )
    name = departments[0].name if departments else ""
    return DepartmentSummary(name, on, month, rows, total)


def _row(headline: UnitHeadline) -> SummaryRow:
    return SummaryRow(
        unit_name=headline.unit_name,
        kind=headline.unit_kind.value,
        clients=headline.clients_with_decision,
        granted_minutes_per_week=headline.granted_minutes_per_week,
        employees=headline.employees,
        fte=headline.fte,
        performed_minutes=headline.performed_minutes,
        overtime_minutes=headline.overtime_minutes,
        sick_leave_rate=headline.sick_leave_rate if headline.scheduled_minutes else None,
    )
