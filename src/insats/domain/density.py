"""Staffing density (bemanningstäthet) in korttidsvistelse and korttidstillsyn, and where the
staff's breaks fit (seed 001, Åtgärdsplan: "Se över bemanningstäthet" and "Schemalägga
raster för personal i de verksamheter som tillåter").

Time is counted in quarters of an hour (a person counts in a quarter when present at its
midpoint). For each unit and quarter:

- **children**: the children and youths present (korttidsvistelse stays and korttidstillsyn
  attendance at the unit);
- **staff**: the staffed shifts of the unit's groups. In the unit's night window (the
  rule's ``night_start``–``night_end``) every shift counts, sovande jour included; outside
  it only ordinary (awake) shifts count, so a jour shift that runs past the night (the
  night summer time starts) is neither need nor surplus;
- **need**, by the unit's own staffing rule (:class:`StaffingRule`, dated parameters that
  the unit corrects): none when no child is present; at night ``night_staff``; otherwise
  ``max(min_staff, ceil(children / children_per_staff))``;
- **above need**: staff beyond the need, valued at the present staff's mean hourly cost
  (wage plus social fees).

Breaks (ATL 15 §: no more than five hours of work in a row; a shift longer than the
``longer_than`` limit gets a break of ``minutes``): in a group where breaks are allowed
each ordinary shift that needs one gets its break placed at the quietest quarter-aligned
time within the window that keeps five hours at most on either side, and where the staff
left stay at or above the need; shifts are taken in order of start, so colleagues'
breaks are staggered. A shift where no such time exists is reported (its break is still
placed where the shortfall is least). A break scheduled in the shift (``break_minutes``)
takes the person away at the placed time; a break the shift lacks is a proposal only.

Finally :func:`positions_for_need` turns a need per hour into the planner's positions per
day and shift type, so a planning run for the unit staffs by the need rather than the
structure.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from insats.domain.calendar import STOCKHOLM, local_datetime, require_aware
from insats.domain.common import DomainError
from insats.domain.rules.parameters import RuleBook

QUARTER = 15
_Q = dt.timedelta(minutes=QUARTER)
_HALF_Q = dt.timedelta(minutes=QUARTER / 2)
WEEKDAY_NAMES = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")

# Rule parameters (domain/rules/data/parameters.toml); a unit's own value is the key
# followed by ".<unit id>", else the unit kind's value (key followed by ".<unit kind>").
RULE_KEYS = ("density.children_per_staff", "density.min_staff", "density.night_staff",
             "density.night_start", "density.night_end")


@dataclass(frozen=True, slots=True)
class StaffingRule:
    """A unit's own staffing rule: one staff per ``children_per_staff`` children present,
    at least ``min_staff`` while any child is there, ``night_staff`` in the night window
    ``[night_start, night_end)`` (minutes after midnight, Stockholm time)."""

    unit_id: str
    children_per_staff: int
    min_staff: int
    night_staff: int
    night_start: int = 22 * 60
    night_end: int = 6 * 60 + 30
    sources: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.children_per_staff < 1:
            raise DomainError("density.rule", f"Bemanningsregeln för {self.unit_id}: antalet "
                              "barn per personal måste vara minst 1.")
        if self.min_staff < 0 or self.night_staff < 0:
            raise DomainError("density.rule", f"Bemanningsregeln för {self.unit_id}: "
                              "personalantal kan inte vara negativt.")

    def is_night(self, minute_of_day: int) -> bool:
        if self.night_start == self.night_end:
            return False
        if self.night_start < self.night_end:
            return self.night_start <= minute_of_day < self.night_end
        return minute_of_day >= self.night_start or minute_of_day < self.night_end

    def need(self, children: int, *, night: bool) -> int:
        if children <= 0:
            return 0
        if night:
            return self.night_staff
        return max(self.min_staff, -(-children // self.children_per_staff))

    @property
    def label(self) -> str:
        night = (f"{self.night_start // 60:02d}.{self.night_start % 60:02d}–"
                 f"{self.night_end // 60:02d}.{self.night_end % 60:02d}")
        return (f"1 personal per {self.children_per_staff} barn, minst {self.min_staff} när "
                f"barn finns på plats, natt {night}: {self.night_staff}")


def staffing_rule(book: RuleBook, unit_id: str, unit_kind: str, on: dt.date) -> StaffingRule:
    """The unit's rule on ``on``: its own parameters where one is in force, else its
    kind's."""
    values: list[int] = []
    sources: list[str] = []
    for key in RULE_KEYS:
        chosen = f"{key}.{unit_id}"
        try:
            parameter = book.parameter(chosen, on)
        except DomainError:  # the unit has no value of its own in force on the date
            chosen = f"{key}.{unit_kind}"
            parameter = book.parameter(chosen, on)
        values.append(parameter.value)
        sources.append(f"{chosen}: {parameter.source}")
    per_staff, least, night, night_start, night_end = values
    return StaffingRule(unit_id, per_staff, least, night, night_start, night_end,
                        tuple(sources))


