"""Use case: the department's headline figures per unit (the `insats summary` view)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from insats.db.repositories.summary import UnitHeadline, unit_headlines
from insats.domain.absence import SickLeaveTally
from insats.domain.organisation import UnitKind
from insats.services.scope import require_department
from insats.services.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class SummaryRow:
    unit_name: str
    kind: UnitKind | None  # None for the department total
    clients: int
    own_clients: int
    granted_minutes_per_week: int
    own_granted_minutes_per_week: int
    employees: int
    fte: float
    performed_minutes: int
    overtime_minutes: int
    extra_minutes: int
    sick_leave: SickLeaveTally


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
    """Per unit on ``on``: clients and granted hours per week (all providers, and the
    municipality's own), staff and FTE; for the previous month: performed hours, overtime,
    mertid and sick leave as a share of contracted time (see ``insats.domain.absence``)."""
    month = previous_month(on)
    with uow_factory() as uow:
        require_department(uow)
        departments = uow.organisation.departments()
        headlines = unit_headlines(uow.session, on=on, month=month)
    rows = [_row(h) for h in headlines]
    total = SummaryRow(
        unit_name="Hela avdelningen",
        kind=None,
        clients=sum(r.clients for r in rows),
        own_clients=sum(r.own_clients for r in rows),
        granted_minutes_per_week=sum(r.granted_minutes_per_week for r in rows),
        own_granted_minutes_per_week=sum(r.own_granted_minutes_per_week for r in rows),
        employees=sum(r.employees for r in rows),
        fte=sum(r.fte for r in rows),
        performed_minutes=sum(r.performed_minutes for r in rows),
        overtime_minutes=sum(r.overtime_minutes for r in rows),
        extra_minutes=sum(r.extra_minutes for r in rows),
        sick_leave=SickLeaveTally(
            contracted_minutes=sum(r.sick_leave.contracted_minutes for r in rows),
            sick_minutes=sum(r.sick_leave.sick_minutes for r in rows),
            short_term_sick_minutes=sum(r.sick_leave.short_term_sick_minutes for r in rows),
        ),
    )
    name = departments[0].name if departments else ""
    return DepartmentSummary(name, on, month, rows, total)


def _row(headline: UnitHeadline) -> SummaryRow:
    return SummaryRow(
        unit_name=headline.unit_name,
        kind=headline.unit_kind,
        clients=headline.clients_with_decision,
        own_clients=headline.own_clients,
        granted_minutes_per_week=headline.granted_minutes_per_week,
        own_granted_minutes_per_week=headline.own_granted_minutes_per_week,
        employees=headline.employees,
        fte=headline.fte,
        performed_minutes=headline.performed_minutes,
        overtime_minutes=headline.overtime_minutes,
        extra_minutes=headline.extra_minutes,
        sick_leave=headline.sick_leave,
    )
