"""Pay rules: OB windows at their edges, DST nights, overtime and mertid worked by hand,
and properties over random intervals (an independent minute-by-minute reference)."""

from __future__ import annotations

import datetime as dt
import itertools
from concurrent.futures import ThreadPoolExecutor
from functools import cache

import holidays
import pytest
from dateutil.easter import easter
from holidays.constants import DE_FACTO, PUBLIC
from hypothesis import given, settings
from hypothesis import strategies as st

from insats.domain.calendar import STOCKHOLM, UTC
from insats.domain.common import Money
from insats.domain.ob_calendar import (
    KNOWN_HOLIDAY_NAMES,
    DayType,
    ObCategory,
    PayCalendar,
    epoch_minute,
    shared_pay_calendar,
    swedish_holidays,
)
from insats.domain.pay_rules import (
    OB_TYPES,
    PayEntry,
    PayLine,
    PayType,
    classify_entry,
    monthly_pay,
    round_ob_minutes,
    worked_spans,
)
from insats.domain.rules import Certainty, RuleBook, RuleParameter, bundled_parameters
from insats.domain.staff import Agreement, Employee
from insats.domain.time_reports import TimeKind
from tests.builders import (
    a_relative_carer,
    a_time_entry,
    an_employee,
    an_hourly_substitute,
    stockholm,
)

E, N, W, WN, M, MN = (ObCategory.WEEKDAY_EVENING, ObCategory.WEEKDAY_NIGHT,
                      ObCategory.WEEKEND, ObCategory.WEEKEND_NIGHT,
                      ObCategory.MAJOR_HOLIDAY, ObCategory.MAJOR_HOLIDAY_NIGHT)
NONE = ObCategory.NONE

# Round test values so that the amounts below can be worked by hand.
TEST_VALUES: dict[str, int] = {
    "ob.kvall": 2000, "ob.natt": 4000, "ob.helg": 6000, "ob.helg_natt": 7000,
    "ob.storhelg": 12000, "ob.storhelg_natt": 15000,
    "pay.overtime_simple_factor": 1800, "pay.overtime_qualified_factor": 2400,
    "pay.mertid_factor": 1350, "pay.oncall_factor": 500,
}


def rule_book(**values: int) -> RuleBook:
    """The bundled parameters with ``TEST_VALUES`` (and ``values``, dots written as
    ``__``) in force on every date."""
    chosen = {**TEST_VALUES, **{k.replace("__", "."): v for k, v in values.items()}}
    bundled = bundled_parameters()
    units = {p.key: p.unit for p in bundled}
    kept = [p for p in bundled if p.key not in chosen]
    return RuleBook([*kept, *(RuleParameter(key, dt.date(2000, 1, 1), value,
                                            units.get(key) or units[key.rpartition(".")[0]],
                                            "Testvärde", Certainty.CONFIRMED)
                              for key, value in chosen.items())])


CALENDAR = PayCalendar(rule_book())


def entry(start: dt.datetime, end: dt.datetime, *, kind: TimeKind = TimeKind.ORDINARY,
          pause: int = 0, id: str = "TE0001") -> PayEntry:
    return PayEntry.of(a_time_entry(id=id, start=start, end=end, kind=kind,
                                    break_minutes=pause))


def categories(start: dt.datetime, end: dt.datetime, *, pause: int = 0,
               calendar: PayCalendar = CALENDAR) -> dict[ObCategory, int]:
    totals = classify_entry(calendar, an_employee(), entry(start, end, pause=pause))
    return {ObCategory(i): m for i, m in enumerate(totals) if m}


def minute_at(*moment: int) -> ObCategory:
    """The category of the one minute that begins at a Stockholm wall-clock time."""
    start = stockholm(*moment)
    found = categories(start, start + dt.timedelta(minutes=1))
    assert list(found.values()) == [1]
    return next(iter(found))


