"""Staffing density by hand: children, staff, need and staff above need per hour, the
night rule, breaks placed where the staff left meet the need, the unit's own rule from
dated parameters, and a need per hour turned into the planner's positions."""

from __future__ import annotations

import datetime as dt

import pytest

from insats.domain.calendar import local_datetime
from insats.domain.common import DomainError
from insats.domain.density import (
    BreakRule,
    Presence,
    StaffingRule,
    StaffShift,
    need_by_horizon_hour,
    positions_for_need,
    staffing_rule,
    unit_density,
)
from insats.domain.rules.parameters import (
    Certainty,
    ParameterUnit,
    RuleBook,
    RuleParameter,
    bundled_parameters,
)

DAY = dt.date(2026, 3, 10)  # a Tuesday
BREAKS = BreakRule(minutes=30, longer_than=360, max_continuous=300)
RULE = StaffingRule("U1", children_per_staff=3, min_staff=1, night_staff=1)


def at(hour: int, minute: int = 0, day: dt.date = DAY) -> dt.datetime:
    return local_datetime(day, dt.time(hour, minute))


def child(n: int, start: dt.datetime, end: dt.datetime) -> Presence:
    return Presence("U1", f"C{n}", start, end)


def shift(n: int, start: dt.datetime, end: dt.datetime, **extra: object) -> StaffShift:
    return StaffShift(f"S{n}", "U1", start, end, **extra)  # type: ignore[arg-type]


def whole_day(rule: StaffingRule, children: list[Presence], shifts: list[StaffShift]):  # type: ignore[no-untyped-def]
    return unit_density(rule, children, shifts, BREAKS, at(0), at(0, day=DAY + dt.timedelta(1)))


def test_two_staff_for_three_children_is_one_staff_hour_above_need_each_hour() -> None:
    children = [child(n, at(15), at(18)) for n in range(3)]
    shifts = [shift(1, at(15), at(18), hourly_cost=20000),
              shift(2, at(15), at(18), hourly_cost=30000)]
    density = whole_day(RULE, children, shifts)
    for hour in (15, 16, 17):
        figures = density.hours[(DAY, hour)]
        assert (figures.child_minutes, figures.staff_minutes, figures.need_minutes,
                figures.above_minutes) == (180, 120, 60, 60)
        assert figures.above_cost == pytest.approx(25000)  # the mean of 200 and 300 kr
        assert density.need_per_hour[(DAY, hour)] == 1
    total = density.total()
    assert (total.above_minutes, round(total.above_cost)) == (180, 75000)
    assert density.need_per_hour[(DAY, 14)] == 0 and density.breaks == ()


def test_a_fourth_child_needs_the_second_staff_member() -> None:
    children = [child(n, at(15), at(18)) for n in range(4)]
    shifts = [shift(1, at(15), at(18)), shift(2, at(15), at(18))]
    density = whole_day(RULE, children, shifts)
    assert density.total().above_minutes == 0
    assert density.need_per_hour[(DAY, 16)] == 2


def test_a_part_hour_counts_by_the_quarter() -> None:
    # staff from 14:30, the children from 15:00: two staff-quarters above need at 14
    children = [child(n, at(15), at(18)) for n in range(4)]
    shifts = [shift(1, at(14, 30), at(18)), shift(2, at(14, 30), at(18))]
    density = whole_day(RULE, children, shifts)
    assert density.hours[(DAY, 14)].above_minutes == 60
    assert density.total().above_minutes == 60
    # staff with no known wage: the minutes are counted, not costed
    assert density.unknown_cost_minutes == 60


def test_sovande_jour_counts_only_at_night() -> None:
    rule = StaffingRule("U1", 2, 1, night_staff=1, night_start=22 * 60, night_end=6 * 60 + 30)
    evening = DAY - dt.timedelta(days=1)
    children = [child(1, at(15, day=evening), at(9))]
    jour = shift(1, at(22, day=evening), at(7), on_call=True)  # runs past the night
    morning = shift(2, at(6, 30), at(9))
    density = unit_density(rule, children, [jour, morning], BREAKS, at(0), at(12))
    assert density.total().above_minutes == 0
    assert density.hours[(DAY, 3)].staff_minutes == 60  # jour at night
    assert density.hours[(DAY, 6)].staff_minutes == 60  # jour to 06:30, then the morning
    # with no child staying the night, the jour is all above the need
    empty = unit_density(rule, [], [jour], BREAKS, at(0), at(12))
    assert empty.total().above_minutes == 6 * 60 + 30


