"""Spread-out assistance planned like home care: visits, routes and their rules.

"Optimera organisering av ej omfattande beviljade assistansbeslut i hemtjänstliknande
form" (seed 001's action plan; seed 002's resource team): clients whose granted time is
a few short visits a day are today served by a group of their own. Planned like home
care, one staff member's working day is a route through several clients' visits.

Times are minutes after midnight of the visit's day. A :class:`Visit` may start anywhere
in ``[earliest_start, latest_start]``; a double-staffed visit (``staff == 2``) needs two
staff members starting at the same minute. A :class:`Route` is one staff member's day:
leave the base, the visits in order, back at the base, and at most one unpaid break.

:func:`validate_visit_plan` checks a plan on its own (it shares nothing with the
solver): every visit served (by two different staff at the same start when double
staffed), within its window, the travel between consecutive stops, the break (ATL 15 §:
no more than five hours of work in a row; the rule's figure is passed in), the shift
length. :func:`one_group_per_client` builds today's organisation as a plan, so both are
measured by :func:`plan_figures` in the same way.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from insats.domain.common import DomainError
from insats.domain.decisions import Decision, Insats
from insats.domain.scheduling import ShiftKind, ShiftTemplate


class VisitKind(StrEnum):
    PERSONAL_ASSISTANCE = "personlig_assistans"
    RELIEF = "avlosning"
    COMPANION = "ledsagning"
    SHORT_TERM_SUPERVISION = "korttidstillsyn"
    HOUSING_SUPPORT = "boendestod"


VISIT_KIND_LABELS: dict[VisitKind, str] = {
    VisitKind.PERSONAL_ASSISTANCE: "Personlig assistans",
    VisitKind.RELIEF: "Avlösarservice",
    VisitKind.COMPANION: "Ledsagarservice",
    VisitKind.SHORT_TERM_SUPERVISION: "Korttidstillsyn",
    VisitKind.HOUSING_SUPPORT: "Boendestöd",
}


@dataclass(frozen=True, slots=True)
class Location:
    latitude: float
    longitude: float


@dataclass(frozen=True, slots=True)
class Visit:
    """A visit at a client's address that may start in ``[earliest_start, latest_start]``
    (minutes after midnight) and lasts ``duration`` minutes, by ``staff`` (1 or 2)."""

    id: str
    client_id: str
    day: dt.date
    earliest_start: int
    latest_start: int
    duration: int
    kind: VisitKind
    location: Location
    staff: int = 1
    scheduled_start: int | None = None  # today's schedule time, if there is one

    @property
    def today_start(self) -> int:
        """When today's organisation starts the visit: the schedule's time, else the
        window's start."""
        return self.earliest_start if self.scheduled_start is None else self.scheduled_start

    def __post_init__(self) -> None:
        if self.staff not in (1, 2):
            raise DomainError("visit.staff", f"Besöket {self.id}: 1 eller 2 personal, "
                              f"inte {self.staff}.")
        if not 0 <= self.earliest_start <= self.latest_start:
            raise DomainError("visit.window", f"Besöket {self.id}: tidsfönstret måste "
                              "börja före sitt slut.")
        if self.scheduled_start is not None and not (
                self.earliest_start <= self.scheduled_start <= self.latest_start):
            raise DomainError("visit.scheduled", f"Besöket {self.id}: schemats tid ligger "
                              "utanför tidsfönstret.")
        if self.duration <= 0:
            raise DomainError("visit.duration", f"Besöket {self.id}: längden måste vara "
                              "större än noll.")


class TravelModel(Protocol):
    """Travel time in whole minutes between two addresses (pluggable: a distance model,
    a road-network matrix, ...). Hashable and immutable, so that plans can be kept per
    model."""

    def minutes(self, origin: Location, destination: Location) -> int: ...

    def __hash__(self) -> int: ...


EARTH_RADIUS_KM = 6371.0