# --- window edges, worked by hand ---------------------------------------------------------
def test_friday_evening_becomes_weekend_at_19() -> None:
    assert minute_at(2026, 10, 23, 18, 59) is NONE
    assert minute_at(2026, 10, 23, 19, 0) is W


def test_the_friday_before_all_saints_is_weekend_from_16() -> None:
    # Alla helgons dag 2026 is Saturday 31 October: the day before is helg from 16:00.
    assert minute_at(2026, 10, 30, 15, 59) is NONE
    assert minute_at(2026, 10, 30, 16, 0) is W


def test_the_day_before_midsummer_eve_is_storhelg_from_18() -> None:
    # Midsommarafton 2026 is Friday 19 June; storhelg begins Thursday 18:00.
    assert minute_at(2026, 6, 18, 17, 59) is NONE
    assert minute_at(2026, 6, 18, 18, 0) is M


def test_the_day_before_ascension_day_is_weekend_from_16() -> None:
    # Kristi himmelsfärdsdag 2026 is Thursday 14 May.
    assert minute_at(2026, 5, 13, 15, 59) is NONE
    assert minute_at(2026, 5, 13, 16, 0) is W
    assert minute_at(2026, 5, 15, 6, 59) is W  # to 07:00 on the first weekday after
    assert minute_at(2026, 5, 15, 7, 0) is NONE


def test_monday_7_ends_the_weekend() -> None:
    assert minute_at(2026, 10, 26, 6, 59) is W
    assert minute_at(2026, 10, 26, 7, 0) is NONE


def test_weekday_evening_and_night() -> None:
    # Tuesday 3 March 2026, 15:00–23:00: 4 h none, 19–22 evening, 22–23 night.
    assert categories(stockholm(2026, 3, 3, 15), stockholm(2026, 3, 3, 23)) == {
        NONE: 240, E: 180, N: 60}
    # Monday night 22:00 to Tuesday 07:00: night until 06:00, then an hour without OB.
    assert categories(stockholm(2026, 3, 2, 22), stockholm(2026, 3, 3, 7)) == {
        N: 480, NONE: 60}
    # Thursday night belongs to the weekday nights; Friday daytime has no OB.
    assert categories(stockholm(2026, 3, 5, 22), stockholm(2026, 3, 6, 8)) == {
        N: 480, NONE: 120}


def test_night_shift_across_the_spring_change_is_an_hour_shorter() -> None:
    # Summer time begins Sunday 29 March 2026 at 02:00 → 03:00: 22:00–07:00 is 8 real hours.
    assert categories(stockholm(2026, 3, 28, 22), stockholm(2026, 3, 29, 7)) == {
        WN: 7 * 60, W: 60}


def test_night_shift_across_the_autumn_change_is_an_hour_longer() -> None:
    # Summer time ends Sunday 25 October 2026 at 03:00 → 02:00: 22:00–07:00 is 10 hours.
    assert categories(stockholm(2026, 10, 24, 22), stockholm(2026, 10, 25, 7)) == {
        WN: 9 * 60, W: 60}


def test_new_years_eve_into_new_years_day() -> None:
    # Thursday 31 December 2026 18:00 to Friday 1 January 2027 08:00: all storhelg, the
    # night before a red day at the night amount.
    assert categories(stockholm(2026, 12, 31, 18), stockholm(2027, 1, 1, 8)) == {
        M: 4 * 60 + 2 * 60, MN: 8 * 60}
    # Nyår lasts to 07:00 on the first weekday after 1 January: Monday 4 January.
    assert minute_at(2027, 1, 4, 6, 59) is M
    assert minute_at(2027, 1, 4, 7, 0) is NONE


def test_christmas_runs_from_the_23rd_at_18_to_the_first_weekday_after() -> None:
    assert minute_at(2026, 12, 23, 17, 59) is NONE
    assert minute_at(2026, 12, 23, 18, 0) is M
    assert minute_at(2026, 12, 28, 6, 59) is M  # annandag jul is a Saturday in 2026
    assert minute_at(2026, 12, 28, 7, 0) is NONE


