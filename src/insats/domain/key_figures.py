"""Key figures of the department and its units for a window of days (an ISO week or a
calendar month), and how they are shown to the committee.

The figures are sums over stored facts, so that they can be read with grouped queries
instead of the per-minute ledger (``insats.domain.ledger``):

- granted: what the municipality's own (egen regi) hourly decisions grant in the window,
  ordinary and double assistance, by :meth:`Decision.granted_in` (a weekly grant counts
  1/7 per day, a period total is spread evenly);
- performed: worked minutes of counting time entries (not rejected, not replaced by a
  correction) starting on a Stockholm date in the window; overtime and mertid are the
  parts reported as those time kinds;
- beyond granted: for each client, performed minus granted in the window when positive,
  summed (a cost without revenue). The ledger nets use over the whole settlement period,
  so a week's excess here may be covered by a quieter week there;
- scheduled but unreported: published, staffed shifts of a client's group on days before
  the month being reported, with no counting time entry (revenue at risk), as the
  ledger defines it;
- sick leave, staff and FTE of the staff whose home unit it is, and clients with a
  decision: see :func:`insats.domain.absence.tally_sick_leave` and
  ``insats.db.repositories.summary``.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from insats.domain.absence import SickLeaveTally
from insats.domain.access import suppress_small
from insats.domain.common import IsoWeek, Period, add_months
from insats.domain.disclosure import suppress_vector

NO_SICK_LEAVE = SickLeaveTally(contracted_minutes=0, sick_minutes=0, short_term_sick_minutes=0)
TREND_LENGTH = 12


@dataclass(frozen=True, slots=True)
class FigureWindow:
    """Days ``[start, end)`` with a label: an ISO week or a calendar month."""

    kind: str  # "week" or "month"
    start: dt.date
    end: dt.date

    @property
    def period(self) -> Period:
        return Period(self.start, self.end)

    @property
    def last_day(self) -> dt.date:
        return self.end - dt.timedelta(days=1)

    def census_day(self, on: dt.date) -> dt.date:
        """The day on which counts (clients, staff) are taken: the window's last day, or
        ``on`` when the window is still running."""
        return min(self.last_day, on)

    @property
    def label(self) -> str:
        if self.kind == "week":
            return f"v. {self.start.isocalendar().week}"
        return f"{self.start.year}-{self.start.month:02d}"

    @property
    def key(self) -> str:
        """A stable text key: ``2026-W44`` or ``2026-10``."""
        if self.kind == "week":
            iso = self.start.isocalendar()
            return f"{iso.year}-W{iso.week:02d}"
        return f"{self.start.year}-{self.start.month:02d}"


def week_window(day: dt.date) -> FigureWindow:
    period = IsoWeek.of(day).period
    assert period.end is not None
    return FigureWindow("week", period.start, period.end)


def month_window(day: dt.date) -> FigureWindow:
    start = day.replace(day=1)
    return FigureWindow("month", start, add_months(start, 1))


def trend_weeks(on: dt.date, count: int = TREND_LENGTH) -> list[FigureWindow]:
    """The ``count`` ISO weeks ending with the week of ``on``, oldest first."""
    last = week_window(on)
    return [week_window(last.start - dt.timedelta(days=7 * back))
            for back in range(count - 1, -1, -1)]


def trend_months(on: dt.date, count: int = TREND_LENGTH) -> list[FigureWindow]:
    """The ``count`` calendar months ending with the month of ``on``, oldest first."""
    first = on.replace(day=1)
    return [month_window(add_months(first, -back)) for back in range(count - 1, -1, -1)]


def segments(windows: Iterable[FigureWindow]) -> list[dt.date]:
    """The sorted boundaries of the windows: consecutive pairs are disjoint segments, and
    every window is a run of whole segments (so sums per segment add up to windows)."""
    bounds: set[dt.date] = set()
    for window in windows:
        bounds.add(window.start)
        bounds.add(window.end)
    return sorted(bounds)


def segment_range(bounds: Sequence[dt.date], window: FigureWindow) -> range:
    """The indices of the segments (``bounds[i]`` to ``bounds[i + 1]``) making up
    ``window``."""
    first = bisect.bisect_left(bounds, window.start)
    last = bisect.bisect_left(bounds, window.end)
    return range(first, last)


def granted_minutes(per_week: int | None, total: int | None, double_per_week: int,
                    valid_from: dt.date, valid_to: dt.date | None,
                    window: FigureWindow) -> int:
    """Minutes one decision grants in ``window``, ordinary plus double assistance: the
    same arithmetic as :meth:`Decision.granted_in` and :meth:`Decision.double_granted_in`
    on plain values."""
    start = max(valid_from, window.start)
    end = window.end if valid_to is None else min(valid_to, window.end)
    days = (end - start).days
    if days <= 0:
        return 0
    granted = 0
    if total is not None and valid_to is not None:
        granted = total * days // (valid_to - valid_from).days
    elif per_week is not None:
        granted = per_week * days // 7
    return granted + double_per_week * days // 7


def beyond_granted(performed: int, granted: int) -> int:
    """A client's minutes performed beyond the grant in a window (never negative)."""
    return max(0, performed - granted)


