"""The Swedish adapter: the department's data as a planning instance, and back."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from typing import Any

import pytest

from insats.domain.calendar import STOCKHOLM
from insats.domain.common import DomainError, Money, Period
from insats.domain.planning import Assignment
from insats.domain.rules import RuleBook, bundled_parameters
from insats.domain.scheduling import ShiftKind, ShiftStatus
from insats.domain.validate import check_roster
from insats.optimizer.swedish import (
    AdapterOptions,
    PlanningData,
    build_plan,
    roster_figures,
    shift_key,
    to_planned_shifts,
)
from tests.builders import (
    a_shift,
    a_small_department,
    a_template,
    an_absence,
    stockholm,
)

MONDAY = dt.date(2026, 12, 7)
DAY = "07:00+480"
EVENING = "15:00+420"
DOUBLE = "07:00+120"
WEEKDAY = "08:00+480"
RULES = RuleBook(bundled_parameters())


def data(**overrides: Any) -> PlanningData:
    world = a_small_department()
    values: dict[str, Any] = {
        "start": MONDAY,
        "weeks": 2,
        "unit_ids": ("U01",),
        "groups": world.groups,
        "templates": world.templates,
        "decisions": world.decisions,
        "employees": world.employees,
        "memberships": world.memberships,
        "absences": (),
        "rules": RULES,
    }
    return PlanningData(**{**values, **overrides})


def test_shift_types_are_the_distinct_template_starts_and_lengths() -> None:
    instance = build_plan(data()).instance
    assert set(instance.shifts) == {DAY, EVENING, DOUBLE, WEEKDAY}
    evening = instance.shifts[EVENING]
    assert (evening.start, evening.duration, evening.work_minutes) == (900, 420, 420)
    assert evening.label == "15:00–22:00"


def test_demand_never_exceeds_the_granted_minutes_of_any_week() -> None:
    plan = build_plan(data())
    paid = {k: s.work_minutes + s.on_call_minutes for k, s in plan.instance.shifts.items()}
    weekly: dict[tuple[str, int], int] = defaultdict(int)
    for need in plan.instance.demand:
        assert need.maximum is not None and need.preferred <= need.maximum
        weekly[(need.group, need.day // 7)] += need.maximum * paid[need.shift]
    # C0001: 100 h + 14 h double assistance a week; the structure asks 119 h
    assert weekly[("G0001", 0)] <= 114 * 60
    assert weekly[("G0001", 1)] <= 114 * 60
    assert weekly[("G0002", 0)] == 40 * 60
    assert any("över beviljade timmar" in note for note in plan.notes)


def test_trimming_removes_as_little_as_possible_from_the_end_of_the_week() -> None:
    plan = build_plan(data())
    wanted = {(d.group, d.day, d.shift): d.preferred for d in plan.instance.demand}
    # 5 h too much: one evening (7 h) goes, on the week's last day
    assert (("G0001", 6, EVENING) in wanted) is False
    assert (("G0001", 13, EVENING) in wanted) is False
    assert wanted[("G0001", 5, EVENING)] == 1
    assert wanted[("G0001", 6, DAY)] == 1


def test_a_grant_ending_inside_the_period_caps_the_weeks_after_it() -> None:
    world = a_small_department()
    ending = dataclasses.replace(world.decisions[1], period=Period(dt.date(2026, 1, 1),
                                                                    dt.date(2026, 12, 14)))
    plan = build_plan(data(decisions=(world.decisions[0], ending)))
    assert [d.day for d in plan.instance.demand if d.group == "G0002"] == [0, 1, 2, 3, 4]


def test_no_decision_means_no_demand_for_a_clients_group() -> None:
    world = a_small_department()
    plan = build_plan(data(decisions=world.decisions[1:]))
    assert not [d for d in plan.instance.demand if d.group == "G0001"]
    assert plan.granted["G0001"] == 0


def test_double_assistance_asks_for_two_staff() -> None:
    world = a_small_department()
    double = a_template(id="T9", group_id="G0002", weekday=0, start=dt.time(8, 0),
                        positions=2, valid=Period(dt.date(2026, 1, 1)))
    templates = (*(t for t in world.templates if t.id != "T040"), double)
    need = {(d.group, d.day, d.shift): d for d in build_plan(data(templates=templates))
            .instance.demand}
    assert need[("G0002", 0, WEEKDAY)].preferred == 2
    assert need[("G0002", 0, WEEKDAY)].maximum == 2
    assert need[("G0002", 1, WEEKDAY)].preferred == 1


def test_uncovered_shift_costs_its_hours_at_the_fk_schablon() -> None:
    need = next(d for d in build_plan(data()).instance.demand if d.shift == DAY)
    # 2026: 340,50 kr an hour, 8 hours
    assert need.under_weight == round(340.50 * 8)
    assert need.minimum == 0


def test_a_year_without_a_schablon_uses_the_latest_known_value() -> None:
    plan = build_plan(data(start=dt.date(2026, 12, 28), weeks=1))
    weights = {d.day: d.under_weight for d in plan.instance.demand if d.shift == DAY}
    assert weights[4] == weights[0]  # 1 January 2027 priced with the 2026 value


def test_relative_carer_works_only_for_their_own_client() -> None:
    instance = build_plan(data()).instance
    carer = instance.employees["E0100"]
    assert carer.groups == frozenset({"G0002"})
    assert carer.home_groups == frozenset({"G0002"})


def test_members_may_be_co_planned_in_the_units_other_groups_at_a_price() -> None:
    employee = build_plan(data()).instance.employees["E0001"]
    assert employee.groups == frozenset({"G0001", "G0002"})
    assert employee.home_groups == frozenset({"G0001"})
    assert employee.foreign_group_weight == 150
    alone = build_plan(data(), AdapterOptions(co_planning=False)).instance.employees["E0001"]
    assert alone.groups == frozenset({"G0001"})


def test_pool_substitute_has_no_guaranteed_hours_and_may_work_in_the_whole_unit() -> None:
    pool = build_plan(data()).instance.employees["E9001"]
    assert pool.min_minutes == 0
    assert pool.target_minutes is None
    assert pool.over_target_weight == 0
    assert pool.groups == frozenset({"G0001", "G0002"})


def test_contract_target_is_degree_times_full_time_week_less_absence() -> None:
    absence = an_absence(period=Period(dt.date(2026, 12, 8), dt.date(2026, 12, 10)))
    instance = build_plan(data(absences=(absence,))).instance
    # 75 % of 40 h for 14 days less the 2 absent days
    assert instance.employees["E0001"].target_minutes == 1800 * 12 // 7
    assert instance.employees["E0002"].target_minutes == 2400 * 2


def test_absent_days_are_unavailable() -> None:
    absence = an_absence(period=Period(dt.date(2026, 12, 8), dt.date(2026, 12, 10)))
    instance = build_plan(data(absences=(absence,))).instance
    assert instance.employees["E0001"].unavailable == frozenset({1, 2})
    assert instance.employees["E0002"].unavailable == frozenset()


def test_days_outside_the_employment_are_unavailable() -> None:
    world = a_small_department()
    leaving = dataclasses.replace(world.employees[1], employed=Period(dt.date(2020, 1, 1),
                                                                      dt.date(2026, 12, 17)))
    employees = (world.employees[0], leaving, *world.employees[2:])
    instance = build_plan(data(employees=employees)).instance
    assert instance.employees["E0002"].unavailable == frozenset({10, 11, 12, 13})


def test_extra_minutes_cost_mertid_for_part_timers_and_overtime_for_full_timers() -> None:
    employees = build_plan(data()).instance.employees
    part_time_rate = Money.kronor(28_500).times(100 / 75).times(12 / (52 * 40))
    assert employees["E0001"].over_target_weight == round(part_time_rate.as_kronor * 1.35 / 60)
    full_time_rate = Money.kronor(31_000).times(12 / (52 * 40))
    assert employees["E0002"].over_target_weight == round(full_time_rate.as_kronor * 1.8 / 60)
    assert employees["E0001"].under_target_weight == 1


def test_rules_come_from_the_rule_book() -> None:
    rules = build_plan(data()).instance.rules
    assert rules.min_daily_rest == 11 * 60
    assert rules.max_shift_duration == 13 * 60
    assert rules.max_work_and_on_call == 20 * 60
    assert rules.min_weekly_rest == 36 * 60
    assert rules.max_average_weekly_minutes == 48 * 60
    assert rules.rest_after_long_shift


def test_an_evening_ending_at_22_may_not_be_followed_by_a_day_starting_at_7() -> None:
    forbidden = build_plan(data()).instance.forbidden_pairs()
    assert (EVENING, DAY) in forbidden  # 9 h rest, 11 h required
    assert (EVENING, WEEKDAY) in forbidden  # 10 h
    assert (DAY, EVENING) not in forbidden
    assert (DAY, DAY) not in forbidden


def test_night_shifts_need_rest_as_long_as_the_shift() -> None:
    world = a_small_department()
    night = a_template(id="T9", weekday=0, start=dt.time(20, 0), length_minutes=720,
                       valid=Period(dt.date(2026, 1, 1)))
    forbidden = build_plan(data(templates=(*world.templates, night))).instance.forbidden_pairs()
    # ends 08:00: an evening at 15:00 the next day leaves 7 h; a 20:00 start leaves 12 h
    assert ("20:00+720", EVENING) in forbidden
    assert ("20:00+720", "20:00+720") not in forbidden


def test_on_call_shift_counts_as_jour_not_work() -> None:
    world = a_small_department()
    jour = a_template(id="T9", group_id="G0002", weekday=0, start=dt.time(22, 0),
                      length_minutes=540, kind=ShiftKind.ON_CALL,
                      valid=Period(dt.date(2026, 1, 1)))
    instance = build_plan(data(templates=(*world.templates, jour))).instance
    shift = instance.shifts[shift_key(dt.time(22, 0), 540, 0, ShiftKind.ON_CALL)]
    assert (shift.work_minutes, shift.on_call_minutes) == (0, 540)


def test_start_must_be_a_monday() -> None:
    with pytest.raises(DomainError, match="måndag"):
        build_plan(data(start=dt.date(2026, 12, 8)))


def test_continuity_limit_is_the_number_of_regular_members() -> None:
    groups = build_plan(data()).instance.groups
    assert groups["G0001"].max_distinct_employees == 4
    assert groups["G0002"].max_distinct_employees == 3


# -- published shifts ---------------------------------------------------------------------
def published(shift_id: str, employee: str | None, day: int, group: str = "G0001",
              hour: int = 7, length: int = 480) -> Any:
    date = MONDAY + dt.timedelta(days=day)
    start = dt.datetime(date.year, date.month, date.day, hour, tzinfo=STOCKHOLM)
    return a_shift(id=shift_id, group_id=group, employee_id=employee, start=start,
                   end=start + dt.timedelta(minutes=length))


def test_published_shifts_of_the_period_are_pinned() -> None:
    plan = build_plan(data(published=(published("S1", "E0002", 2),)))
    assert plan.instance.pinned == (Assignment("E0002", 2, DAY, "G0001"),)
    assert plan.pinned_ids == ("S1",)


def test_an_absent_employees_published_shift_is_released_not_pinned() -> None:
    absence = an_absence(employee_id="E0002",
                         period=Period(dt.date(2026, 12, 9), dt.date(2026, 12, 10)))
    plan = build_plan(data(absences=(absence,),
                           published=(published("S1", "E0002", 2), published("S2", "E0003", 3))))
    assert plan.instance.pinned == (Assignment("E0003", 3, DAY, "G0001"),)
    assert plan.released_ids == ("S1",)
    assert any(d.group == "G0001" and d.day == 2 and d.shift == DAY
               for d in plan.instance.demand)


def test_replanning_wants_only_the_absent_employees_shifts() -> None:
    absence = an_absence(employee_id="E0002",
                         period=Period(dt.date(2026, 12, 9), dt.date(2026, 12, 10)))
    rows = (published("S1", "E0002", 2), published("S2", "E0003", 3))
    plan = build_plan(data(absences=(absence,), published=rows),
                      AdapterOptions(replan_employee="E0002"))
    demand = {(d.group, d.day, d.shift): (d.preferred, d.maximum) for d in plan.instance.demand}
    assert demand == {("G0001", 2, DAY): (1, 1), ("G0001", 3, DAY): (1, 1)}


def test_published_work_elsewhere_blocks_the_day_and_counts_against_the_contract() -> None:
    elsewhere = published("S1", "E0001", 4, group="G9999")
    instance = build_plan(data(published=(elsewhere,))).instance
    assert 4 in instance.employees["E0001"].unavailable
    assert instance.employees["E0001"].target_minutes == 1800 * 2 - 480


def test_two_published_shifts_on_one_day_are_kept_outside_the_model() -> None:
    rows = (published("S1", "E0002", 2, hour=7, length=120),
            published("S2", "E0002", 2, hour=15, length=420))
    plan = build_plan(data(published=rows))
    assert plan.instance.pinned == ()
    assert [s.id for s in plan.kept] == ["S1", "S2"]
    assert 2 in plan.instance.employees["E0002"].unavailable


def test_published_open_shift_is_released_for_planning() -> None:
    plan = build_plan(data(published=(published("S1", None, 1),)))
    assert plan.released_ids == ("S1",)


# -- back to the calendar -------------------------------------------------------------------
def test_proposal_holds_new_assignments_and_open_shifts_not_pins() -> None:
    plan = build_plan(data(weeks=1, published=(published("S1", "E0002", 0),)))
    roster = [Assignment("E0002", 0, DAY, "G0001"), Assignment("E0001", 1, DAY, "G0001"),
              Assignment("E0001", 2, DOUBLE, "G0001"), Assignment("E0002", 2, DAY, "G0001")]
    shifts = to_planned_shifts(plan, roster, id_prefix="P1-")
    assert all(s.status is ShiftStatus.PROPOSED for s in shifts)
    staffed = [s for s in shifts if s.employee_id is not None]
    assert [(s.employee_id, s.start) for s in staffed] == [
        ("E0001", stockholm(2026, 12, 8, 7)),
        ("E0001", stockholm(2026, 12, 9, 7)),
        ("E0002", stockholm(2026, 12, 9, 7)),
    ]
    assert staffed[1].end - staffed[1].start == dt.timedelta(hours=2)
    assert staffed[0].template_id == "T011"
    total_wanted = sum(d.preferred for d in plan.instance.demand)
    assert len(shifts) == total_wanted - 1  # everything but the pinned shift
    assert len({s.id for s in shifts}) == len(shifts)
    assert shifts[0].id == "P1-00001"


def test_second_staff_in_a_clients_slot_is_marked_double() -> None:
    world = a_small_department()
    double = a_template(id="T9", group_id="G0002", weekday=0, start=dt.time(8, 0),
                        positions=2, valid=Period(dt.date(2026, 1, 1)))
    templates = (*(t for t in world.templates if t.id != "T040"), double)
    plan = build_plan(data(weeks=1, templates=templates))
    shifts = to_planned_shifts(plan, [Assignment("E0004", 0, WEEKDAY, "G0002"),
                                      Assignment("E0005", 0, WEEKDAY, "G0002")], id_prefix="P")
    monday = [s for s in shifts if s.group_id == "G0002" and s.start.date() == MONDAY]
    assert [(s.employee_id, s.is_double) for s in monday] == [("E0004", False), ("E0005", True)]


def test_figures_count_hours_against_grants_and_extra_time() -> None:
    plan = build_plan(data(weeks=1))
    roster = [Assignment(e, d, WEEKDAY, "G0002") for e in ("E0004",) for d in range(5)]
    roster += [Assignment("E0005", d, DAY, "G0001") for d in range(5)]
    assert check_roster(plan.instance, roster).feasible
    figures = roster_figures(plan, roster)
    g2 = next(g for g in figures.groups if g.group_id == "G0002")
    assert (g2.granted_minutes, g2.covered_minutes, g2.uncovered_minutes) == (2400, 2400, 0)
    assert g2.distinct_employees == 1
    assert figures.granted_minutes == (100 + 14 + 40) * 60
    assert figures.covered_minutes == 2400 + 5 * 480
    assert figures.beyond_granted_minutes == 0
    # E0005: 50 % = 1 200 min target, works 2 400: 1 200 mertid up to full time
    assert (figures.extra_minutes, figures.overtime_minutes) == (1200, 0)
    assert figures.distinct_per_client() == (1.0, 1)


def test_a_published_shift_longer_than_the_rules_allow_is_kept_not_pinned() -> None:
    plan = build_plan(data(published=(published("S1", "E0002", 2, hour=6, length=14 * 60),)))
    assert plan.instance.pinned == ()
    assert [s.id for s in plan.kept] == ["S1"]
    assert any("lämnas som de är" in note for note in plan.notes)