def test_easter_night_before_easter_monday_is_storhelg_night() -> None:
    # Annandag påsk 2026 is 6 April: 00–06 at the night amount, its own evening not.
    assert categories(stockholm(2026, 4, 5, 22), stockholm(2026, 4, 6, 8)) == {
        MN: 8 * 60, M: 2 * 60}
    assert minute_at(2026, 4, 6, 23, 0) is M
    assert minute_at(2026, 4, 7, 6, 59) is M
    assert minute_at(2026, 4, 7, 7, 0) is NONE


def test_the_night_after_a_weekday_holiday_is_at_the_day_amount() -> None:
    # Kristi himmelsfärd (Thursday) 22:00 to Friday 06:00: helg, not helg natt (the
    # morning is a weekday), as Assistanskoll's tables show.
    assert categories(stockholm(2026, 5, 14, 22), stockholm(2026, 5, 15, 6)) == {W: 480}


def test_pingst_is_storhelg_only_when_configured() -> None:
    with_pingst = PayCalendar(rule_book(ob__storhelg_includes_pingst=1))
    friday = (stockholm(2026, 5, 22, 18, 30), stockholm(2026, 5, 22, 18, 45))
    saturday = (stockholm(2026, 5, 23, 12), stockholm(2026, 5, 23, 13))
    assert categories(*friday) == {NONE: 15}
    assert categories(*saturday) == {W: 60}
    assert categories(*friday, calendar=with_pingst) == {M: 15}
    assert categories(*saturday, calendar=with_pingst) == {M: 60}


def test_break_is_placed_in_the_middle_of_the_entry() -> None:
    # Friday 6 March 2026 15:00–23:00 with a one-hour break: worked 15:00–18:30 and
    # 19:30–23:00; the Friday night (the morning is a Saturday) is helg natt.
    assert categories(stockholm(2026, 3, 6, 15), stockholm(2026, 3, 6, 23), pause=60) == {
        NONE: 210, W: 150, WN: 60}


def test_windows_can_differ_per_agreement() -> None:
    book = rule_book(ob__window__kvall_from__PAN=18 * 60)
    calendar = PayCalendar(book)
    start = stockholm(2026, 3, 3, 18)
    pan = an_employee(agreement=Agreement.PAN)
    assert classify_entry(calendar, pan, entry(start, start + dt.timedelta(hours=1)))[E] == 60
    assert classify_entry(calendar, an_employee(), entry(
        start, start + dt.timedelta(hours=1)))[NONE] == 60


# --- holidays come from the library ---------------------------------------------------------
def test_every_public_holiday_and_afton_in_the_library_is_known() -> None:
    red = holidays.country_holidays("SE", years=range(2005, 2061),
                                    categories=(PUBLIC, DE_FACTO), language="en_US")
    names = {name for day in red for name in red.get_list(day)}
    assert names <= KNOWN_HOLIDAY_NAMES
    assert dt.date(2026, 3, 1) not in red  # Sundays are not listed as holidays


def test_holiday_groups_for_2026() -> None:
    days = swedish_holidays(2026, 2026)
    spans = {(m.group, m.first, m.last) for m in days.major}
    assert ("pask", dt.date(2026, 4, 3), dt.date(2026, 4, 6)) in spans
    assert ("midsommar", dt.date(2026, 6, 19), dt.date(2026, 6, 20)) in spans
    assert ("jul", dt.date(2026, 12, 24), dt.date(2026, 12, 26)) in spans
    assert set(days.named) == {dt.date(2026, 1, 6), dt.date(2026, 5, 1),
                               dt.date(2026, 5, 14), dt.date(2026, 6, 6),
                               dt.date(2026, 10, 31)}