@dataclass(frozen=True, slots=True)
class KeyFigures:
    """The figures of one scope (a unit or a set of units) in one window.

    ``clients`` and ``employees`` are None when suppressed for the committee ("<5");
    ``fte`` is then None too, since it would tell the size of a small staff.
    """

    granted_minutes: int = 0
    performed_minutes: int = 0
    beyond_minutes: int = 0
    unreported_minutes: int = 0
    overtime_minutes: int = 0
    extra_minutes: int = 0
    sick_leave: SickLeaveTally = NO_SICK_LEAVE
    clients: int | None = 0
    employees: int | None = 0
    fte: float | None = 0.0

    @property
    def performed_share(self) -> float | None:
        """Performed / granted; None without a grant."""
        if self.granted_minutes <= 0:
            return None
        return self.performed_minutes / self.granted_minutes

    @property
    def sick_rate(self) -> float | None:
        return self.sick_leave.rate

    @property
    def short_sick_rate(self) -> float | None:
        return self.sick_leave.short_term_rate

    @property
    def long_sick_rate(self) -> float | None:
        if self.sick_leave.contracted_minutes == 0:
            return None
        return self.sick_leave.long_term_sick_minutes / self.sick_leave.contracted_minutes

    def __add__(self, other: KeyFigures) -> KeyFigures:
        def plus(a: int | None, b: int | None) -> int | None:
            return None if a is None or b is None else a + b

        return KeyFigures(
            granted_minutes=self.granted_minutes + other.granted_minutes,
            performed_minutes=self.performed_minutes + other.performed_minutes,
            beyond_minutes=self.beyond_minutes + other.beyond_minutes,
            unreported_minutes=self.unreported_minutes + other.unreported_minutes,
            overtime_minutes=self.overtime_minutes + other.overtime_minutes,
            extra_minutes=self.extra_minutes + other.extra_minutes,
            sick_leave=SickLeaveTally(
                contracted_minutes=(self.sick_leave.contracted_minutes
                                    + other.sick_leave.contracted_minutes),
                sick_minutes=self.sick_leave.sick_minutes + other.sick_leave.sick_minutes,
                short_term_sick_minutes=(self.sick_leave.short_term_sick_minutes
                                         + other.sick_leave.short_term_sick_minutes),
            ),
            clients=plus(self.clients, other.clients),
            employees=plus(self.employees, other.employees),
            fte=None if self.fte is None or other.fte is None else self.fte + other.fte,
        )


