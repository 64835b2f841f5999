"""Read-side headline figures per unit, computed in SQL with GROUP BY.

One query: each figure is a grouped subquery left-joined to ``units``, so the cost does
not depend on how many shifts or time entries there are in Python.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from insats.db.models.absence import AbsenceRow
from insats.db.models.clients import ClientRow
from insats.db.models.decisions import DecisionRow
from insats.db.models.organisation import UnitRow
from insats.db.models.scheduling import AssistanceGroupRow, PlannedShiftRow
from insats.db.models.staff import EmployeeRow
from insats.db.models.time_reports import TimeEntryRow
from insats.domain.absence import AbsenceKind
from insats.domain.common import Period
from insats.domain.organisation import UnitKind
from insats.domain.scheduling import ShiftStatus
from insats.domain.time_reports import TimeEntryStatus, TimeKind


@dataclass(frozen=True, slots=True)
class UnitHeadline:
    """Plain numbers for one unit on a day and in a month."""

    unit_id: str
    unit_name: str
    unit_kind: UnitKind
    clients_with_decision: int
    granted_minutes_per_week: int
    employees: int
    fte: float
    performed_minutes: int
    overtime_minutes: int
    scheduled_minutes: int
    sick_minutes: int

    @property
    def sick_leave_rate(self) -> float:
        """Sick minutes / scheduled minutes; 0.0 when nothing was scheduled."""
        if self.scheduled_minutes == 0:
            return 0.0
        return self.sick_minutes / self.scheduled_minutes


def unit_headlines(
    session: Session, *, on: dt.date, month: tuple[int, int]
) -> list[UnitHeadline]:
    """Headline figures for every unit, ordered by unit id.

    - ``clients_with_decision``: distinct clients of the unit (``clients.unit_id``) with a
      decision whose period contains ``on``; ``granted_minutes_per_week`` sums
      ``granted_minutes_per_week`` of those decisions (period-total grants count 0).
    - ``employees``/``fte``: staff whose home unit it is and who are employed on ``on``;
      FTE is the sum of ``employment_percent`` / 100.
    - ``performed_minutes``: worked minutes (after breaks) of time entries for the unit's
      groups whose Stockholm start date is in ``month``, excluding rejected entries;
      ``overtime_minutes`` the same for time kind ``overtid``.
    - ``scheduled_minutes``: paid minutes of the month's planned shifts (by Stockholm start
      date) of the unit's groups, excluding cancelled shifts.
    - ``sick_minutes`` (approximation): paid minutes of those shifts whose assigned employee
      has a sick absence (``sjuk``) covering the shift's start date, weighted by the
      absence's extent percent. Shifts already handed to a substitute are not counted, and
      overlapping sick absences of one employee would be counted twice.
    """
    period = Period.month(*month)
    in_month_shift = and_(
        PlannedShiftRow.starts_on >= period.start,
        PlannedShiftRow.starts_on < period.end,
        PlannedShiftRow.status != ShiftStatus.CANCELLED,
    )

    decisions = (
        select(
            ClientRow.unit_id.label("unit_id"),
            func.count(func.distinct(DecisionRow.client_id)).label("clients"),
            func.coalesce(func.sum(DecisionRow.granted_minutes_per_week), 0).label("granted"),
        )
        .join(ClientRow, ClientRow.id == DecisionRow.client_id)
        .where(
            DecisionRow.valid_from <= on,
            or_(DecisionRow.valid_to.is_(None), DecisionRow.valid_to > on),
        )
        .group_by(ClientRow.unit_id)
        .subquery("d")
    )
    staff = (
        select(
            EmployeeRow.home_unit_id.label("unit_id"),
            func.count(EmployeeRow.id).label("employees"),
            func.coalesce(func.sum(EmployeeRow.employment_percent), 0).label("percent"),
        )
        .where(
            EmployeeRow.employed_from <= on,
            or_(EmployeeRow.employed_to.is_(None), EmployeeRow.employed_to > on),
        )
        .group_by(EmployeeRow.home_unit_id)
        .subquery("e")
    )
    performed = (
        select(
            AssistanceGroupRow.unit_id.label("unit_id"),
            func.sum(TimeEntryRow.worked_minutes).label("performed"),
            func.sum(
                case((TimeEntryRow.kind == TimeKind.OVERTIME, TimeEntryRow.worked_minutes), else_=0)
            ).label("overtime"),
        )
        .join(AssistanceGroupRow, AssistanceGroupRow.id == TimeEntryRow.group_id)
        .where(
            TimeEntryRow.worked_on >= period.start,
            TimeEntryRow.worked_on < period.end,
            TimeEntryRow.status != TimeEntryStatus.REJECTED,
        )
        .group_by(AssistanceGroupRow.unit_id)
        .subquery("t")
    )
    scheduled = (
        select(
            AssistanceGroupRow.unit_id.label("unit_id"),
            func.sum(PlannedShiftRow.paid_minutes).label("scheduled"),
        )
        .join(AssistanceGroupRow, AssistanceGroupRow.id == PlannedShiftRow.group_id)
        .where(in_month_shift)
        .group_by(AssistanceGroupRow.unit_id)
        .subquery("s")
    )
    sick = (
        select(
            AssistanceGroupRow.unit_id.label("unit_id"),
            func.sum(PlannedShiftRow.paid_minutes * AbsenceRow.extent_percent).label("weighted"),
        )
        .join(AssistanceGroupRow, AssistanceGroupRow.id == PlannedShiftRow.group_id)
        .join(
            AbsenceRow,
            and_(
                AbsenceRow.employee_id == PlannedShiftRow.employee_id,
                AbsenceRow.kind == AbsenceKind.SICK,
                AbsenceRow.valid_from <= PlannedShiftRow.starts_on,
                AbsenceRow.valid_to > PlannedShiftRow.starts_on,
            ),
        )
        .where(in_month_shift)
        .group_by(AssistanceGroupRow.unit_id)
        .subquery("a")
    )
    statement = (
        select(
            UnitRow.id,
            UnitRow.name,
            UnitRow.kind,
            decisions.c.clients,
            decisions.c.granted,
            staff.c.employees,
            staff.c.percent,
            performed.c.performed,
            performed.c.overtime,
            scheduled.c.scheduled,
            sick.c.weighted,
        )
        .outerjoin(decisions, decisions.c.unit_id == UnitRow.id)
        .outerjoin(staff, staff.c.unit_id == UnitRow.id)
        .outerjoin(performed, performed.c.unit_id == UnitRow.id)
        .outerjoin(scheduled, scheduled.c.unit_id == UnitRow.id)
        .outerjoin(sick, sick.c.unit_id == UnitRow.id)
        .order_by(UnitRow.id)
    )
    return [
        UnitHeadline(
            unit_id=unit_id,
            unit_name=name,
            unit_kind=kind,
            clients_with_decision=int(clients or 0),
            granted_minutes_per_week=int(granted or 0),
            employees=int(employees or 0),
            fte=int(percent or 0) / 100,
            performed_minutes=int(performed_minutes or 0),
            overtime_minutes=int(overtime or 0),
            scheduled_minutes=int(scheduled_minutes or 0),
            sick_minutes=int(weighted or 0) // 100,
        )
        for (
            unit_id, name, kind, clients, granted, employees, percent,
            performed_minutes, overtime, scheduled_minutes, weighted,
        ) in session.execute(statement)
    ]