# --- pay lines, worked by hand ---------------------------------------------------------------
OCTOBER = dt.date(2026, 10, 1)
MARCH = dt.date(2026, 3, 1)
FULL_TIME = an_employee(employment_percent=100, monthly_wage=Money.kronor(30_000))
PART_TIME = an_employee(employment_percent=75, monthly_wage=Money.kronor(22_500))
# timlön = 30 000 × 12 / (52 × 40) = 173,08 kr for both (the part-timer's full-time wage
# is 22 500 / 0,75 = 30 000). Enkel övertid 180 %: 311,54 kr/h; kvalificerad 240 %:
# 415,39 kr/h; mertid 135 %: 233,66 kr/h; jour 50 %: 86,54 kr/h.
TIMLON, ENKEL, KVAL, MERTID, JOUR = 17308, 31154, 41539, 23366, 8654


def pay(employee: Employee, entries: list[PayEntry], month: dt.date = OCTOBER,
        calendar: PayCalendar = CALENDAR) -> dict[PayType, PayLine]:
    lines = monthly_pay(employee, entries, month=month, calendar=calendar)
    assert len({line.pay_type for line in lines}) == len(lines)
    return {line.pay_type: line for line in lines}


def test_overtime_is_enkel_on_weekday_daytime_and_kvalificerad_after_20() -> None:
    assert FULL_TIME.hourly_rate() == Money(TIMLON)
    lines = pay(FULL_TIME, [entry(stockholm(2026, 10, 6, 16), stockholm(2026, 10, 6, 22),
                                  kind=TimeKind.OVERTIME)])
    assert set(lines) == {PayType.OVERTIME_SIMPLE, PayType.OVERTIME_QUALIFIED}  # no OB
    simple, qualified = lines[PayType.OVERTIME_SIMPLE], lines[PayType.OVERTIME_QUALIFIED]
    assert (simple.minutes, simple.rate_ore, simple.amount_ore) == (240, ENKEL, 4 * ENKEL)
    assert (qualified.minutes, qualified.rate_ore, qualified.amount_ore) == (
        120, KVAL, 2 * KVAL)


def test_overtime_on_a_saturday_is_kvalificerad() -> None:
    lines = pay(FULL_TIME, [entry(stockholm(2026, 10, 10, 8), stockholm(2026, 10, 10, 11),
                                  kind=TimeKind.OVERTIME)])
    assert list(lines) == [PayType.OVERTIME_QUALIFIED]
    assert lines[PayType.OVERTIME_QUALIFIED].amount_ore == 3 * KVAL


def test_mertid_fills_the_week_up_to_full_time_then_overtime() -> None:
    # 75 % of 40 h = 30 h: room for 10 h mertid in ISO week 41 (5–11 October 2026).
    entries = [
        entry(stockholm(2026, 10, 6, 8), stockholm(2026, 10, 6, 16), kind=TimeKind.EXTRA,
              id="a"),  # 8 h mertid
        entry(stockholm(2026, 10, 8, 8), stockholm(2026, 10, 8, 14), kind=TimeKind.EXTRA,
              id="b"),  # 2 h mertid, then 08:00+2h = 10:00–14:00 enkel övertid
        entry(stockholm(2026, 10, 10, 10), stockholm(2026, 10, 10, 14), kind=TimeKind.EXTRA,
              id="c"),  # Saturday: kvalificerad övertid, uses no room
    ]
    lines = pay(PART_TIME, entries)
    assert lines[PayType.MERTID].minutes == 600
    assert lines[PayType.MERTID].amount_ore == 10 * MERTID
    assert lines[PayType.OVERTIME_SIMPLE].minutes == 240
    assert lines[PayType.OVERTIME_SIMPLE].amount_ore == 4 * ENKEL
    assert lines[PayType.OVERTIME_QUALIFIED].minutes == 240
    assert lines[PayType.OVERTIME_QUALIFIED].amount_ore == 4 * KVAL
    assert not OB_TYPES & set(lines)