def total_of(figures: Iterable[KeyFigures]) -> KeyFigures:
    """The sum of the figures (as ``+`` one after the other, in one pass: pages sum a
    hundred units for each of 24 windows)."""
    granted = performed = beyond = unreported = overtime = extra = 0
    contracted = sick = short_term = 0
    clients: int | None = 0
    employees: int | None = 0
    fte: float | None = 0.0
    for item in figures:
        granted += item.granted_minutes
        performed += item.performed_minutes
        beyond += item.beyond_minutes
        unreported += item.unreported_minutes
        overtime += item.overtime_minutes
        extra += item.extra_minutes
        contracted += item.sick_leave.contracted_minutes
        sick += item.sick_leave.sick_minutes
        short_term += item.sick_leave.short_term_sick_minutes
        clients = None if clients is None or item.clients is None else clients + item.clients
        employees = (None if employees is None or item.employees is None
                     else employees + item.employees)
        fte = None if fte is None or item.fte is None else fte + item.fte
    return KeyFigures(
        granted_minutes=granted, performed_minutes=performed, beyond_minutes=beyond,
        unreported_minutes=unreported, overtime_minutes=overtime, extra_minutes=extra,
        sick_leave=SickLeaveTally(contracted_minutes=contracted, sick_minutes=sick,
                                  short_term_sick_minutes=short_term),
        clients=clients, employees=employees, fte=fte)


# --- the committee: small counts suppressed ---------------------------------------------
def suppress_cells(counts: Sequence[int]) -> list[int | None]:
    """Counts of a table's cells that add up to a shown total, with 1–4 suppressed (None)
    and the complements that keep them from being computed from the total: the one-row
    case of :func:`insats.domain.disclosure.suppress_table` (when exactly one cell is
    suppressed, the smallest other non-zero cell is too; when there is none, the total
    equals the suppressed count and is itself suppressed)."""
    return list(suppress_vector(counts).cells)


def suppressed_table(rows: Sequence[KeyFigures]) -> list[KeyFigures]:
    """The rows' client and staff counts as the committee sees them (see
    :func:`suppress_cells`); FTE is hidden with its staff count."""
    clients = suppress_cells([r.clients or 0 for r in rows])
    employees = suppress_cells([r.employees or 0 for r in rows])
    return [_with_counts(row, c, e) for row, c, e in zip(rows, clients, employees, strict=True)]


def suppressed_total(total: KeyFigures) -> KeyFigures:
    """A total's counts as the committee sees them."""
    return _with_counts(total, suppress_small(total.clients or 0),
                        suppress_small(total.employees or 0))


def _with_counts(row: KeyFigures, clients: int | None, employees: int | None) -> KeyFigures:
    return KeyFigures(
        granted_minutes=row.granted_minutes, performed_minutes=row.performed_minutes,
        beyond_minutes=row.beyond_minutes, unreported_minutes=row.unreported_minutes,
        overtime_minutes=row.overtime_minutes, extra_minutes=row.extra_minutes,
        sick_leave=row.sick_leave, clients=clients, employees=employees,
        fte=row.fte if employees is not None else None,
    )


# --- sick leave of many windows at once -------------------------------------------------
_DAY = dt.timedelta(days=1)
_WHOLE = 100
_SCALE = 7 * _WHOLE


@dataclass(frozen=True, slots=True)
class StaffTerms:
    """What the sick-leave rate needs of an employee."""

    employee_id: str
    unit_id: str
    hourly: bool  # an hourly substitute: no contracted time, not counted
    contracted_per_week: int
    employed_from: dt.date
    employed_to: dt.date | None


@dataclass(frozen=True, slots=True)
class SickSpan:
    """A sick absence ``[start, end)`` at ``extent_percent``."""

    employee_id: str
    start: dt.date
    end: dt.date
    extent_percent: int


def _overlap_days(a_start: dt.date, a_end: dt.date, b_start: dt.date, b_end: dt.date) -> int:
    return max(0, (min(a_end, b_end) - max(a_start, b_start)).days)