@dataclass(frozen=True, slots=True)
class BreakRule:
    """A shift longer than ``longer_than`` minutes gets ``minutes`` of break, with at most
    ``max_continuous`` minutes of work before and after it."""

    minutes: int
    longer_than: int
    max_continuous: int


@dataclass(frozen=True, slots=True)
class Presence:
    """A child or youth at a unit ``[start, end)``."""

    unit_id: str
    client_id: str
    start: dt.datetime
    end: dt.datetime


@dataclass(frozen=True, slots=True)
class StaffShift:
    """A staffed shift of one of the unit's groups; ``hourly_cost`` in öre (None: unknown)."""

    id: str
    unit_id: str
    start: dt.datetime
    end: dt.datetime
    on_call: bool = False
    break_minutes: int = 0
    breaks_allowed: bool = False
    hourly_cost: int | None = None
    label: str = ""


@dataclass(frozen=True, slots=True)
class PlacedBreak:
    """Where a shift's break goes. ``scheduled``: the shift has the break (else a
    proposal); ``fits``: the staff left stay at or above the need."""

    shift: StaffShift
    start: dt.datetime
    minutes: int
    scheduled: bool
    fits: bool


@dataclass(slots=True)
class HourFigures:
    """Sums over the quarters of one hour (or a group of hours): minutes of children
    present, of staff, of staff needed and of staff above the need, and what that costs."""

    child_minutes: int = 0
    staff_minutes: int = 0
    need_minutes: int = 0
    above_minutes: int = 0
    above_cost: float = 0.0
    days: set[dt.date] = field(default_factory=set)
    days_above: set[dt.date] = field(default_factory=set)

    def add(self, other: HourFigures) -> None:
        self.child_minutes += other.child_minutes
        self.staff_minutes += other.staff_minutes
        self.need_minutes += other.need_minutes
        self.above_minutes += other.above_minutes
        self.above_cost += other.above_cost
        self.days |= other.days
        self.days_above |= other.days_above


@dataclass(frozen=True, slots=True)
class UnitDensity:
    """One unit's figures: per (local date, hour) and the breaks of its shifts."""

    rule: StaffingRule
    hours: Mapping[tuple[dt.date, int], HourFigures]
    need_per_hour: Mapping[tuple[dt.date, int], int]  # the most staff needed in the hour
    breaks: tuple[PlacedBreak, ...]
    unknown_cost_minutes: int  # minutes above need whose staff have no known wage

    def total(self) -> HourFigures:
        result = HourFigures()
        for figures in self.hours.values():
            result.add(figures)
        return result


