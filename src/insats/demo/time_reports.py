"""Performed time (tidrapporter) from the staffed shifts, up to the last complete month.

Most shifts are reported as planned; a few run 15–30 minutes late. Planted problems:
two assistance groups leave 10–15 % of their shifts unreported (revenue at risk), one
group reports one month's time after FK's deadline (the 5th of the second month), and
two anhörigvårdare on PAN claim OB on every entry although OB is included in their wage.
Entries are attested by the unit manager 3–12 days after the month ends, when that is
before ``as_of``; later ones are still only reported.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from insats.domain.calendar import local_date, local_datetime
from insats.domain.scheduling import AssistanceGroup, PlannedShift
from insats.domain.staff import Employee
from insats.domain.time_reports import TimeEntry, TimeEntryStatus, TimeKind

BASE_UNREPORTED = 0.005
PLANTED_UNREPORTED = (0.10, 0.15)


@dataclass(frozen=True, slots=True)
class ReportingPlan:
    unreported_group_ids: tuple[str, ...]
    ob_claiming_carer_ids: tuple[str, ...]
    late_group_id: str | None = None
    late_month: dt.date | None = None


def choose_plan(rng: random.Random, groups: list[AssistanceGroup],
                employees: list[Employee], *, start: dt.date, as_of: dt.date,
                late_client_ids: frozenset[str] = frozenset(),
                late_rng: random.Random | None = None) -> ReportingPlan:
    """``late_rng`` draws the late-reporting group and month (a separate stream, so the
    other draws do not move when that plant changes)."""
    late_rng = late_rng or rng
    client_groups = sorted(g.id for g in groups if g.client_id is not None
                           and not g.name.startswith("Basansvar"))
    carers = sorted(e.id for e in employees if e.is_relative_carer)
    unreported = tuple(sorted(rng.sample(client_groups, 2)))
    client_of = {g.id: g.client_id for g in groups}
    late_candidates = [g for g in client_groups if g not in unreported
                       and client_of[g] in late_client_ids]
    months = []
    month = _month_start(start)
    while _next_month(_next_month(_next_month(month))) <= _month_start(as_of):
        months.append(month)
        month = _next_month(month)
    late_group = late_rng.choice(late_candidates) if late_candidates and months else None
    late_month = late_rng.choice(months) if late_group is not None else None
    return ReportingPlan(unreported, tuple(sorted(rng.sample(carers, min(2, len(carers))))),
                         late_group, late_month)


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def build_time_entries(*, rng: random.Random, shifts: list[PlannedShift],
                       time_kind: dict[str, TimeKind], cover: dict[str, str],
                       groups: list[AssistanceGroup], employees: list[Employee],
                       manager_of_unit: dict[str, str], plan: ReportingPlan,
                       as_of: dt.date) -> list[TimeEntry]:
    cutoff = _month_start(as_of)
    group_by_id = {g.id: g for g in groups}
    carers = {e.id for e in employees if e.is_relative_carer}
    ob_claimers = set(plan.ob_claiming_carer_ids)
    unreported_rate = {g: rng.uniform(*PLANTED_UNREPORTED) for g in plan.unreported_group_ids}
    attest_day: dict[dt.date, dt.date] = {}
    entries: list[TimeEntry] = []
    for shift in shifts:
        if shift.employee_id is None:
            continue
        day = local_date(shift.start)
        if day >= cutoff:
            continue
        if rng.random() < unreported_rate.get(shift.group_id, BASE_UNREPORTED):
            continue
        group = group_by_id[shift.group_id]
        month = _month_start(day)
        if month not in attest_day:
            attest_day[month] = _next_month(month) + dt.timedelta(days=rng.randint(3, 11))
        attested_on = attest_day[month]
        late = shift.group_id == plan.late_group_id and month == plan.late_month
        if late:  # handed in after FK's deadline, the 5th of the second month
            attested_on = _next_month(_next_month(month)) + dt.timedelta(days=5 + 6)
        end = shift.end
        if rng.random() < 0.04:
            end += dt.timedelta(minutes=rng.choice((15, 30)))
        reported_on = min(local_date(end) + dt.timedelta(days=rng.randint(0, 2)), attested_on)
        if late:
            reported_on = attested_on - dt.timedelta(days=1)
        is_carer = shift.employee_id in carers
        attested = attested_on < as_of
        entries.append(TimeEntry(
            id=f"R{len(entries) + 1:06d}",
            employee_id=shift.employee_id,
            group_id=shift.group_id,
            start=shift.start,
            end=end,
            kind=time_kind.get(shift.id, TimeKind.ORDINARY),
            status=TimeEntryStatus.ATTESTED if attested else TimeEntryStatus.REPORTED,
            client_id=group.client_id,
            planned_shift_id=shift.id,
            break_minutes=shift.break_minutes,
            is_double=shift.is_double,
            reported_on=reported_on,
            attested_at=local_datetime(attested_on, dt.time(rng.randint(8, 15), 0))
            if attested else None,
            attested_by=manager_of_unit[group.unit_id] if attested else None,
            ob_claimed=(not is_carer) or shift.employee_id in ob_claimers,
            comment=cover.get(shift.id, ""),
        ))
    return entries