def test_mertid_earlier_in_the_week_in_the_previous_month_uses_up_the_room() -> None:
    # ISO week 14 of 2026 is 30 March – 5 April; April's lines only.
    entries = [
        entry(stockholm(2026, 3, 30, 8), stockholm(2026, 3, 30, 16), kind=TimeKind.EXTRA,
              id="a"),
        entry(stockholm(2026, 4, 1, 8), stockholm(2026, 4, 1, 12), kind=TimeKind.EXTRA,
              id="b"),
    ]
    lines = pay(PART_TIME, entries, month=dt.date(2026, 4, 1))
    assert lines[PayType.MERTID].minutes == 120
    assert lines[PayType.OVERTIME_SIMPLE].minutes == 120


def test_mertid_in_the_evening_also_gets_ob() -> None:
    lines = pay(PART_TIME, [entry(stockholm(2026, 10, 6, 16), stockholm(2026, 10, 6, 21),
                                  kind=TimeKind.EXTRA)])
    assert lines[PayType.MERTID].minutes == 300
    assert lines[PayType.OB_WEEKDAY_EVENING].minutes == 120
    assert lines[PayType.OB_WEEKDAY_EVENING].amount_ore == 2 * 2000


def test_a_full_timers_mertid_is_overtime() -> None:
    lines = pay(FULL_TIME, [entry(stockholm(2026, 10, 6, 8), stockholm(2026, 10, 6, 10),
                                  kind=TimeKind.EXTRA)])
    assert list(lines) == [PayType.OVERTIME_SIMPLE]


def test_ob_is_rounded_up_to_half_hours_per_month_and_nothing_under_an_hour() -> None:
    assert round_ob_minutes(20, step=30, minimum=60) == 0
    assert round_ob_minutes(31, step=30, minimum=60) == 60
    assert round_ob_minutes(70, step=30, minimum=60) == 90
    # Saturday 10 October 2026 08:00–16:20: 500 min helg → 510 paid × 60 kr/h = 510 kr.
    lines = pay(FULL_TIME, [entry(stockholm(2026, 10, 10, 8), stockholm(2026, 10, 10, 16, 20))])
    helg = lines[PayType.OB_WEEKEND]
    assert (helg.minutes, helg.paid_minutes, helg.amount_ore) == (500, 510, 51000)
    # Twenty evening minutes in a month give nothing.
    assert pay(FULL_TIME, [entry(stockholm(2026, 10, 6, 18), stockholm(2026, 10, 6, 19, 20))
                           ]) == {}


def test_hourly_substitute_gets_hourly_wage_and_ob() -> None:
    substitute = an_hourly_substitute()
    lines = pay(substitute, [
        entry(stockholm(2026, 10, 10, 8), stockholm(2026, 10, 10, 16), id="a"),
        entry(stockholm(2026, 10, 12, 8), stockholm(2026, 10, 12, 12), kind=TimeKind.EXTRA,
              id="b"),
    ])
    assert lines[PayType.HOURLY].minutes == 720
    assert lines[PayType.HOURLY].amount_ore == 12 * 17250
    assert lines[PayType.OB_WEEKEND].minutes == 480
    assert PayType.MERTID not in lines


def test_on_call_is_paid_as_jour_without_ob() -> None:
    lines = pay(FULL_TIME, [entry(stockholm(2026, 10, 12, 22), stockholm(2026, 10, 13, 7),
                                  kind=TimeKind.ON_CALL)])
    assert list(lines) == [PayType.ON_CALL]
    assert (lines[PayType.ON_CALL].rate_ore, lines[PayType.ON_CALL].amount_ore) == (
        JOUR, 9 * JOUR)


