"""Use cases for sick-leave follow-up: the monthly report per unit and the list per manager
of who needs a follow-up talk.

Absences are health data (GDPR art. 9): every use case needs a ``caller`` and writes the
read to the access log before it returns. A report of figures per unit logs one line per
unit (``absence``, no object id); a list that names employees logs one line per employee
named. A unit manager sees their own units only.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from insats.domain.absence import (
    SICK_LEAVE_RULE_KEY,
    Absence,
    AbsenceKind,
    SickLeaveTally,
    tally_by_unit,
)
from insats.domain.access import AccessDenied, AuditAction, Caller, Capability, Role
from insats.domain.common import Money, Period, add_months
from insats.domain.organisation import Unit
from insats.domain.rules import RuleBook
from insats.domain.sick_leave import (
    FollowUp,
    Milestones,
    SickPeriod,
    follow_ups,
    karens_due,
    milestones,
    occasions_within,
    periods_of,
    sick_pay,
    sick_spells,
    twelve_months_to,
)
from insats.domain.staff import Employee, EmploymentForm
from insats.services.audit import Touched, log
from insats.services.runtime import UowFactory
from insats.services.scope import require_department, unit_in_scope
from insats.services.uow import UnitOfWork

HISTORY_MONTHS = 24
"""How far back absences are read, so spells, relapses and the karensavdrag count of the
twelve months before a period are complete."""

FOLLOW_UP_ROLES = frozenset({Role.DEPARTMENT_HEAD, Role.UNIT_MANAGER})
"""Rehabilitation is the manager's task: only they see who needs a follow-up talk."""

NO_SICK_LEAVE = SickLeaveTally(contracted_minutes=0, sick_minutes=0, short_term_sick_minutes=0)


@dataclass(frozen=True, slots=True)
class UnitSickLeave:
    """One unit's sick leave in a month; ``unit_id`` None is the total of the units shown.

    Attributes:
        tally: contracted, sick and short-term (day 1–14) sick minutes of the unit's
            monthly paid staff (:func:`insats.domain.absence.tally_sick_leave`).
        occasions: sick occasions (spells) of the same staff that started in the month.
        sick_pay: sjuklön for sick days 1–14 that fall in the month, before karensavdrag.
        karens: karensavdrag of the sick periods that started in the month.
    """

    unit_id: str | None
    unit_name: str
    manager_name: str | None
    tally: SickLeaveTally
    occasions: int
    sick_pay: Money
    karens: Money


@dataclass(frozen=True, slots=True)
class SickLeaveReport:
    month: tuple[int, int]
    units: tuple[UnitSickLeave, ...]
    total: UnitSickLeave


@dataclass(frozen=True, slots=True)
class FollowUpRow:
    """An employee who needs a follow-up talk, with the current sick period if any."""

    employee_id: str
    employee_name: str
    alerts: tuple[FollowUp, ...]
    occasions_12_months: int
    current: SickPeriod | None
    milestones: Milestones | None


@dataclass(frozen=True, slots=True)
class ManagerFollowUps:
    unit_id: str
    unit_name: str
    manager_name: str | None
    rows: tuple[FollowUpRow, ...]


def sick_leave_report(uow_factory: UowFactory, *, caller: Caller, month: tuple[int, int],
                      unit_id: str | None = None) -> SickLeaveReport:
    """Short- and long-term sick leave per unit for a calendar month, the way Swedish
    municipalities report it (sick time as a share of contracted time, day 1–14 apart),
    with sick occasions, sjuklön and karensavdrag.

    Raises:
        AccessDenied: the caller may not see staff, or ``unit_id`` is outside their scope.
        NotFoundError: ``unit_id`` does not exist.
    """
    caller.viewer.require(Capability.VIEW_STAFF)
    window = Period.month(*month)
    assert window.end is not None
    with uow_factory() as uow:
        units = _units(uow, caller, unit_id)
        rules = uow.rules.rule_book()
        shown = {u.id for u in units}
        employees = [e for e in uow.staff.employed_during(window) if e.home_unit_id in shown]
        absences = uow.absences.overlapping(
            Period(add_months(window.start, -HISTORY_MONTHS), window.end),
            kind=AbsenceKind.SICK)
        managers = _manager_names(uow, units)
        log(uow, caller, AuditAction.READ, [Touched("absence", None, None, u.id) for u in units])
        uow.commit()

    staff_ids = {e.id for e in employees}
    absences = [a for a in absences if a.employee_id in staff_ids]
    tallies = tally_by_unit(employees, absences, window,
                            employer_period_days=rules.number(SICK_LEAVE_RULE_KEY,
                                                              window.start))
    unit_of = {e.id: e.home_unit_id for e in employees
               if e.employment_form is not EmploymentForm.HOURLY}
    occasions: dict[str, int] = defaultdict(int)
    for employee_id, spells in sick_spells(absences).items():
        if employee_id in unit_of:
            occasions[unit_of[employee_id]] += len(occasions_within(spells, window))
    pay, karens = _sick_pay_by_unit(employees, absences, window, rules)
    rows = tuple(
        UnitSickLeave(u.id, u.name, managers.get(u.id), tallies.get(u.id, NO_SICK_LEAVE),
                      occasions[u.id], Money(pay[u.id]), Money(karens[u.id]))
        for u in units
    )
    total = UnitSickLeave(
        None, "Totalt", None,
        SickLeaveTally(
            contracted_minutes=sum(r.tally.contracted_minutes for r in rows),
            sick_minutes=sum(r.tally.sick_minutes for r in rows),
            short_term_sick_minutes=sum(r.tally.short_term_sick_minutes for r in rows)),
        sum(r.occasions for r in rows),
        Money(sum(r.sick_pay.ore for r in rows)),
        Money(sum(r.karens.ore for r in rows)),
    )
    return SickLeaveReport(month, rows, total)


