"""Working-time rules checked on real work: intervals in, breaches out.

The optimiser checks its own day-and-shift model (``insats.domain.validate``); this module
checks what people actually are scheduled for or reported, one employee at a time, across
every client and unit they work in. It is used for planned shifts (the schedule pages)
and is meant for performed time as well (time-report checks), so it knows nothing about
shifts or time entries: callers turn them into :class:`WorkInterval` values
(:func:`intervals_from_shifts` and :func:`intervals_from_time_entries` do that for the two
kinds this system stores; :func:`check_reported_time` checks stored time entries without
that step, for the checks before attestation).

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
    only allowed as an exception (work responsible for life, health and safety, after
    negotiation) whose lost hours are added to the next rest.
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
import functools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple

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

SECONDS_PER_DAY = 24 * 60 * 60
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
    # the bounds as whole UTC epoch seconds, worked out once (the rules compare these)
    start_seconds: int = field(init=False, repr=False, compare=False)
    end_seconds: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.start.tzinfo is not UTC or self.end.tzinfo is not UTC:  # UTC as stored
            require_aware(self.start, "intervallets start")
            require_aware(self.end, "intervallets slut")
        start, end = int(self.start.timestamp()), int(self.end.timestamp())
        if end <= start:
            raise DomainError("time.reversed", "Sluttiden måste vara efter starttiden.")
        if not 0 <= self.break_minutes < (end - start) // 60:
            raise DomainError("time.break", "Rasten måste vara kortare än passet.")
        object.__setattr__(self, "start_seconds", start)
        object.__setattr__(self, "end_seconds", end)

    @property
    def span_minutes(self) -> int:
        return (self.end_seconds - self.start_seconds) // 60

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
def check_working_time(intervals: Iterable[WorkInterval], rules: WorkingTimeRules, *,
                       focus: tuple[dt.datetime, dt.datetime] | None = None,
                       ) -> list[WorkingTimeBreach]:
    """Every breach of ``rules`` by one employee's ``intervals``, ordered by start.

    Pass all the employee's intervals in and around the period of interest, whichever
    client or unit they belong to: a rest or an average is only as complete as its
    intervals (time outside the ones given counts as rest). Breaches are reported for the
    whole span of the intervals; callers filter to the days they show. With ``focus``,
    only breaches whose own window (the overlap, the shift, the 24 hours, the week or the
    reference block) meets ``[focus start, focus end)`` are worked out: the intervals
    around it are there as context, and no time is spent on breaches nobody will show.

    Raises:
        DomainError: ``worktime.employees`` when the intervals belong to several employees.
    """
    return _check_one_employee(_sorted_spans(intervals), rules, focus)


def _check_one_employee(spans: list[_Span], rules: WorkingTimeRules,
                        focus: tuple[dt.datetime, dt.datetime] | None,
                        ) -> list[WorkingTimeBreach]:
    """The breaches of sorted ``spans``, which must all be one employee's."""
    if not spans:
        return []
    if len({s.employee_id for s in spans}) > 1:
        raise DomainError("worktime.employees",
                          "Arbetstiden kontrolleras för en medarbetare i taget.")
    return _check_spans(spans, rules, focus)


def _sorted_spans(intervals: Iterable[WorkInterval]) -> list[_Span]:
    """The intervals as spans in time order (start, end, then id: the ids are unique, so
    the items themselves are never compared)."""
    spans = [_Span(i.start_seconds, i.end_seconds, i.id, i.employee_id, i.kind,
                   i.break_minutes) for i in intervals]
    spans.sort()
    return spans


def _check_spans(spans: list[_Span], rules: WorkingTimeRules,
                 focus: tuple[dt.datetime, dt.datetime] | None) -> list[WorkingTimeBreach]:
    """The breaches of one employee's spans (sorted, not empty)."""
    window = _EVERYTHING if focus is None else (_seconds(focus[0]), _seconds(focus[1]))
    found: list[WorkingTimeBreach] = []
    if rules.check_overlaps:
        found += _overlaps(spans, window)
    if rules.shift_max is not None:
        found += _shift_lengths(spans, rules.shift_max, rules.work_plus_on_call_max,
                                rules.split_gap_max, window)
    blocks = _runs(spans, gap_seconds=0)
    if rules.daily_rest_min is not None:
        found += _daily_rests(blocks, rules.daily_rest_min, rules.daily_rest_reduced_min,
                              window)
    if rules.weekly_rest_min is not None:
        found += _weekly_rests(blocks, rules.weekly_rest_min, window)
    for average in rules.averages:
        found += _averages(spans, average, window)
    return sorted(found, key=lambda b: (b.start, b.kind.value, b.interval_ids))