def test_relative_carer_gets_no_ob_and_no_jour() -> None:
    carer = a_relative_carer()
    lines = pay(carer, [
        entry(stockholm(2026, 10, 10, 8), stockholm(2026, 10, 11, 8), id="a"),  # weekend
        entry(stockholm(2026, 10, 12, 22), stockholm(2026, 10, 13, 7), kind=TimeKind.ON_CALL,
              id="b"),
        entry(stockholm(2026, 12, 24, 8), stockholm(2026, 12, 24, 20), id="c"),
    ])
    assert list(lines) == [PayType.HOURLY]
    assert lines[PayType.HOURLY].minutes == 24 * 60


def test_pan_overtime_is_paid_at_timlon_with_the_bundled_values() -> None:
    pan = an_employee(agreement=Agreement.PAN, employment_percent=100,
                      monthly_wage=Money.kronor(30_000))
    lines = pay(pan, [entry(stockholm(2026, 10, 6, 16), stockholm(2026, 10, 6, 18),
                            kind=TimeKind.OVERTIME)],
                calendar=PayCalendar(RuleBook(bundled_parameters())))
    line = lines[PayType.OVERTIME_SIMPLE]
    assert (line.rate_ore, line.uncertain) == (TIMLON, True)


def test_lines_paid_from_uncertain_values_say_so() -> None:
    lines = pay(FULL_TIME, [entry(stockholm(2026, 12, 24, 8), stockholm(2026, 12, 24, 16))],
                month=dt.date(2026, 12, 1), calendar=PayCalendar(RuleBook(bundled_parameters())))
    assert lines[PayType.OB_MAJOR_HOLIDAY].uncertain
    assert lines[PayType.OB_MAJOR_HOLIDAY].rate_ore == 13070


def test_entries_belong_to_the_month_of_their_start() -> None:
    night = entry(stockholm(2026, 9, 30, 22), stockholm(2026, 10, 1, 6))
    assert pay(FULL_TIME, [night]) == {}
    assert pay(FULL_TIME, [night], month=dt.date(2026, 9, 1))[
        PayType.OB_WEEKDAY_NIGHT].minutes == 480


# --- properties ---------------------------------------------------------------------------
RED = holidays.country_holidays("SE", years=range(2023, 2031), categories=(PUBLIC, DE_FACTO),
                                language="en_US")
NAMED = ("Epiphany", "May Day", "Ascension Day", "National Day", "All Saints' Day")
DAY = dt.timedelta(days=1)


def _free(day: dt.date) -> bool:
    return day.weekday() >= 5 or day in RED


def _next_weekday(day: dt.date) -> dt.date:
    day += DAY
    while _free(day):
        day += DAY
    return day


@cache
def _windows(year: int) -> tuple[list[tuple[dt.datetime, dt.datetime]], ...]:
    """Helg and storhelg windows touching ``year``, as naive Stockholm wall-clock times,
    written from the definitions independently of the implementation."""
    at = dt.datetime.combine
    helg: list[tuple[dt.datetime, dt.datetime]] = []
    major: list[tuple[dt.datetime, dt.datetime]] = []
    for y in (year - 1, year, year + 1):
        for day in RED:
            if day.year == y and any(n in NAMED for n in RED.get_list(day)):
                helg.append((at(day - DAY, dt.time(16)), at(_next_weekday(day), dt.time(7))))
        midsummer_eve = next(dt.date(y, 6, d) for d in range(19, 26)
                             if dt.date(y, 6, d).weekday() == 4)
        for first, last in ((dt.date(y, 12, 24), dt.date(y, 12, 26)),
                            (dt.date(y - 1, 12, 31), dt.date(y, 1, 1)),
                            (easter(y) - 2 * DAY, easter(y) + DAY),
                            (midsummer_eve, midsummer_eve + DAY)):
            major.append((at(first - DAY, dt.time(18)), at(_next_weekday(last), dt.time(7))))
    return helg, major


