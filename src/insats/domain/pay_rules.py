"""Pay lines per employee and month: OB, mertid, overtime, jour and hourly wage (issue 5).

The inputs are an employee and their time entries; the windows come from
:mod:`insats.domain.ob_calendar` and every rate or factor from the dated rule parameters
(``key.AGREEMENT`` when the agreement has its own value, else ``key``). Sources and
certainty are in domain-rules §3.2, §4.1–4.3 and items 11–12; the uncertain points:

- **OB amounts** before HÖK 25 for vardag kväll and natt are the 2017 amounts, and the
  storhelg amounts for 2024-04 – 2025-03 are computed back from later values: both are
  parameters marked uncertain, and a line paid from an uncertain value says so
  (:attr:`PayLine.uncertain`).
- **OB rounding** (Burlöv's description, maybe local): the minutes of each category are
  summed per month, rounded up to ``ob.round_up_minutes`` (30), and nothing is paid when
  the rounded sum is under ``ob.min_paid_minutes`` (60) [secondary].
- **OB is paid for ordinary time and mertid, not for overtime** (DIK: during overtime only
  for those who normally work unsocial hours, which is not modelled) [secondary].
- **Overtime**: ``timlön × pay.overtime_simple_factor`` (180 %) on weekday daytime and
  ``× pay.overtime_qualified_factor`` (240 %) at night, on weekends, holidays and aftnar
  [uncertain: from public code, not the AB text]. ``timlön = månadslön × 12 / (52 ×
  veckoarbetstid)`` (:meth:`Employee.hourly_rate`). The rule that work beyond 8 hours a
  day is overtime is not applied: overtime is what the time report says it is.
- **Mertid** (``TimeKind.EXTRA``) for a part-timer on a monthly wage, up to full time per
  ISO week (``full_time_minutes_per_week − contracted``), at ``timlön ×
  pay.mertid_factor`` [uncertain]; beyond full time it is overtime. Unscheduled work on
  a Saturday, Sunday, holiday or afton is kvalificerad övertid when
  ``pay.mertid_free_day_is_overtime`` is 1 (ka.se 2008) [secondary]. A full-timer's
  mertid is overtime; an hourly paid person's mertid is paid as hours (there is no
  contract to fill).
- **PAN**: its overtime and mertid rules were not found; the bundled PAN values of the
  factors are 100 % (plain timlön) until they are [uncertain]. Anhörigvårdare on PAN get
  **no OB and no jour lines**: OB and jour are included in their hourly wage [confirmed].
- **Jour** (``TimeKind.ON_CALL``) at ``timlön × pay.oncall_factor`` (50 %, the older
  Bilaga J rule that half the time counts as work) [uncertain]; **beredskap** at
  ``pay.standby_factor``, which is not found and ships as 0 [uncertain].
- **Breaks**: a time entry records the length of its break, not when it was taken. The
  break is placed in the middle of the entry, so the minutes around it keep their
  windows; a break split differently moves at most its own length between categories.

Amounts: the rate per hour is whole öre (a factor times timlön is rounded half up), and
each line's amount is ``rate × paid minutes / 60`` rounded half up to whole öre.
Entries belong to the month of their Stockholm start date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

from insats.domain.calendar import STOCKHOLM
from insats.domain.common import MINUTES_PER_HOUR, Period
from insats.domain.ob_calendar import (
    OB_AMOUNT_KEYS,
    AgreementRules,
    DayType,
    ObCategory,
    PayCalendar,
    Timeline,
)
from insats.domain.rules import Certainty
from insats.domain.staff import Employee
from insats.domain.time_reports import TimeEntry, TimeKind

PERMILLE = 1000
_CODES = max(len(ObCategory), len(DayType))


class PayType(StrEnum):
    """A kind of pay line (lönearten), in the order lines are listed."""

    HOURLY = "timlon"
    OB_WEEKDAY_EVENING = "ob_kvall"
    OB_WEEKDAY_NIGHT = "ob_natt"
    OB_WEEKEND = "ob_helg"
    OB_WEEKEND_NIGHT = "ob_helg_natt"
    OB_MAJOR_HOLIDAY = "ob_storhelg"
    OB_MAJOR_HOLIDAY_NIGHT = "ob_storhelg_natt"
    MERTID = "mertid"
    OVERTIME_SIMPLE = "overtid_enkel"
    OVERTIME_QUALIFIED = "overtid_kvalificerad"
    ON_CALL = "jour"
    STAND_BY = "beredskap"


PAY_TYPE_LABELS: dict[PayType, str] = {
    PayType.HOURLY: "Timlön",
    PayType.OB_WEEKDAY_EVENING: "OB vardag kväll",
    PayType.OB_WEEKDAY_NIGHT: "OB vardag natt",
    PayType.OB_WEEKEND: "OB helg",
    PayType.OB_WEEKEND_NIGHT: "OB helg natt",
    PayType.OB_MAJOR_HOLIDAY: "OB storhelg",
    PayType.OB_MAJOR_HOLIDAY_NIGHT: "OB storhelg natt",
    PayType.MERTID: "Mertid",
    PayType.OVERTIME_SIMPLE: "Enkel övertid",
    PayType.OVERTIME_QUALIFIED: "Kvalificerad övertid",
    PayType.ON_CALL: "Jour",
    PayType.STAND_BY: "Beredskap",
}

OB_PAY_TYPES: dict[ObCategory, PayType] = {
    ObCategory.WEEKDAY_EVENING: PayType.OB_WEEKDAY_EVENING,
    ObCategory.WEEKDAY_NIGHT: PayType.OB_WEEKDAY_NIGHT,
    ObCategory.WEEKEND: PayType.OB_WEEKEND,
    ObCategory.WEEKEND_NIGHT: PayType.OB_WEEKEND_NIGHT,
    ObCategory.MAJOR_HOLIDAY: PayType.OB_MAJOR_HOLIDAY,
    ObCategory.MAJOR_HOLIDAY_NIGHT: PayType.OB_MAJOR_HOLIDAY_NIGHT,
}
OB_TYPES = frozenset(OB_PAY_TYPES.values())
_ORDER = {pay_type: index for index, pay_type in enumerate(PayType)}

FACTOR_KEYS: dict[PayType, str] = {
    PayType.MERTID: "pay.mertid_factor",
    PayType.OVERTIME_SIMPLE: "pay.overtime_simple_factor",
    PayType.OVERTIME_QUALIFIED: "pay.overtime_qualified_factor",
    PayType.ON_CALL: "pay.oncall_factor",
    PayType.STAND_BY: "pay.standby_factor",
}
MERTID_FREE_DAY_KEY = "pay.mertid_free_day_is_overtime"
ROUND_UP_KEY = "ob.round_up_minutes"
MIN_PAID_KEY = "ob.min_paid_minutes"


class PayEntry(NamedTuple):
    """The parts of a time entry that pay depends on (light, for reading many rows)."""

    id: str
    employee_id: str
    day: dt.date  # Stockholm date of the start
    start: dt.datetime
    end: dt.datetime
    break_minutes: int
    kind: TimeKind

    @classmethod
    def of(cls, entry: TimeEntry) -> PayEntry:
        return cls(entry.id, entry.employee_id, entry.start.astimezone(STOCKHOLM).date(),
                   entry.start, entry.end, entry.break_minutes, entry.kind)


@dataclass(frozen=True, slots=True)
class PayLine:
    """One pay line: an employee's minutes of one pay type at one rate in one month.

    Attributes:
        minutes: the minutes the rules found.
        paid_minutes: the minutes paid (OB after the monthly rounding; others as found).
        rate_ore: öre per hour.
        amount_ore: ``rate × paid minutes / 60``, rounded half up to whole öre.
        uncertain: the rate or factor comes from a parameter marked uncertain.
    """

    employee_id: str
    month: dt.date
    pay_type: PayType
    minutes: int
    paid_minutes: int
    rate_ore: int
    amount_ore: int
    uncertain: bool = False

    @property
    def label(self) -> str:
        return PAY_TYPE_LABELS[self.pay_type]


def worked_spans(entry: PayEntry) -> list[tuple[int, int]]:
    """The worked parts of an entry as epoch-minute intervals, the break in the middle."""
    first = int(entry.start.timestamp())
    start = first // 60
    end = start + (int(entry.end.timestamp()) - first) // 60
    pause = entry.break_minutes
    if pause <= 0:
        return [(start, end)]
    before = (end - start - pause) // 2
    return [(start, start + before), (start + before + pause, end)]


def ob_minutes(calendar: PayCalendar, employee: Employee,
               spans: Iterable[tuple[int, int]]) -> list[int]:
    """Minutes per :class:`ObCategory` (index = category) of the intervals."""
    return _count(calendar.ob(employee.agreement), spans)


def classify_entry(calendar: PayCalendar, employee: Employee, entry: PayEntry) -> list[int]:
    """Worked minutes of one entry per OB category; they sum to the entry's worked time."""
    return ob_minutes(calendar, employee, worked_spans(entry))


