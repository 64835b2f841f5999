"""Small read-outs of a generated department, used by tests and the demo CLI to show that
the planted problems are there. The real key figures live in insats.reports."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from insats.demo.generator import DemoDepartment
from insats.domain.absence import SICK_LEAVE_RULE_KEY, tally_sick_leave
from insats.domain.calendar import local_date
from insats.domain.common import Money, Period
from insats.domain.decisions import Insats
from insats.domain.rules import RuleBook, bundled_parameters
from insats.domain.staff import Position

CARE = frozenset({Position.ASSISTANT, Position.CARER_RELATIVE, Position.CARE_WORKER})


def sick_leave_rate(dept: DemoDepartment) -> float:
    """Sick leave as a share of contracted time of monthly and PAN care staff, over
    ``[start, as_of)``, by the one definition in :func:`insats.domain.absence.tally_sick_leave`
    (0.0 when there is no contracted time)."""
    window = Period(dept.start, dept.as_of)
    care_staff = [e for e in dept.employees if e.position in CARE]
    employer_period_days = RuleBook(bundled_parameters()).number(
        SICK_LEAVE_RULE_KEY, window.start
    )
    tally = tally_sick_leave(
        care_staff, dept.absences, window, employer_period_days=employer_period_days
    )
    return tally.rate or 0.0


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
