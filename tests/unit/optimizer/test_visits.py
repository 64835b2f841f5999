"""The routing model for visits (insats.optimizer.visits) on tiny hand-worked days; every
plan is checked by the independent validator (insats.domain.visits.validate_visit_plan)."""

from __future__ import annotations

import pytest

from insats.domain.common import DomainError
from insats.domain.visits import (
    Location,
    Visit,
    VisitKind,
    VisitPlan,
    WorkRules,
    plan_figures,
    validate_visit_plan,
)
from insats.optimizer import visits as visits_optimizer
from insats.optimizer.visits import SolveSettings, plan_visits
from tests.unit.domain.test_visits import BASE, DAY, RULES, TRAVEL, FlatTravel

A = Location(1, 0)
B = Location(0, 1)
C = Location(3, 0)


def housing(id: str, location: Location, earliest: int, latest: int,
            duration: int = 30, staff: int = 1) -> Visit:
    return Visit(id, f"K-{id}", DAY, earliest, latest, duration, VisitKind.HOUSING_SUPPORT,
                 location, staff)


def solve(visits: list[Visit], rules: WorkRules = RULES,
          settings: SolveSettings | None = None) -> VisitPlan:
    plan = plan_visits(DAY, visits, BASE, TRAVEL, rules, settings).plan
    assert validate_visit_plan(plan, visits, TRAVEL, rules) == []
    return plan


def test_windows_that_force_an_order_are_kept_in_one_route() -> None:
    # B can only start 08:00–08:05 and A only 08:45–09:00: one staff member, B then A
    first = housing("a", A, 8 * 60 + 45, 9 * 60)
    second = housing("b", B, 8 * 60, 8 * 60 + 5)
    plan = solve([first, second])
    assert len(plan.routes) == 1
    route = plan.routes[0]
    assert [s.visit_id for s in route.stops] == ["b", "a"]
    b, a = route.stops
    # B takes 30 minutes and A is 20 minutes (Manhattan) from B: A starts 50 minutes
    # after B at the earliest, so the shortest day is 10 + 50 + 30 + 10 = 100 minutes
    assert a.start - b.start == 50
    assert (route.start, route.end) == (b.start - 10, a.start + 30 + 10)


def test_a_visit_next_door_joins_the_route_and_a_far_one_does_not_wait() -> None:
    # A 08:00, then 10 minutes on to a neighbour at 08:40 (20 minutes from the base):
    # one route 07:50–09:30 (100 minutes, 40 travel) beats two (50 + 70 minutes)
    neighbour = Location(2, 0)
    visits = [housing("a", A, 480, 480), housing("n", neighbour, 520, 520)]
    plan = solve(visits)
    figures = plan_figures(plan, {v.id: v for v in visits}, TRAVEL, RULES)
    assert (figures.routes, figures.work, figures.travel, figures.waiting) == (1, 100, 40, 0)
    # B at 09:00 is 20 minutes from A: one route would wait 10 minutes (110 in all),
    # two passes of 50 minutes cost 100
    visits = [housing("a", A, 480, 480), housing("b", B, 540, 540)]
    plan = solve(visits)
    figures = plan_figures(plan, {v.id: v for v in visits}, TRAVEL, RULES)
    assert (figures.routes, figures.work, figures.travel, figures.waiting) == (2, 100, 40, 0)


def test_a_double_staffed_visit_is_served_by_two_staff_at_the_same_minute() -> None:
    double = housing("d", A, 600, 660, duration=45, staff=2)
    single = housing("s", C, 600, 660)
    plan = solve([double, single])
    starts = [(r.staff, s.start) for r in plan.routes for s in r.stops if s.visit_id == "d"]
    assert len(starts) == 2
    assert starts[0][0] != starts[1][0]
    assert starts[0][1] == starts[1][1]


