"""The roster validator: each hard rule alone, and each penalty counted by hand."""

from __future__ import annotations

import pytest

from insats.domain.common import DomainError
from insats.domain.planning import (
    Assignment,
    Demand,
    PlanGroup,
    PlanningRules,
    PlanShift,
    RequestKind,
    ShiftRequest,
    Weights,
)
from insats.domain.validate import check_roster
from tests.planning_builders import DAY, EVENING, GROUP, NIGHT, an_employee, an_instance, worked


def rules_broken(instance, roster) -> set[str]:  # type: ignore[no-untyped-def]
    return {breach.rule for breach in check_roster(instance, roster).breaches}


def test_an_empty_roster_breaks_nothing_and_costs_every_uncovered_shift() -> None:
    check = check_roster(an_instance(days=5, under_weight=7), [])
    assert check.feasible
    assert check.penalties["under_cover"] == 5 * 7
    assert check.objective == 35


def test_two_shifts_on_one_day_are_refused() -> None:
    instance = an_instance(shifts=(DAY, EVENING))
    roster = [Assignment("A", 0, "D", GROUP), Assignment("A", 0, "E", GROUP)]
    assert rules_broken(instance, roster) == {"one_per_day"}


def test_unknown_rows_are_named_not_raised() -> None:
    assert rules_broken(an_instance(), [Assignment("X", 0, "D", GROUP)]) == {"unknown"}
    assert rules_broken(an_instance(), [Assignment("A", 9, "D", GROUP)]) == {"unknown"}


def test_group_skills_and_availability() -> None:
    instance = an_instance(
        employees=(an_employee("A", unavailable=frozenset({2})),),
        groups={GROUP: PlanGroup(GROUP, required_skills=frozenset({"lyft"}))},
    )
    assert rules_broken(instance, worked("A", [2])) == {"not_allowed", "unavailable"}
    skilled = an_instance(employees=(an_employee("A", skills=frozenset({"lyft"})),),
                          groups={GROUP: PlanGroup(GROUP, required_skills=frozenset({"lyft"}))})
    assert rules_broken(skilled, worked("A", [1])) == set()


def test_daily_rest_forbids_a_morning_after_an_evening() -> None:
    rules = PlanningRules(min_daily_rest=11 * 60)
    instance = an_instance(shifts=(DAY, EVENING), rules=rules, preferred=0)
    # evening ends 22:00, day starts 07:00: 9 hours of rest
    assert ("E", "D") in instance.forbidden_pairs()
    assert ("D", "E") not in instance.forbidden_pairs()
    roster = [Assignment("A", 0, "E", GROUP), Assignment("A", 1, "D", GROUP)]
    assert rules_broken(instance, roster) == {"succession"}
    assert rules_broken(an_instance(shifts=(DAY, EVENING), preferred=0), roster) == set()


def test_rest_after_a_long_shift_is_as_long_as_the_shift() -> None:
    long_day = PlanShift("L", start=7 * 60, duration=12 * 60 + 30, work_minutes=12 * 60)
    early = PlanShift("S", start=7 * 60, duration=4 * 60, work_minutes=4 * 60)  # 11.5 h after
    next_late = PlanShift("T", start=8 * 60, duration=4 * 60, work_minutes=4 * 60)  # 12.5 h
    shifts = (long_day, early, next_late)
    plain = an_instance(shifts=shifts, rules=PlanningRules(min_daily_rest=11 * 60))
    assert ("L", "S") not in plain.forbidden_pairs()
    longer = an_instance(shifts=shifts, rules=PlanningRules(min_daily_rest=11 * 60,
                                                            rest_after_long_shift=True))
    assert ("L", "S") in longer.forbidden_pairs()
    assert ("L", "T") not in longer.forbidden_pairs()  # exactly the shift's length is enough


def test_shift_length_limits() -> None:
    too_long = PlanShift("X", start=7 * 60, duration=14 * 60, work_minutes=14 * 60)
    with_on_call = PlanShift("J", start=17 * 60, duration=19 * 60, work_minutes=9 * 60,
                             on_call_minutes=10 * 60)
    rules = PlanningRules(max_shift_duration=13 * 60, max_work_and_on_call=20 * 60)
    instance = an_instance(shifts=(too_long, with_on_call), rules=rules, preferred=0)
    assert rules_broken(instance, worked("A", [0], "X")) == {"shift_length"}
    assert rules_broken(instance, worked("A", [0], "J")) == set()


def test_max_shifts_per_type_and_contract_minutes() -> None:
    instance = an_instance(employees=(an_employee(
        "A", max_shifts={"D": 2}, min_minutes=3 * 480, max_minutes=3 * 480),))
    assert rules_broken(instance, worked("A", [0, 1, 2])) == {"max_shifts"}
    assert rules_broken(instance, worked("A", [0, 1])) == {"min_minutes"}
    roomy = an_instance(employees=(an_employee("A", max_minutes=480),))
    assert rules_broken(roomy, worked("A", [0, 1])) == {"max_minutes"}


def test_consecutive_shifts_and_days_off() -> None:
    instance = an_instance(days=10, employees=(an_employee(
        "A", max_consecutive_shifts=3, min_consecutive_shifts=2, min_consecutive_days_off=2),))
    assert rules_broken(instance, worked("A", [0, 1, 2, 3])) == {"max_consecutive"}
    assert rules_broken(instance, worked("A", [3, 6, 7])) == {"min_consecutive"}
    assert rules_broken(instance, worked("A", [2, 3, 5, 6])) == {"min_days_off"}
    # runs touching either end of the horizon are exempt from the minimums
    assert rules_broken(instance, worked("A", [0, 3, 4, 9])) == set()


