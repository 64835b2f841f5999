"""Small read-outs of a generated department, used by tests and the demo CLI to show that
the planted problems are there. The real key figures live in insats.reports."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from insats.demo.generator import DemoDepartment
from insats.domain.absence import AbsenceKind
from insats.domain.calendar import local_date
from insats.domain.common import Money, Period
from insats.domain.decisions import Insats
from insats.domain.staff import EmploymentForm, Position

CARE = frozenset({Position.ASSISTANT, Position.CARER_RELATIVE, Position.CARE_WORKER})


def sick_leave_rate(dept: DemoDepartment) -> float:
    """Sick leave as a share of contracted time of monthly and PAN care staff,
    over ``[start, as_of)``."""
    window = Period(dept.start, dept.as_of)
    staff = {e.id: e for e in dept.employees
             if e.position in CARE and e.employment_form is not EmploymentForm.HOURLY}
    contracted = sum(e.contracted_minutes_per_week.value * window.days / 7
                     for e in staff.values())
    sick = 0.0
    for absence in dept.absences:
        employee = staff.get(absence.employee_id)
        overlap = absence.period.intersection(window)
        if employee is None or absence.kind is not AbsenceKind.SICK or overlap is None:
            continue
        sick += (employee.contracted_minutes_per_week.value * overlap.days / 7
                 * absence.extent_percent / 100)
    return sick / contracted if contracted else 0.0


def department_result(dept: DemoDepartment, year: int) -> Money:
    """Outcome against budget for the booked months of ``year`` (negative = deficit)."""
    booked = {(c.booked_on.year, c.booked_on.month) for c in dept.cost_entries}
    outcome = sum(c.signed_result.ore for c in dept.cost_entries if c.booked_on.year == year)
    budget = 0
    for b in dept.budgets:
        if b.year == year and (b.year, b.month) in booked:
            is_revenue = b.category.value.startswith("intakt")
            budget += b.amount.ore if is_revenue else -b.amount.ore
    return Money(outcome - budget)


def scheduled_over_granted(dept: DemoDepartment, year: int,
                           month: int) -> list[tuple[str, int, int]]:
    """(client id, scheduled minutes, granted minutes) where a client's ordinary scheduled
    time in the month exceeds the granted personal assistance."""
    period = Period.month(year, month)
    client_of = {g.id: g.client_id for g in dept.groups if g.client_id is not None}
    scheduled: dict[str, int] = defaultdict(int)
    for shift in dept.shifts:
        client_id = client_of.get(shift.group_id)
        if client_id is None or shift.is_double or not period.contains(local_date(shift.start)):
            continue
        scheduled[client_id] += shift.paid_minutes.value
    granted: dict[str, int] = defaultdict(int)
    for decision in dept.decisions:
        if decision.insats is Insats.PERSONAL_ASSISTANCE:
            granted[decision.client_id] += decision.granted_in(period).value
    return sorted((c, s, granted[c]) for c, s in scheduled.items() if s > granted[c])


def unreported_shift_ids(dept: DemoDepartment) -> list[str]:
    """Staffed shifts in reported months that have no time entry."""
    cutoff = dept.as_of.replace(day=1)
    reported = {e.planned_shift_id for e in dept.time_entries}
    return [s.id for s in dept.shifts
            if s.employee_id is not None and s.id not in reported
            and local_date(s.start) < cutoff and s.start < _utc(dept.as_of)]


def _utc(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