def test_breaks_go_where_the_children_are_away_and_are_staggered() -> None:
    # four children 14:30-22:00, two of them away 17-18; two staff with 30 min breaks
    children = [child(n, at(14, 30), at(22)) for n in range(2)]
    children += [child(n, at(14, 30), at(17)) for n in (2, 3)]
    children += [child(n, at(18), at(22)) for n in (2, 3)]
    rule = StaffingRule("U1", children_per_staff=2, min_staff=1, night_staff=1)
    shifts = [shift(n, at(14, 30), at(22), break_minutes=30, breaks_allowed=True)
              for n in (1, 2)]
    density = whole_day(rule, children, shifts)
    assert [(b.shift.id, b.start, b.fits, b.scheduled) for b in density.breaks] == [
        ("S1", at(17), True, True), ("S2", at(17, 30), True, True)]
    # with each break taken the one left meets the need: nobody above it all evening
    assert density.total().above_minutes == 0
    assert density.hours[(DAY, 17)].staff_minutes == 60


def test_a_break_with_no_quiet_time_is_reported_and_a_missing_break_is_only_proposed() -> None:
    children = [child(n, at(14, 30), at(22)) for n in range(4)]
    rule = StaffingRule("U1", children_per_staff=2, min_staff=1, night_staff=1)
    scheduled = shift(1, at(14, 30), at(22), break_minutes=30, breaks_allowed=True)
    missing = shift(2, at(14, 30), at(22), breaks_allowed=True)
    density = whole_day(rule, children, [scheduled, missing])
    first, second = density.breaks
    assert (first.fits, first.scheduled, second.fits, second.scheduled) == (
        False, True, False, False)
    # earliest and latest start keep at most five hours of work on either side
    assert at(16, 30) <= first.start <= at(19, 30)
    assert density.total().above_minutes == 0


def test_no_break_in_short_shifts_jour_or_where_breaks_are_not_allowed() -> None:
    shifts = [shift(1, at(8), at(14), breaks_allowed=True),  # six hours: not longer
              shift(2, at(8), at(16), breaks_allowed=False),
              shift(3, at(8), at(16), on_call=True, breaks_allowed=True)]
    assert whole_day(RULE, [], shifts).breaks == ()


def test_the_units_own_rule_wins_over_its_kinds() -> None:
    own = RuleParameter("density.children_per_staff.U07", dt.date(2026, 1, 1), 3,
                        ParameterUnit.COUNT, "Enhetens bemanningsplan 2026", Certainty.CONFIRMED)
    book = RuleBook([*bundled_parameters(), own])
    rule = staffing_rule(book, "U07", "korttidsvistelse", dt.date(2026, 5, 1))
    assert (rule.children_per_staff, rule.min_staff, rule.night_staff) == (3, 1, 1)
    assert (rule.night_start, rule.night_end) == (22 * 60, 6 * 60 + 30)
    assert rule.sources[0].startswith("density.children_per_staff.U07: Enhetens")
    before = staffing_rule(book, "U07", "korttidsvistelse", dt.date(2025, 12, 31))
    assert before.children_per_staff == 2
    supervision = staffing_rule(book, "U09", "korttidstillsyn", dt.date(2026, 5, 1))
    assert (supervision.children_per_staff, supervision.night_staff) == (4, 0)
    with pytest.raises(DomainError):
        StaffingRule("U1", children_per_staff=0, min_staff=1, night_staff=1)


def test_the_need_per_hour_trims_the_planners_positions() -> None:
    shifts = {"D": (7 * 60, 15 * 60), "E": (15 * 60, 22 * 60)}
    positions = {(0, "D"): 3, (0, "E"): 2, (1, "D"): 2}
    need = {h: 2 for h in range(7, 15)} | {h: 1 for h in range(15, 22)}
    need |= {24 + h: 1 for h in range(7, 15)}
    assert positions_for_need(shifts, positions, need) == {
        (0, "D"): 2, (0, "E"): 1, (1, "D"): 1}
    # no need: nothing is wanted; a need above the structure keeps all of it
    assert positions_for_need(shifts, positions, {}) == {}
    assert positions_for_need(shifts, positions, {h: 5 for h in range(48)}) == positions


def test_the_need_by_date_and_hour_becomes_hours_of_the_horizon() -> None:
    need = {(DAY, 15): 2, (DAY + dt.timedelta(days=1), 7): 1, (DAY - dt.timedelta(1), 9): 3,
            (DAY, 3): 0}
    assert need_by_horizon_hour(need, DAY, 7) == {15: 2, 31: 1}


def test_a_shift_too_long_for_one_break_still_gets_one() -> None:
    # 12 h: no time leaves five hours or less on both sides; the break goes at 5 h
    long = shift(1, at(8), at(20), breaks_allowed=True)
    (placed,) = whole_day(RULE, [], [long]).breaks
    assert placed.start == at(13) and placed.fits