def test_weekends_are_counted_per_calendar_week() -> None:
    instance = an_instance(days=14, employees=(an_employee("A", max_weekends=1),))
    assert rules_broken(instance, worked("A", [5, 6])) == set()
    assert rules_broken(instance, worked("A", [6, 12])) == {"max_weekends"}
    shifted = an_instance(days=14, employees=(an_employee("A", max_weekends=1),),
                          first_weekday=2)  # day 0 is a Wednesday: day 3 is Saturday
    assert rules_broken(shifted, worked("A", [3, 4])) == set()
    assert rules_broken(shifted, worked("A", [4, 10])) == {"max_weekends"}


def test_weekly_rest_needs_36_hours_in_each_full_week() -> None:
    rules = PlanningRules(min_weekly_rest=36 * 60)
    shifts = (DAY, EVENING, NIGHT)
    instance = an_instance(days=8, shifts=shifts, rules=rules, preferred=0)
    # one day off between an evening (ends 22:00) and a day shift (07:00): 33 hours
    tight = worked("A", [0, 1, 2], "E") + worked("A", [4, 5, 6], "D")
    assert rules_broken(instance, tight) == {"weekly_rest"}
    # a day shift (ends 15:00) then a day off then a day shift: 40 hours
    roomy = worked("A", [0, 1, 2, 4, 5, 6], "D")
    assert rules_broken(instance, roomy) == set()
    # two days off in a row always qualify
    assert rules_broken(instance, worked("A", [0, 1, 2, 3, 6], "E")) == set()


def test_the_48_hour_average_counts_on_call() -> None:
    on_call = PlanShift("J", start=8 * 60, duration=24 * 60, work_minutes=14 * 60,
                        on_call_minutes=10 * 60)
    instance = an_instance(days=7, shifts=(on_call,), preferred=0,
                           rules=PlanningRules(max_average_weekly_minutes=48 * 60))
    assert rules_broken(instance, worked("A", [0, 2], "J")) == set()  # 48 h
    assert rules_broken(instance, worked("A", [0, 2, 4], "J")) == {"average_week"}


def test_demand_bounds_are_hard_and_no_demand_means_nobody() -> None:
    demand = (Demand(GROUP, 0, "D", preferred=1, under_weight=5, over_weight=5, minimum=1,
                     maximum=1),)
    instance = an_instance(days=2, employees=(an_employee("A"), an_employee("B")),
                           demand=demand)
    assert rules_broken(instance, []) == {"demand_min"}
    assert rules_broken(instance, worked("A", [0]) + worked("B", [0])) == {"demand_max"}
    assert rules_broken(instance, worked("A", [1])) == {"demand_min", "demand_max"}


def test_a_missing_pin_is_a_breach() -> None:
    instance = an_instance(pinned=(Assignment("A", 3, "D", GROUP),))
    assert rules_broken(instance, worked("A", [3])) == set()
    assert rules_broken(instance, worked("A", [2])) == {"pinned"}


def test_penalties_are_counted_exactly() -> None:
    home, away = "g", "h"
    instance = an_instance(
        days=3,
        employees=(an_employee("A", groups=frozenset({home, away}), home_groups=frozenset({home}),
                               foreign_group_weight=11, target_minutes=960,
                               under_target_weight=2, over_target_weight=3),
                   an_employee("B", groups=frozenset({home, away}))),
        groups={home: PlanGroup(home, max_distinct_employees=1), away: PlanGroup(away)},
        demand=(Demand(home, 0, "D", 1, 100, 7), Demand(home, 1, "D", 2, 100, 7),
                Demand(away, 2, "D", 0, 100, 7)),
        requests=(ShiftRequest("A", 0, "D", 13, RequestKind.OFF),
                  ShiftRequest("A", 1, None, 17, RequestKind.ON),
                  ShiftRequest("B", 2, "D", 19, RequestKind.ON)),
        weights=Weights(continuity=23),
    )
    roster = [Assignment("A", 0, "D", home), Assignment("B", 0, "D", home),
              Assignment("A", 2, "D", away)]
    check = check_roster(instance, roster)
    assert check.feasible
    assert check.penalties == {
        "under_cover": 2 * 100,  # day 1 has nobody of two
        "over_cover": 7 + 7,  # two on day 0 for one wanted, one in h on day 2 for none
        "shift_on_requests": 17 + 19,  # A not on day 1, B not on day 2
        "shift_off_requests": 13,  # A worked day 0 against the request
        "contract_under": 0,
        "contract_over": 0,  # A worked 960 minutes, exactly the target
        "co_planning": 11,  # A's shift in h
        "continuity": 23,  # two people in g, limit one
    }
    assert check.objective == sum(check.penalties.values())
    short = check_roster(instance, [Assignment("A", 1, "D", home)])
    assert short.penalties["contract_under"] == 480 * 2


def test_an_inconsistent_instance_is_refused_in_swedish() -> None:
    with pytest.raises(DomainError, match="okänd grupp"):
        an_instance(demand=(Demand("nowhere", 0, "D", 1, 1, 1),))
    with pytest.raises(DomainError, match="utanför horisonten"):
        an_instance(days=2, demand=(Demand(GROUP, 5, "D", 1, 1, 1),))
