"""Checks of time reports before attestation (issue 5, deliverable 2).

Each reported time entry gets flags, explained in Swedish with the rule and its source, so a
unit manager can decide before attesting. Pure: the caller reads the entries, the
employees, the client decisions and the cover context and passes them in.

Flags (domain-rules §3–§4 and items 10–12):

``ob_ej_grund``
    OB claimed that the rules do not give: an anhörigvårdare on PAN has OB and jour in the
    hourly wage (§3.2, confirmed); and OB is not paid during overtime (DIK, secondary), so an
    overtime entry claiming OB for minutes in an OB window is flagged too. An ordinary entry
    claiming OB with no minutes in a window is not flagged: the pay rules pay nothing then.
``overtid_ej_grund``
    Overtime that the rules do not give: a part-timer on a monthly wage whose reported week
    (all entries, every client) stays within full time has mertid, not overtime (AB, §4.3).
``overtid_utan_tackning``
    Overtime with no unplanned cover behind it: no absence of someone planned in the same
    group, and no unstaffed shift there, during the entry ("Minska övertidskostnaderna").
``utan_beslut`` / ``over_beslut``
    Time for a client with no active decision that day, or beyond the hours the decisions
    grant in the month (weekly or period grant pro rata, double assistance included); the
    entries from the one where the client's running total passes the grant are flagged.
``passlangd``, ``dygnsvila``, ``veckovila``, ``snittvecka``, ``overlapp``
    Working-time limits, checked by :mod:`insats.domain.working_time` on the reported time of
    each employee across all clients (13 h shift, 20 h work with jour, 11 h daily rest,
    36 h weekly rest, 48 h a week on average; an employee cannot work two entries at once).
``anhorig_annan_brukare``
    An anhörigvårdare reporting time for another client than the one they are related to
    (PAN employment is tied to that client, §3.2).
``dubblett``
    The same employee reports the same interval twice (instead of ``overlapp``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from operator import attrgetter

from insats.domain.calendar import STOCKHOLM, local_date, local_datetime, worked_minutes
from insats.domain.common import Period
from insats.domain.decisions import Decision
from insats.domain.formatting import format_hours
from insats.domain.ob_calendar import ObCategory, PayCalendar
from insats.domain.pay_rules import PayEntry, classify_entry
from insats.domain.staff import Employee
from insats.domain.time_reports import TimeEntry, TimeEntryStatus, TimeKind
from insats.domain.working_time import (
    BreachKind,
    WorkingTimeRules,
    check_reported_time,
)

_ID = attrgetter("id")
_START = attrgetter("start")
_DAY = dt.timedelta(days=1)
_RUN_BEFORE = 2 * _DAY  # a daily rest's 24 hours, from the start of a run of work up to a day


class FlagCode(StrEnum):
    OB_NOT_GIVEN = "ob_ej_grund"
    OVERTIME_NOT_GIVEN = "overtid_ej_grund"
    OVERTIME_NO_COVER = "overtid_utan_tackning"
    NO_DECISION = "utan_beslut"
    BEYOND_DECISION = "over_beslut"
    SHIFT_LENGTH = "passlangd"
    DAILY_REST = "dygnsvila"
    WEEKLY_REST = "veckovila"
    AVERAGE_WEEK = "snittvecka"
    OVERLAP = "overlapp"
    RELATIVE_OTHER_CLIENT = "anhorig_annan_brukare"
    DUPLICATE = "dubblett"


FLAG_LABELS: dict[FlagCode, str] = {
    FlagCode.OB_NOT_GIVEN: "OB utan grund",
    FlagCode.OVERTIME_NOT_GIVEN: "Övertid utan grund",
    FlagCode.OVERTIME_NO_COVER: "Övertid utan oplanerat behov",
    FlagCode.NO_DECISION: "Tid utan beslut",
    FlagCode.BEYOND_DECISION: "Tid utöver beslutet",
    FlagCode.SHIFT_LENGTH: "För långt arbetspass",
    FlagCode.DAILY_REST: "För kort dygnsvila",
    FlagCode.WEEKLY_REST: "För kort veckovila",
    FlagCode.AVERAGE_WEEK: "För hög genomsnittlig veckoarbetstid",
    FlagCode.OVERLAP: "Överlappande tid",
    FlagCode.RELATIVE_OTHER_CLIENT: "Anhörigvårdare hos annan brukare",
    FlagCode.DUPLICATE: "Dubbelrapporterad tid",
}


class Severity(StrEnum):
    ERROR = "fel"  # the rules do not allow it: correct or reject
    WARNING = "varning"  # may be right, but needs a reason before attesting


_BREACH_CODES: dict[BreachKind, FlagCode] = {
    BreachKind.SHIFT_LENGTH: FlagCode.SHIFT_LENGTH,
    BreachKind.DAILY_REST: FlagCode.DAILY_REST,
    BreachKind.WEEKLY_REST: FlagCode.WEEKLY_REST,
    BreachKind.AVERAGE_WEEK: FlagCode.AVERAGE_WEEK,
    BreachKind.OVERLAP: FlagCode.OVERLAP,
}

SOURCE_PAN_OB = ("PAN: för anhörigvårdare ingår OB och jour i timlönen "
                 "(SKR/Sobona–Kommunal, domain-rules §3.2)")
SOURCE_OB_OVERTIME = ("OB betalas för ordinarie tid och mertid, inte under övertid "
                      "(DIK, domain-rules §4.1) [sekundär]")
SOURCE_MERTID = ("AB: deltidsanställdas arbete upp till heltid är mertid, inte övertid "
                 "(domain-rules §4.3, punkt 12)")
SOURCE_COVER = ("Handlingsplanen: övertid ska bara användas för oplanerad frånvaro eller "
                "obemannade pass (Minska övertidskostnaderna)")
SOURCE_DECISION = "Beslutet om personlig assistans (SFB 51 kap., LSS 9 § 2)"
SOURCE_PAN_CLIENT = ("PAN: anställningen är knuten till en brukare "
                     "(domain-rules §3.2)")
SOURCE_DUPLICATE = "Tidrapportering: samma tid får bara rapporteras en gång"


@dataclass(frozen=True, slots=True)
class TimeFlag:
    """One finding about one or more time entries."""

    code: FlagCode
    severity: Severity
    text: str  # Swedish explanation
    rule: str  # the rule and its source
    entry_ids: tuple[str, ...]

    @property
    def label(self) -> str:
        return FLAG_LABELS[self.code]


@dataclass(frozen=True, slots=True)
class CheckContext:
    """What the checks compare the entries with.

    Attributes:
        employees: every employee with an entry, by id.
        calendar: the OB windows and pay parameters.
        working_time: the working-time limits in force.
        decisions: the client's decisions, by client id.
        cover: per group id, the intervals with an unplanned need (an absence of someone
            planned there, an unstaffed shift) that overtime may cover.
    """

    employees: Mapping[str, Employee]
    calendar: PayCalendar
    working_time: WorkingTimeRules
    decisions: Mapping[str, Sequence[Decision]]
    cover: Mapping[str, Sequence[tuple[dt.datetime, dt.datetime]]]


def context_span(start: dt.datetime, end: dt.datetime,
                 rules: WorkingTimeRules) -> tuple[dt.datetime, dt.datetime]:
    """The span ``[from, to)`` in which the entries start that the checks of entries lying
    in ``[start, end)`` compare with (the employees' time around them, every client):

    - the calendar weeks the entries lie in (weekly rest, and the week's hours that tell
      mertid from overtime), and a day before the first Monday (work running into it);
    - two days before ``start``: a daily rest's 24 hours begin where a run of work begins,
      which may be up to a day earlier; and a day after ``end``;
    - each average's block from its first day, and a day before it (work running into
      it): an entry is over the average when the time before it in its block is, so the
      rest of the last block changes no flag (nor does a calendar month's block need more).
    """
    first_day = local_date(start)
    last_day = local_date(end - dt.timedelta(microseconds=1))
    monday = first_day - dt.timedelta(days=first_day.weekday())
    next_monday = last_day + dt.timedelta(days=7 - last_day.weekday())
    low = min(local_datetime(monday, dt.time()) - _DAY, start - _RUN_BEFORE)
    high = max(local_datetime(next_monday, dt.time()), end + _DAY)
    for average in rules.averages:
        block_start = average.period.block_of(first_day)[0]
        low = min(low, local_datetime(block_start, dt.time()) - _DAY)
    return low, high


def counting(entries: Iterable[TimeEntry]) -> list[TimeEntry]:
    """Entries that count: not rejected and not replaced by a correction."""
    kept = [e for e in entries if e.status is not TimeEntryStatus.REJECTED]
    replaced = {e.corrects_entry_id for e in kept if e.corrects_entry_id is not None}
    return [e for e in kept if e.id not in replaced]


def check_time_entries(checked: Iterable[TimeEntry], context_entries: Iterable[TimeEntry],
                       context: CheckContext) -> dict[str, list[TimeFlag]]:
    """Flags per checked entry id (an entry with no flags maps to an empty list).

    ``context_entries`` are the employees' and clients' other entries around the checked
    ones (the clients' in the month, the employees' in :func:`context_span`), in any unit;
    the checked entries may be among them. Rejected and replaced entries are ignored.
    """
    targets = {e.id: e for e in checked}
    everything = {e.id: e for e in context_entries}
    everything.update(targets)
    live = counting(everything.values())
    flags: dict[str, list[TimeFlag]] = {entry_id: [] for entry_id in targets}

    def add(flag: TimeFlag) -> None:
        for entry_id in flag.entry_ids:
            if entry_id in flags:
                flags[entry_id].append(flag)

    for entry in targets.values():
        employee = context.employees.get(entry.employee_id)
        if employee is not None and (employee.is_relative_carer or (
                entry.ob_claimed and entry.kind is TimeKind.OVERTIME)):
            for flag in _entry_flags(entry, employee, context):
                add(flag)
    for flag in _overtime_flags(targets.values(), live, context):
        add(flag)
    for flag in _decision_flags(live, targets, context):
        add(flag)
    for flag in _working_time_flags(live, targets.values(), context):
        add(flag)
    return flags


def _entry_flags(entry: TimeEntry, employee: Employee,
                 context: CheckContext) -> Iterable[TimeFlag]:
    if employee.is_relative_carer:
        if entry.ob_claimed:
            yield TimeFlag(FlagCode.OB_NOT_GIVEN, Severity.ERROR,
                           f"{employee.display_name} är anhörigvårdare på PAN: OB ingår i "
                           "timlönen och ska inte begäras.", SOURCE_PAN_OB, (entry.id,))
        related = employee.related_client_id
        if entry.client_id is not None and related is not None and entry.client_id != related:
            yield TimeFlag(FlagCode.RELATIVE_OTHER_CLIENT, Severity.ERROR,
                           f"{employee.display_name} är anhörigvårdare för brukare {related} "
                           f"men har rapporterat tid hos brukare {entry.client_id}.",
                           SOURCE_PAN_CLIENT, (entry.id,))
    elif entry.ob_claimed and entry.kind is TimeKind.OVERTIME:
        minutes = classify_entry(context.calendar, employee, PayEntry.of(entry))
        in_windows = sum(minutes) - minutes[ObCategory.NONE]
        if in_windows > 0:
            yield TimeFlag(FlagCode.OB_NOT_GIVEN, Severity.WARNING,
                           f"OB begärs för övertid ({format_hours(in_windows, 1)} i "
                           "OB-fönster); övertid ger övertidsersättning men inte OB.",
                           SOURCE_OB_OVERTIME, (entry.id,))


class _Moments:
    """The Stockholm day and month a moment falls on, and the worked minutes of an entry,
    each worked out once per distinct value: a department's entries start and end at a
    few thousand distinct moments, so most look-ups are a dict hit."""

    def __init__(self) -> None:
        self._days: dict[dt.datetime, dt.date] = {}
        self._firsts: dict[dt.datetime, dt.date] = {}
        self._lengths: dict[tuple[dt.datetime, dt.datetime], int] = {}

    def day(self, moment: dt.datetime) -> dt.date:
        day = self._days.get(moment)
        if day is None:
            day = self._days[moment] = local_date(moment)
        return day

    def month_start(self, moment: dt.datetime) -> dt.date:
        first = self._firsts.get(moment)
        if first is None:
            first = self._firsts[moment] = self.day(moment).replace(day=1)
        return first

    def worked(self, entry: TimeEntry) -> int:
        """``entry.worked`` in minutes (the span's real minutes less the break)."""
        span = (entry.start, entry.end)
        length = self._lengths.get(span)
        if length is None:
            length = self._lengths[span] = worked_minutes(entry.start, entry.end).value
        return length - entry.break_minutes


def _iso_week(entry: TimeEntry) -> tuple[int, int]:
    year, week, _ = local_date(entry.start).isocalendar()
    return year, week


def _overtime_flags(targets: Iterable[TimeEntry], live: Sequence[TimeEntry],
                    context: CheckContext) -> Iterable[TimeFlag]:
    overtime = [e for e in targets if e.kind is TimeKind.OVERTIME
                and e.status is not TimeEntryStatus.REJECTED]
    if not overtime:
        return
    week_minutes: dict[tuple[str, tuple[int, int]], int] = {}
    working = {e.employee_id for e in overtime}
    for entry in live:
        if entry.employee_id in working and entry.kind in (
                TimeKind.ORDINARY, TimeKind.EXTRA, TimeKind.OVERTIME):
            key = (entry.employee_id, _iso_week(entry))
            week_minutes[key] = week_minutes.get(key, 0) + entry.worked.value
    for entry in overtime:
        employee = context.employees.get(entry.employee_id)
        if (employee is not None and employee.monthly_wage is not None
                and not employee.is_relative_carer
                and employee.contracted_minutes_per_week.value
                < employee.full_time_minutes_per_week):
            week = week_minutes.get((entry.employee_id, _iso_week(entry)), 0)
            if week <= employee.full_time_minutes_per_week:
                yield TimeFlag(
                    FlagCode.OVERTIME_NOT_GIVEN, Severity.ERROR,
                    f"{employee.display_name} arbetar deltid och veckan har "
                    f"{format_hours(week, 1)} rapporterad tid, inte över heltidens "
                    f"{format_hours(employee.full_time_minutes_per_week, 1)}: tiden är "
                    "mertid, inte övertid.", SOURCE_MERTID, (entry.id,))
        spans = context.cover.get(entry.group_id, ())
        if not any(start < entry.end and end > entry.start for start, end in spans):
            yield TimeFlag(
                FlagCode.OVERTIME_NO_COVER, Severity.WARNING,
                "Övertiden täcker ingen frånvaro och inget obemannat pass i gruppen; "
                "ange orsaken eller planera tiden som ordinarie tid.",
                SOURCE_COVER, (entry.id,))


def _month(day: dt.date) -> Period:
    return Period.month(day.year, day.month)


def _decision_flags(live: Sequence[TimeEntry], targets: Mapping[str, TimeEntry],
                    context: CheckContext) -> Iterable[TimeFlag]:
    moments = _Moments()
    wanted = {(e.client_id, moments.month_start(e.start)) for e in targets.values()
              if e.client_id is not None}
    clients = {client_id for client_id, _ in wanted}
    running: dict[tuple[str, dt.date], list[TimeEntry]] = {}
    for entry in live:
        if entry.client_id in clients:
            key = (entry.client_id, moments.month_start(entry.start))
            if key in wanted:
                running.setdefault(key, []).append(entry)
    active: dict[tuple[str, dt.date], bool] = {}
    for entry in targets.values():
        if entry.client_id is None or entry.status is TimeEntryStatus.REJECTED:
            continue
        day = moments.day(entry.start)
        known = active.get((entry.client_id, day))
        if known is None:
            known = active[(entry.client_id, day)] = any(
                d.active_on(day) for d in context.decisions.get(entry.client_id, ()))
        if not known:
            yield TimeFlag(FlagCode.NO_DECISION, Severity.ERROR,
                           f"Brukare {entry.client_id} har inget gällande beslut "
                           f"{day.isoformat()}.", SOURCE_DECISION, (entry.id,))
    for (client_id, month_start), entries in running.items():
        month = _month(month_start)
        decisions = [d for d in context.decisions.get(client_id, ())
                     if d.period.intersection(month) is not None]
        hourly = [d for d in decisions
                  if d.granted_minutes_per_week is not None
                  or d.granted_minutes_total is not None]
        if not hourly:
            continue  # no hours granted in figures: nothing to compare with
        granted = sum(d.granted_in(month).value + d.double_granted_in(month).value
                      for d in hourly)
        entries.sort(key=_ID)  # then by start: by (start, id), without a key tuple per entry
        entries.sort(key=_START)
        total = 0
        beyond: list[str] = []
        for entry in entries:
            total += moments.worked(entry)
            if total > granted:
                beyond.append(entry.id)
        if beyond:
            yield TimeFlag(
                FlagCode.BEYOND_DECISION, Severity.WARNING,
                f"Brukare {client_id} har beviljats {format_hours(granted, 1)} i månaden; "
                f"den rapporterade tiden når {format_hours(total, 1)}. Raderna från den "
                "där beslutets timmar tar slut är markerade.",
                SOURCE_DECISION, tuple(beyond))


def _working_time_flags(live: Sequence[TimeEntry], targets: Collection[TimeEntry],
                        context: CheckContext) -> Iterable[TimeFlag]:
    """Duplicates, and breaches of the working-time rules that the checked entries
    (``targets``) could be part of: the other entries are the context of their rests and
    averages."""
    if not targets:
        return
    # The first entry of each interval (employee, start, end), found by the interval's hash
    # so that no key is kept per entry; intervals whose hash another one has taken go to
    # ``overflow`` instead.
    first_at: dict[int, TimeEntry] = {}
    overflow: dict[tuple[str, dt.datetime, dt.datetime], TimeEntry] = {}
    repeated: dict[tuple[str, dt.datetime, dt.datetime], list[str]] = {}
    for entry in live:
        interval = (entry.employee_id, entry.start, entry.end)
        first = first_at.setdefault(hash(interval), entry)
        if first is not entry and (first.employee_id, first.start, first.end) != interval:
            first = overflow.setdefault(interval, entry)
        if first is not entry:  # the same interval again
            repeated.setdefault(interval, [first.id]).append(entry.id)
    duplicates: set[str] = set()
    for (_, start, end), ids in repeated.items():
        duplicates.update(ids)
        yield TimeFlag(
            FlagCode.DUPLICATE, Severity.ERROR,
            f"Samma tid ({_clock(start)}–{_clock(end)}) är rapporterad "
            f"{len(ids)} gånger av samma medarbetare.", SOURCE_DUPLICATE, tuple(ids))
    focus = (min(e.start for e in targets), max(e.end for e in targets))
    by_employee: dict[str, list[TimeEntry]] = {}
    for entry in live:
        by_employee.setdefault(entry.employee_id, []).append(entry)
    for employee_id in sorted(by_employee):  # one employee's intervals at a time
        found = check_reported_time(by_employee[employee_id], context.working_time,
                                    focus=focus)
        for breach in found:
            if breach.kind is BreachKind.OVERLAP and set(breach.interval_ids) <= duplicates:
                continue
            severity = (Severity.ERROR if breach.kind is BreachKind.OVERLAP
                        else Severity.WARNING)
            yield TimeFlag(_BREACH_CODES[breach.kind], severity, breach.message,
                           breach.source, breach.interval_ids)


def _clock(moment: dt.datetime) -> str:
    return moment.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M")
