"""Checks of time reports before attestation, on hand-made entries (October 2026).

Monday 5 October 2026 is the reference day; the employee E0001 works 75 % of a 40-hour week
on a monthly wage, client C0001 has a decision for 60 h a week.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

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