def follow_up_list(uow_factory: UowFactory, *, caller: Caller, on: dt.date,
                   unit_id: str | None = None) -> list[ManagerFollowUps]:
    """Per unit (and its manager): the employees who need a follow-up talk on ``on`` —
    six or more sick occasions in twelve months, a long spell in progress, or a plan for
    return to work due — with the current sick period's milestones.

    Raises:
        AccessDenied: the caller is neither avdelningschef nor enhetschef, or ``unit_id``
            is outside their scope.
        NotFoundError: ``unit_id`` does not exist.
    """
    if caller.viewer.role not in FOLLOW_UP_ROLES:
        raise AccessDenied("Bara chefer ser vem som behöver ett uppföljningssamtal.")
    with uow_factory() as uow:
        units = _units(uow, caller, unit_id)
        rules = uow.rules.rule_book()
        shown = {u.id for u in units}
        employees = [e for e in uow.staff.employed_during(Period(on, on + dt.timedelta(days=1)))
                     if e.home_unit_id in shown]
        staff = {e.id: e for e in employees}
        absences = [a for a in uow.absences.overlapping(
            Period(add_months(on, -HISTORY_MONTHS), on + dt.timedelta(days=1)),
            kind=AbsenceKind.SICK) if a.employee_id in staff]
        managers = _manager_names(uow, units)
        spells = sick_spells(absences)
        periods = periods_of(absences, rules, on)
        rows_of: dict[str, list[FollowUpRow]] = defaultdict(list)
        for employee_id, own_spells in spells.items():
            own_periods = periods.get(employee_id, [])
            alerts = follow_ups(employee_id, own_spells, own_periods, on, rules)
            if not alerts:
                continue
            employee = staff[employee_id]
            current = next((p for p in own_periods if p.in_progress_on(on)), None)
            rows_of[employee.home_unit_id].append(FollowUpRow(
                employee_id, employee.display_name, tuple(alerts),
                len(occasions_within(own_spells, twelve_months_to(on))), current,
                None if current is None else milestones(current, rules)))
        touched = [Touched("absence", None, None, u.id) for u in units]
        touched += [Touched("absence", row.employee_id, None, staff[row.employee_id].home_unit_id)
                    for rows in rows_of.values() for row in rows]
        log(uow, caller, AuditAction.READ, touched)
        uow.commit()
    return [
        ManagerFollowUps(u.id, u.name, managers.get(u.id), tuple(sorted(
            rows_of[u.id], key=lambda r: (r.employee_name, r.employee_id))))
        for u in units
    ]


def _units(uow: UnitOfWork, caller: Caller, unit_id: str | None) -> list[Unit]:
    require_department(uow)
    if unit_id is not None:
        return [unit_in_scope(uow, caller, unit_id)]
    return sorted((u for u in uow.organisation.units() if caller.viewer.sees_unit(u.id)),
                  key=lambda u: u.id)


def _manager_names(uow: UnitOfWork, units: list[Unit]) -> dict[str, str]:
    names: dict[str, str] = {}
    for unit in units:
        if unit.manager_employee_id is not None:
            manager = uow.staff.get(unit.manager_employee_id)
            if manager is not None:
                names[unit.id] = manager.display_name
    return names


def _sick_pay_by_unit(employees: list[Employee], absences: list[Absence], window: Period,
                      rules: RuleBook) -> tuple[dict[str, int], dict[str, int]]:
    """Öre of sjuklön (days 1–14 inside ``window``) and of karensavdrag (periods starting
    inside ``window``) per home unit. Hourly substitutes have no contracted week and are
    left out, as in the sick-leave tally."""
    staff = {e.id: e for e in employees if e.employment_form is not EmploymentForm.HOURLY}
    pay: dict[str, int] = defaultdict(int)
    karens: dict[str, int] = defaultdict(int)
    for employee_id, periods in periods_of(absences, rules, window.start).items():
        employee = staff.get(employee_id)
        if employee is None:
            continue
        for period, due in zip(periods, karens_due(periods, rules), strict=True):
            if period.end <= window.start or (window.end is not None
                                              and period.start >= window.end):
                continue
            result = sick_pay(period, minutes_per_week=employee.contracted_minutes_per_week.value,
                              hourly_rate=employee.hourly_rate(), rules=rules, karens_due=due)
            pay[employee.home_unit_id] += result.gross_within(window).ore
            if window.contains(period.start):
                karens[employee.home_unit_id] += result.karens.ore
    return pay, karens
