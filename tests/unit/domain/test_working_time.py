"""The working-time checker on hand-worked examples.

Times are Stockholm wall-clock times; October 2026 has 31 days and summer time ends on
Sunday 2026-10-25 (03:00 CEST → 02:00 CET), spring 2026 starts it on Sunday 2026-03-29
(02:00 CET → 03:00 CEST). Limits are the bundled rule values (checked below): 13 h shift,
11 h daily rest (9 h as the exception), 36 h weekly rest, 48 h a week on average.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from insats.domain.calendar import local_datetime
from insats.domain.common import DomainError, Minutes
from insats.domain.rules import RuleBook, bundled_parameters
from insats.domain.scheduling import PlannedShift, ShiftKind, ShiftStatus
from insats.domain.time_reports import TimeEntry, TimeEntryStatus, TimeKind
from insats.domain.working_time import (
    AverageLimit,
    BreachKind,
    Limit,
    ReferencePeriod,
    WorkingTimeBreach,
    WorkingTimeRules,
    WorkInterval,
    WorkKind,
    check_many,
    check_reported_time,
    check_working_time,
    intervals_from_shifts,
    intervals_from_time_entries,
)

SHIFT_MAX = Limit(780, "Bilaga J/PAN: 13 h")
DAILY = Limit(660, "dygnsvila 11 h")
REDUCED = Limit(540, "undantag 9 h")
WEEKLY = Limit(2160, "ATL 14 §")
RULES = WorkingTimeRules(shift_max=SHIFT_MAX, work_plus_on_call_max=Limit(1200, "20 h"),
                         daily_rest_min=DAILY, daily_rest_reduced_min=REDUCED,
                         weekly_rest_min=WEEKLY)
LENGTH = WorkingTimeRules(shift_max=SHIFT_MAX)


def at(month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return local_datetime(dt.date(2026, month, day), dt.time(hour, minute))


def work(id: str, start: dt.datetime, end: dt.datetime, **extra: object) -> WorkInterval:
    return WorkInterval(id, "E1", start, end, **extra)  # type: ignore[arg-type]


def kinds(breaches: list[WorkingTimeBreach]) -> list[BreachKind]:
    return [b.kind for b in breaches]


def only(rules: WorkingTimeRules, *intervals: WorkInterval) -> list[WorkingTimeBreach]:
    return check_working_time(intervals, rules)


def test_the_limits_are_the_bundled_rule_values() -> None:
    book = RuleBook(bundled_parameters())
    on = dt.date(2026, 10, 1)
    assert book.minutes("worktime.shift_max", on) == Minutes(SHIFT_MAX.minutes)
    assert book.minutes("worktime.daily_rest_min", on) == Minutes(DAILY.minutes)
    assert book.minutes("worktime.daily_rest_reduced_min", on) == Minutes(REDUCED.minutes)
    assert book.minutes("worktime.weekly_rest_min", on) == Minutes(WEEKLY.minutes)
    assert book.minutes("fk.assistant_avg_week_limit", on) == Minutes(2880)


# --- shift length ------------------------------------------------------------------------
def test_a_shift_of_13_and_a_half_hours_is_too_long() -> None:
    breaches = only(LENGTH, work("S1", at(10, 5, 7), at(10, 5, 20, 30)))
    assert len(breaches) == 1
    breach = breaches[0]
    assert (breach.kind, breach.measured_minutes, breach.limit_minutes) == (
        BreachKind.SHIFT_LENGTH, 810, 780)
    assert breach.interval_ids == ("S1",)
    assert breach.source == SHIFT_MAX.source
    assert "13,5\u00a0h" in breach.message and "högst 13\u00a0h" in breach.message


def test_exactly_13_hours_is_allowed() -> None:
    assert only(LENGTH, work("S1", at(10, 5, 7), at(10, 5, 20))) == []


def test_a_split_shift_counts_from_first_start_to_last_end() -> None:
    rules = LENGTH
    # 07–11 and 14–19: 12 h from start to end, allowed
    assert only(rules, work("A", at(10, 5, 7), at(10, 5, 11)),
                work("B", at(10, 5, 14), at(10, 5, 19))) == []
    # 07–11 and 14–21: 14 h
    breaches = only(rules, work("A", at(10, 5, 7), at(10, 5, 11)),
                    work("B", at(10, 5, 14), at(10, 5, 21)))
    assert [(b.kind, b.measured_minutes, b.interval_ids) for b in breaches] == [
        (BreachKind.SHIFT_LENGTH, 840, ("A", "B"))]


def test_two_clients_back_to_back_are_one_work_period() -> None:
    # 07–15 for one client, 15–22 for another: a 15-hour day
    breaches = only(LENGTH,
                    work("A", at(10, 5, 7), at(10, 5, 15)), work("B", at(10, 5, 15), at(10, 5, 22)))
    assert [(b.measured_minutes, b.interval_ids) for b in breaches] == [(900, ("A", "B"))]


def test_a_gap_of_four_hours_or_more_starts_a_new_work_period() -> None:
    rules = LENGTH
    assert only(rules, work("A", at(10, 5, 6), at(10, 5, 12)),
                work("B", at(10, 5, 16), at(10, 5, 23))) == []


def test_on_call_time_is_held_to_the_work_plus_on_call_limit() -> None:
    # 10 h work + 9 h jour back to back = 19 h ≤ 20 h
    assert [b for b in only(RULES, work("W", at(10, 5, 7), at(10, 5, 17)),
                            work("J", at(10, 5, 17), at(10, 6, 2), kind=WorkKind.ON_CALL))
            if b.kind is BreachKind.SHIFT_LENGTH] == []
    # 12 h work + 9 h jour = 21 h > 20 h
    breaches = [b for b in only(RULES, work("W", at(10, 5, 7), at(10, 5, 19)),
                                work("J", at(10, 5, 19), at(10, 6, 4), kind=WorkKind.ON_CALL))
                if b.kind is BreachKind.SHIFT_LENGTH]
    assert [(b.measured_minutes, b.limit_minutes) for b in breaches] == [(1260, 1200)]
    assert "jour" in breaches[0].message


# --- daily rest --------------------------------------------------------------------------
def test_two_shifts_eight_hours_apart_break_the_daily_rest_once() -> None:
    # 07–15, then 23–07: 8 h between them
    breaches = only(RULES, work("A", at(10, 5, 7), at(10, 5, 15)),
                    work("B", at(10, 5, 23), at(10, 6, 7)))
    assert len(breaches) == 1
    breach = breaches[0]
    assert (breach.kind, breach.measured_minutes, breach.limit_minutes) == (
        BreachKind.DAILY_REST, 480, 660)
    assert breach.interval_ids == ("A", "B")
    assert (breach.start, breach.end) == (at(10, 5, 7), at(10, 6, 7))
    assert breach.source == DAILY.source
    assert "8\u00a0h" in breach.message and "11\u00a0h" in breach.message
    assert "(arbete 07:00–2026-10-06 07:00)" in breach.message
    assert "undantag" not in breach.message  # 8 h is below even the 9 h exception


def test_nine_hours_of_rest_is_a_breach_that_mentions_the_exception() -> None:
    # evening 14–22, morning 07–15
    breaches = only(RULES, work("A", at(10, 5, 14), at(10, 5, 22)),
                    work("B", at(10, 6, 7), at(10, 6, 15)))
    assert [(b.kind, b.measured_minutes) for b in breaches] == [(BreachKind.DAILY_REST, 540)]
    assert "undantag" in breaches[0].message and "ned till 9\u00a0h" in breaches[0].message


def test_exactly_eleven_hours_of_rest_is_enough() -> None:
    assert only(RULES, work("A", at(10, 5, 7), at(10, 5, 20)),
                work("B", at(10, 6, 7), at(10, 6, 15))) == []


def test_a_split_shift_gap_is_not_a_daily_rest_breach() -> None:
    # 07–11 and 15–19, next day 07–11: the 24 h from 07:00 hold 12 h rest (19–07)
    assert only(RULES, work("A", at(10, 5, 7), at(10, 5, 11)),
                work("B", at(10, 5, 15), at(10, 5, 19)),
                work("C", at(10, 6, 7), at(10, 6, 11))) == []


def test_a_chain_of_short_rests_gives_one_breach_per_rest() -> None:
    # 07–15, 23–07, 15–23: two rests of 8 h
    breaches = only(WorkingTimeRules(daily_rest_min=DAILY),
                    work("A", at(10, 5, 7), at(10, 5, 15)), work("B", at(10, 5, 23), at(10, 6, 7)),
                    work("C", at(10, 6, 15), at(10, 6, 23)))
    assert [(b.measured_minutes, b.interval_ids) for b in breaches] == [
        (480, ("A", "B")), (480, ("B", "C"))]


def test_rest_across_the_end_of_summer_time_is_counted_in_real_hours() -> None:
    # Saturday 2026-10-24 ends 22:00 CEST; Sunday starts 08:00 CET: 10 h on the clock,
    # 11 real hours of rest → allowed
    assert only(WorkingTimeRules(daily_rest_min=DAILY), work("A", at(10, 24, 12), at(10, 24, 22)),
                work("B", at(10, 25, 8), at(10, 25, 16))) == []


def test_rest_across_the_start_of_summer_time_is_an_hour_shorter() -> None:
    # Saturday 2026-03-28 ends 21:00 CET; Sunday starts 08:00 CEST: 11 h on the clock,
    # 10 real hours of rest → breach
    breaches = only(WorkingTimeRules(daily_rest_min=DAILY),
                    work("A", at(3, 28, 12), at(3, 28, 21)), work("B", at(3, 29, 8), at(3, 29, 16)))
    assert [(b.kind, b.measured_minutes) for b in breaches] == [(BreachKind.DAILY_REST, 600)]


def test_a_night_shift_across_the_clock_change_has_its_real_length() -> None:
    # 20:00 Saturday → 08:00 Sunday 2026-10-25 is 12 h on the clock but 13 real hours
    night = work("N", at(10, 24, 20), at(10, 25, 8))
    assert night.span_minutes == 13 * 60
    assert only(LENGTH, night) == []
    longer = work("N", at(10, 24, 20), at(10, 25, 8, 30))
    assert [b.measured_minutes for b in only(LENGTH, longer)] == [810]


# --- weekly rest -------------------------------------------------------------------------
def week_of_days(days: range, start: int, end: int, month: int = 10) -> list[WorkInterval]:
    return [work(f"D{day}", at(month, day, start), at(month, day, end)) for day in days]


def test_monday_to_friday_days_leave_the_weekend_as_weekly_rest() -> None:
    # week 41: Mon 5 – Fri 9 October, 07–16; rest Fri 16:00 → Mon 00:00 = 56 h
    assert only(WorkingTimeRules(weekly_rest_min=WEEKLY), *week_of_days(range(5, 10), 7, 16)) == []


def test_six_days_leave_only_32_hours() -> None:
    # Mon 5 – Sat 10 October, 07–16: Sat 16:00 → Mon 00:00 = 32 h
    breaches = only(WorkingTimeRules(weekly_rest_min=WEEKLY), *week_of_days(range(5, 11), 7, 16))
    assert len(breaches) == 1
    breach = breaches[0]
    assert (breach.kind, breach.measured_minutes, breach.limit_minutes) == (
        BreachKind.WEEKLY_REST, 32 * 60, 36 * 60)
    assert (breach.start, breach.end) == (at(10, 5, 0), at(10, 12, 0))
    assert breach.interval_ids == tuple(f"D{d}" for d in range(5, 11))
    assert "Vecka 41" in breach.message and "2026-10-05–2026-10-11" in breach.message


def test_the_week_summer_time_ends_has_one_hour_more() -> None:
    # week 43: Mon 19 – Sat 24 October 07–19; Sat 19:00 CEST → Mon 26 00:00 CET = 30 h
    breaches = only(WorkingTimeRules(weekly_rest_min=WEEKLY), *week_of_days(range(19, 25), 7, 19))
    assert [b.measured_minutes for b in breaches] == [30 * 60]


def test_rest_must_lie_inside_the_calendar_week() -> None:
    # off Sunday 11 and Monday 12 (63 h in a row), working Tue 6 – Sat 10 and Tue 13 –
    # Sun 18, 07–16: week 41 ends with Sat 16:00 → Mon 00:00 = 32 h; week 42 has only
    # Mon 00:00 → Tue 07:00 = 31 h
    intervals = week_of_days(range(6, 11), 7, 16) + week_of_days(range(13, 19), 7, 16)
    breaches = only(WorkingTimeRules(weekly_rest_min=WEEKLY), *intervals)
    assert [b.measured_minutes for b in breaches] == [32 * 60, 31 * 60]


# --- averages ----------------------------------------------------------------------------
FK_MONTH = AverageLimit(2880, "FK 48 h", ReferencePeriod(months=1))


def test_more_than_48_hours_a_week_in_a_31_day_month() -> None:
    # October: 48 × 31 / 7 = 212,57 h allowed. 22 shifts of 10 h = 220 h; the running
    # total passes the limit with the 22nd (21 × 10 = 210 h ≤ 212,57 h)
    intervals = [work(f"S{d:02d}", at(10, d, 8), at(10, d, 18)) for d in range(1, 23)]
    breaches = only(WorkingTimeRules(averages=(FK_MONTH,)), *intervals)
    assert len(breaches) == 1
    breach = breaches[0]
    assert (breach.kind, breach.measured_minutes, breach.limit_minutes) == (
        BreachKind.AVERAGE_WEEK, 13200, 12754)
    assert breach.interval_ids == ("S22",)
    assert (breach.start, breach.end) == (at(10, 1, 0), at(11, 1, 0))
    assert breach.message.startswith("Oktober 2026: 220,0\u00a0h")
    assert "212,6\u00a0h" in breach.message and "31 dagar" in breach.message


def test_21_shifts_of_ten_hours_stay_under_the_monthly_limit() -> None:
    intervals = [work(f"S{d:02d}", at(10, d, 8), at(10, d, 18)) for d in range(1, 22)]
    assert only(WorkingTimeRules(averages=(FK_MONTH,)), *intervals) == []


def test_a_night_across_the_month_end_is_split_at_midnight() -> None:
    # 1–30 October 08:00–15:04 = 30 × 424 min = 212 h ≤ 212,57 h; a night 31 Oct 22:00 –
    # 1 Nov 06:00 puts 2 h in October (12 840 min > 12 754) and 6 h in November
    intervals = [work(f"S{d:02d}", at(10, d, 8), at(10, d, 15, 4)) for d in range(1, 31)]
    intervals.append(work("N", at(10, 31, 22), at(11, 1, 6)))
    breaches = only(WorkingTimeRules(averages=(FK_MONTH,)), *intervals)
    assert [(b.measured_minutes, b.interval_ids) for b in breaches] == [(30 * 424 + 120, ("N",))]


def test_a_break_is_not_working_time() -> None:
    # 22 shifts of 10 h with a 30-minute break: 22 × 9,5 = 209 h ≤ 212,57 h
    intervals = [work(f"S{d:02d}", at(10, d, 8), at(10, d, 18), break_minutes=30)
                 for d in range(1, 23)]
    assert only(WorkingTimeRules(averages=(FK_MONTH,)), *intervals) == []


def test_four_week_blocks_count_from_the_anchor_monday() -> None:
    four_weeks = AverageLimit(2880, "4 veckor",
                              ReferencePeriod(weeks=4, anchor=dt.date(2026, 10, 5)))
    # 5 Oct – 1 Nov (28 days, 192 h allowed): 20 shifts of 10 h = 200 h
    days = [5, 6, 7, 8, 9, 12, 13, 14, 15, 16, 19, 20, 21, 22, 23, 26, 27, 28, 29, 30]
    intervals = [work(f"S{d:02d}", at(10, d, 7), at(10, d, 17)) for d in days]
    breaches = only(WorkingTimeRules(averages=(four_weeks,)), *intervals)
    assert [(b.measured_minutes, b.limit_minutes, b.interval_ids) for b in breaches] == [
        (12000, 11520, ("S30",))]
    assert breaches[0].message.startswith("Vecka 41–44 (2026-10-05–2026-11-01)")


def test_reference_blocks() -> None:
    assert ReferencePeriod(months=4).block_of(dt.date(2026, 6, 15)) == (
        dt.date(2026, 5, 1), dt.date(2026, 9, 1))
    assert ReferencePeriod(months=1).block_of(dt.date(2026, 12, 31)) == (
        dt.date(2026, 12, 1), dt.date(2027, 1, 1))
    assert ReferencePeriod(weeks=4).block_of(dt.date(2026, 10, 19)) == (
        dt.date(2026, 10, 5), dt.date(2026, 11, 2))
    assert ReferencePeriod(weeks=4).block_of(dt.date(2023, 12, 31)) == (
        dt.date(2023, 12, 4), dt.date(2024, 1, 1))
    with pytest.raises(DomainError):
        ReferencePeriod(months=1, weeks=4)
    with pytest.raises(DomainError):
        ReferencePeriod(weeks=4, anchor=dt.date(2026, 10, 6))


# --- overlaps, stand-by, several employees ------------------------------------------------
def test_a_double_booking_is_found() -> None:
    breaches = only(WorkingTimeRules(), work("A", at(10, 5, 7), at(10, 5, 15)),
                    work("B", at(10, 5, 14), at(10, 5, 20)))
    assert [(b.kind, b.measured_minutes, b.interval_ids) for b in breaches] == [
        (BreachKind.OVERLAP, 60, ("A", "B"))]


def test_stand_by_is_not_working_time_but_breaks_the_rest() -> None:
    standby = work("B", at(10, 5, 16), at(10, 6, 6), kind=WorkKind.STAND_BY)
    assert standby.worked_minutes == 0
    breaches = only(RULES, work("A", at(10, 5, 7), at(10, 5, 16)), standby,
                    work("C", at(10, 6, 7), at(10, 6, 16)))
    assert kinds(breaches) == [BreachKind.DAILY_REST]


def test_one_employee_at_a_time_and_check_many_splits_them() -> None:
    a = WorkInterval("A", "E1", at(10, 5, 7), at(10, 5, 15))
    b = WorkInterval("B", "E1", at(10, 5, 23), at(10, 6, 7))
    c = WorkInterval("C", "E2", at(10, 5, 7), at(10, 5, 15))
    with pytest.raises(DomainError):
        check_working_time([a, c], RULES)
    assert {k: kinds(v) for k, v in check_many([a, b, c], RULES).items()} == {
        "E1": [BreachKind.DAILY_REST]}
    assert check_working_time([], RULES) == []


def test_bad_intervals_are_refused() -> None:
    with pytest.raises(DomainError):
        work("A", at(10, 5, 15), at(10, 5, 7))
    with pytest.raises(DomainError):
        work("A", at(10, 5, 7), at(10, 5, 8), break_minutes=60)
    with pytest.raises(DomainError):
        WorkInterval("A", "E1", dt.datetime(2026, 10, 5, 7), dt.datetime(2026, 10, 5, 8))


def test_shifts_and_time_entries_become_intervals() -> None:
    shifts = [
        PlannedShift("S1", "G1", at(10, 5, 7), at(10, 5, 15), employee_id="E1"),
        PlannedShift("S2", "G1", at(10, 5, 7), at(10, 5, 15)),  # open: nobody works it
        PlannedShift("S3", "G1", at(10, 6, 7), at(10, 6, 15), employee_id="E1",
                     status=ShiftStatus.CANCELLED),
        PlannedShift("S4", "G1", at(10, 6, 22), at(10, 7, 7), employee_id="E1",
                     kind=ShiftKind.ON_CALL),
    ]
    assert [(i.id, i.kind) for i in intervals_from_shifts(shifts)] == [
        ("S1", WorkKind.WORK), ("S4", WorkKind.ON_CALL)]
    entries = [
        TimeEntry("T1", "E1", "G1", at(10, 5, 7), at(10, 5, 15), kind=TimeKind.OVERTIME),
        TimeEntry("T2", "E1", "G1", at(10, 6, 7), at(10, 6, 15),
                  status=TimeEntryStatus.REJECTED),
        TimeEntry("T3", "E1", "G1", at(10, 7, 7), at(10, 7, 15), kind=TimeKind.STAND_BY),
    ]
    assert [(i.id, i.kind) for i in intervals_from_time_entries(entries)] == [
        ("T1", WorkKind.WORK), ("T3", WorkKind.STAND_BY)]


def test_a_focus_keeps_only_the_breaches_that_meet_it_and_changes_none_of_them() -> None:
    # weeks 41 and 42 both lack weekly rest (see above), and the 8-hour rest Sat 10 → the
    # 23:00 evening shift breaks the daily rest in week 41 only
    intervals = (week_of_days(range(6, 11), 7, 16) + week_of_days(range(13, 19), 7, 16)
                 + [work("N10", at(10, 10, 18), at(10, 10, 22))])
    everything = check_working_time(intervals, RULES)
    week_42 = (at(10, 12, 0), at(10, 19, 0))
    focused = check_working_time(intervals, RULES, focus=week_42)
    assert focused == [b for b in everything if b.start < week_42[1] and week_42[0] < b.end]
    assert [b.kind for b in focused] == [BreachKind.WEEKLY_REST]
    assert len(everything) > len(focused)
    assert check_many(intervals, RULES, focus=week_42) == {"E1": focused}


_KINDS = st.sampled_from(list(TimeKind))
_STATUSES = st.sampled_from([TimeEntryStatus.REPORTED, TimeEntryStatus.REJECTED])


@st.composite
def _reported_week(draw: st.DrawFn) -> list[TimeEntry]:
    """One employee's entries over two weeks around the October DST change: any kind,
    reported or rejected, overlapping or not, with breaks."""
    entries = []
    for number in range(draw(st.integers(0, 14))):
        start = at(10, 20, 0) + dt.timedelta(minutes=15 * draw(st.integers(0, 14 * 96)))
        length = 15 * draw(st.integers(1, 64))
        entries.append(TimeEntry(
            f"T{number}", "E1", "G1", start, start + dt.timedelta(minutes=length),
            kind=draw(_KINDS), status=draw(_STATUSES),
            break_minutes=draw(st.integers(0, min(60, length - 1)))))
    return entries


@given(_reported_week())
def test_time_entries_are_checked_as_their_intervals(entries: list[TimeEntry]) -> None:
    """The checks before attestation take time entries straight into the rules' spans:
    the same breaches as the entries turned into intervals (rejected rows left out, on
    call and stand-by kept apart), every rule and a monthly average included."""
    rules = dataclasses.replace(RULES, averages=(FK_MONTH,))
    assert check_reported_time(entries, rules) == check_working_time(
        intervals_from_time_entries(entries), rules)
    focus = (at(10, 26, 0), at(10, 27, 0))
    assert check_reported_time(entries, rules, focus=focus) == check_working_time(
        intervals_from_time_entries(entries), rules, focus=focus)
