"""Working-time rules checked on real work: intervals in, breaches out.

The optimiser checks its own day-and-shift model (``insats.domain.validate``); this module
checks what people actually are scheduled for or reported, one employee at a time, across
every client and unit they work in. It is used for planned shifts (the schedule pages)
and is meant for performed time as well (time-report checks), so it knows nothing about
shifts or time entries: callers turn them into :class:`WorkInterval` values
(:func:`intervals_from_shifts` and :func:`intervals_from_time_entries` do that for the two
kinds this system stores).

The limits are plain integers with their source, read by the service from the dated rule
parameters (``insats.domain.rules``) in force for the period checked, see
:class:`WorkingTimeRules`. All durations are real elapsed minutes between aware instants,
so a night across a change to or from summer time counts 7 or 9 hours where the clock
says 8; calendar boundaries (days, weeks, months) are those of Europe/Stockholm.

Rules (domain-rules.md §3.1, §1.7 and §4.4):

``shift_length``
    A work period is at most ``shift_max`` long from its first start to its last end
    (AB/Bilaga J/PAN: 13 h, split shifts included). Intervals that overlap, touch, or are
    less than ``split_gap_max`` apart form one work period (a split shift, or two clients'
    shifts back to back). A work period with on-call time (jour) is held to
    ``work_plus_on_call_max`` (20 h) instead, when that limit is given.
``daily_rest``
    Dygnsvila: in the 24 hours from the start of each work block there must be
    ``daily_rest_min`` (11 h) of consecutive rest. A block is a run of overlapping or
    touching intervals. Counting the 24-hour period from the start of the work is the
    agreements' reading of "varje 24-timmarsperiod"; in practice it is the rest between
    one day's work and the next, and a split shift's short gap is not a breach when the
    day still holds 11 hours of rest. When ``daily_rest_reduced_min`` is given, a rest at
    or above it is still a breach, and the explanation says that the reduced rest (9 h) is
    only allowed as an exception whose lost hours are added to the next rest.
``weekly_rest``
    Veckovila: each calendar week (Monday 00:00 to Monday 00:00, Stockholm) that has work
    must hold ``weekly_rest_min`` (36 h) of consecutive rest inside the week (ATL 14 §).
``average_week``
    Work in a reference period (one or more calendar months, or blocks of weeks counted
    from an anchor Monday) is at most ``per_week_minutes`` × days in the period / 7:
    FK's 48 h a week in a calendar month (about 212,6 h in a month of 31 days), or ATL's
    and the agreements' averages. The breach names the intervals from the one where the
    running total passed the limit, the time FK does not pay for.
``overlap``
    An employee cannot work two intervals at the same time (a double booking across
    groups).

Work and on-call time (jour) are working time; stand-by (beredskap) is neither working
time nor rest: it counts in no length or average, but it breaks a rest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from insats.domain.calendar import (
    STOCKHOLM,
    SWEDISH_MONTHS,
    UTC,
    local_date,
    local_datetime,
    require_aware,
)
from insats.domain.common import DomainError
from insats.domain.formatting import format_number
from insats.domain.scheduling import PlannedShift, ShiftKind, ShiftStatus
from insats.domain.time_reports import TimeEntry, TimeEntryStatus, TimeKind

MINUTES_PER_DAY = 24 * 60
DAYS_PER_WEEK = 7
DEFAULT_ANCHOR = dt.date(2024, 1, 1)  # a Monday in January: week and month blocks start here
OVERLAP_SOURCE = "Planeringsregel: en medarbetare kan inte arbeta två pass samtidigt"


class WorkKind(StrEnum):
    WORK = "arbete"
    ON_CALL = "jour"  # at the workplace, ready to work: working time
    STAND_BY = "beredskap"  # reachable elsewhere: not working time, not rest


class BreachKind(StrEnum):
    SHIFT_LENGTH = "shift_length"
    DAILY_REST = "daily_rest"
    WEEKLY_REST = "weekly_rest"
    AVERAGE_WEEK = "average_week"
    OVERLAP = "overlap"


BREACH_LABELS: dict[BreachKind, str] = {
    BreachKind.SHIFT_LENGTH: "För långt arbetspass",
    BreachKind.DAILY_REST: "För kort dygnsvila",
    BreachKind.WEEKLY_REST: "För kort veckovila",
    BreachKind.AVERAGE_WEEK: "För hög genomsnittlig veckoarbetstid",
    BreachKind.OVERLAP: "Dubbelbokad",
}


@dataclass(frozen=True, slots=True)
class WorkInterval:
    """A stretch of one employee's time: a planned shift, a time entry, or anything else.

    ``id`` is the caller's key (a shift or time-entry id), returned in breaches.
    ``break_minutes`` is an unpaid break inside the interval: it is not working time for
    the averages, but neither is it rest (the interval's span counts for shift length and
    rest).
    """

    id: str
    employee_id: str
    start: dt.datetime
    end: dt.datetime
    break_minutes: int = 0
    kind: WorkKind = WorkKind.WORK

    def __post_init__(self) -> None:
        require_aware(self.start, "intervallets start")
        require_aware(self.end, "intervallets slut")
        if _utc(self.end) <= _utc(self.start):
            raise DomainError("time.reversed", "Sluttiden måste vara efter starttiden.")
        if not 0 <= self.break_minutes < self.span_minutes:
            raise DomainError("time.break", "Rasten måste vara kortare än passet.")

    @property
    def span_minutes(self) -> int:
        return _minutes(self.start, self.end)

    @property
    def worked_minutes(self) -> int:
        """Working time: the span less the break; 0 for stand-by."""
        if self.kind is WorkKind.STAND_BY:
            return 0
        return self.span_minutes - self.break_minutes

    @property
    def is_working_time(self) -> bool:
        return self.kind is not WorkKind.STAND_BY


@dataclass(frozen=True, slots=True)
class Limit:
    """A limit in minutes and where it comes from (shown with every breach)."""

    minutes: int
    source: str


@dataclass(frozen=True, slots=True)
class ReferencePeriod:
    """How an average is measured: blocks of ``months`` calendar months, or of ``weeks``
    weeks, counted from ``anchor`` (its month for months; a Monday for weeks)."""

    months: int = 0
    weeks: int = 0
    anchor: dt.date = DEFAULT_ANCHOR

    def __post_init__(self) -> None:
        if (self.months > 0) == (self.weeks > 0) or self.months < 0 or self.weeks < 0:
            raise DomainError("worktime.reference",
                              "Ange beräkningsperioden i antingen månader eller veckor.")
        if self.weeks and self.anchor.weekday() != 0:
            raise DomainError("worktime.reference",
                              "En beräkningsperiod i veckor räknas från en måndag.")

    def block_of(self, day: dt.date) -> tuple[dt.date, dt.date]:
        """The block ``[first day, day after the last)`` that contains ``day``."""
        if self.weeks:
            length = self.weeks * DAYS_PER_WEEK
            offset = (day - self.anchor).days // length * length
            start = self.anchor + dt.timedelta(days=offset)
            return start, start + dt.timedelta(days=length)
        index = (day.year - self.anchor.year) * 12 + day.month - self.anchor.month
        first = index // self.months * self.months + self.anchor.month - 1
        start = dt.date(self.anchor.year + first // 12, first % 12 + 1, 1)
        last = first + self.months
        return start, dt.date(self.anchor.year + last // 12, last % 12 + 1, 1)


@dataclass(frozen=True, slots=True)
class AverageLimit:
    """At most ``per_week_minutes`` a week on average over each block of ``period``."""

    per_week_minutes: int
    source: str
    period: ReferencePeriod = field(default_factory=lambda: ReferencePeriod(months=1))


@dataclass(frozen=True, slots=True)
class WorkingTimeRules:
    """The limits to check; a limit left as None is not checked.

    Build it from the rule parameters in force for the checked period (the service reads
    ``worktime.shift_max``, ``worktime.daily_rest_min``, ``worktime.daily_rest_reduced_min``,
    ``worktime.weekly_rest_min``, ``worktime.work_plus_oncall_max`` and
    ``fk.assistant_avg_week_limit`` / ``worktime.avg_week_max``).
    ``split_gap_max`` is not a legal limit but how far apart two intervals may be and still
    be one work period for the shift length (a split shift's unpaid gap).
    """

    shift_max: Limit | None = None
    work_plus_on_call_max: Limit | None = None
    daily_rest_min: Limit | None = None
    daily_rest_reduced_min: Limit | None = None
    weekly_rest_min: Limit | None = None
    averages: tuple[AverageLimit, ...] = ()
    split_gap_max: int = 4 * 60
    check_overlaps: bool = True


@dataclass(frozen=True, slots=True)
class WorkingTimeBreach:
    """One broken rule for one employee.

    ``start``/``end`` is the stretch the rule was measured over (the work period, the
    24 hours, the week, the reference period); ``measured_minutes`` is what was found
    (length, longest rest, or working time) and ``limit_minutes`` what the rule allows or
    requires. ``message`` explains it in Swedish without names; ``interval_ids`` are the
    intervals involved, in time order.
    """

    kind: BreachKind
    employee_id: str
    start: dt.datetime
    end: dt.datetime
    measured_minutes: int
    limit_minutes: int
    interval_ids: tuple[str, ...]
    message: str
    source: str

    @property
    def label(self) -> str:
        return BREACH_LABELS[self.kind]


# --- entry points -----------------------------------------------------------------------
def check_working_time(intervals: Iterable[WorkInterval],
                       rules: WorkingTimeRules) -> list[WorkingTimeBreach]:
    """Every breach of ``rules`` by one employee's ``intervals``, ordered by start.

    Pass all the employee's intervals in and around the period of interest, whichever
    client or unit they belong to: a rest or an average is only as complete as its
    intervals (time outside the ones given counts as rest). Breaches are reported for the
    whole span of the intervals; callers filter to the days they show.

    Raises:
        DomainError: ``worktime.employees`` when the intervals belong to several employees.
    """
    items = sorted(intervals, key=lambda i: (_utc(i.start), _utc(i.end), i.id))
    if not items:
        return []
    employees = {i.employee_id for i in items}
    if len(employees) > 1:
        raise DomainError("worktime.employees",
                          "Arbetstiden kontrolleras för en medarbetare i taget.")
    found: list[WorkingTimeBreach] = []
    if rules.check_overlaps:
        found += _overlaps(items)
    if rules.shift_max is not None:
        found += _shift_lengths(items, rules)
    if rules.daily_rest_min is not None:
        found += _daily_rests(items, rules.daily_rest_min, rules.daily_rest_reduced_min)
    if rules.weekly_rest_min is not None:
        found += _weekly_rests(items, rules.weekly_rest_min)
    for average in rules.averages:
        found += _averages(items, average)
    return sorted(found, key=lambda b: (_utc(b.start), b.kind.value, b.interval_ids))


def check_many(intervals: Iterable[WorkInterval],
               rules: WorkingTimeRules) -> dict[str, list[WorkingTimeBreach]]:
    """:func:`check_working_time` for each employee of ``intervals`` (only employees with
    breaches are keys)."""
    by_employee: dict[str, list[WorkInterval]] = {}
    for interval in intervals:
        by_employee.setdefault(interval.employee_id, []).append(interval)
    result: dict[str, list[WorkingTimeBreach]] = {}
    for employee_id in sorted(by_employee):
        breaches = check_working_time(by_employee[employee_id], rules)
        if breaches:
            result[employee_id] = breaches
    return result


def intervals_from_shifts(shifts: Iterable[PlannedShift]) -> list[WorkInterval]:
    """Staffed, not cancelled planned shifts as intervals (open shifts have nobody)."""
    kinds = {ShiftKind.ORDINARY: WorkKind.WORK, ShiftKind.ON_CALL: WorkKind.ON_CALL,
             ShiftKind.STAND_BY: WorkKind.STAND_BY}
    return [WorkInterval(s.id, s.employee_id, s.start, s.end, s.break_minutes, kinds[s.kind])
            for s in shifts
            if s.employee_id is not None and s.status is not ShiftStatus.CANCELLED]


def intervals_from_time_entries(entries: Iterable[TimeEntry]) -> list[WorkInterval]:
    """Reported or attested time (not rejected rows) as intervals."""
    kinds = {TimeKind.ON_CALL: WorkKind.ON_CALL, TimeKind.STAND_BY: WorkKind.STAND_BY}
    return [WorkInterval(e.id, e.employee_id, e.start, e.end, e.break_minutes,
                         kinds.get(e.kind, WorkKind.WORK))
            for e in entries if e.status is not TimeEntryStatus.REJECTED]


# --- the rules ---------------------------------------------------------------------------
def _overlaps(items: Sequence[WorkInterval]) -> list[WorkingTimeBreach]:
    found = []
    for index, first in enumerate(items):
        for second in items[index + 1:]:
            if _utc(second.start) >= _utc(first.end):
                break
            start, end = _utc(second.start), min(_utc(first.end), _utc(second.end))
            found.append(WorkingTimeBreach(
                BreachKind.OVERLAP, first.employee_id, start, end, _minutes(start, end), 0,
                (first.id, second.id),
                f"Två pass samtidigt {_when(start)}–{_clock(end)} "
                f"({_hours(_minutes(start, end))} överlappar).",
                OVERLAP_SOURCE))
    return found


def _shift_lengths(items: Sequence[WorkInterval],
                   rules: WorkingTimeRules) -> list[WorkingTimeBreach]:
    assert rules.shift_max is not None
    working = [i for i in items if i.is_working_time]
    found = []
    for period in _runs(working, gap=rules.split_gap_max):
        start = _utc(period[0].start)
        end = max(_utc(i.end) for i in period)
        length = _minutes(start, end)
        on_call = any(i.kind is WorkKind.ON_CALL for i in period)
        limit = rules.work_plus_on_call_max if on_call and rules.work_plus_on_call_max \
            else rules.shift_max
        if length <= limit.minutes:
            continue
        what = "Arbetspasset med jour" if on_call and limit is not rules.shift_max \
            else "Arbetspasset"
        split = " (delat pass och pass i följd inräknade)" if len(period) > 1 else ""
        found.append(WorkingTimeBreach(
            BreachKind.SHIFT_LENGTH, period[0].employee_id, start, end, length,
            limit.minutes, tuple(i.id for i in period),
            f"{what} {_when(start)}–{_when(end, start)} är {_hours(length)} långt{split}; "
            f"högst {_hours(limit.minutes)} är tillåtet.",
            limit.source))
    return found


def _daily_rests(items: Sequence[WorkInterval], required: Limit,
                 reduced: Limit | None) -> list[WorkingTimeBreach]:
    blocks = _runs(items, gap=0)
    spans = [(_utc(b[0].start), max(_utc(i.end) for i in b)) for b in blocks]
    found: list[WorkingTimeBreach] = []
    seen: set[tuple[str, ...]] = set()
    day = dt.timedelta(minutes=MINUTES_PER_DAY)
    for index, (start, _) in enumerate(spans):
        window_end = start + day
        inside = [k for k in range(index, len(spans)) if spans[k][0] < window_end]
        longest = 0
        for position, k in enumerate(inside):
            rest_from = min(spans[k][1], window_end)
            rest_to = spans[inside[position + 1]][0] if position + 1 < len(inside) \
                else window_end
            longest = max(longest, _minutes_or_zero(rest_from, rest_to))
        if longest >= required.minutes:
            continue
        ids = tuple(i.id for k in inside for i in blocks[k])
        if ids in seen:
            continue
        seen.add(ids)
        message = (f"Under 24 timmar från {_when(start)} finns som längst {_hours(longest)} "
                   f"sammanhängande vila; minst {_hours(required.minutes)} dygnsvila krävs.")
        if reduced is not None and longest >= reduced.minutes:
            message += (f" Dygnsvilan får kortas till {_hours(reduced.minutes)} bara "
                        "undantagsvis, i arbete med ansvar för liv, hälsa och säkerhet och "
                        "efter förhandling, och då läggs den förlorade tiden till nästa "
                        "dygnsvila.")
        found.append(WorkingTimeBreach(
            BreachKind.DAILY_REST, items[0].employee_id, start, window_end, longest,
            required.minutes, ids, message, required.source))
    return found


def _weekly_rests(items: Sequence[WorkInterval], required: Limit) -> list[WorkingTimeBreach]:
    found = []
    blocks = _runs(items, gap=0)
    spans = [(_utc(b[0].start), max(_utc(i.end) for i in b), b) for b in blocks]
    for monday in _mondays(_utc(items[0].start), max(_utc(i.end) for i in items)):
        week_start = local_datetime(monday, dt.time())
        week_end = local_datetime(monday + dt.timedelta(days=DAYS_PER_WEEK), dt.time())
        inside = [s for s in spans if s[0] < week_end and s[1] > week_start]
        if not inside:
            continue
        longest, cursor = 0, week_start
        for start, end, _ in inside:
            longest = max(longest, _minutes_or_zero(cursor, start))
            cursor = max(cursor, end)
        longest = max(longest, _minutes_or_zero(cursor, week_end))
        if longest >= required.minutes:
            continue
        sunday = monday + dt.timedelta(days=DAYS_PER_WEEK - 1)
        found.append(WorkingTimeBreach(
            BreachKind.WEEKLY_REST, items[0].employee_id, week_start, week_end, longest,
            required.minutes, tuple(i.id for _, _, block in inside for i in block),
            f"Vecka {monday.isocalendar().week} ({_date(monday)}–{_date(sunday)}) har som "
            f"längst {_hours(longest)} sammanhängande ledighet; minst "
            f"{_hours(required.minutes)} veckovila krävs.",
            required.source))
    return found


def _averages(items: Sequence[WorkInterval], average: AverageLimit) -> list[WorkingTimeBreach]:
    working = [i for i in items if i.is_working_time]
    if not working:
        return []
    # (block start day) -> [(interval, minutes of it inside the block)], in time order
    blocks: dict[dt.date, list[tuple[WorkInterval, int]]] = {}
    ends: dict[dt.date, dt.date] = {}
    for interval in working:
        for first, last, minutes in _split_by_blocks(interval, average.period):
            blocks.setdefault(first, []).append((interval, minutes))
            ends[first] = last
    found = []
    for first in sorted(blocks):
        last = ends[first]
        days = (last - first).days
        total = sum(minutes for _, minutes in blocks[first])
        # compare exactly: total / days × 7 > per week  ⇔  total × 7 > per week × days
        if total * DAYS_PER_WEEK <= average.per_week_minutes * days:
            continue
        running, over = 0, []
        for interval, minutes in blocks[first]:
            running += minutes
            if running * DAYS_PER_WEEK > average.per_week_minutes * days:
                over.append(interval.id)
        limit = average.per_week_minutes * days // DAYS_PER_WEEK
        exact_limit = average.per_week_minutes * days / DAYS_PER_WEEK
        found.append(WorkingTimeBreach(
            BreachKind.AVERAGE_WEEK, working[0].employee_id,
            local_datetime(first, dt.time()), local_datetime(last, dt.time()), total, limit,
            tuple(over),
            f"{_period_label(first, last, average.period)}: {_hours(total, 1)} arbetad tid, "
            f"mer än {_hours_exact(exact_limit)} "
            f"({_hours(average.per_week_minutes)} i veckan i genomsnitt under {days} dagar).",
            average.source))
    return found


# --- helpers -----------------------------------------------------------------------------
def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(UTC)


def _minutes(start: dt.datetime, end: dt.datetime) -> int:
    return int((_utc(end) - _utc(start)).total_seconds() // 60)


def _minutes_or_zero(start: dt.datetime, end: dt.datetime) -> int:
    return max(0, _minutes(start, end))


def _runs(items: Sequence[WorkInterval], *, gap: int) -> list[list[WorkInterval]]:
    """Intervals (sorted by start) grouped where each starts less than ``gap`` minutes
    after the latest end so far (``gap`` 0: overlapping or touching)."""
    runs: list[list[WorkInterval]] = []
    latest: dt.datetime | None = None
    for interval in items:
        start, end = _utc(interval.start), _utc(interval.end)
        joins = latest is not None and (
            start <= latest if gap == 0 else _minutes(latest, start) < gap)
        if joins:
            runs[-1].append(interval)
            assert latest is not None
            latest = max(latest, end)
        else:
            runs.append([interval])
            latest = end
    return runs


def _mondays(start: dt.datetime, end: dt.datetime) -> Iterator[dt.date]:
    day = local_date(start)
    monday = day - dt.timedelta(days=day.weekday())
    last = local_date(end)
    while monday <= last:
        yield monday
        monday += dt.timedelta(days=DAYS_PER_WEEK)


def _split_by_blocks(interval: WorkInterval,
                     period: ReferencePeriod) -> list[tuple[dt.date, dt.date, int]]:
    """(block start, block end, working minutes) for each block the interval touches; the
    break is shared in proportion to the real minutes in each block."""
    parts: list[tuple[dt.date, dt.date, int]] = []
    cursor, end = _utc(interval.start), _utc(interval.end)
    span = interval.span_minutes
    while cursor < end:
        first, last = period.block_of(local_date(cursor))
        boundary = min(end, local_datetime(last, dt.time()))
        parts.append((first, last, _minutes(cursor, boundary)))
        cursor = boundary
    worked = interval.worked_minutes
    shares = [minutes * worked // span for _, _, minutes in parts]
    shares[0] += worked - sum(shares)
    return [(first, last, share) for (first, last, _), share in zip(parts, shares, strict=True)]


def _period_label(first: dt.date, last: dt.date, period: ReferencePeriod) -> str:
    final = last - dt.timedelta(days=1)
    if period.months == 1:
        return f"{SWEDISH_MONTHS[first.month - 1].capitalize()} {first.year}"
    if period.months:
        return (f"{SWEDISH_MONTHS[first.month - 1].capitalize()} {first.year}–"
                f"{SWEDISH_MONTHS[final.month - 1]} {final.year}")
    first_week, final_week = first.isocalendar().week, final.isocalendar().week
    return f"Vecka {first_week}–{final_week} ({_date(first)}–{_date(final)})"


def _hours(minutes: int, decimals: int | None = None) -> str:
    if decimals is None:
        decimals = 0 if minutes % 60 == 0 else 1 if minutes % 6 == 0 else 2
    return f"{format_number(minutes / 60, decimals)}\u00a0h"


def _hours_exact(minutes: float) -> str:
    return f"{format_number(minutes / 60, 1)}\u00a0h"


def _local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(STOCKHOLM)


def _date(day: dt.date) -> str:
    return day.isoformat()


def _clock(moment: dt.datetime) -> str:
    return _local(moment).strftime("%H:%M")


def _when(moment: dt.datetime, same_day_as: dt.datetime | None = None) -> str:
    """``2026-10-19 15:00``, or just ``15:00`` on the same Stockholm day as ``same_day_as``."""
    local = _local(moment)
    if same_day_as is not None and local.date() == _local(same_day_as).date():
        return local.strftime("%H:%M")
    return local.strftime("%Y-%m-%d %H:%M")
