"""Routes for a day's visits on OR-tools' routing solver (home-care-like planning).

The model (one day):
- nodes: the base (depot); one node per visit, two nodes for a double-staffed visit
  (forced to the same start on different staff members);
- vehicles: staff members leaving the base and coming back. "Long" staff may work up to
  ``rules.max_shift_minutes`` and have a break node of their own at the base
  (``rules.break_minutes``; the break is taken at the base, an assumption), which they
  always visit: first or last it is no break, and the day is trimmed to start after it
  or end before it; "short" staff work a pass no longer than
  ``rules.max_continuous_minutes`` and need no break;
- a time dimension whose transit from a node is its length plus the travel to the next
  (``insats.domain.visits.TravelModel``), waiting allowed as slack, each visit's start in
  its window;
- ATL 15 §: at most ``rules.max_continuous_minutes`` of work before and after the break;
- objective: the staff's time (the sum of route spans, a long staff member's break
  included) plus the travel time.

(OR-tools' own break intervals, ``SetBreakIntervalsOfVehicle`` with
``SetBreakDistanceDurationOfVehicle``, gave plans under 1 % better but made the local
search three to five times slower on a test day.)

Deterministic: a fixed first-solution strategy, then greedy descent to a local optimum
(or guided local search stopped after ``solution_limit`` improving solutions); the
wall-clock limit only guards a very slow machine. The callers check the plan with
:func:`insats.domain.visits.validate_visit_plan`.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from dataclasses import dataclass

from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from insats.domain.common import DomainError
from insats.domain.visits import (
    Location,
    Route,
    Stop,
    TravelModel,
    Visit,
    VisitPlan,
    WorkRules,
)


@dataclass(frozen=True, slots=True)
class SolveSettings:
    """``guided``: guided local search stopped after ``solution_limit`` improving
    solutions, else greedy descent to a local optimum; ``time_limit_seconds`` is a guard.
    ``long_staff`` and ``short_staff``: the staff available for long days and short
    passes (None: :func:`staff_bounds`)."""

    guided: bool = False
    solution_limit: int = 10
    time_limit_seconds: float = 10.0
    long_staff: int | None = None
    short_staff: int | None = None


def staff_bounds(visits: Sequence[Visit], rules: WorkRules) -> tuple[int, int]:
    """Long days enough for the visit time and a third more (travel, waiting) plus one,
    and half as many short passes, plus three; the solver uses what it needs (more staff
    than needed only slow the search)."""
    minutes = sum(v.duration * v.staff for v in visits)
    long_staff = -(-4 * minutes // (3 * (rules.max_shift_minutes - rules.break_minutes))) + 3
    return long_staff, long_staff // 2


@dataclass(frozen=True, slots=True)
class SolvedPlan:
    plan: VisitPlan
    objective: int
    seconds: float


# first-solution strategies: the cheapest-insertion heuristics are fast but blind to the
# break's ATL constraints (solver.Add on the cumuls), so they can fail when few staff must
# take a break; a search over the next variables (constraint propagation, complete but
# slow: it may spend its whole time limit finding nothing) finds a first solution then;
# arc-based heuristics often find nothing
QUICK_STRATEGIES = (routing_enums_pb2.FirstSolutionStrategy.PARALLEL_CHEAPEST_INSERTION,
                    routing_enums_pb2.FirstSolutionStrategy.LOCAL_CHEAPEST_INSERTION)
COMPLETE_STRATEGY = routing_enums_pb2.FirstSolutionStrategy.FIRST_UNBOUND_MIN_VALUE


def plan_visits(day: dt.date, visits: Sequence[Visit], base: Location, travel: TravelModel,
                rules: WorkRules, settings: SolveSettings | None = None) -> SolvedPlan:
    """The routes serving every visit of ``day`` from ``base``; DomainError (Swedish) when
    the solver finds none (a window that cannot be reached). The quick first-solution
    strategies are tried first, then again with twice the staff (unless the settings fix
    the staff), and only then the complete search, which may spend its whole time limit
    (a weekend day with few staff took 10 s to find nothing, where twice the staff gave
    a plan in 0.1 s)."""
    settings = settings or SolveSettings()
    began = time.perf_counter()
    if not visits:
        return SolvedPlan(VisitPlan(day, base, ()), 0, 0.0)
    default_long, default_short = staff_bounds(visits, rules)
    long_staff = default_long if settings.long_staff is None else settings.long_staff
    short_staff = default_short if settings.short_staff is None else settings.short_staff
    fixed = settings.long_staff is not None or settings.short_staff is not None
    factors = (1,) if fixed else (1, 2)
    attempts = ([(strategy, factor) for factor in factors for strategy in QUICK_STRATEGIES]
                + [(COMPLETE_STRATEGY, factor) for factor in factors])
    for strategy, factor in attempts:
        found = _solve(day, visits, base, travel, rules, settings, strategy,
                       long_staff * factor, short_staff * factor)
        if found is not None:
            plan, objective = found
            return SolvedPlan(plan, objective, time.perf_counter() - began)
    raise DomainError("visits.infeasible", f"Ingen plan för besöken {day} håller alla "
                      "tidsfönster, raster och passlängder.")


def _solve(day: dt.date, visits: Sequence[Visit], base: Location, travel: TravelModel,
           rules: WorkRules, settings: SolveSettings, strategy: int, long_shifts: int,
           short_shifts: int) -> tuple[VisitPlan, int] | None:
    nodes: list[Visit] = []  # node i + 1 is nodes[i]
    pairs: list[tuple[int, int]] = []
    for visit in sorted(visits, key=lambda v: (v.earliest_start, v.id)):
        nodes.append(visit)
        if visit.staff == 2:
            nodes.append(visit)
            pairs.append((len(nodes) - 1, len(nodes)))
    count = max(1, long_shifts + short_shifts)
    breaks_from = len(nodes) + 1  # nodes breaks_from + v: vehicle v's break at the base
    places = [base, *(v.location for v in nodes), *([base] * long_shifts)]
    matrix = [[travel.minutes(a, b) for b in places] for a in places]
    service = [0, *(v.duration for v in nodes), *([rules.break_minutes] * long_shifts)]
    day_start = max(0, min(v.earliest_start for v in nodes) - max(matrix[0]) - 60)
    day_end = max(v.latest_start + v.duration for v in nodes) + max(matrix[0]) + 60

    manager = pywrapcp.RoutingIndexManager(len(places), count, 0)
    routing = pywrapcp.RoutingModel(manager)

    # the arcs as matrices over the nodes, evaluated inside the solver (a Python callback
    # per arc evaluation cost about 15 % of a week's solve)
    transit_index = routing.RegisterTransitMatrix(
        [[service[a] + minutes for minutes in row] for a, row in enumerate(matrix)])
    travel_index = routing.RegisterTransitMatrix(matrix)
    routing.SetArcCostEvaluatorOfAllVehicles(travel_index)
    routing.AddDimension(transit_index, day_end, day_end, False, "time")
    clock = routing.GetDimensionOrDie("time")
    clock.SetSpanCostCoefficientForAllVehicles(1)
    solver = routing.solver()
    for node, visit in enumerate(nodes, start=1):
        clock.CumulVar(manager.NodeToIndex(node)).SetRange(visit.earliest_start,
                                                           visit.latest_start)
    for a, b in pairs:
        first, second = manager.NodeToIndex(a), manager.NodeToIndex(b)
        solver.Add(clock.CumulVar(first) == clock.CumulVar(second))
        solver.Add(routing.VehicleVar(first) != routing.VehicleVar(second))
    limit = rules.max_continuous_minutes
    for vehicle in range(count):
        start, end = routing.Start(vehicle), routing.End(vehicle)
        clock.CumulVar(start).SetRange(day_start, day_end)
        clock.CumulVar(end).SetRange(day_start, day_end)
        if vehicle >= long_shifts:
            clock.SetSpanUpperBoundForVehicle(limit, vehicle)
            continue
        clock.SetSpanUpperBoundForVehicle(rules.max_shift_minutes, vehicle)
        pause = manager.NodeToIndex(breaks_from + vehicle)
        routing.VehicleVar(pause).SetValues([vehicle])
        # ATL 15 §: at most so many minutes of work before and after the break (the
        # break is mandatory: first or last at the base it is no break, see _route)
        solver.Add(clock.CumulVar(pause) - clock.CumulVar(start) <= limit)
        solver.Add(clock.CumulVar(end) - clock.CumulVar(pause) - rules.break_minutes <= limit)
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = strategy
    params.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH if settings.guided
        else routing_enums_pb2.LocalSearchMetaheuristic.GREEDY_DESCENT)
    if settings.guided:
        params.solution_limit = settings.solution_limit
    params.time_limit.FromMilliseconds(int(settings.time_limit_seconds * 1000))
    solution = routing.SolveWithParameters(params)
    if solution is None:
        return None
    routes: list[Route] = []
    number = 0
    for vehicle in range(count):
        index = routing.Start(vehicle)
        stops: list[Stop] = []
        index = solution.Value(routing.NextVar(index))
        pause_at = None
        position = 0  # where the break is: 0 first, len(stops) last
        while not routing.IsEnd(index):
            node = manager.IndexToNode(index)
            if node >= breaks_from:
                pause_at, position = solution.Value(clock.CumulVar(index)), len(stops)
            else:
                stops.append(Stop(nodes[node - 1].id, solution.Value(clock.CumulVar(index))))
            index = solution.Value(routing.NextVar(index))
        if not stops:
            continue
        number += 1
        leave = solution.Value(clock.CumulVar(routing.Start(vehicle)))
        back = solution.Value(clock.CumulVar(routing.End(vehicle)))
        routes.append(_route(f"Personal {number}", leave, back, tuple(stops), pause_at,
                             position, rules))
    return VisitPlan(day, base, tuple(routes)), int(solution.ObjectiveValue())


def _route(staff: str, leave: int, back: int, stops: tuple[Stop, ...], pause_at: int | None,
           position: int, rules: WorkRules) -> Route:
    """The route as worked: a break at the base before the first visit or after the last
    is no break (the day starts after it or ends before it)."""
    if pause_at is not None and position == 0 and pause_at == leave:
        return Route(staff, pause_at + rules.break_minutes, back, stops)
    if pause_at is not None and position == len(stops) and pause_at + rules.break_minutes == back:
        return Route(staff, leave, pause_at, stops)
    return Route(staff, leave, back, stops, pause_at)
