"""Read-side headline figures per unit.

Counts and sums are one SQL query with GROUP BY: each figure is a grouped subquery
left-joined to ``units``, so the cost does not depend on how many decisions or time
entries there are in Python. The sick-leave tally is computed in Python by the domain's
single definition (:func:`insats.domain.absence.tally_by_unit`) from two more queries: the
employees employed in the month and the sick absences overlapping it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from insats.db.models.clients import ClientRow
from insats.db.models.decisions import DecisionRow
from insats.db.models.organisation import UnitRow
from insats.db.models.providers import ProviderRow
from insats.db.models.scheduling import AssistanceGroupRow
from insats.db.models.staff import EmployeeRow
from insats.db.models.time_reports import TimeEntryRow
from insats.db.repositories.absence import AbsenceRepository
from insats.db.repositories.rules import RuleParameterRepository
from insats.db.repositories.staff import EmployeeRepository
from insats.domain.absence import (
    SICK_LEAVE_RULE_KEY,
    AbsenceKind,
    SickLeaveTally,
    tally_by_unit,
)
from insats.domain.common import Period
from insats.domain.organisation import UnitKind
from insats.domain.rules import RuleBook
from insats.domain.time_reports import TimeEntryStatus, TimeKind

NO_SICK_LEAVE = SickLeaveTally(contracted_minutes=0, sick_minutes=0, short_term_sick_minutes=0)


@dataclass(frozen=True, slots=True)
class UnitHeadline:
    """Plain numbers for one unit on a day and in a month."""

    unit_id: str
    unit_name: str
    unit_kind: UnitKind
    clients_with_decision: int
    granted_minutes_per_week: int
    own_clients: int
    own_granted_minutes_per_week: int
    employees: int
    fte: float
    performed_minutes: int
    overtime_minutes: int
    extra_minutes: int
    contracted_minutes: int
    sick_minutes: int
    short_term_sick_minutes: int

    @property
    def sick_leave_rate(self) -> float | None:
        """Sick minutes / contracted minutes; None when the unit has no contracted time."""
        return self.sick_leave.rate

    @property
    def sick_leave(self) -> SickLeaveTally:
        return SickLeaveTally(
            contracted_minutes=self.contracted_minutes,
            sick_minutes=self.sick_minutes,
            short_term_sick_minutes=self.short_term_sick_minutes,
        )


def unit_headlines(
    session: Session,
    *,
    on: dt.date,
    month: tuple[int, int],
    employer_period_days: int | None = None,
) -> list[UnitHeadline]:
    """Headline figures for every unit, ordered by unit id.

    - ``clients_with_decision``: distinct clients of the unit (``clients.unit_id``) with a
      decision whose period contains ``on``; ``granted_minutes_per_week`` sums
      ``granted_minutes_per_week`` of those decisions (period-total grants count 0),
      whoever the provider is.
    - ``own_clients`` / ``own_granted_minutes_per_week``: the same, restricted to
      decisions whose provider is the municipality itself (``providers.is_municipal``,
      egen regi).
    - ``employees``/``fte``: staff whose home unit it is and who are employed on ``on``;
      FTE is the sum of ``employment_percent`` / 100.
    - ``performed_minutes``: worked minutes (after breaks) of time entries for the unit's
      groups whose Stockholm start date is in ``month``, excluding rejected entries;
      ``overtime_minutes`` the same for time kind ``overtid`` and ``extra_minutes`` for
      ``mertid`` (a part-timer's hours beyond contract).
    - ``contracted_minutes`` / ``sick_minutes`` / ``short_term_sick_minutes``: the
      sick-leave tally of the staff whose home unit it is, over ``month``
      (*sjukfrånvaro i procent av ordinarie arbetstid*; hourly substitutes excluded), by
      :func:`insats.domain.absence.tally_sick_leave`. Short-term is days 1–N of a spell,
      N = ``employer_period_days``; when not given it is the rule parameter
      ``sick.employer_period_days`` in force on the month's first day, read from
      ``rule_parameters``.
    """
    period = Period.month(*month)
    active_on = and_(
        DecisionRow.valid_from <= on,
        or_(DecisionRow.valid_to.is_(None), DecisionRow.valid_to > on),
    )
    own_granted = case(
        (ProviderRow.is_municipal.is_(True), DecisionRow.granted_minutes_per_week), else_=None
    )
    own_client = case((ProviderRow.is_municipal.is_(True), DecisionRow.client_id), else_=None)
    decisions = (
        select(
            ClientRow.unit_id.label("unit_id"),
            func.count(func.distinct(DecisionRow.client_id)).label("clients"),
            func.coalesce(func.sum(DecisionRow.granted_minutes_per_week), 0).label("granted"),
            func.count(func.distinct(own_client)).label("own_clients"),
            func.coalesce(func.sum(own_granted), 0).label("own_granted"),
        )
        .join(ClientRow, ClientRow.id == DecisionRow.client_id)
        .join(ProviderRow, ProviderRow.id == DecisionRow.provider_id)
        .where(active_on)
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
            func.sum(
                case((TimeEntryRow.kind == TimeKind.EXTRA, TimeEntryRow.worked_minutes), else_=0)
            ).label("extra"),
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
    statement = (
        select(
            UnitRow.id,
            UnitRow.name,
            UnitRow.kind,
            decisions.c.clients,
            decisions.c.granted,
            decisions.c.own_clients,
            decisions.c.own_granted,
            staff.c.employees,
            staff.c.percent,
            performed.c.performed,
            performed.c.overtime,
            performed.c.extra,
        )
        .outerjoin(decisions, decisions.c.unit_id == UnitRow.id)
        .outerjoin(staff, staff.c.unit_id == UnitRow.id)
        .outerjoin(performed, performed.c.unit_id == UnitRow.id)
        .order_by(UnitRow.id)
    )
    rows = session.execute(statement).all()
    if not rows:
        return []
    if employer_period_days is None:
        rules = RuleBook(RuleParameterRepository(session).of_key(SICK_LEAVE_RULE_KEY))
        employer_period_days = rules.number(SICK_LEAVE_RULE_KEY, period.start)
    sick_leave = tally_by_unit(
        EmployeeRepository(session).employed_during(period),
        AbsenceRepository(session).overlapping(period, kind=AbsenceKind.SICK),
        period,
        employer_period_days=employer_period_days,
    )
    headlines = []
    for (
        unit_id, name, kind, clients, granted, own_clients, own_granted_minutes,
        employees, percent, performed_minutes, overtime, extra,
    ) in rows:
        tally = sick_leave.get(unit_id, NO_SICK_LEAVE)
        headlines.append(
            UnitHeadline(
                unit_id=unit_id,
                unit_name=name,
                unit_kind=kind,
                clients_with_decision=int(clients or 0),
                granted_minutes_per_week=int(granted or 0),
                own_clients=int(own_clients or 0),
                own_granted_minutes_per_week=int(own_granted_minutes or 0),
                employees=int(employees or 0),
                fte=int(percent or 0) / 100,
                performed_minutes=int(performed_minutes or 0),
                overtime_minutes=int(overtime or 0),
                extra_minutes=int(extra or 0),
                contracted_minutes=tally.contracted_minutes,
                sick_minutes=tally.sick_minutes,
                short_term_sick_minutes=tally.short_term_sick_minutes,
            )
        )
    return headlines