def check_many(intervals: Iterable[WorkInterval], rules: WorkingTimeRules, *,
               focus: tuple[dt.datetime, dt.datetime] | None = None,
               ) -> dict[str, list[WorkingTimeBreach]]:
    """:func:`check_working_time` for each employee of ``intervals`` (only employees with
    breaches are keys)."""
    by_employee: dict[str, list[WorkInterval]] = {}
    for interval in intervals:
        by_employee.setdefault(interval.employee_id, []).append(interval)
    result: dict[str, list[WorkingTimeBreach]] = {}
    for employee_id in sorted(by_employee):
        breaches = _check_spans(_sorted_spans(by_employee[employee_id]), rules, focus)
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


_TIME_KINDS = {TimeKind.ON_CALL: WorkKind.ON_CALL, TimeKind.STAND_BY: WorkKind.STAND_BY}


def intervals_from_time_entries(entries: Iterable[TimeEntry]) -> list[WorkInterval]:
    """Reported or attested time (not rejected rows) as intervals."""
    return [WorkInterval(e.id, e.employee_id, e.start, e.end, e.break_minutes,
                         _TIME_KINDS.get(e.kind, WorkKind.WORK))
            for e in entries if e.status is not TimeEntryStatus.REJECTED]


def check_reported_time(entries: Iterable[TimeEntry], rules: WorkingTimeRules, *,
                        focus: tuple[dt.datetime, dt.datetime] | None = None,
                        ) -> list[WorkingTimeBreach]:
    """:func:`check_working_time` of one employee's reported or attested time (rejected
    rows left out), the same as of :func:`intervals_from_time_entries`, without an
    interval per entry: a time entry was validated when it was made (aware times, end
    after start, a break shorter than the span), so its bounds go straight into the
    rules' spans.

    Raises:
        DomainError: ``worktime.employees`` when the entries belong to several employees.
    """
    spans = [_Span(int(e.start.timestamp()), int(e.end.timestamp()), e.id, e.employee_id,
                   _TIME_KINDS.get(e.kind, WorkKind.WORK), e.break_minutes)
             for e in entries if e.status is not TimeEntryStatus.REJECTED]
    spans.sort()
    return _check_one_employee(spans, rules, focus)


# --- the rules ---------------------------------------------------------------------------
class _Span(NamedTuple):
    """An interval with its bounds as whole UTC epoch seconds (fast to compare); ``id``
    is the interval's and unique, so that spans sort as plain tuples."""

    start: int
    end: int
    id: str
    employee_id: str
    kind: WorkKind
    break_minutes: int


class _Block(NamedTuple):
    start: int
    end: int
    spans: list[_Span]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.spans)


def _overlaps(spans: Sequence[_Span], window: tuple[int, int]) -> list[WorkingTimeBreach]:
    found = []
    count = len(spans)
    for index, first in enumerate(spans):
        for later in range(index + 1, count):
            second = spans[later]
            if second.start >= first.end:
                break
            start, end = second.start, min(first.end, second.end)
            if not _meets(window, start, end):
                continue
            minutes = (end - start) // 60
            found.append(WorkingTimeBreach(
                BreachKind.OVERLAP, first.employee_id, _moment(start), _moment(end),
                minutes, 0, (first.id, second.id),
                f"Två pass samtidigt {_when(start)}–{_clock(end)} "
                f"({_hours(minutes)} överlappar).",
                OVERLAP_SOURCE))
    return found


def _shift_lengths(spans: Sequence[_Span], shift_max: Limit, with_on_call: Limit | None,
                   split_gap: int, window: tuple[int, int]) -> list[WorkingTimeBreach]:
    working = [s for s in spans if s.kind is not WorkKind.STAND_BY]
    found = []
    for period in _runs(working, gap_seconds=split_gap * 60):
        if not _meets(window, period.start, period.end):
            continue
        length = (period.end - period.start) // 60
        if length <= shift_max.minutes and (with_on_call is None
                                            or length <= with_on_call.minutes):
            continue  # within either limit
        on_call = any(s.kind is WorkKind.ON_CALL for s in period.spans)
        limit = with_on_call if on_call and with_on_call is not None else shift_max
        if length <= limit.minutes:
            continue
        what = "Arbetspasset med jour" if limit is not shift_max else "Arbetspasset"
        split = " (delat pass och pass i följd inräknade)" if len(period.spans) > 1 else ""
        found.append(WorkingTimeBreach(
            BreachKind.SHIFT_LENGTH, period.spans[0].employee_id, _moment(period.start),
            _moment(period.end), length, limit.minutes, period.ids,
            f"{what} {_when(period.start)}–{_when(period.end, period.start)} är "
            f"{_hours(length)} långt{split}; högst {_hours(limit.minutes)} är tillåtet.",
            limit.source))
    return found


