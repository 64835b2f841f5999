"""OB windows and overtime day types as timelines over real time (domain-rules §4.1, §4.3).

Every minute of work falls in one OB category and one overtime day type. The windows are
wall-clock times in Europe/Stockholm, read as dated rule parameters (``ob.window.*``,
``pay.overtime_qualified_*``), so a night across the change to or from summer time is an
hour shorter or longer in real minutes: the windows are painted on a wall-clock grid, one
local year at a time, and each change of category is then converted to a real instant
(UTC minutes since the epoch). A time entry is classified by walking the changes it spans.

Windows (municipal AB/HÖK system, Kommunal; the same for AB, Bilaga J and PAN unless a
parameter with the agreement as suffix, e.g. ``ob.window.kvall_from.PAN``, says otherwise):

- vardag kväll: Monday–Thursday 19:00–22:00 [confirmed];
- vardag natt: Monday–Thursday nights 22:00–06:00 [confirmed];
- helg: Friday 19:00 to Monday 07:00 [confirmed];
- the days before the five named holidays (trettondedag jul, första maj, Kristi
  himmelsfärdsdag, nationaldagen, alla helgons dag): helg from 16:00 on the day before to
  07:00 on the first weekday after [confirmed as helg, Burlöv; hsaab.se's example]. "The
  day before" is read as the calendar day before, as Nacka's "dag före röd dag" list does;
  when that is a Saturday or Sunday the weekend already covers it. [uncertain] whether a
  holiday on a Sunday or Monday starts the window at 16:00 on the Friday before;
- storhelg (jul, nyår, påsk, midsommar, and pingst when ``ob.storhelg_includes_pingst``
  is 1): from 18:00 on the day before the first red day or afton to 07:00 on the first
  weekday after [secondary; pingst uncertain, so configurable];
- helg natt and storhelg natt: the night window (22:00–06:00) inside a helg or storhelg
  period, for a night whose morning is a Saturday, Sunday, public holiday or afton. This
  reads Assistanskoll's tables (1 maj 00–06 and alla helgons dag 22–24 at the night amount,
  the night after a weekday holiday at the day amount); the agreement text was not found
  [uncertain].

The highest category wins for every minute, in the order of :class:`ObCategory`.

Overtime day types (AB § 20 as described in domain-rules §4.3, [uncertain]): work on a
Saturday, Sunday, public holiday or afton (midsommar-, jul- and nyårsafton, which the
Semesterlag treats as Sundays) and at night (``pay.overtime_qualified_from`` 20:00 to
``pay.overtime_qualified_to`` 06:00) is kvalificerad; other weekday time is enkel.

Swedish public holidays come from the ``holidays`` package (country SE): its PUBLIC
category (Sundays are left out by default), DE_FACTO (midsommarafton, julafton,
nyårsafton) and, for the storhelg groups only, påskafton and pingstafton from OPTIONAL.
Holidays are recognised by their English names, which :data:`KNOWN_HOLIDAY_NAMES` lists; a
test checks the package names no holiday that this module does not know.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import threading
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import IntEnum

import holidays
from holidays.constants import DE_FACTO, OPTIONAL, PUBLIC

from insats.domain.calendar import STOCKHOLM, UTC, local_datetime
from insats.domain.common import DomainError
from insats.domain.rules import RuleBook, RuleParameter
from insats.domain.staff import Agreement

MINUTES_PER_DAY = 1440
_MARGIN_DAYS = 12  # windows that begin in December or end in January of a neighbouring year


class ObCategory(IntEnum):
    """OB categories, lowest first: for each minute the highest applicable one wins."""

    NONE = 0
    WEEKDAY_EVENING = 1
    WEEKDAY_NIGHT = 2
    WEEKEND = 3
    WEEKEND_NIGHT = 4
    MAJOR_HOLIDAY = 5
    MAJOR_HOLIDAY_NIGHT = 6


OB_CATEGORIES: tuple[ObCategory, ...] = tuple(ObCategory)

OB_AMOUNT_KEYS: dict[ObCategory, str] = {
    ObCategory.WEEKDAY_EVENING: "ob.kvall",
    ObCategory.WEEKDAY_NIGHT: "ob.natt",
    ObCategory.WEEKEND: "ob.helg",
    ObCategory.WEEKEND_NIGHT: "ob.helg_natt",
    ObCategory.MAJOR_HOLIDAY: "ob.storhelg",
    ObCategory.MAJOR_HOLIDAY_NIGHT: "ob.storhelg_natt",
}

OB_LABELS: dict[ObCategory, str] = {
    ObCategory.NONE: "Ingen OB",
    ObCategory.WEEKDAY_EVENING: "OB vardag kväll",
    ObCategory.WEEKDAY_NIGHT: "OB vardag natt",
    ObCategory.WEEKEND: "OB helg",
    ObCategory.WEEKEND_NIGHT: "OB helg natt",
    ObCategory.MAJOR_HOLIDAY: "OB storhelg",
    ObCategory.MAJOR_HOLIDAY_NIGHT: "OB storhelg natt",
}


class DayType(IntEnum):
    """What overtime a minute would be: enkel on weekday daytime, else kvalificerad."""

    WEEKDAY = 0
    NIGHT = 1
    FREE_DAY = 2


# --- Swedish holidays --------------------------------------------------------------------
NAMED_HOLIDAYS = frozenset({"Epiphany", "May Day", "Ascension Day", "National Day",
                            "All Saints' Day"})
"""The five holidays whose day before is helg from 16:00 (English names in ``holidays``)."""

MAJOR_HOLIDAY_GROUPS: dict[str, str] = {
    "Christmas Eve": "jul", "Christmas Day": "jul", "Second Day of Christmas": "jul",
    "New Year's Eve": "nyar", "New Year's Day": "nyar",
    "Good Friday": "pask", "Holy Saturday": "pask", "Easter Sunday": "pask",
    "Easter Monday": "pask",
    "Midsummer Eve": "midsommar", "Midsummer Day": "midsommar",
    "Pentecost Eve": "pingst", "Pentecost": "pingst",
}
"""Red days and aftnar of each storhelg; pingst counts only when configured."""

KNOWN_HOLIDAY_NAMES = NAMED_HOLIDAYS | frozenset(MAJOR_HOLIDAY_GROUPS)


@dataclass(frozen=True, slots=True)
class MajorHoliday:
    """One storhelg: its first and last red day or afton."""

    group: str
    first: dt.date
    last: dt.date


@dataclass(frozen=True, slots=True)
class HolidayDays:
    """The Swedish holidays of some years, as the windows need them."""

    free: frozenset[dt.date]  # public holidays and aftnar (not plain Saturdays and Sundays)
    named: tuple[dt.date, ...]
    major: tuple[MajorHoliday, ...]
    names: dict[dt.date, tuple[str, ...]]

    def is_free(self, day: dt.date) -> bool:
        """Saturday, Sunday, a public holiday or midsommar-, jul- or nyårsafton."""
        return day.weekday() >= 5 or day in self.free

    def first_weekday_after(self, day: dt.date) -> dt.date:
        following = day + dt.timedelta(days=1)
        while self.is_free(following):
            following += dt.timedelta(days=1)
        return following


@functools.lru_cache(maxsize=32)
def swedish_holidays(first_year: int, last_year: int) -> HolidayDays:
    """Holidays of ``first_year``–``last_year`` from the ``holidays`` package."""
    years = list(range(first_year, last_year + 1))
    red = holidays.country_holidays("SE", years=years, categories=(PUBLIC, DE_FACTO),
                                    language="en_US")
    optional = holidays.country_holidays("SE", years=years, categories=(OPTIONAL,),
                                         language="en_US")
    names: dict[dt.date, tuple[str, ...]] = {day: tuple(red.get_list(day)) for day in red}
    eves = {day: tuple(n for n in optional.get_list(day) if n in MAJOR_HOLIDAY_GROUPS)
            for day in optional}
    grouped: dict[tuple[str, int], list[dt.date]] = {}
    named: list[dt.date] = []
    for day, day_names in sorted([*names.items(), *eves.items()]):
        for name in day_names:
            if name in NAMED_HOLIDAYS:
                named.append(day)
            group = MAJOR_HOLIDAY_GROUPS.get(name)
            if group is not None:
                anchor = day.year + 1 if group == "nyar" and day.month == 12 else day.year
                grouped.setdefault((group, anchor), []).append(day)
    major = tuple(MajorHoliday(group, min(days), max(days))
                  for (group, _), days in sorted(grouped.items(), key=lambda g: min(g[1])))
    return HolidayDays(frozenset(names), tuple(named), major, names)


# --- timelines ----------------------------------------------------------------------------
def epoch_minute(moment: dt.datetime) -> int:
    """Whole minutes since 1970-01-01 UTC (seconds are dropped)."""
    return int(moment.timestamp()) // 60


class Timeline:
    """A piecewise-constant code over real time, built one Stockholm year at a time.

    ``starts[i]`` is the UTC epoch minute where ``codes[i]`` begins; it lasts until
    ``starts[i + 1]`` (the last entry of ``starts`` is the end of the built range).

    A timeline may be shared between threads (see :func:`shared_pay_calendar`): it is
    extended under a lock, and the built range is published as one tuple, so a reader
    always sees starts, codes and bounds that belong together.
    """

    __slots__ = ("_build", "_lock", "_state", "_years")

    def __init__(self, build: Callable[[int], tuple[list[int], list[int]]]) -> None:
        self._build = build
        self._lock = threading.Lock()
        self._years: dict[int, tuple[list[int], list[int]]] = {}
        self._state: tuple[list[int], list[int], int, int] = ([], [], 0, 0)

    @property
    def starts(self) -> list[int]:
        return self._state[0]

    @property
    def codes(self) -> list[int]:
        return self._state[1]

    def _covered(self, low: int, high: int) -> tuple[list[int], list[int], int, int]:
        """The built state, extended first when it does not hold ``[low, high)``."""
        state = self._state
        if state[2] <= low and high <= state[3] and state[0]:
            return state
        with self._lock:
            state = self._state
            if state[2] <= low and high <= state[3] and state[0]:
                return state
            first = _local_year(low)
            last = _local_year(max(low, high - 1))
            if self._years:
                first, last = min(first, min(self._years)), max(last, max(self._years))
            for year in range(first, last + 1):
                if year not in self._years:
                    self._years[year] = self._build(year)
            starts: list[int] = []
            codes: list[int] = []
            for year in range(first, last + 1):
                year_starts, year_codes = self._years[year]
                for start, code in zip(year_starts, year_codes, strict=False):
                    if codes and codes[-1] == code:
                        continue
                    starts.append(start)
                    codes.append(code)
                end = year_starts[-1]
            starts.append(end)
            state = self._state = (starts, codes, starts[0], end)
            return state

    def cover(self, low: int, high: int) -> None:
        """Make sure ``[low, high)`` (epoch minutes) is built."""
        self._covered(low, high)

    def pieces(self, low: int, high: int) -> Iterator[tuple[int, int, int]]:
        """``(start, end, code)`` for the parts of ``[low, high)``, in order."""
        starts, codes, _, _ = self._covered(low, high)
        index = bisect_right(starts, low) - 1
        while low < high:
            stop = starts[index + 1]
            if stop > high:
                stop = high
            yield low, stop, codes[index]
            low = stop
            index += 1

    def add_minutes(self, low: int, high: int, totals: list[int]) -> None:
        """Add the minutes of ``[low, high)`` to ``totals[code]``."""
        starts, codes, _, _ = self._covered(low, high)
        index = bisect_right(starts, low) - 1
        while low < high:
            stop = starts[index + 1]
            if stop > high:
                stop = high
            totals[codes[index]] += stop - low
            low = stop
            index += 1

    def code_at(self, moment: int) -> int:
        starts, codes, _, _ = self._covered(moment, moment + 1)
        return codes[bisect_right(starts, moment) - 1]


def _local_year(epoch_minutes: int) -> int:
    return dt.datetime.fromtimestamp(epoch_minutes * 60, STOCKHOLM).year


_RUNS = re.compile(rb"(.)\1*", re.DOTALL)
_NIGHT_UPGRADE = bytes.maketrans(
    bytes((ObCategory.WEEKEND, ObCategory.MAJOR_HOLIDAY)),
    bytes((ObCategory.WEEKEND_NIGHT, ObCategory.MAJOR_HOLIDAY_NIGHT)),
)


class _Grid:
    """Wall-clock minutes of some local days, painted with codes."""

    def __init__(self, first: dt.date, last: dt.date) -> None:
        self.origin = first
        self.cells = bytearray(((last - first).days + 1) * MINUTES_PER_DAY)

    def at(self, day: dt.date, clock: int) -> int:
        return (day - self.origin).days * MINUTES_PER_DAY + clock

    def paint(self, low: int, high: int, code: int) -> None:
        low, high = max(low, 0), min(high, len(self.cells))
        if low < high:
            self.cells[low:high] = bytes((code,)) * (high - low)

    def upgrade(self, low: int, high: int, table: bytes) -> None:
        low, high = max(low, 0), min(high, len(self.cells))
        if low < high:
            self.cells[low:high] = self.cells[low:high].translate(table)

    def runs(self, first: dt.date, end: dt.date) -> tuple[list[int], list[int]]:
        """Changes of code from ``first`` 00:00 to ``end`` 00:00, as real epoch minutes."""
        low, high = self.at(first, 0), self.at(end, 0)
        starts: list[int] = []
        codes: list[int] = []
        for run in _RUNS.finditer(bytes(self.cells[low:high])):
            start = self._instant(low + run.start())
            code = run.group()[0]
            if starts and start <= starts[-1]:  # a boundary inside the spring-forward gap
                starts.pop()
                codes.pop()
            if codes and codes[-1] == code:
                continue
            starts.append(start)
            codes.append(code)
        starts.append(self._instant(high))
        return starts, codes

    def _instant(self, index: int) -> int:
        day = self.origin + dt.timedelta(days=index // MINUTES_PER_DAY)
        clock = index % MINUTES_PER_DAY
        moment = local_datetime(day, dt.time(clock // 60, clock % 60))
        return int((moment - _EPOCH).total_seconds()) // 60


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class WindowParameters:
    """The window times in force on one day, in minutes after midnight."""

    evening_from: int
    night_from: int
    night_to: int
    weekend_from: int
    weekend_to: int
    before_holiday_from: int
    major_from: int
    qualified_from: int
    qualified_to: int


WINDOW_KEYS: dict[str, str] = {
    "evening_from": "ob.window.kvall_from",
    "night_from": "ob.window.natt_from",
    "night_to": "ob.window.natt_to",
    "weekend_from": "ob.window.helg_from",
    "weekend_to": "ob.window.helg_to",
    "before_holiday_from": "ob.window.dag_fore_helgdag_from",
    "major_from": "ob.window.storhelg_from",
    "qualified_from": "pay.overtime_qualified_from",
    "qualified_to": "pay.overtime_qualified_to",
}
PINGST_KEY = "ob.storhelg_includes_pingst"


class AgreementRules:
    """Rule parameters for one agreement: ``key.AGREEMENT`` when present, else ``key``."""

    def __init__(self, rules: RuleBook, agreement: Agreement) -> None:
        self.rules = rules
        self.agreement = agreement
        self._keys = frozenset(rules.keys())
        self._cache: dict[tuple[str, dt.date], RuleParameter] = {}

    def key(self, base: str) -> str:
        specific = f"{base}.{self.agreement.value}"
        return specific if specific in self._keys else base

    def parameter(self, base: str, day: dt.date) -> RuleParameter:
        found = self._cache.get((base, day))
        if found is None:
            found = self._cache[(base, day)] = self.rules.parameter(self.key(base), day)
        return found

    def value(self, base: str, day: dt.date) -> int:
        return self.parameter(base, day).value

    def windows(self, day: dt.date) -> WindowParameters:
        values = {field: self.value(key, day) for field, key in WINDOW_KEYS.items()}
        for field, value in values.items():
            if not 0 <= value < MINUTES_PER_DAY:
                raise DomainError("ob.window", f"Regelvärdet {WINDOW_KEYS[field]} ska vara "
                                               f"en tid 00:00–23:59, inte {value} minuter.")
        return WindowParameters(**values)


class PayCalendar:
    """OB and overtime-day-type timelines per agreement, built lazily from the rule book."""

    def __init__(self, rules: RuleBook) -> None:
        self.rules = rules
        self._agreements: dict[Agreement, AgreementRules] = {}
        self._ob: dict[Agreement, Timeline] = {}
        self._day_types: dict[Agreement, Timeline] = {}

    def agreement_rules(self, agreement: Agreement) -> AgreementRules:
        found = self._agreements.get(agreement)
        if found is None:
            found = self._agreements[agreement] = AgreementRules(self.rules, agreement)
        return found

    def ob(self, agreement: Agreement) -> Timeline:
        """OB category (an :class:`ObCategory` value) of every minute."""
        found = self._ob.get(agreement)
        if found is None:
            found = self._ob[agreement] = Timeline(
                functools.partial(_ob_year, self.agreement_rules(agreement)))
        return found

    def day_types(self, agreement: Agreement) -> Timeline:
        """Overtime day type (a :class:`DayType` value) of every minute."""
        found = self._day_types.get(agreement)
        if found is None:
            found = self._day_types[agreement] = Timeline(
                functools.partial(_day_type_year, self.agreement_rules(agreement)))
        return found

    def category_at(self, agreement: Agreement, moment: dt.datetime) -> ObCategory:
        return ObCategory(self.ob(agreement).code_at(epoch_minute(moment)))


_SHARED_CALENDARS: dict[frozenset[RuleParameter], PayCalendar] = {}
_SHARED_LIMIT = 4
_SHARED_LOCK = threading.Lock()


def shared_pay_calendar(rules: RuleBook) -> PayCalendar:
    """A :class:`PayCalendar` for ``rules``, shared by every caller with the same rule
    values, so that the OB and day-type years are built once per process instead of once
    per request or month checked. A corrected rule value gives a new calendar."""
    key = rules.parameter_set()
    with _SHARED_LOCK:
        found = _SHARED_CALENDARS.get(key)
        if found is None:
            if len(_SHARED_CALENDARS) >= _SHARED_LIMIT:
                _SHARED_CALENDARS.pop(next(iter(_SHARED_CALENDARS)))
            found = _SHARED_CALENDARS[key] = PayCalendar(rules)
        return found


def _days(first: dt.date, last: dt.date) -> Iterator[dt.date]:
    day = first
    while day <= last:
        yield day
        day += dt.timedelta(days=1)


def _ob_year(rules: AgreementRules, year: int) -> tuple[list[int], list[int]]:
    """The OB timeline of one Stockholm calendar year (see the module docstring)."""
    first = dt.date(year, 1, 1) - dt.timedelta(days=_MARGIN_DAYS)
    last = dt.date(year, 12, 31) + dt.timedelta(days=_MARGIN_DAYS)
    grid = _Grid(first, last + dt.timedelta(days=1))
    days = swedish_holidays(year - 1, year + 1)
    one_day = dt.timedelta(days=1)
    for day in _days(first, last):
        if day.weekday() <= 3:  # Monday–Thursday
            w = rules.windows(day)
            grid.paint(grid.at(day, w.evening_from), grid.at(day, w.night_from),
                       ObCategory.WEEKDAY_EVENING)
            grid.paint(grid.at(day, w.night_from), grid.at(day + one_day, w.night_to),
                       ObCategory.WEEKDAY_NIGHT)
    for day in _days(first, last):
        if day.weekday() == 4:  # Friday 19:00 to Monday 07:00
            w = rules.windows(day)
            grid.paint(grid.at(day, w.weekend_from),
                       grid.at(day + dt.timedelta(days=3), w.weekend_to), ObCategory.WEEKEND)
    for holiday in days.named:
        before = holiday - one_day
        grid.paint(grid.at(before, rules.windows(before).before_holiday_from),
                   grid.at(days.first_weekday_after(holiday),
                           rules.windows(holiday).weekend_to),
                   ObCategory.WEEKEND)
    for major in days.major:
        if major.group == "pingst" and not rules.value(PINGST_KEY, major.first):
            continue
        before = major.first - one_day
        grid.paint(grid.at(before, rules.windows(before).major_from),
                   grid.at(days.first_weekday_after(major.last),
                           rules.windows(major.last).weekend_to),
                   ObCategory.MAJOR_HOLIDAY)
    for morning in _days(first + one_day, last):
        if days.is_free(morning):
            evening = morning - one_day
            grid.upgrade(grid.at(evening, rules.windows(evening).night_from),
                         grid.at(morning, rules.windows(morning).night_to), _NIGHT_UPGRADE)
    return grid.runs(dt.date(year, 1, 1), dt.date(year + 1, 1, 1))


def _day_type_year(rules: AgreementRules, year: int) -> tuple[list[int], list[int]]:
    """Overtime day types of one Stockholm calendar year."""
    first = dt.date(year, 1, 1) - dt.timedelta(days=1)
    last = dt.date(year, 12, 31)
    grid = _Grid(first, last + dt.timedelta(days=1))
    days = swedish_holidays(year - 1, year + 1)
    one_day = dt.timedelta(days=1)
    for day in _days(first, last):
        w = rules.windows(day)
        grid.paint(grid.at(day, w.qualified_from), grid.at(day + one_day, w.qualified_to),
                   DayType.NIGHT)
    for day in _days(first, last):
        if days.is_free(day):
            grid.paint(grid.at(day, 0), grid.at(day + one_day, 0), DayType.FREE_DAY)
    return grid.runs(dt.date(year, 1, 1), dt.date(year + 1, 1, 1))