def test_a_long_day_gets_its_break_after_at_most_five_hours() -> None:
    # one staff member for five hours of visits at A (10 minutes from the base), any
    # time 08:00–15:00: a break is needed, at the base, with no more than five hours of
    # work before or after it
    visits = [housing(f"v{n}", A, 480, 900, duration=60) for n in range(5)]
    plan = solve(visits, settings=SolveSettings(long_staff=1, short_staff=0))
    (route,) = plan.routes
    assert route.break_start is not None
    assert route.break_start - route.start <= 300
    assert route.end - (route.break_start + 30) <= 300
    assert route.end - route.start == 370  # 300 at visits, 40 travel, the break
    figures = plan_figures(plan, {v.id: v for v in visits}, TRAVEL, RULES)
    # travel is counted between the stops (out and home: 20); the trip to the break at
    # the base and back (20) is the rest of the paid time, waiting
    assert (figures.work, figures.visits, figures.breaks, figures.travel, figures.waiting) \
        == (340, 300, 30, 20, 20)


def test_one_staff_member_cannot_do_a_day_longer_than_the_limit() -> None:
    visits = [housing("early", A, 420, 420), housing("late", A, 1200, 1200)]
    with pytest.raises(DomainError, match="Ingen plan"):
        plan_visits(DAY, visits, BASE, TRAVEL, RULES, SolveSettings(long_staff=1,
                                                                    short_staff=0))


def test_without_a_long_day_the_visits_are_split_into_short_passes() -> None:
    starts = (480, 540, 600, 705, 765, 825)
    visits = [housing(f"v{n}", A, at, at, duration=45) for n, at in enumerate(starts)]
    plan = solve(visits)
    # two passes of 185 minutes (07:50–10:55, 11:35–14:40) cost less than one day with a
    # break that needs the trip to the base
    assert sorted((r.start, r.end) for r in plan.routes) == [(470, 655), (695, 880)]
    assert all(r.break_start is None for r in plan.routes)


def test_no_staff_member_works_longer_than_the_shift_limit() -> None:
    visits = [housing("early", A, 420, 420), housing("late", A, 1200, 1200)]
    plan = solve(visits)
    assert len(plan.routes) == 2  # 07:00 and 20:00 cannot be one 8-hour day


def test_a_window_that_cannot_be_reached_is_refused_in_swedish() -> None:
    impossible = [housing("x", A, 0, 5)]  # 00:00–00:05, but the base is 10 minutes away
    with pytest.raises(DomainError, match="Ingen plan för besöken"):
        plan_visits(DAY, impossible, BASE, TRAVEL, RULES)


def test_the_same_day_is_planned_the_same_way_twice() -> None:
    visits = [housing(f"v{n}", Location(n % 3, n // 3), 480 + 20 * n, 600 + 20 * n)
              for n in range(8)]
    first = plan_visits(DAY, visits, BASE, FlatTravel(), RULES).plan
    second = plan_visits(DAY, visits, BASE, FlatTravel(), RULES).plan
    assert first == second


def test_no_visits_give_an_empty_plan() -> None:
    assert plan_visits(DAY, [], BASE, TRAVEL, RULES).plan.routes == ()


def test_the_complete_search_is_tried_only_after_the_quick_ones_with_more_staff(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # the complete first-solution search may spend its whole time limit finding nothing,
    # where a quick heuristic with twice the staff finds a plan at once (weekend days)
    tried: list[tuple[int, int]] = []

    def nothing(*args: object) -> None:
        tried.append((args[6], args[7]))  # type: ignore[arg-type]
        return None

    monkeypatch.setattr(visits_optimizer, "_solve", nothing)
    visits = [housing("a", A, 480, 540)]
    with pytest.raises(DomainError, match="Ingen plan"):
        plan_visits(DAY, visits, BASE, TRAVEL, RULES)
    long_staff, _ = visits_optimizer.staff_bounds(visits, RULES)
    quick = visits_optimizer.QUICK_STRATEGIES
    complete = visits_optimizer.COMPLETE_STRATEGY
    assert tried == ([(s, long_staff) for s in quick] + [(s, 2 * long_staff) for s in quick]
                     + [(complete, long_staff), (complete, 2 * long_staff)])