def _daily_rests(blocks: Sequence[_Block], required: Limit, reduced: Limit | None,
                 window: tuple[int, int]) -> list[WorkingTimeBreach]:
    """``blocks``: the spans run together where they overlap or touch."""
    found: list[WorkingTimeBreach] = []
    seen: set[tuple[str, ...]] = set()
    count = len(blocks)
    for index, block in enumerate(blocks):
        window_end = block.start + SECONDS_PER_DAY
        if not _meets(window, block.start, window_end):
            continue
        last = index  # the last block that starts inside the 24 hours
        while last + 1 < count and blocks[last + 1].start < window_end:
            last += 1
        longest = 0
        for position in range(index, last + 1):
            rest_from = min(blocks[position].end, window_end)
            rest_to = blocks[position + 1].start if position < last else window_end
            if (rest_to - rest_from) // 60 > longest:
                longest = (rest_to - rest_from) // 60
                if longest >= required.minutes:
                    break  # rested enough: no breach
        if longest >= required.minutes:
            continue
        inside = blocks[index:last + 1]
        ids = tuple(i for b in inside for i in b.ids)
        if ids in seen:
            continue
        seen.add(ids)
        work_end = min(max(b.end for b in inside), window_end)
        message = (f"Under 24 timmar från {_when(block.start)} finns som längst "
                   f"{_hours(longest)} sammanhängande vila (arbete {_clock(block.start)}–"
                   f"{_when(work_end, block.start)}); minst {_hours(required.minutes)} "
                   "dygnsvila krävs.")
        if reduced is not None and longest >= reduced.minutes:
            message += (f" Vila ned till {_hours(reduced.minutes)} är ett undantag, och då "
                        "läggs den förlorade tiden till nästa dygnsvila.")
        found.append(WorkingTimeBreach(
            BreachKind.DAILY_REST, block.spans[0].employee_id, _moment(block.start),
            _moment(window_end), longest, required.minutes, ids, message, required.source))
    return found