def haversine_km(a: Location, b: Location) -> float:
    """The great-circle distance between two coordinates."""
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    dlat = lat2 - lat1
    dlon = math.radians(b.longitude - a.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


@dataclass(frozen=True, slots=True)
class DistanceTravel:
    """The default travel model, with no map service: the straight-line distance × a
    detour factor at an average urban speed, rounded up to whole minutes, plus a fixed
    time to park and get in (none between visits at the same address).

    Assumptions (not measured): detour factor 1,3 (roads are about a third longer than
    the straight line in a small Swedish town), 30 km/h by car in town, 3 minutes to
    park and get in.
    """

    detour_factor: float = 1.3
    speed_kmh: float = 30.0
    stop_minutes: int = 3

    def minutes(self, origin: Location, destination: Location) -> int:
        if origin == destination:
            return 0
        km = haversine_km(origin, destination) * self.detour_factor
        return math.ceil(km / self.speed_kmh * 60) + self.stop_minutes


@dataclass(frozen=True, slots=True)
class WorkRules:
    """The working-time rules a route keeps. ``max_continuous_minutes``: no more than this
    in a row without a break (ATL 15 §, ``worktime.max_continuous_work_before_break``);
    ``break_minutes``: the break's length (``scenario.break_minutes``, an assumption);
    ``max_shift_minutes``: a working day from leaving the base to being back (an
    assumption within Bilaga J's 13 h)."""

    max_shift_minutes: int = 480
    max_continuous_minutes: int = 300
    break_minutes: int = 30


@dataclass(frozen=True, slots=True)
class Stop:
    visit_id: str
    start: int


@dataclass(frozen=True, slots=True)
class Route:
    """One staff member's working day: leaves the base at ``start``, the stops in order,
    back at ``end``; ``break_start`` is the start of the unpaid break, if any."""

    staff: str
    start: int
    end: int
    stops: tuple[Stop, ...]
    break_start: int | None = None


@dataclass(frozen=True, slots=True)
class VisitPlan:
    day: dt.date
    base: Location
    routes: tuple[Route, ...]


@dataclass(frozen=True, slots=True)
class RouteFigures:
    """Minutes of a route: paid (``work``: the span less the break), at visits, travelling
    and waiting (the rest of the paid time)."""

    work: int
    visits: int
    travel: int
    waiting: int
    breaks: int


@dataclass(frozen=True, slots=True)
class PlanFigures:
    routes: int
    work: int
    visits: int
    travel: int
    waiting: int
    breaks: int


def route_travel(route: Route, visits: Mapping[str, Visit], base: Location,
                 travel: TravelModel) -> int:
    places = [base, *(visits[s.visit_id].location for s in route.stops), base]
    return sum(travel.minutes(a, b) for a, b in itertools.pairwise(places))


def route_figures(route: Route, visits: Mapping[str, Visit], base: Location,
                  travel: TravelModel, rules: WorkRules) -> RouteFigures:
    if not route.stops:
        return RouteFigures(0, 0, 0, 0, 0)
    breaks = rules.break_minutes if route.break_start is not None else 0
    work = route.end - route.start - breaks
    at_visits = sum(visits[s.visit_id].duration for s in route.stops)
    moving = route_travel(route, visits, base, travel)
    return RouteFigures(work, at_visits, moving, work - at_visits - moving, breaks)


def plan_figures(plan: VisitPlan, visits: Mapping[str, Visit], travel: TravelModel,
                 rules: WorkRules) -> PlanFigures:
    parts = [route_figures(r, visits, plan.base, travel, rules) for r in plan.routes
             if r.stops]
    return PlanFigures(len(parts), sum(p.work for p in parts), sum(p.visits for p in parts),
                       sum(p.travel for p in parts), sum(p.waiting for p in parts),
                       sum(p.breaks for p in parts))


def validate_visit_plan(plan: VisitPlan, visits: Sequence[Visit], travel: TravelModel,
                        rules: WorkRules) -> list[str]:
    """What is wrong with the plan, in Swedish (empty when it keeps every rule)."""
    by_id = {v.id: v for v in visits}
    problems: list[str] = []
    served: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for route in plan.routes:
        for stop in route.stops:
            if stop.visit_id not in by_id:
                problems.append(f"{route.staff}: besöket {stop.visit_id} finns inte.")
                continue
            served[stop.visit_id].append((route.staff, stop.start))
        problems += _route_problems(route, by_id, plan.base, travel, rules)
    for visit in visits:
        if visit.day != plan.day:
            problems.append(f"Besöket {visit.id} gäller {visit.day}, inte {plan.day}.")
        done = served.get(visit.id, [])
        if len(done) != visit.staff:
            problems.append(f"Besöket {visit.id} utförs av {len(done)} personal, "
                            f"ska utföras av {visit.staff}.")
            continue
        if len({staff for staff, _ in done}) != len(done):
            problems.append(f"Besöket {visit.id}: samma personal räknas två gånger.")
        if len({start for _, start in done}) > 1:
            problems.append(f"Besöket {visit.id}: de två personalen börjar inte samtidigt "
                            f"({', '.join(clock(s) for _, s in done)}).")
        for staff, start in done:
            if not visit.earliest_start <= start <= visit.latest_start:
                problems.append(
                    f"{staff}: besöket {visit.id} börjar {clock(start)}, utanför "
                    f"{clock(visit.earliest_start)}–{clock(visit.latest_start)}.")
    return problems


def _route_problems(route: Route, visits: Mapping[str, Visit], base: Location,
                    travel: TravelModel, rules: WorkRules) -> list[str]:
    stops = [s for s in route.stops if s.visit_id in visits]
    if not stops:
        return []
    problems: list[str] = []
    who = route.staff
    # (place, the minute it is left, the minute the next leg may start)
    pause = route.break_start
    pause_end = None if pause is None else pause + rules.break_minutes
    legs: list[tuple[Location, int, int, Location, str]] = []
    place, free_from, label = base, route.start, "basen"
    for stop in stops:
        visit = visits[stop.visit_id]
        legs.append((place, free_from, stop.start, visit.location, label))
        place, free_from, label = visit.location, stop.start + visit.duration, visit.id
    legs.append((place, free_from, route.end, base, label))
    for origin, leave, arrive_by, destination, name in legs:
        needed = travel.minutes(origin, destination)
        if pause is not None and pause_end is not None and leave <= pause <= pause_end <= arrive_by:
            needed += rules.break_minutes
        if arrive_by - leave < needed:
            target = "basen" if destination == base and arrive_by == route.end else "nästa besök"
            problems.append(f"{who}: {arrive_by - leave} minuter från {name} till {target}, "
                            f"men resan (och rasten) kräver {needed}.")
    if pause is not None and pause_end is not None:
        if pause < route.start or pause_end > route.end:
            problems.append(f"{who}: rasten {clock(pause)} ligger utanför passet "
                            f"{clock(route.start)}–{clock(route.end)}.")
        for stop in stops:
            visit = visits[stop.visit_id]
            if pause < stop.start + visit.duration and stop.start < pause_end:
                problems.append(f"{who}: rasten {clock(pause)} krockar med besöket "
                                f"{visit.id}.")
    span = route.end - route.start
    if span > rules.max_shift_minutes:
        problems.append(f"{who}: passet är {span} minuter, högst {rules.max_shift_minutes} "
                        "är tillåtet.")
    limit = rules.max_continuous_minutes
    if pause is None or pause_end is None:
        if span > limit:
            problems.append(f"{who}: {span} minuters arbete utan rast; rast krävs efter "
                            f"högst {limit} minuter (ATL 15 §).")
    elif pause - route.start > limit or route.end - pause_end > limit:
        problems.append(f"{who}: mer än {limit} minuters arbete i följd utan rast "
                        "(ATL 15 §).")
    return problems


def clock(minute: int) -> str:
    """``07:30`` for 450."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


def centroid(locations: Iterable[Location]) -> Location:
    """The mean of the coordinates (the demo's base: the middle of the clients' homes)."""
    places = list(locations)
    if not places:
        raise DomainError("visit.base", "Inga adresser att räkna en bas från.")
    return Location(round(sum(p.latitude for p in places) / len(places), 5),
                    round(sum(p.longitude for p in places) / len(places), 5))


def one_group_per_client(day: dt.date, visits: Sequence[Visit], base: Location,
                         travel: TravelModel, rules: WorkRules) -> VisitPlan:
    """Today's organisation: every client has staff of their own, so no route combines two
    clients. Each visit starts at the schedule's time (:attr:`Visit.today_start`) and is its own
    pass from the base and back, except that the next visit of the same client with the
    same staff need joins the pass when waiting at the client is shorter than going back
    and forth and the pass stays within the limit for work without a break."""
    by_client: dict[str, list[Visit]] = defaultdict(list)
    for visit in sorted(visits, key=lambda v: (v.client_id, v.today_start, v.id)):
        by_client[visit.client_id].append(visit)
    routes: list[Route] = []
    for client_id, own in sorted(by_client.items()):
        passes: list[list[Visit]] = []
        for visit in own:
            if passes:
                last = passes[-1][-1]
                first = passes[-1][0]
                round_trip = 2 * travel.minutes(base, visit.location)
                gap = visit.today_start - (last.today_start + last.duration)
                there = travel.minutes(base, first.location)
                span = (there + visit.today_start + visit.duration
                        + travel.minutes(visit.location, base) - first.today_start)
                if (visit.staff == last.staff and 0 <= gap <= round_trip
                        and span <= rules.max_continuous_minutes
                        and visit.location == last.location):
                    passes[-1].append(visit)
                    continue
            passes.append([visit])
        for number, chosen in enumerate(passes, start=1):
            first, last = chosen[0], chosen[-1]
            leave = first.today_start - travel.minutes(base, first.location)
            back = last.today_start + last.duration + travel.minutes(last.location, base)
            stops = tuple(Stop(v.id, v.today_start) for v in chosen)
            for person in range(first.staff):
                suffix = "" if first.staff == 1 else f"{'ab'[person]}"
                routes.append(Route(f"{client_id} pass {number}{suffix}", leave, back, stops))
    return VisitPlan(day, base, tuple(routes))


# How the resource unit's insatser become visits when nothing states their times: as
# data, per insats (assumptions, documented in docs/reviews.md).
@dataclass(frozen=True, slots=True)
class VisitPattern:
    """A weekly grant cut into visits of about ``visit_minutes`` on weekdays, starting in
    ``[earliest, latest]``; at most one visit a day, at most five a week."""

    kind: VisitKind
    visit_minutes: int
    earliest: int
    latest: int


VISIT_PATTERNS: dict[VisitKind, VisitPattern] = {
    VisitKind.HOUSING_SUPPORT: VisitPattern(VisitKind.HOUSING_SUPPORT, 60, 8 * 60 + 30,
                                            15 * 60),
    VisitKind.COMPANION: VisitPattern(VisitKind.COMPANION, 120, 13 * 60, 17 * 60),
    VisitKind.RELIEF: VisitPattern(VisitKind.RELIEF, 180, 9 * 60, 16 * 60),
}


@dataclass(frozen=True, slots=True)
class WeeklyVisit:
    """One recurring visit of a weekly pattern: weekday (0 = Monday), window, length."""

    weekday: int
    earliest: int
    latest: int
    duration: int


def weekly_visits(pattern: VisitPattern, weekly_minutes: int, spread: int) -> list[WeeklyVisit]:
    """The visits a weekly grant gives under ``pattern``: as many visits of about the
    pattern's length as the grant holds (one to five), each a whole number of quarters,
    on weekdays spread evenly and shifted by ``spread`` (so that clients do not all get
    Monday)."""
    if weekly_minutes <= 0:
        return []
    count = max(1, min(5, round(weekly_minutes / pattern.visit_minutes)))
    length = max(15, weekly_minutes // count // 15 * 15)
    days = sorted({(spread + k * 5 // count) % 5 for k in range(count)})
    return [WeeklyVisit(day, pattern.earliest, pattern.latest, length) for day in days]


INSATS_VISIT_KINDS: dict[Insats, VisitKind] = {
    Insats.PERSONAL_ASSISTANCE: VisitKind.PERSONAL_ASSISTANCE,
    Insats.RELIEF_SERVICE: VisitKind.RELIEF,
    Insats.COMPANION_SERVICE: VisitKind.COMPANION,
    Insats.SHORT_TERM_SUPERVISION: VisitKind.SHORT_TERM_SUPERVISION,
    Insats.HOUSING_SUPPORT: VisitKind.HOUSING_SUPPORT,
}
# a schedule line at most this long is a visit (the demo's visits are 30–60 minutes)
VISIT_MAX_MINUTES = 120
# how far from the schedule's time a visit may start (an assumption: home care commonly
# promises a half-hour either way)
VISIT_TOLERANCE_MINUTES = 30


def is_visit_schedule(templates: Sequence[ShiftTemplate]) -> bool:
    """A client's schedule is short visits: at least one line, every line ordinary work
    of at most :data:`VISIT_MAX_MINUTES`."""
    return bool(templates) and all(
        t.kind is ShiftKind.ORDINARY and t.length_minutes <= VISIT_MAX_MINUTES
        for t in templates)


def scheduled_visits(client_id: str, location: Location, day: dt.date,
                     templates: Sequence[ShiftTemplate], kind: VisitKind) -> list[Visit]:
    """The client's visits on ``day`` from today's schedule: each line valid that weekday
    is a visit at its time (± :data:`VISIT_TOLERANCE_MINUTES`), double staffed when the
    line has two positions."""
    found = []
    for template in templates:
        if template.weekday != day.weekday() or not template.valid.contains(day):
            continue
        at = template.start.hour * 60 + template.start.minute
        found.append(Visit(
            id=template.id, client_id=client_id, day=day,
            earliest_start=max(0, at - VISIT_TOLERANCE_MINUTES),
            latest_start=at + VISIT_TOLERANCE_MINUTES, duration=template.length_minutes,
            kind=kind, location=location, staff=2 if template.positions >= 2 else 1,
            scheduled_start=at))
    return found


def spread_of(client_id: str) -> int:
    """A stable weekday offset from the client's id (its digits), so that clients' weekly
    visits do not all fall on Mondays."""
    digits = "".join(ch for ch in client_id if ch.isdigit())
    return int(digits) % 5 if digits else 0


def granted_visits(decision: Decision, location: Location, day: dt.date) -> list[Visit]:
    """The visits a decision without schedule times gives on ``day`` under
    :data:`VISIT_PATTERNS` (none for an insats without a pattern or a weekly grant)."""
    kind = INSATS_VISIT_KINDS.get(decision.insats)
    pattern = VISIT_PATTERNS.get(kind) if kind is not None else None
    weekly = decision.granted_minutes_per_week
    if pattern is None or not weekly or not decision.active_on(day):
        return []
    return [Visit(id=f"{decision.id}-{day.weekday()}", client_id=decision.client_id,
                  day=day, earliest_start=w.earliest, latest_start=w.latest,
                  duration=w.duration, kind=pattern.kind, location=location)
            for w in weekly_visits(pattern, weekly, spread_of(decision.client_id))
            if w.weekday == day.weekday()]


@dataclass(frozen=True, slots=True)
class VisitDay:
    """A day's visits and the two organisations' figures (``today`` and ``planned``)."""

    day: dt.date
    visits: tuple[Visit, ...]
    today: VisitPlan
    planned: VisitPlan
    today_figures: PlanFigures
    planned_figures: PlanFigures
    solve_seconds: float = 0.0
    problems: tuple[str, ...] = field(default=())

    @property
    def saved_minutes(self) -> int:
        return self.today_figures.work - self.planned_figures.work