class _Grid:
    """Quarters ``[start, end)`` with their Stockholm wall-clock time."""

    def __init__(self, start: dt.datetime, end: dt.datetime) -> None:
        self.start = require_aware(start, "periodens start").astimezone(dt.UTC)
        self.size = max(0, int((require_aware(end, "periodens slut") - start) / _Q))
        self.local = [(self.start + i * _Q).astimezone(STOCKHOLM) for i in range(self.size)]

    def span(self, start: dt.datetime, end: dt.datetime) -> range:
        """The quarters whose midpoint lies in ``[start, end)``."""
        first = -(-((start - self.start - _HALF_Q) // dt.timedelta(seconds=1)) // (QUARTER * 60))
        last = -(-((end - self.start - _HALF_Q) // dt.timedelta(seconds=1)) // (QUARTER * 60))
        return range(max(0, first), min(self.size, last))

    def minute_of_day(self, index: int) -> int:
        local = self.local[index]
        return local.hour * 60 + local.minute


def unit_density(rule: StaffingRule, presences: Iterable[Presence],
                 shifts: Iterable[StaffShift], breaks: BreakRule, start: dt.datetime,
                 end: dt.datetime) -> UnitDensity:
    """The unit's children, staff, need and staff above need per hour in ``[start, end)``,
    with its breaks placed (see the module docstring)."""
    grid = _Grid(start, end)
    night = [rule.is_night(grid.minute_of_day(i)) for i in range(grid.size)]
    children = [0] * grid.size
    for presence in presences:
        for i in grid.span(presence.start, presence.end):
            children[i] += 1
    need = [rule.need(children[i], night=night[i]) for i in range(grid.size)]
    staff = [0] * grid.size
    cost = [0] * grid.size  # sum of hourly costs of the staff counted
    unknown = [0] * grid.size  # staff counted without a known cost
    ordered = sorted(shifts, key=lambda s: (s.start, s.id))

    def count(shift: StaffShift, quarters: Iterable[int], sign: int) -> None:
        for i in quarters:
            if shift.on_call and not night[i]:
                continue
            staff[i] += sign
            if shift.hourly_cost is None:
                unknown[i] += sign
            else:
                cost[i] += sign * shift.hourly_cost

    for shift in ordered:
        count(shift, grid.span(shift.start, shift.end), 1)
    available = list(staff)  # less every break placed so far, proposals included
    placed: list[PlacedBreak] = []
    for shift in ordered:
        result = _place_break(shift, breaks, grid, children, need, available)
        if result is None:
            continue
        placed.append(result)
        quarters = grid.span(result.start, result.start + dt.timedelta(minutes=result.minutes))
        for i in quarters:
            available[i] -= 1
        if result.scheduled:
            count(shift, quarters, -1)
    hours: dict[tuple[dt.date, int], HourFigures] = defaultdict(HourFigures)
    need_per_hour: dict[tuple[dt.date, int], int] = defaultdict(int)
    unknown_minutes = 0
    for i in range(grid.size):
        local = grid.local[i]
        key = (local.date(), local.hour)
        figures = hours[key]
        figures.days.add(local.date())
        figures.child_minutes += children[i] * QUARTER
        figures.staff_minutes += staff[i] * QUARTER
        figures.need_minutes += need[i] * QUARTER
        need_per_hour[key] = max(need_per_hour[key], need[i])
        above = max(0, staff[i] - need[i])
        if above:
            figures.above_minutes += above * QUARTER
            figures.days_above.add(local.date())
            known = staff[i] - unknown[i]
            if known:
                figures.above_cost += above * cost[i] / known * QUARTER / 60
            else:
                unknown_minutes += above * QUARTER
    return UnitDensity(rule, dict(hours), dict(need_per_hour), tuple(placed), unknown_minutes)


def _place_break(shift: StaffShift, rule: BreakRule, grid: _Grid, children: Sequence[int],
                 need: Sequence[int], available: Sequence[int]) -> PlacedBreak | None:
    length = int((shift.end - shift.start) / dt.timedelta(minutes=1))
    if shift.on_call or not shift.breaks_allowed or length <= rule.longer_than:
        return None
    minutes = shift.break_minutes or rule.minutes
    earliest = max(QUARTER, length - minutes - rule.max_continuous)
    latest = min(rule.max_continuous, length - minutes - QUARTER)
    earliest = min(-(-earliest // QUARTER) * QUARTER, latest)  # a shift too long for one
    # break with five hours on either side still gets its one break, as late as allowed
    candidates: list[tuple[tuple[int, int, int], dt.datetime, bool]] = []
    offset = earliest
    while offset <= latest:
        begin = shift.start + dt.timedelta(minutes=offset)
        quarters = grid.span(begin, begin + dt.timedelta(minutes=minutes))
        if len(quarters):
            margin = min(available[i] - 1 - need[i] for i in quarters)
            quiet = sum(children[i] for i in quarters)
            fits = margin >= 0
            # fitting times first, then the quietest, then the most staff to spare
            candidates.append(((0 if fits else 1, quiet if fits else -margin, -margin),
                               begin, fits))
        offset += QUARTER
    if not candidates:
        return None
    _score, begin, fits = min(candidates, key=lambda c: (c[0], c[1]))
    return PlacedBreak(shift, begin, minutes, shift.break_minutes > 0, fits)


def positions_for_need(shifts: Mapping[str, tuple[int, int]],
                       positions: Mapping[tuple[int, str], int],
                       need: Mapping[int, int]) -> dict[tuple[int, str], int]:
    """Trim a group's positions per (day, shift type) to a need per hour.

    Args:
        shifts: shift type → (start, end) in minutes after midnight of its day (the end may
            pass midnight).
        positions: the positions the structure asks for per (day, shift type).
        need: staff needed per hour of the horizon (``day * 24 + hour``); hours missing
            need no one.

    Whole positions are removed, latest day and latest start first, while every quarter
    the position covers keeps at least the need of its hour; what is left is the demand.
    """
    quarters_per_hour = 60 // QUARTER
    cover: dict[int, int] = defaultdict(int)

    def quarters(day: int, shift: str) -> range:
        begin, end = shifts[shift]
        first = (day * 24 * 60 + begin) // QUARTER
        return range(first, first + (end - begin) // QUARTER)

    result = {k: v for k, v in positions.items() if v > 0}
    for (day, shift), count in result.items():
        for q in quarters(day, shift):
            cover[q] += count
    for key in sorted(result, key=lambda k: (-k[0], -shifts[k[1]][0], k[1])):
        day, shift = key
        span = quarters(day, shift)
        while result[key] > 0 and all(
                cover[q] - 1 >= need.get(q // quarters_per_hour, 0) for q in span):
            result[key] -= 1
            for q in span:
                cover[q] -= 1
    return {k: v for k, v in result.items() if v > 0}


def need_by_horizon_hour(need_per_hour: Mapping[tuple[dt.date, int], int],
                         first_day: dt.date, days: int) -> dict[int, int]:
    """A need per (local date, hour) as hours of a planning horizon starting ``first_day``."""
    result: dict[int, int] = {}
    for (day, hour), staff in need_per_hour.items():
        index = (day - first_day).days
        if 0 <= index < days and staff > 0:
            result[index * 24 + hour] = max(result.get(index * 24 + hour, 0), staff)
    return result


def day_bounds(first: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Local midnights of ``first`` and ``end`` as aware datetimes."""
    return local_datetime(first, dt.time()), local_datetime(end, dt.time())
