"""Visits, routes and the independent validator (insats.domain.visits), on hand-worked
days: a flat travel model of 10 minutes per coordinate step, the base at (0, 0)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import pytest

from insats.domain.common import DomainError, Period
from insats.domain.decisions import DecidedBy, Decision, Insats, LegalBasis, Payer
from insats.domain.scheduling import ShiftTemplate
from insats.domain.visits import (
    VISIT_PATTERNS,
    DistanceTravel,
    Location,
    Route,
    Stop,
    Visit,
    VisitKind,
    VisitPlan,
    WorkRules,
    granted_visits,
    is_visit_schedule,
    one_group_per_client,
    plan_figures,
    scheduled_visits,
    validate_visit_plan,
    weekly_visits,
)

DAY = dt.date(2026, 10, 19)  # a Monday
BASE = Location(0, 0)
A = Location(1, 0)
B = Location(2, 0)
RULES = WorkRules(max_shift_minutes=480, max_continuous_minutes=300, break_minutes=30)


@dataclass(frozen=True, slots=True)
class FlatTravel:
    """10 minutes per step of latitude or longitude (Manhattan distance)."""

    def minutes(self, origin: Location, destination: Location) -> int:
        return int(10 * (abs(origin.latitude - destination.latitude)
                         + abs(origin.longitude - destination.longitude)))


TRAVEL = FlatTravel()


def visit(id: str, client: str, at: int, *, location: Location = A, duration: int = 30,
          window: int = 30, staff: int = 1) -> Visit:
    return Visit(id, client, DAY, at - window, at + window, duration,
                 VisitKind.PERSONAL_ASSISTANCE, location, staff, scheduled_start=at)


MORNING_A = visit("a1", "C1", 8 * 60)  # 07:30–08:30 window, 30 min at A
MORNING_B = visit("b1", "C2", 9 * 60, location=B)


def good_route() -> Route:
    # leave 07:50, A 08:00–08:30, travel 10 to B, wait, B 09:00–09:30, 20 back: 09:50
    return Route("P1", 470, 590, (Stop("a1", 480), Stop("b1", 540)))


def problems(*routes: Route, visits: tuple[Visit, ...] = (MORNING_A, MORNING_B)) -> list[str]:
    return validate_visit_plan(VisitPlan(DAY, BASE, routes), list(visits), TRAVEL, RULES)


def test_a_plan_that_keeps_every_rule_has_no_problems() -> None:
    assert problems(good_route()) == []


def test_the_figures_of_a_route_split_paid_time_into_visits_travel_and_waiting() -> None:
    figures = plan_figures(VisitPlan(DAY, BASE, (good_route(),)),
                           {"a1": MORNING_A, "b1": MORNING_B}, TRAVEL, RULES)
    # 120 paid: 60 at visits, 10 + 10 + 20 travel, 20 waiting (08:40–09:00)
    assert (figures.routes, figures.work, figures.visits, figures.travel, figures.waiting,
            figures.breaks) == (1, 120, 60, 40, 20, 0)


def test_a_visit_nobody_serves_is_caught() -> None:
    route = Route("P1", 470, 520, (Stop("a1", 480),))
    assert problems(route) == ["Besöket b1 utförs av 0 personal, ska utföras av 1."]


def test_a_visit_served_twice_is_caught() -> None:
    again = Route("P2", 520, 570, (Stop("b1", 530),))
    assert any("b1 utförs av 2 personal" in p for p in problems(good_route(), again))


def test_a_start_outside_the_window_is_caught() -> None:
    late = Route("P1", 470, 600, (Stop("a1", 480), Stop("b1", 550)))  # window ends 09:30
    assert problems(late) == []
    later = Route("P1", 470, 621, (Stop("a1", 480), Stop("b1", 571)))
    assert problems(later) == ["P1: besöket b1 börjar 09:31, utanför 08:30–09:30."]


def test_too_little_time_to_travel_between_visits_is_caught() -> None:
    hurried = Route("P1", 470, 565, (Stop("a1", 480), Stop("b1", 515)))  # 5 min for 10
    found = problems(hurried)
    assert found == ["P1: 5 minuter från a1 till nästa besök, men resan (och rasten) "
                     "kräver 10."]


def test_too_little_time_from_and_to_the_base_is_caught() -> None:
    early = Route("P1", 475, 590, (Stop("a1", 480), Stop("b1", 540)))
    assert problems(early) == ["P1: 5 minuter från basen till nästa besök, men resan (och "
                               "rasten) kräver 10."]
    short = Route("P1", 470, 580, (Stop("a1", 480), Stop("b1", 540)))
    assert problems(short) == ["P1: 10 minuter från b1 till basen, men resan (och rasten) "
                               "kräver 20."]


def test_a_double_staffed_visit_needs_two_different_staff_at_the_same_minute() -> None:
    double = visit("d1", "C3", 10 * 60, staff=2)
    first = Route("P1", 590, 640, (Stop("d1", 600),))
    second = Route("P2", 590, 640, (Stop("d1", 600),))
    assert problems(first, second, visits=(double,)) == []
    assert problems(first, visits=(double,)) == [
        "Besöket d1 utförs av 1 personal, ska utföras av 2."]
    apart = Route("P2", 595, 645, (Stop("d1", 605),))
    assert problems(first, apart, visits=(double,)) == [
        "Besöket d1: de två personalen börjar inte samtidigt (10:00, 10:05)."]
    same = Route("P1", 590, 640, (Stop("d1", 600),))
    assert "Besöket d1: samma personal räknas två gånger." in problems(
        first, same, visits=(double,))


def test_more_than_five_hours_without_a_break_is_caught() -> None:
    early = visit("e1", "C1", 8 * 60)
    late = visit("e2", "C1", 13 * 60)
    # 07:50–13:40: 350 minutes with no break
    route = Route("P1", 470, 820, (Stop("e1", 480), Stop("e2", 780)))
    assert problems(route, visits=(early, late)) == [
        "P1: 350 minuters arbete utan rast; rast krävs efter högst 300 minuter (ATL 15 §)."]
    with_break = replace(route, break_start=600)
    assert problems(with_break, visits=(early, late)) == []
    # a break at 07:55 leaves 345 minutes of work after it
    early_break = Route("P1", 440, 820, (Stop("e1", 480), Stop("e2", 780)), break_start=440)
    assert problems(early_break, visits=(early, late)) == [
        "P1: mer än 300 minuters arbete i följd utan rast (ATL 15 §)."]


def test_a_break_during_a_visit_or_outside_the_pass_is_caught() -> None:
    early = visit("e1", "C1", 8 * 60)
    late = visit("e2", "C1", 13 * 60)
    during = Route("P1", 470, 820, (Stop("e1", 480), Stop("e2", 780)), break_start=490)
    assert "P1: rasten 08:10 krockar med besöket e1." in problems(
        during, visits=(early, late))
    outside = Route("P1", 470, 820, (Stop("e1", 480), Stop("e2", 780)), break_start=800)
    assert "P1: rasten 13:20 ligger utanför passet 07:50–13:40." in problems(
        outside, visits=(early, late))


def test_a_break_needs_its_time_besides_the_travel() -> None:
    early = visit("e1", "C1", 8 * 60)
    other = visit("e2", "C2", 11 * 60 + 50, location=B, window=0)
    # A 08:00–08:30, break 08:30–09:00, then 10 min to B: B at 09:10 at the earliest
    route = Route("P1", 470, 760, (Stop("e1", 480), Stop("e2", 710)), break_start=510)
    assert problems(route, visits=(early, other)) == []
    tight = visit("t2", "C2", 9 * 60 + 5, location=B, window=0)
    squeezed = Route("P1", 470, 600, (Stop("e1", 480), Stop("t2", 545)), break_start=510)
    assert problems(squeezed, visits=(early, tight)) == [
        "P1: 35 minuter från e1 till nästa besök, men resan (och rasten) kräver 40."]


def test_a_shift_longer_than_allowed_is_caught() -> None:
    early = visit("e1", "C1", 8 * 60)
    late = visit("e2", "C1", 16 * 60)
    route = Route("P1", 470, 1000, (Stop("e1", 480), Stop("e2", 960)), break_start=700)
    assert "P1: passet är 530 minuter, högst 480 är tillåtet." in problems(
        route, visits=(early, late))


def test_a_visit_not_in_the_day_is_caught() -> None:
    route = Route("P1", 470, 590, (Stop("a1", 480), Stop("b1", 540), Stop("x9", 560)))
    assert "P1: besöket x9 finns inte." in problems(route)


def test_today_each_visit_is_a_pass_of_its_own_from_the_base() -> None:
    morning = visit("m", "C1", 8 * 60)
    noon = visit("n", "C1", 12 * 60)
    evening = visit("e", "C1", 12 * 60 + 40)  # 10 minutes after noon ends: stays
    other = visit("o", "C2", 8 * 60, location=B)
    plan = one_group_per_client(DAY, [morning, noon, evening, other], BASE, TRAVEL, RULES)
    assert [(r.staff, r.start, r.end, [s.visit_id for s in r.stops]) for r in plan.routes] == [
        ("C1 pass 1", 470, 520, ["m"]),
        ("C1 pass 2", 710, 800, ["n", "e"]),
        ("C2 pass 1", 460, 530, ["o"]),
    ]
    assert validate_visit_plan(plan, [morning, noon, evening, other], TRAVEL, RULES) == []
    figures = plan_figures(plan, {v.id: v for v in (morning, noon, evening, other)},
                           TRAVEL, RULES)
    assert (figures.work, figures.visits, figures.travel, figures.waiting) == (
        210, 120, 80, 10)


def test_today_a_double_staffed_visit_takes_two_passes() -> None:
    double = visit("d", "C1", 8 * 60, staff=2)
    plan = one_group_per_client(DAY, [double], BASE, TRAVEL, RULES)
    assert [r.staff for r in plan.routes] == ["C1 pass 1a", "C1 pass 1b"]
    assert validate_visit_plan(plan, [double], TRAVEL, RULES) == []


def test_the_distance_model_is_straight_line_times_detour_at_town_speed() -> None:
    model = DistanceTravel()
    here = Location(57.93, 12.53)
    north = Location(57.93 + 1 / 111.195, 12.53)  # 1 km north
    # 1 km × 1,3 = 1,3 km at 30 km/h = 2,6 min → 3, plus 3 to park
    assert model.minutes(here, north) == 6
    assert model.minutes(here, here) == 0
    assert DistanceTravel(detour_factor=2.0, speed_kmh=60, stop_minutes=0).minutes(
        here, north) == 2


def test_a_visit_keeps_its_window_and_staff_sane() -> None:
    with pytest.raises(DomainError):
        Visit("v", "C1", DAY, 500, 400, 30, VisitKind.HOUSING_SUPPORT, A)
    with pytest.raises(DomainError):
        Visit("v", "C1", DAY, 400, 500, 30, VisitKind.HOUSING_SUPPORT, A, staff=3)
    with pytest.raises(DomainError):
        Visit("v", "C1", DAY, 400, 500, 30, VisitKind.HOUSING_SUPPORT, A, scheduled_start=501)


def test_a_weekly_grant_becomes_visits_spread_over_the_weekdays() -> None:
    housing = VISIT_PATTERNS[VisitKind.HOUSING_SUPPORT]  # 60-minute visits
    assert [(w.weekday, w.duration) for w in weekly_visits(housing, 300, 0)] == [
        (0, 60), (1, 60), (2, 60), (3, 60), (4, 60)]
    assert [(w.weekday, w.duration) for w in weekly_visits(housing, 120, 3)] == [
        (0, 60), (3, 60)]  # days 3 and 3 + 5 // 2 = 5 → 0
    assert [(w.weekday, w.duration) for w in weekly_visits(housing, 600, 0)] == [
        (d, 120) for d in range(5)]  # at most five visits, each longer
    companion = VISIT_PATTERNS[VisitKind.COMPANION]
    assert [(w.weekday, w.duration, w.earliest, w.latest)
            for w in weekly_visits(companion, 150, 2)] == [(2, 150, 13 * 60, 17 * 60)]


def test_a_decision_gives_its_visits_on_its_weekdays_only() -> None:
    decision = Decision(
        id="D1", client_id="C0007", legal_basis=LegalBasis.SOL, insats=Insats.HOUSING_SUPPORT,
        period=Period(dt.date(2026, 1, 1), None), decided_by=DecidedBy.MUNICIPALITY,
        payer=Payer.MUNICIPALITY, provider_id="P0", decided_on=dt.date(2025, 12, 1),
        granted_minutes_per_week=120)
    # client 7: spread 2 → Wednesday and Friday (2 + 5 // 2 = 4)
    week = [DAY + dt.timedelta(days=n) for n in range(7)]
    found = {d.weekday(): granted_visits(decision, A, d) for d in week}
    assert [d for d, v in found.items() if v] == [2, 4]
    wednesday = found[2][0]
    assert (wednesday.duration, wednesday.earliest_start, wednesday.latest_start,
            wednesday.kind) == (60, 8 * 60 + 30, 15 * 60, VisitKind.HOUSING_SUPPORT)
    contact = replace(decision, insats=Insats.CONTACT_PERSON, legal_basis=LegalBasis.LSS)
    assert all(granted_visits(contact, A, d) == [] for d in week)


def test_a_schedule_of_short_lines_gives_visits_at_its_times() -> None:
    valid = Period(dt.date(2026, 1, 1), None)
    lines = [ShiftTemplate("T1", "G1", "Besök 07:30", 0, dt.time(7, 30), 45, valid),
             ShiftTemplate("T2", "G1", "Besök 16:00", 0, dt.time(16, 0), 45, valid,
                           positions=2),
             ShiftTemplate("T3", "G1", "Besök 07:30", 1, dt.time(7, 30), 45, valid)]
    assert is_visit_schedule(lines)
    assert not is_visit_schedule([*lines, ShiftTemplate("T4", "G1", "Dag", 2,
                                                        dt.time(8, 0), 480, valid)])
    found = scheduled_visits("C1", A, DAY, lines, VisitKind.PERSONAL_ASSISTANCE)
    assert [(v.id, v.earliest_start, v.latest_start, v.staff, v.today_start)
            for v in found] == [("T1", 420, 480, 1, 450), ("T2", 930, 990, 2, 960)]