def round_ob_minutes(minutes: int, *, step: int, minimum: int) -> int:
    """A month's minutes of one OB category as paid: up to whole ``step``s, and none when
    the rounded sum is under ``minimum`` (domain-rules §4.1, Burlöv) [secondary]."""
    if minutes <= 0:
        return 0
    paid = -(-minutes // step) * step if step > 0 else minutes
    return paid if paid >= minimum else 0


def _take(spans: list[tuple[int, int]], minutes: int
          ) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Split intervals after their first ``minutes`` minutes."""
    head: list[tuple[int, int]] = []
    tail: list[tuple[int, int]] = []
    for low, high in spans:
        if minutes <= 0:
            tail.append((low, high))
        elif high - low <= minutes:
            head.append((low, high))
            minutes -= high - low
        else:
            head.append((low, low + minutes))
            tail.append((low + minutes, high))
            minutes = 0
    return head, tail


class _Lines:
    """Minutes per (pay type, rate) for one employee and month."""

    def __init__(self, employee: Employee, month: dt.date, rules: AgreementRules) -> None:
        self.employee = employee
        self.month = month
        self.rules = rules
        self.hourly = employee.hourly_rate().ore
        self.minutes: dict[tuple[PayType, int], int] = {}
        self.uncertain: dict[tuple[PayType, int], bool] = {}

    def add(self, pay_type: PayType, rate: int, minutes: int, uncertain: bool) -> None:
        if minutes <= 0:
            return
        key = (pay_type, rate)
        self.minutes[key] = self.minutes.get(key, 0) + minutes
        self.uncertain[key] = self.uncertain.get(key, False) or uncertain

    def add_factor(self, pay_type: PayType, day: dt.date, minutes: int) -> None:
        if minutes <= 0:
            return
        parameter = self.rules.parameter(FACTOR_KEYS[pay_type], day)
        rate = (self.hourly * parameter.value * 2 + PERMILLE) // (2 * PERMILLE)
        self.add(pay_type, rate, minutes, parameter.certainty is Certainty.UNCERTAIN)

    def add_ob(self, totals: Sequence[int], day: dt.date) -> None:
        for category, pay_type in OB_PAY_TYPES.items():
            minutes = totals[category]
            if minutes:
                parameter = self.rules.parameter(OB_AMOUNT_KEYS[category], day)
                self.add(pay_type, parameter.value, minutes,
                         parameter.certainty is Certainty.UNCERTAIN)

    def lines(self) -> list[PayLine]:
        step = self.rules.value(ROUND_UP_KEY, self.month)
        minimum = self.rules.value(MIN_PAID_KEY, self.month)
        result: list[PayLine] = []
        for (pay_type, rate), minutes in sorted(
                self.minutes.items(), key=lambda item: (_ORDER[item[0][0]], item[0][1])):
            paid = (round_ob_minutes(minutes, step=step, minimum=minimum)
                    if pay_type in OB_TYPES else minutes)
            if paid <= 0:
                continue
            result.append(PayLine(self.employee.id, self.month, pay_type, minutes, paid, rate,
                                  _amount(rate, paid), self.uncertain[(pay_type, rate)]))
        return result


def _amount(rate_ore: int, minutes: int) -> int:
    """``rate × minutes / 60`` rounded half up to whole öre (exact integer arithmetic)."""
    return (rate_ore * minutes * 2 + MINUTES_PER_HOUR) // (2 * MINUTES_PER_HOUR)



def monthly_pay(employee: Employee, entries: Iterable[PayEntry], *, month: dt.date,
                calendar: PayCalendar) -> list[PayLine]:
    """The employee's pay lines for the month that begins on ``month``.

    ``entries`` are the employee's counting entries (not rejected, not replaced by a
    correction) from the Monday of the ISO week holding the month's first day to the end
    of the month: entries before the month use up the week's room for mertid but give no
    lines. See the module docstring for the rules.
    """
    period = Period.month(month.year, month.month)
    rules = calendar.agreement_rules(employee.agreement)
    lines = _Lines(employee, period.start, rules)
    ob_timeline = calendar.ob(employee.agreement)
    day_types = calendar.day_types(employee.agreement)
    gets_ob = not employee.is_relative_carer  # PAN: OB and jour are in the hourly wage
    hourly_paid = employee.monthly_wage is None
    room_per_week = max(0, employee.full_time_minutes_per_week
                        - employee.contracted_minutes_per_week.value)
    room: dict[tuple[int, int], int] = {}
    for entry in sorted(entries, key=lambda e: (e.start, e.id)):
        in_month = period.contains(entry.day)
        if not in_month and entry.kind is not TimeKind.EXTRA:
            continue
        spans = worked_spans(entry)
        kind = entry.kind
        if kind is TimeKind.EXTRA and hourly_paid:
            kind = TimeKind.ORDINARY
        if kind is TimeKind.EXTRA:
            if rules.value(MERTID_FREE_DAY_KEY, entry.day):
                free, spans = _split_free_days(day_types, spans)
                if in_month:
                    lines.add_factor(PayType.OVERTIME_QUALIFIED, entry.day, free)
            week = entry.day.isocalendar()[:2]
            left = room.get(week, room_per_week)
            mertid, beyond = _take(spans, left)
            room[week] = left - sum(high - low for low, high in mertid)
            if in_month:
                lines.add_factor(PayType.MERTID, entry.day,
                                 sum(high - low for low, high in mertid))
                if gets_ob:
                    lines.add_ob(_count(ob_timeline, mertid), entry.day)
                _add_overtime(lines, entry.day, beyond, day_types)
        elif kind is TimeKind.ORDINARY:
            worked = sum(high - low for low, high in spans)
            if hourly_paid:
                lines.add(PayType.HOURLY, lines.hourly, worked, False)
            if gets_ob:
                lines.add_ob(_count(ob_timeline, spans), entry.day)
        elif kind is TimeKind.OVERTIME:
            _add_overtime(lines, entry.day, spans, day_types)
        elif gets_ob:  # jour and beredskap; for anhörigvårdare they are in the wage
            pay_type = PayType.ON_CALL if kind is TimeKind.ON_CALL else PayType.STAND_BY
            lines.add_factor(pay_type, entry.day, sum(high - low for low, high in spans))
    return lines.lines()


def _count(timeline: Timeline, spans: Iterable[tuple[int, int]]) -> list[int]:
    totals = [0] * _CODES
    for low, high in spans:
        timeline.add_minutes(low, high, totals)
    return totals


def _add_overtime(lines: _Lines, day: dt.date, spans: Iterable[tuple[int, int]],
                  day_types: Timeline) -> None:
    totals = _count(day_types, spans)
    lines.add_factor(PayType.OVERTIME_SIMPLE, day, totals[DayType.WEEKDAY])
    lines.add_factor(PayType.OVERTIME_QUALIFIED, day,
                     totals[DayType.NIGHT] + totals[DayType.FREE_DAY])


def _split_free_days(day_types: Timeline, spans: Iterable[tuple[int, int]]
                     ) -> tuple[int, list[tuple[int, int]]]:
    """Minutes on Saturdays, Sundays, holidays and aftnar, and the other intervals."""
    free = 0
    rest: list[tuple[int, int]] = []
    for low, high in spans:
        for start, end, code in day_types.pieces(low, high):
            if code == DayType.FREE_DAY:
                free += end - start
            else:
                rest.append((start, end))
    return free, rest