def reference_category(local: dt.datetime) -> ObCategory:
    day, clock = local.date(), local.hour * 60 + local.minute
    category = NONE
    if day.weekday() <= 3 and 19 * 60 <= clock < 22 * 60:
        category = E
    if (day.weekday() <= 3 and clock >= 22 * 60) or (
            (day - DAY).weekday() <= 3 and clock < 6 * 60):
        category = N
    helg, major = _windows(day.year)
    weekday = day.weekday()
    if (weekday == 4 and clock >= 19 * 60) or weekday >= 5 or (weekday == 0 and clock < 7 * 60):
        category = W
    if any(a <= local < b for a, b in helg):
        category = W
    if any(a <= local < b for a, b in major):
        category = M
    night_before_free = (clock >= 22 * 60 and _free(day + DAY)) or (
        clock < 6 * 60 and _free(day))
    if category in (W, M) and night_before_free:
        category = ObCategory(category + 1)
    return category


def reference_day_type(local: dt.datetime) -> DayType:
    if _free(local.date()):
        return DayType.FREE_DAY
    clock = local.hour * 60 + local.minute
    return DayType.NIGHT if clock >= 20 * 60 or clock < 6 * 60 else DayType.WEEKDAY


# Start times spread over 2025–2027, with many near DST changes and holidays.
ANCHORS = [stockholm(2026, 3, 28, 20), stockholm(2026, 10, 24, 20), stockholm(2025, 3, 29, 21),
           stockholm(2025, 10, 25, 21), stockholm(2026, 12, 23, 12), stockholm(2026, 12, 30, 12),
           stockholm(2026, 4, 2, 12), stockholm(2026, 6, 18, 12), stockholm(2026, 5, 13, 12),
           stockholm(2027, 1, 5, 12), stockholm(2026, 10, 30, 12), stockholm(2025, 6, 5, 12)]
_BASE = stockholm(2025, 1, 1)
starts = st.one_of(
    st.integers(0, 3 * 365 * 24 * 60).map(lambda m: _BASE + dt.timedelta(minutes=m)),
    st.tuples(st.sampled_from(ANCHORS), st.integers(-36 * 60, 36 * 60)).map(
        lambda a: a[0] + dt.timedelta(minutes=a[1])),
)


@settings(max_examples=60, deadline=None)
@given(start=starts, length=st.integers(1, 2 * 24 * 60))
def test_every_minute_is_in_exactly_the_category_the_reference_gives(
        start: dt.datetime, length: int) -> None:
    begin = start.astimezone(UTC)
    finish = begin + dt.timedelta(minutes=length)
    found = classify_entry(CALENDAR, an_employee(), entry(begin, finish))
    expected = [0] * len(ObCategory)
    day_types = [0] * len(DayType)
    first = epoch_minute(begin)
    for minute in range(first, first + length):
        local = dt.datetime.fromtimestamp(minute * 60, STOCKHOLM).replace(tzinfo=None)
        expected[reference_category(local)] += 1
        day_types[reference_day_type(local)] += 1
    assert found == expected
    assert sum(found) == length
    timeline = CALENDAR.day_types(Agreement.AB)
    counted = [0] * len(ObCategory)
    timeline.add_minutes(first, first + length, counted)
    assert counted[:len(DayType)] == day_types


@settings(max_examples=60, deadline=None)
@given(start=starts, length=st.integers(2, 3 * 24 * 60),
       cuts=st.lists(st.floats(0.01, 0.99), min_size=1, max_size=4))
def test_totals_do_not_depend_on_how_a_shift_is_split(
        start: dt.datetime, length: int, cuts: list[float]) -> None:
    begin = start.astimezone(UTC)
    points = sorted({0, length, *(int(length * c) for c in cuts)})
    whole = classify_entry(CALENDAR, an_employee(), entry(
        begin, begin + dt.timedelta(minutes=length)))
    parts = [0] * len(ObCategory)
    for low, high in itertools.pairwise(points):
        piece = classify_entry(CALENDAR, an_employee(), entry(
            begin + dt.timedelta(minutes=low), begin + dt.timedelta(minutes=high)))
        parts = [a + b for a, b in zip(parts, piece, strict=True)]
    assert parts == whole