def _round_exact(exact: int) -> int:
    return (exact + _SCALE // 2) // _SCALE


def sick_leave_by_window(staff: Sequence[StaffTerms], spells: Sequence[SickSpan],
                         windows: Sequence[FigureWindow], *, employer_period_days: int,
                         ) -> dict[tuple[str, int], SickLeaveTally]:
    """The sick-leave tally per (home unit, window index), by the definition of
    :func:`insats.domain.absence.tally_sick_leave` (same exact sums, rounded once per
    window), computed for all windows in one pass: the sums are kept per disjoint segment
    and added up per window. A spell that no other spell of the employee overlaps is
    counted by day arithmetic; overlapping spells day by day, capped at 100 % a day."""
    bounds = segments(windows)
    if len(bounds) < 2:
        return {}
    first, last = bounds[0], bounds[-1]
    terms: dict[str, StaffTerms] = {}
    contracted: dict[tuple[str, int], int] = {}
    for member in staff:
        if member.hourly:
            continue
        terms[member.employee_id] = member
        employed_to = member.employed_to or dt.date.max
        for index, window in enumerate(windows):
            days = _overlap_days(member.employed_from, employed_to, window.start, window.end)
            if days:
                key = (member.unit_id, index)
                contracted[key] = contracted.get(key, 0) + (
                    member.contracted_per_week * days * _WHOLE)
    sick: dict[tuple[str, int], list[int]] = {}  # (unit, segment) → [sick, short]

    def add(unit: str, segment: int, amount: int, short_amount: int) -> None:
        sums = sick.setdefault((unit, segment), [0, 0])
        sums[0] += amount
        sums[1] += short_amount

    by_employee: dict[str, list[SickSpan]] = {}
    for spell in spells:
        if spell.employee_id in terms and spell.start < last and spell.end > first:
            by_employee.setdefault(spell.employee_id, []).append(spell)
    for employee_id, own in by_employee.items():
        member = terms[employee_id]
        employed_to = member.employed_to or dt.date.max
        lo = max(member.employed_from, first)
        hi = min(employed_to, last)
        own.sort(key=lambda s: (s.start, s.end))
        per_week = member.contracted_per_week
        overlapping = any(b.start < a.end for a, b in itertools.pairwise(own))
        if not overlapping:
            for spell in own:
                short_end = spell.start + dt.timedelta(days=employer_period_days)
                start, end = max(spell.start, lo), min(spell.end, hi)
                if start >= end:
                    continue
                index = bisect.bisect_right(bounds, start) - 1
                while index < len(bounds) - 1 and bounds[index] < end:
                    seg_start, seg_end = bounds[index], bounds[index + 1]
                    days = _overlap_days(start, end, seg_start, seg_end)
                    short = _overlap_days(start, min(end, short_end), seg_start, seg_end)
                    if days:
                        add(member.unit_id, index, per_week * spell.extent_percent * days,
                            per_week * spell.extent_percent * short)
                    index += 1
            continue
        extents: dict[dt.date, list[int]] = {}
        for spell in own:
            short_end = spell.start + dt.timedelta(days=employer_period_days)
            day = max(spell.start, lo)
            end = min(spell.end, hi)
            while day < end:
                on_day = extents.setdefault(day, [0, 0])
                on_day[0] += spell.extent_percent
                if day < short_end:
                    on_day[1] += spell.extent_percent
                day += _DAY
        for day, (extent, short_extent) in extents.items():
            day_extent = min(extent, _WHOLE)
            add(member.unit_id, bisect.bisect_right(bounds, day) - 1, per_week * day_extent,
                per_week * min(short_extent, day_extent))
    result: dict[tuple[str, int], SickLeaveTally] = {}
    units = {key[0] for key in contracted} | {key[0] for key in sick}
    for index, window in enumerate(windows):
        span = segment_range(bounds, window)
        for unit in units:
            sick_exact = short_exact = 0
            for segment in span:
                sums = sick.get((unit, segment))
                if sums:
                    sick_exact += sums[0]
                    short_exact += sums[1]
            contracted_exact = contracted.get((unit, index), 0)
            if contracted_exact or sick_exact:
                result[(unit, index)] = SickLeaveTally(
                    contracted_minutes=_round_exact(contracted_exact),
                    sick_minutes=_round_exact(sick_exact),
                    short_term_sick_minutes=_round_exact(short_exact))
    return result
