"""Working-time checks on stored shifts: the rule values in force, and the breaches of some
employees over some days, with every shift they have in any unit as context.

The rules themselves are in ``insats.domain.working_time``; this module reads the dated
parameters and the shifts. Used by the schedule (``services.rosters``) and the staff pages
(``services.staff``); the time-report checks can call ``rules_on`` the same way with
intervals from time entries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from insats.db.repositories import rosters as queries
from insats.domain.calendar import local_datetime
from insats.domain.common import DomainError, Period
from insats.domain.rules import RuleBook
from insats.domain.scheduling import PlannedShift
from insats.domain.working_time import (
    AverageLimit,
    BreachKind,
    Limit,
    ReferencePeriod,
    WorkingTimeBreach,
    WorkingTimeRules,
    check_many,
    intervals_from_shifts,
)
from insats.services.uow import UnitOfWork

RULE_KEYS = {
    "shift_max": "worktime.shift_max",
    "work_plus_on_call_max": "worktime.work_plus_oncall_max",
    "daily_rest_min": "worktime.daily_rest_min",
    "daily_rest_reduced_min": "worktime.daily_rest_reduced_min",
    "weekly_rest_min": "worktime.weekly_rest_min",
}
FK_AVERAGE_KEY = "fk.assistant_avg_week_limit"
PERIOD_RULES = frozenset({BreachKind.WEEKLY_REST, BreachKind.AVERAGE_WEEK})


def _limit(book: RuleBook, key: str, on: dt.date) -> Limit | None:
    try:
        parameter = book.parameter(key, on)
    except DomainError:
        return None  # no value in force that day: the rule is not checked
    return Limit(parameter.value, parameter.source)


def rules_on(book: RuleBook, on: dt.date) -> WorkingTimeRules:
    """The working-time limits in force on ``on``: shift length, work with on-call,
    daily rest (and its 9-hour exception), weekly rest, and FK's 48 hours a week on average
    per calendar month (51 kap. 16 § SFB; time above it is not paid)."""
    limits = {name: _limit(book, key, on) for name, key in RULE_KEYS.items()}
    average = _limit(book, FK_AVERAGE_KEY, on)
    return WorkingTimeRules(
        shift_max=limits["shift_max"],
        work_plus_on_call_max=limits["work_plus_on_call_max"],
        daily_rest_min=limits["daily_rest_min"],
        daily_rest_reduced_min=limits["daily_rest_reduced_min"],
        weekly_rest_min=limits["weekly_rest_min"],
        averages=() if average is None else (
            AverageLimit(average.minutes, average.source, ReferencePeriod(months=1)),),
    )


def context_days(days: Period) -> Period:
    """The days whose shifts a check of ``days`` needs: a day before and after (rests
    across midnight) and the whole calendar months (the monthly average)."""
    assert days.end is not None
    last = days.end - dt.timedelta(days=1)
    month_start = days.start.replace(day=1)
    next_month = (last.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return Period(min(month_start, days.start - dt.timedelta(days=1)),
                  max(next_month, days.end + dt.timedelta(days=1)))


@dataclass(frozen=True, slots=True)
class CheckedShifts:
    """Breaches touching the checked days, per employee, and the shifts they came from."""

    breaches: dict[str, list[WorkingTimeBreach]]
    shifts: list[PlannedShift]  # every published shift of the employees in the context

    def of_shift(self) -> dict[str, list[WorkingTimeBreach]]:
        index: dict[str, list[WorkingTimeBreach]] = {}
        for found in self.breaches.values():
            for breach in found:
                for shift_id in breach.interval_ids:
                    index.setdefault(shift_id, []).append(breach)
        return index


def check_employees(uow: UnitOfWork, employee_ids: Collection[str], days: Period, *,
                    rules: WorkingTimeRules | None = None) -> CheckedShifts:
    """Check the employees' published shifts in every group and unit; keep the breaches
    about ``days`` (Stockholm dates): a weekly rest or an average whose week or month
    shares time with them, any other rule when one of its shifts does."""
    assert days.end is not None
    context = context_days(days)
    assert context.end is not None
    # a shift is at most a day long, so one that starts the day before can reach in
    start = local_datetime(context.start - dt.timedelta(days=1), dt.time())
    end = local_datetime(context.end, dt.time())
    shifts = queries.published_shifts_of_employees(uow.session, employee_ids, start, end)
    if rules is None:
        rules = rules_on(uow.rules.rule_book(), days.start)
    view_start = local_datetime(days.start, dt.time())
    view_end = local_datetime(days.end, dt.time())
    shown = {s.id for s in shifts if s.start < view_end and s.end > view_start}

    def touches_view(breach: WorkingTimeBreach) -> bool:
        if breach.kind in PERIOD_RULES:  # a week or a month: it is about the period
            return breach.start < view_end and breach.end > view_start
        return any(shift_id in shown for shift_id in breach.interval_ids)

    found = {
        employee_id: kept
        for employee_id, breaches in check_many(intervals_from_shifts(shifts), rules).items()
        if (kept := [b for b in breaches if touches_view(b)])
    }
    return CheckedShifts(found, shifts)