@settings(max_examples=40, deadline=None)
@given(day=st.integers(0, 20), hour=st.integers(0, 23), length=st.integers(60, 14 * 60),
       cut=st.floats(0.05, 0.95))
def test_monthly_minutes_do_not_depend_on_how_a_shift_is_split(
        day: int, hour: int, length: int, cut: float) -> None:
    begin = stockholm(2026, 10, 1 + day, hour)
    middle = begin + dt.timedelta(minutes=int(length * cut))
    end = begin + dt.timedelta(minutes=length)
    whole = monthly_pay(FULL_TIME, [entry(begin, end)], month=OCTOBER, calendar=CALENDAR)
    split = monthly_pay(FULL_TIME, [entry(begin, middle, id="a"), entry(middle, end, id="b")],
                        month=OCTOBER, calendar=CALENDAR)
    assert {(x.pay_type, x.minutes) for x in whole} == {(x.pay_type, x.minutes) for x in split}


kinds = st.sampled_from(list(TimeKind))


@settings(max_examples=40, deadline=None)
@given(shifts=st.lists(st.tuples(st.integers(0, 29 * 24 * 60), st.integers(15, 16 * 60),
                                 kinds, st.integers(0, 60)), min_size=1, max_size=12))
def test_relative_carers_never_get_ob_or_jour_lines(
        shifts: list[tuple[int, int, TimeKind, int]]) -> None:
    start = stockholm(2026, 12, 1)
    entries = [entry(start + dt.timedelta(minutes=offset),
                     start + dt.timedelta(minutes=offset + length), kind=kind,
                     pause=min(pause, length - 1), id=f"e{i}")
               for i, (offset, length, kind, pause) in enumerate(shifts)]
    lines = monthly_pay(a_relative_carer(), entries, month=dt.date(2026, 12, 1),
                        calendar=CALENDAR)
    assert not {line.pay_type for line in lines} & (OB_TYPES | {PayType.ON_CALL})


@pytest.mark.parametrize("pause", [0, 1, 30, 59])
def test_worked_spans_leave_out_exactly_the_break(pause: int) -> None:
    one = entry(stockholm(2026, 10, 6, 8), stockholm(2026, 10, 6, 9), pause=pause)
    assert sum(high - low for low, high in worked_spans(one)) == 60 - pause


# --- one calendar per rule set, shared between threads ------------------------------------
def test_books_with_equal_values_share_one_calendar_and_a_corrected_value_gets_its_own(
) -> None:
    first = shared_pay_calendar(rule_book())
    assert shared_pay_calendar(rule_book()) is first
    corrected = shared_pay_calendar(rule_book(ob__storhelg_includes_pingst=1))
    assert corrected is not first
    pentecost = stockholm(2026, 5, 24, 12)
    assert corrected.category_at(Agreement.AB, pentecost) is not \
        first.category_at(Agreement.AB, pentecost)


def test_threads_extending_one_shared_calendar_see_the_same_categories() -> None:
    shifts = [(stockholm(year, month, 1, 18), stockholm(year, month, 2, 8))
              for year in range(2022, 2031) for month in (1, 4, 6, 12)]
    expected = [categories(s, e, calendar=PayCalendar(rule_book())) for s, e in shifts]
    shared = PayCalendar(rule_book())  # empty: the threads build its years concurrently

    def classify(order: list[int]) -> list[tuple[int, dict[ObCategory, int]]]:
        return [(i, categories(*shifts[i], calendar=shared)) for i in order]

    orders = [list(range(len(shifts)))[::step] + list(range(len(shifts)))[1::step]
              for step in (1, 2, 3, 5)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = [dict(found) for found in pool.map(classify, orders)]
    for found in results:
        for i, got in found.items():
            assert got == expected[i]
