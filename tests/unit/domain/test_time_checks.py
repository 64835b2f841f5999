"""Checks of time reports before attestation, on hand-made entries (October 2026).

Monday 5 October 2026 is the reference day; the employee E0001 works 75 % of a 40-hour week
on a monthly wage, client C0001 has a decision for 60 h a week.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from insats.domain.calendar import local_datetime
from insats.domain.common import Period
from insats.domain.decisions import Decision
from insats.domain.ob_calendar import PayCalendar
from insats.domain.rules import RuleBook, bundled_parameters
from insats.domain.time_checks import (
    CheckContext,
    FlagCode,
    Severity,
    TimeFlag,
    check_time_entries,
    context_span,
)
from insats.domain.time_reports import TimeEntry, TimeEntryStatus, TimeKind
from insats.domain.working_time import AverageLimit, Limit, ReferencePeriod, WorkingTimeRules
from tests.builders import a_decision, a_relative_carer, a_time_entry, an_employee, stockholm

CALENDAR = PayCalendar(RuleBook(bundled_parameters()))
RULES = WorkingTimeRules(
    shift_max=Limit(13 * 60, "AB: 13 h"),
    work_plus_on_call_max=Limit(20 * 60, "AB: 20 h"),
    daily_rest_min=Limit(11 * 60, "AB: 11 h"),
    weekly_rest_min=Limit(36 * 60, "ATL 14 §"),
    averages=(AverageLimit(48 * 60, "SFB 51:16", ReferencePeriod(months=1)),),
)
EMPLOYEES = {e.id: e for e in (an_employee(), an_employee(id="E0002", employment_percent=100),
                               a_relative_carer())}


def context(*, decisions: Sequence[Decision] | None = None,
            cover: Mapping[str, Sequence[tuple[dt.datetime, dt.datetime]]] | None = None
            ) -> CheckContext:
    return CheckContext(EMPLOYEES, CALENDAR, RULES,
                        {"C0001": [a_decision()] if decisions is None else list(decisions)},
                        cover or {})


def entry(id: str, day: int, begin: int, finish: int, **extra: Any) -> TimeEntry:
    """An entry on October ``day`` 2026 from ``begin`` to ``finish`` o'clock (next day
    when ``finish`` is not after ``begin``)."""
    end_day = day if finish > begin else day + 1
    return a_time_entry(id=id, start=stockholm(2026, 10, day, begin),
                        end=stockholm(2026, 10, end_day, finish),
                        reported_on=dt.date(2026, 10, end_day), **extra)


def codes(found: list[TimeFlag]) -> set[FlagCode]:
    return {f.code for f in found}


def check(*entries: TimeEntry, ctx: CheckContext | None = None) -> dict[str, list[TimeFlag]]:
    return check_time_entries(entries, entries, ctx or context())


def test_a_clean_day_shift_has_no_flags() -> None:
    assert check(entry("T1", 5, 7, 15), entry("T2", 6, 7, 15)) == {"T1": [], "T2": []}


def test_a_relative_carer_claiming_ob_is_flagged_with_the_pan_rule() -> None:
    found = check(entry("T1", 5, 18, 23, employee_id="E0100"))["T1"]
    assert codes(found) == {FlagCode.OB_NOT_GIVEN}
    assert found[0].severity is Severity.ERROR
    assert "PAN" in found[0].rule and "anhörigvårdare" in found[0].text


def test_a_relative_carer_without_ob_claim_is_clean() -> None:
    assert check(entry("T1", 5, 18, 23, employee_id="E0100", ob_claimed=False))["T1"] == []


def test_ob_claimed_on_evening_overtime_is_flagged() -> None:
    cover = {"G0001": [(stockholm(2026, 10, 5, 0), stockholm(2026, 10, 6, 0))]}
    found = check(entry("T1", 5, 18, 22, employee_id="E0002", kind=TimeKind.OVERTIME),
                  ctx=context(cover=cover))["T1"]
    assert codes(found) == {FlagCode.OB_NOT_GIVEN}
    assert "övertid" in found[0].text


def test_overtime_of_a_part_timer_under_full_time_is_mertid() -> None:
    cover = {"G0001": [(stockholm(2026, 10, 5, 0), stockholm(2026, 10, 6, 0))]}
    found = check(entry("T1", 5, 8, 12, kind=TimeKind.OVERTIME, ob_claimed=False),
                  ctx=context(cover=cover))["T1"]
    assert codes(found) == {FlagCode.OVERTIME_NOT_GIVEN}
    assert "mertid" in found[0].text


def test_overtime_of_a_part_timer_beyond_full_time_is_not_flagged_as_mertid() -> None:
    week = [entry(f"D{day}", day, 6, 15) for day in range(5, 10)]  # 5 × 9 h = 45 h
    extra = entry("T1", 10, 8, 12, kind=TimeKind.OVERTIME, ob_claimed=False)
    cover = {"G0001": [(stockholm(2026, 10, 10, 0), stockholm(2026, 10, 11, 0))]}
    found = check(*week, extra, ctx=context(cover=cover))["T1"]
    assert FlagCode.OVERTIME_NOT_GIVEN not in codes(found)


def test_overtime_with_no_absence_or_open_shift_behind_it() -> None:
    overtime = entry("T1", 5, 8, 12, employee_id="E0002", kind=TimeKind.OVERTIME,
                     ob_claimed=False)
    assert codes(check(overtime)["T1"]) == {FlagCode.OVERTIME_NO_COVER}
    other_group = {"G0002": [(stockholm(2026, 10, 5, 0), stockholm(2026, 10, 6, 0))]}
    assert codes(check(overtime, ctx=context(cover=other_group))["T1"]) == {
        FlagCode.OVERTIME_NO_COVER}
    covered = {"G0001": [(stockholm(2026, 10, 5, 11), stockholm(2026, 10, 5, 19))]}
    assert check(overtime, ctx=context(cover=covered))["T1"] == []


def test_time_with_no_active_decision() -> None:
    ended = a_decision(period=Period(dt.date(2026, 1, 1), dt.date(2026, 10, 6)))
    found = check(entry("T1", 5, 7, 15), entry("T2", 6, 7, 15), ctx=context(decisions=[ended]))
    assert found["T1"] == []
    assert codes(found["T2"]) == {FlagCode.NO_DECISION}


def test_time_beyond_the_decisions_hours_flags_from_the_entry_that_passes() -> None:
    small = a_decision(granted_minutes_per_week=7 * 60)  # 31 h in October
    days = [entry(f"T{day}", day, 7, 15) for day in (5, 6, 7, 8, 9)]  # 5 × 8 h
    found = check(*days, ctx=context(decisions=[small]))
    assert [found[f"T{day}"] for day in (5, 6, 7)] == [[], [], []]  # 24 h
    assert codes(found["T8"]) == codes(found["T9"]) == {FlagCode.BEYOND_DECISION}
    flag = found["T9"][0]
    assert flag.entry_ids == ("T8", "T9")  # 32 h passes the 31
    assert "31" in flag.text and "40" in flag.text


def test_short_daily_rest_comes_from_the_working_time_rules() -> None:
    found = check(entry("T1", 5, 7, 16), entry("T2", 6, 0, 6))
    assert codes(found["T1"]) == {FlagCode.DAILY_REST}
    assert codes(found["T2"]) == {FlagCode.DAILY_REST}
    assert found["T1"][0].entry_ids == ("T1", "T2")


def test_a_shift_over_13_hours() -> None:
    found = check(entry("T1", 5, 7, 21))["T1"]
    # 14 h of work also leaves only 10 h of rest in the 24 hours from its start
    assert codes(found) == {FlagCode.SHIFT_LENGTH, FlagCode.DAILY_REST}
    assert [f.rule for f in found if f.code is FlagCode.SHIFT_LENGTH] == ["AB: 13 h"]


def test_no_weekly_rest_of_36_hours() -> None:
    week = [entry(f"T{day}", day, 7, 15) for day in range(5, 12)]  # Monday to Sunday
    found = check(*week)
    assert all(FlagCode.WEEKLY_REST in codes(found[f"T{day}"]) for day in range(5, 12))


def test_48_hours_a_week_on_average_counts_every_client() -> None:
    rules = WorkingTimeRules(averages=(
        AverageLimit(48 * 60, "SFB 51:16", ReferencePeriod(months=1)),))
    ctx = CheckContext(EMPLOYEES, CALENDAR, rules,
                       {"C0001": [a_decision()], "C0002": [a_decision(client_id="C0002")]},
                       {})
    entries = [entry(f"A{day}", day, 6, 18, client_id="C0001" if day % 2 else "C0002",
                     group_id="G0001" if day % 2 else "G0002")
               for day in range(1, 32)]  # 31 × 12 h = 372 h > 212,6 h
    found = check_time_entries(entries, entries, ctx)
    assert FlagCode.AVERAGE_WEEK in codes(found["A31"])
    assert FlagCode.AVERAGE_WEEK not in codes(found["A1"])


def test_a_relative_carer_working_for_another_client() -> None:
    ctx = CheckContext(EMPLOYEES, CALENDAR, RULES,
                       {"C0001": [a_decision()], "C0002": [a_decision(client_id="C0002")]},
                       {})
    found = check(entry("T1", 5, 7, 15, employee_id="E0100", ob_claimed=False,
                        client_id="C0002"), ctx=ctx)["T1"]
    assert codes(found) == {FlagCode.RELATIVE_OTHER_CLIENT}
    assert "C0002" in found[0].text


def test_the_same_interval_twice_is_a_duplicate_not_an_overlap() -> None:
    found = check(entry("T1", 5, 7, 15), entry("T2", 5, 7, 15))
    assert codes(found["T1"]) == {FlagCode.DUPLICATE}
    assert found["T1"][0].entry_ids == ("T1", "T2")


def test_overlapping_entries() -> None:
    found = check(entry("T1", 5, 7, 15), entry("T2", 5, 12, 18, group_id="G0002"))
    assert codes(found["T1"]) == {FlagCode.OVERLAP}
    assert found["T2"][0].severity is Severity.ERROR


def test_rejected_and_replaced_entries_do_not_count() -> None:
    rejected = entry("T2", 5, 7, 15, status=TimeEntryStatus.REJECTED)
    old = entry("T3", 6, 7, 15, status=TimeEntryStatus.ATTESTED,
                attested_at=stockholm(2026, 10, 7, 9), attested_by="chef")
    fixed = entry("T4", 6, 7, 14, corrects_entry_id="T3")
    found = check_time_entries([entry("T1", 5, 7, 15), fixed],
                               [rejected, old, fixed], context())
    assert found == {"T1": [], "T4": []}


def test_the_context_span_is_the_calendar_weeks_and_a_day_or_two_around() -> None:
    # October 2026 begins on a Thursday and ends on a Saturday: the weeks run from Monday
    # 28 September to Monday 2 November, with a day before that Monday
    october = (stockholm(2026, 10, 1), stockholm(2026, 11, 1))
    assert context_span(*october, RULES) == (stockholm(2026, 9, 27), stockholm(2026, 11, 2))
    # June 2026 begins on a Monday: two days before it (a daily rest's 24 hours from the
    # start of a run of work), and its last week ends on Monday 6 July
    june = (stockholm(2026, 6, 1), stockholm(2026, 7, 1))
    assert context_span(*june, RULES) == (stockholm(2026, 5, 30), stockholm(2026, 7, 6))
    # a night shift of the last day ending on a Sunday: a day after it
    assert context_span(stockholm(2026, 5, 1), stockholm(2026, 5, 31, 7), RULES)[1] == \
        stockholm(2026, 6, 1, 7)


def test_the_context_span_holds_the_blocks_of_every_average() -> None:
    four_weeks = WorkingTimeRules(averages=(AverageLimit(
        40 * 60, "Avtal", ReferencePeriod(weeks=4, anchor=dt.date(2026, 1, 5))),))
    # blocks of four weeks from 5 January: 14 September–12 October, 12 October–9 November;
    # an entry running into the first block from the day before it counts in it; the time
    # after the checked entries changes nothing in whether they are over the average
    assert context_span(stockholm(2026, 10, 1), stockholm(2026, 11, 1), four_weeks) == (
        stockholm(2026, 9, 13), stockholm(2026, 11, 2))


_KINDS = (TimeKind.ORDINARY, TimeKind.ORDINARY, TimeKind.OVERTIME, TimeKind.ON_CALL)
_BEFORE = 16  # days drawn before the checked month (and about as many after it)
_DAYS = 63
_WORKDAY = st.tuples(st.integers(0, 23), st.integers(1, 16), st.sampled_from(_KINDS))
_SCHEDULES = st.tuples(*(st.lists(st.one_of(st.none(), _WORKDAY, st.tuples(_WORKDAY, _WORKDAY)),
                                  min_size=_DAYS, max_size=_DAYS) for _ in range(2)))
# June begins on a Monday, September ends on a Wednesday, October ends on a Saturday and
# November begins on a Sunday (2026)
_MONTHS = st.sampled_from((6, 9, 10, 11))


def _entries_of(first_day: dt.date, schedules: Sequence[Sequence[Any]]) -> list[TimeEntry]:
    """Each employee's days from ``first_day``: nothing, a workday, or two (hour, hours,
    kind)."""
    entries: list[TimeEntry] = []
    for employee_id, days in zip(("E0001", "E0002"), schedules, strict=True):
        for offset, worked in enumerate(days):
            day = first_day + dt.timedelta(days=offset)
            for hour, hours, kind in (() if worked is None else
                                      worked if isinstance(worked[0], tuple) else (worked,)):
                start = local_datetime(day, dt.time(hour))
                entries.append(a_time_entry(
                    id=f"T{len(entries):03d}", employee_id=employee_id, start=start,
                    end=start + dt.timedelta(hours=hours), kind=kind, reported_on=day))
    return entries


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_MONTHS, _SCHEDULES)
def test_entries_outside_the_context_span_change_no_flag(
        month: int, schedules: tuple[list[Any], list[Any]]) -> None:
    """The month's entries get the same flags with only the employees' entries in
    :func:`context_span` as context as with all of them, whatever lies around: the span is
    all the checks need (entries of at most 16 hours)."""
    month_start, month_end = stockholm(2026, month, 1), stockholm(2026, month + 1, 1)
    entries = _entries_of(month_start.date() - dt.timedelta(days=_BEFORE), schedules)
    checked = [e for e in entries if month_start <= e.start < month_end]
    if not checked:
        return
    low, high = context_span(month_start, max(month_end, max(e.end for e in checked)), RULES)
    near = [e for e in entries if low <= e.start < high]
    ctx = context(cover={"G0001": [(month_start, stockholm(2026, month, 10))]})
    everything = check_time_entries(checked, entries, ctx)
    within = check_time_entries(checked, near, ctx)
    assert {i: codes(f) for i, f in within.items()} == \
        {i: codes(f) for i, f in everything.items()}