def _weekly_rests(blocks: Sequence[_Block], required: Limit,
                  window: tuple[int, int]) -> list[WorkingTimeBreach]:
    found = []
    first, count = 0, len(blocks)
    for monday in _mondays(max(blocks[0].start, window[0]),
                           min(max(b.end for b in blocks), window[1])):
        week_start = _midnight(monday)
        week_end = _midnight(monday + dt.timedelta(days=DAYS_PER_WEEK))
        if not _meets(window, week_start, week_end):
            continue
        while first < count and blocks[first].end <= week_start:
            first += 1
        inside = []
        for index in range(first, count):
            if blocks[index].start >= week_end:
                break
            inside.append(blocks[index])
        if not inside:
            continue
        longest, cursor = 0, week_start
        for block in inside:
            if (block.start - cursor) // 60 > longest:
                longest = (block.start - cursor) // 60
                if longest >= required.minutes:
                    break  # rested enough: no breach
            if block.end > cursor:
                cursor = block.end
        else:
            longest = max(longest, (week_end - cursor) // 60)
        if longest >= required.minutes:
            continue
        sunday = monday + dt.timedelta(days=DAYS_PER_WEEK - 1)
        found.append(WorkingTimeBreach(
            BreachKind.WEEKLY_REST, inside[0].spans[0].employee_id, _moment(week_start),
            _moment(week_end), longest, required.minutes,
            tuple(i for b in inside for i in b.ids),
            f"Vecka {monday.isocalendar().week} ({_date(monday)}–{_date(sunday)}) har som "
            f"längst {_hours(longest)} sammanhängande ledighet; minst "
            f"{_hours(required.minutes)} veckovila krävs.",
            required.source))
    return found


def _averages(spans: Sequence[_Span], average: AverageLimit,
              window: tuple[int, int]) -> list[WorkingTimeBreach]:
    working = [s for s in spans if s.kind is not WorkKind.STAND_BY]
    if not working:
        return []
    # block start day → [(interval id, its working minutes inside the block)], in time order
    blocks: dict[dt.date, list[tuple[str, int]]] = {}
    bounds = _BlockBounds(average.period)
    low = high = 0  # the block of the previous span, as epoch seconds
    current: list[tuple[str, int]] = []
    for span in working:
        if low <= span.start and span.end <= high:  # inside the same block: no split
            current.append((span.id, (span.end - span.start) // 60 - span.break_minutes))
            continue
        for first, minutes in _split_by_blocks(span, bounds):
            blocks.setdefault(first, []).append((span.id, minutes))
        low, high, first = bounds.at(span.start)
        current = blocks[first]
    found = []
    per_week = average.per_week_minutes
    for first in sorted(blocks):
        last = average.period.block_of(first)[1]
        if not _meets(window, _midnight(first), _midnight(last)):
            continue
        days = (last - first).days
        total = sum(minutes for _, minutes in blocks[first])
        # compare exactly: total / days × 7 > per week  ⇔  total × 7 > per week × days
        if total * DAYS_PER_WEEK <= per_week * days:
            continue
        running, over = 0, []
        for interval_id, minutes in blocks[first]:
            running += minutes
            if running * DAYS_PER_WEEK > per_week * days:
                over.append(interval_id)
        found.append(WorkingTimeBreach(
            BreachKind.AVERAGE_WEEK, working[0].employee_id,
            local_datetime(first, dt.time()), local_datetime(last, dt.time()), total,
            per_week * days // DAYS_PER_WEEK, tuple(over),
            f"{_period_label(first, last, average.period)}: {_hours(total, 1)} arbetad tid, "
            f"mer än {_hours_exact(per_week * days / DAYS_PER_WEEK)} "
            f"({_hours(per_week)} i veckan i genomsnitt under {days} dagar).",
            average.source))
    return found


# --- helpers -----------------------------------------------------------------------------
_EVERYTHING = (-(2**62), 2**62)


def _meets(window: tuple[int, int], start: int, end: int) -> bool:
    """Whether ``[start, end)`` and the window (epoch seconds) share a moment."""
    return start < window[1] and window[0] < end


def _seconds(moment: dt.datetime) -> int:
    return int(moment.timestamp())


@functools.lru_cache(maxsize=8192)
def _midnight(day: dt.date) -> int:
    """The start of a Stockholm day as epoch seconds (the same days recur for every
    employee, so they are worked out once)."""
    return _seconds(local_datetime(day, dt.time()))


def _moment(seconds: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, UTC)


def _runs(spans: Sequence[_Span], *, gap_seconds: int) -> list[_Block]:
    """Spans (sorted by start) grouped where each starts less than ``gap_seconds`` after
    the latest end so far (0: where they overlap or touch)."""
    runs: list[_Block] = []
    if not spans:
        return runs
    first = spans[0]
    start, end, members = first.start, first.end, [first]
    for span in spans[1:]:
        if (span.start <= end) if gap_seconds == 0 else (span.start - end < gap_seconds):
            members.append(span)
            if span.end > end:
                end = span.end
            continue
        runs.append(_Block(start, end, members))
        start, end, members = span.start, span.end, [span]
    runs.append(_Block(start, end, members))
    return runs


def _mondays(start: int, end: int) -> Iterator[dt.date]:
    day = local_date(_moment(start))
    monday = day - dt.timedelta(days=day.weekday())
    last = local_date(_moment(end))
    while monday <= last:
        yield monday
        monday += dt.timedelta(days=DAYS_PER_WEEK)


class _BlockBounds:
    """Reference blocks by start day, with their end as epoch seconds (cached)."""

    def __init__(self, period: ReferencePeriod) -> None:
        self.period = period
        self.known: list[tuple[int, int, dt.date]] = []  # (start s, end s, first day)

    def at(self, seconds: int) -> tuple[int, int, dt.date]:
        for block in self.known:
            if block[0] <= seconds < block[1]:
                return block
        first, last = self.period.block_of(local_date(_moment(seconds)))
        block = (_midnight(first), _midnight(last), first)
        self.known.append(block)
        return block


def _split_by_blocks(span: _Span, bounds: _BlockBounds) -> list[tuple[dt.date, int]]:
    """(block start day, working minutes) for each block the span touches; the break is
    shared in proportion to the real minutes in each block."""
    worked = 0 if span.kind is WorkKind.STAND_BY else \
        (span.end - span.start) // 60 - span.break_minutes
    _, block_end, first = bounds.at(span.start)
    if span.end <= block_end:
        return [(first, worked)]
    parts: list[tuple[dt.date, int]] = []
    cursor = span.start
    while cursor < span.end:
        _, block_end, first = bounds.at(cursor)
        boundary = min(span.end, block_end)
        parts.append((first, (boundary - cursor) // 60))
        cursor = boundary
    whole = (span.end - span.start) // 60
    shares = [minutes * worked // whole for _, minutes in parts]
    shares[0] += worked - sum(shares)
    return [(first, share) for (first, _), share in zip(parts, shares, strict=True)]


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


def _date(day: dt.date) -> str:
    return day.isoformat()


def _local(seconds: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, STOCKHOLM)


def _clock(seconds: int) -> str:
    return _local(seconds).strftime("%H:%M")


def _when(seconds: int, same_day_as: int | None = None) -> str:
    """``2026-10-19 15:00``, or just ``15:00`` on the same Stockholm day as ``same_day_as``."""
    local = _local(seconds)
    if same_day_as is not None and local.date() == _local(same_day_as).date():
        return local.strftime("%H:%M")
    return local.strftime("%Y-%m-%d %H:%M")
