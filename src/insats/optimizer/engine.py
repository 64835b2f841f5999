"""The roster engine: CP-SAT on the whole model where it is small, large-neighbourhood search
where it is not, and priced relaxation when no roster can keep every hard rule.

How a solve goes (``solve``):
1. A first roster: the hint (the published schedule, the previous period) if it keeps the
   hard rules, else one built an employee at a time, each solved exactly against the
   staffing the earlier ones already give. The hard rules concern one employee each, so
   this always finds a roster when one exists for each employee alone; an employee whose
   own rules cannot all hold is solved with priced slack and the broken rules are named.
2. Column generation (``insats.optimizer.columns``) for up to half of the time limit,
   where no group limits its distinct employees and the time limit allows it rounds
   enough (``_column_generation_pays``): its
   bound can prove a roster optimal. A dive turns the LP into a roster; once the LP has
   converged, CP-SAT then solves the whole model over the cells of the LP's schedules
   (``_solve_support``), before that SCIP solves the integer master over the columns.
3. Small models are then solved whole (``workers`` CP-SAT workers) from that roster; a
   proof of optimality ends the solve.
4. Otherwise a large-neighbourhood search: free a part of the roster, fix everything
   else, solve that part exactly, keep the result if it is no worse. Most parts free every
   employee over a few days around a costly cover cell (the cover is per day, so this
   moves staff to where they are missing); the others free a few employees over a window
   of days. The neighbourhood size adapts (larger while parts solve to optimality
   quickly, smaller when they time out); employees are chosen around the costliest cover
   cells. Between parts, sweeps give each employee in turn their best whole schedule
   against the others' cover (``insats.optimizer.reassign``), a move the parts cannot
   make, where no group limits its distinct employees (beyond ``SWEEP_MAX_DAYS`` days,
   only for the employees the pricing programme prices). Where column generation would
   price in worker processes, so do the sweeps: one employee per worker at a time.
5. The roster is checked by ``insats.domain.validate.check_roster`` and the objective
   reported is the validator's.

Determinism: every random choice comes from ``seed``; with ``max_iterations`` parts are
solved by one worker with a deterministic time limit, so such a solve repeats exactly. With
only a wall-clock limit parts get ``workers`` workers, and the number of iterations (and
so the roster) depends on the machine.
"""

from __future__ import annotations

import math
import random
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ortools.sat.python import cp_model

from insats.domain.planning import (
    Assignment,
    Breach,
    PlanningInstance,
    PlanningResult,
    PlanStatus,
    ProgressPoint,
)
from insats.domain.validate import (
    PENALTY_LABELS,
    check_roster,
    employee_breaches,
    price_roster,
)
from insats.optimizer import columns, delta, reassign
from insats.optimizer.construct import greedy_roster
from insats.optimizer.model import (
    Cell,
    Prepared,
    Roster,
    Subproblem,
    SubproblemBuilder,
    assignments_of,
    roster_from,
)
from insats.optimizer.pricers import Pricers, pricers_for

ProgressCallback = Callable[[ProgressPoint], None]

SMALL_MODEL_CELLS = 15_000  # models up to this many cells are also solved whole
COLUMN_GENERATION_SHARE = 0.5  # of the time limit, at most
COLUMN_GENERATION_MAX_DAYS = 182  # longer horizons go straight to the neighbourhood search
COLUMN_GENERATION_WORK = 60_000  # employees × days² per second of column generation, at most
DIVE_SHARE = 0.35  # of what remains after column generation, for the dive
UNCONVERGED_DIVE_SHARE = 0.5  # the same when column generation has not converged
SUPPORT_SHARE = 0.6  # of what remains after the dive, for the model on the LP's cells
MASTER_SHARE = 0.15  # of what remains, for the integer master (LP not converged)
MASTER_LIMIT = 8.0  # seconds, at most: past that SCIP rarely improves on the dive
WHOLE_SHARE = 0.25  # of what remains, for the whole model when it is small
PART_LIMIT = 0.15  # deterministic seconds for one neighbourhood
SWEEP_PARTS = 20  # neighbourhoods between two sweeps of whole-schedule moves
SWEEP_SHARE = 0.5  # of the time so far, for whole-schedule moves at most
SWEEP_MAX_DAYS = 182  # beyond it only employees the pricing programme prices are swept
DAY_WINDOW_SHARE = 0.8  # of the neighbourhoods: every employee over a few days


@dataclass(frozen=True, slots=True)
class SolveOptions:
    time_limit: float = 60.0
    seed: int = 0
    workers: int = 2
    max_iterations: int | None = None
    hint: tuple[Assignment, ...] = ()


@dataclass
class _Search:
    instance: PlanningInstance
    prep: Prepared
    options: SolveOptions
    progress: ProgressCallback | None
    started: float
    roster: Roster
    objective: int
    bound: int | None = None
    proven: bool = False
    relaxed: bool = False

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def remaining(self) -> float:
        return self.options.time_limit - self.elapsed()

    def offer(self, roster: Roster, value: int | None = None) -> bool:
        """Take ``roster`` (whose objective is ``value``, priced here when not given) if it
        is no worse; report progress when it is better."""
        if value is None:
            value = sum(price_roster(self.instance, assignments_of(roster)).values())
        if value > self.objective:
            return False
        better = value < self.objective
        self.roster, self.objective = roster, value
        if better:
            self.report()
        return True

    def at_bound(self) -> bool:
        if self.bound is not None and self.objective <= self.bound:
            self.proven = True
        return self.proven

    def report(self) -> None:
        if self.progress is not None:
            self.progress(ProgressPoint(round(self.elapsed(), 3), self.objective, self.bound))


def solve(instance: PlanningInstance, options: SolveOptions = SolveOptions(),
          progress: ProgressCallback | None = None) -> PlanningResult:
    started = time.monotonic()
    prep = Prepared.of(instance)
    rng = random.Random(options.seed)
    roster = _first_roster(prep, options, started)
    search = _Search(instance, prep, options, progress, started, roster,
                     sum(price_roster(instance, assignments_of(roster)).values()))
    search.relaxed = not check_roster(instance, assignments_of(roster)).feasible
    if not instance.employees:
        # nobody to plan: the empty roster is the only one, and its cost is the bound
        search.bound, search.proven = search.objective, True
    search.report()
    if not search.relaxed and not search.proven:
        _improve(search, rng)
    return _result(search)


def _improve(search: _Search, rng: random.Random) -> None:
    options = search.options
    iterations_only = options.max_iterations is not None
    cells = sum(len(c) for days in search.prep.options.values() for c in days)
    small = cells <= SMALL_MODEL_CELLS
    budget = options.time_limit * COLUMN_GENERATION_SHARE
    deadline = search.started + budget
    if not _column_generation_pays(search.instance, budget):
        deadline = search.started
    if search.prep.limited_groups:
        # the master leaves continuity out: with column generation the department's PA
        # units U01 and U03-U05 got 7.6-7.9 assistants per client on average, 3.9-6.6
        # without (bench/plan_demo.py, 60 s)
        deadline = search.started
    with columns.ColumnGenerator(search.prep, search.roster, options.seed,
                                 options.workers) as generator:
        state = generator.run(deadline)
        if state.lower_bound is not None:
            search.bound = max(0, math.ceil(state.lower_bound - 1e-6))
            search.report()
        if not search.at_bound() and state.rounds > 1:
            # the support of an LP that has not converged misleads: Instance13, 15 and 19
            # came out 24, 2 and 22 % worse with it than with the integer master
            support = generator.support() if state.converged else None
            share = DIVE_SHARE if state.converged else UNCONVERGED_DIVE_SHARE
            dive_deadline = time.monotonic() + search.remaining() * share
            _offer_if_feasible(search, generator.dive(dive_deadline))
            if support is not None and not search.at_bound() and search.remaining() > 0:
                _solve_support(search, support, SUPPORT_SHARE)
            elif not small and not search.at_bound() and search.remaining() > 0:
                # a small whole model does better with the time than SCIP on the columns
                limit = min(search.remaining() * MASTER_SHARE, MASTER_LIMIT)
                _offer_if_feasible(search, columns.integer_roster(state, limit, search.roster))
    if search.at_bound():
        return
    if small and search.remaining() > 0 and not search.at_bound():
        _solve_whole(search, share=1.0 if iterations_only else WHOLE_SHARE)
    if not search.proven and not search.at_bound():
        _neighbourhood_search(search, rng)


def _column_generation_pays(instance: PlanningInstance, seconds: float) -> bool:
    """Whether ``seconds`` of column generation give it rounds enough to beat the
    neighbourhood search alone. A round prices every employee over the horizon, and
    costs about employees × days² (the programme's minutes grow with the days):

    - Instance20 (50 × 182 days, 1.7 million): 14 rounds in 30 s; at 60 s 10 283 against
      21 128 without, at 120 s 6 487 against 18 180;
    - Instance21 (100 × 182, 3.3 million): 4 rounds in 30 s and 88 950 at 60 s against
      55 222 without; 8 rounds in 60 s and 32 098 at 120 s against 53 277;
    - Instance22 (50 × 364 days): one round took 49 s. Horizons over
      ``COLUMN_GENERATION_MAX_DAYS`` are not measured at longer limits yet."""
    if instance.days > COLUMN_GENERATION_MAX_DAYS:
        return False
    return len(instance.employees) * instance.days ** 2 <= COLUMN_GENERATION_WORK * seconds


def _offer_if_feasible(search: _Search, roster: Roster | None) -> None:
    if roster is not None and check_roster(search.instance, assignments_of(roster)).feasible:
        search.offer(roster)


# -- first roster ----------------------------------------------------------------------
def _first_roster(prep: Prepared, options: SolveOptions, started: float) -> Roster:
    """The hint if it keeps every hard rule, else one employee at a time (see above)."""
    instance = prep.instance
    known = [a for a in options.hint if a.employee in instance.employees]
    if known and check_roster(instance, known).feasible:
        return roster_from(known)
    order = sorted(instance.employees, key=lambda e: _tightness(prep, e))
    roster, failed = greedy_roster(prep, order, {})
    for employee in failed:
        left = options.time_limit - (time.monotonic() - started)
        limit = max(1.0, left / (2 * len(failed)))
        found = _feasible_alone(prep, roster, employee, limit, options.seed,
                                workers=1 if options.max_iterations is not None else 2)
        if found is None:
            # no schedule keeps every rule (or none was found in time): the least slack
            relaxed = _solve_part(prep, roster, [employee], range(instance.days), limit,
                                  options.seed, (employee,))
            if relaxed is not None and _fewer_breaches(prep, employee, relaxed, roster):
                found = relaxed
        if found is not None:
            roster = found
    return roster


def _fewer_breaches(prep: Prepared, employee: str, candidate: Roster, current: Roster) -> bool:
    spec = prep.instance.employees[employee]

    def count(roster: Roster) -> int:
        rows = {(e, d): Assignment(e, d, s, g) for (e, d), (s, g) in roster.items()
                if e == employee}
        return len(employee_breaches(prep.instance, spec, rows))

    return count(candidate) < count(current)


def _feasible_alone(prep: Prepared, roster: Roster, employee: str, limit: float,
                    seed: int, workers: int) -> Roster | None:
    """Any schedule for ``employee`` that keeps their own rules.

    Two workers let feasibility jump find most schedules at once while the search does
    the rest; one worker (for repeatable solves) gives the same answer every time."""
    sub = SubproblemBuilder(prep, roster, [employee], range(prep.instance.days)).build_employee()
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    solver.parameters.stop_after_first_solution = True
    solver.parameters.max_time_in_seconds = limit
    _light_presolve(solver)
    if solver.solve(sub.model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return _merged(roster, sub, solver.boolean_value, [employee], range(prep.instance.days))


def _tightness(prep: Prepared, employee: str) -> tuple[int, str]:
    """Employees with the fewest options first: they have the least room."""
    return sum(len(cells) for cells in prep.options[employee]), employee


def _solve_part(prep: Prepared, roster: Roster, free: list[str], window: range, limit: float,
                seed: int, relax: tuple[str, ...]) -> Roster | None:
    sub = SubproblemBuilder(prep, roster, free, window, relax=relax).build()
    status, solver = _solve_sub(sub, limit, limit * 3, seed)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return _merged(roster, sub, solver.boolean_value, free, window)


def _solve_sub(sub: Subproblem, limit: float, wall_limit: float,
               seed: int, workers: int = 1) -> tuple[cp_model.CpSolverStatus, cp_model.CpSolver]:
    """A deterministic time limit (repeatable with one worker) and a wall-clock safety limit."""
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    solver.parameters.max_deterministic_time = limit
    solver.parameters.max_time_in_seconds = wall_limit
    _light_presolve(solver)
    return solver.solve(sub.model), solver


def _merged(roster: Roster, sub: Subproblem, is_set: Callable[[cp_model.IntVar], bool],
            free: list[str], window: range) -> Roster:
    """``roster`` with the free part replaced by the cells the solver set."""
    freed = set(free)
    result = {k: v for k, v in roster.items() if not (k[0] in freed and k[1] in window)}
    for (e, d, shift, group), var in sub.x.items():
        if is_set(var):
            result[(e, d)] = (shift, group)
    return result


def _light_presolve(solver: cp_model.CpSolver) -> None:
    """Presolve that pays off on small parts: the expensive overlap search is skipped."""
    solver.parameters.find_big_linear_overlap = False
    solver.parameters.max_presolve_iterations = 1


# -- whole model -----------------------------------------------------------------------
class _Collector(cp_model.CpSolverSolutionCallback):
    def __init__(self, search: _Search, x: dict[tuple[str, int, str, str], cp_model.IntVar]):
        super().__init__()
        self.search = search
        self.x = x

    def on_solution_callback(self) -> None:
        roster = {(e, d): (s, g) for (e, d, s, g), var in self.x.items() if self.value(var)}
        self.search.offer(roster)
        if self.search.at_bound():
            self.stop_search()


def _solve_support(search: _Search, support: Mapping[str, list[set[Cell]]],
                   share: float) -> None:
    """The whole model over the cells of the LP's support and of the current roster.

    The LP's schedules, mixed day by day, hold far fewer cells than the instance (Instance12
    2 550 of 10 452), so CP-SAT searches them well where the dive alone rounds badly:
    from a converged LP of 4 040, the dive gave 4 833 and this 4 245 within 13 s; Instance18
    5 248 and 4 685 (LP 4 417). With the cells of every column generated rather than the
    support, the model was too loose (Instance12 4 889). The engine calls it only once
    column generation has converged."""
    allowed = {e: [set(cells) for cells in days] for e, days in support.items()}
    for (employee, day), cell in search.roster.items():
        allowed[employee][day].add(cell)
    _solve_whole(search, share, search.prep.restricted(allowed))


def _solve_whole(search: _Search, share: float, prep: Prepared | None = None) -> None:
    """CP-SAT on every employee and day, from the current roster. With ``prep`` (the
    instance with fewer cells), its bound and proof do not hold for the instance."""
    instance = search.instance
    restricted = prep is not None
    sub = SubproblemBuilder(prep or search.prep, search.roster, list(instance.employees),
                            range(instance.days)).build()
    if search.bound is not None:
        sub.model.add(sub.objective >= search.bound)
    solver = cp_model.CpSolver()
    repeatable = search.options.max_iterations is not None
    # one worker when the caller asks for a repeatable solve: several workers race
    solver.parameters.num_workers = 1 if repeatable else max(1, search.options.workers)
    solver.parameters.random_seed = search.options.seed
    solver.parameters.max_time_in_seconds = max(0.1, search.remaining() * share)
    collector = _Collector(search, sub.x)
    status = solver.solve(sub.model, collector)
    if not restricted and status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        search.bound = max(search.bound or 0, math.ceil(solver.best_objective_bound - 1e-6))
        search.proven = status == cp_model.OPTIMAL or search.at_bound()


# -- large-neighbourhood search --------------------------------------------------------
def _neighbourhood_search(search: _Search, rng: random.Random) -> None:
    """One part at a time on ``workers`` CP-SAT workers. Solving two parts side by side on
    one worker each gave twice the parts but worse rosters (Instance20 at 40 s: 27 500 to
    29 000 against 20 300 to 23 200): a part built on a roster another part has changed
    is often no longer an improvement, and one worker times out on more parts."""
    instance = search.instance
    employees = list(instance.employees)
    cells_per_employee_day = max(1.0, sum(
        len(c) for days in search.prep.options.values() for c in days
    ) / (len(employees) * instance.days))
    size = 600.0  # target number of cells in a neighbourhood
    part_limit = PART_LIMIT
    iteration = 0
    sweeps = _Sweeps(search, rng)
    try:
        while search.remaining() > 0.05 and not search.at_bound():
            if (search.options.max_iterations is not None
                    and iteration >= search.options.max_iterations):
                break
            if iteration % SWEEP_PARTS == 0:
                sweeps.run()
            iteration += 1
            free, window = _choose(search, rng, size, cells_per_employee_day)
            limit = min(part_limit, max(0.05, search.remaining()))
            outcome = _solve_part_timed(search, free, window, limit, rng.randrange(1 << 30))
            if outcome == "optimal":
                size = min(size * 1.15, 60_000.0)
            elif outcome == "timeout":
                size = max(size * 0.85, 60.0)
    finally:
        sweeps.close()



class _Sweeps:
    """Whole-schedule moves (``insats.optimizer.reassign``) between the search's parts:
    each employee in turn gets their best schedule against the others. A pass over the
    employees starts again only once the roster has changed since the last one began.

    Where column generation prices in worker processes, the moves do too: as many
    employees at once as there are workers, each against the roster as it stood, each
    taken only while it still gains once the ones before it are in.

    With a wall-clock limit the moves take at most ``SWEEP_SHARE`` of the time so far (a
    year-long employee takes 0.2-0.3 s to price); with ``max_iterations`` every sweep runs
    to the end of its pass, so that the solve repeats."""

    def __init__(self, search: _Search, rng: random.Random) -> None:
        self.search = search
        self.rng = rng
        self._reassigner: reassign.Reassigner | None = None
        self._pool: Pricers | None = None
        self.queue: list[str] = []
        self.passed: Roster | None = None  # the roster when the current pass began
        self.spent = 0.0
        self.slowest = 0.0  # seconds, the longest one batch of moves has taken

    @property
    def reassigner(self) -> reassign.Reassigner:
        if self._reassigner is None:
            self._pool = pricers_for(self.search.prep, self.search.options.workers)
            self._reassigner = reassign.Reassigner(self.search.prep, self._pool)
        return self._reassigner

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()

    def run(self) -> None:
        search = self.search
        if search.prep.limited_groups:
            # the moves leave the distinct-employee limit out, as the master does: the
            # department's U01 got 6.2 / 14 assistants per client and 8 h mertid with
            # them, 6.2 / 12 and 1 h without (bench/plan_demo.py, 60 s, one run each)
            return
        repeatable = search.options.max_iterations is not None
        while not search.at_bound():
            if not self.queue:
                if self.passed is search.roster:
                    return  # nothing has changed since this pass began
                self.passed = search.roster
                self.queue = self._swept()
                self.rng.shuffle(self.queue)
                if not self.queue:
                    return
            out_of_time = search.remaining() <= max(0.05, self.slowest)
            if out_of_time or (not repeatable and self.spent > SWEEP_SHARE * search.elapsed()):
                return
            began = time.monotonic()
            self._move(self._batch())
            took = time.monotonic() - began
            self.spent += took
            self.slowest = max(self.slowest, took)

    def _batch(self) -> list[str]:
        """The next employees of the pass, as many as are priced side by side."""
        batch = self.reassigner.side_by_side(self.queue)
        taken = set(batch)
        self.queue = [e for e in self.queue if e not in taken]
        return batch

    def _swept(self) -> list[str]:
        """The employees a pass moves: all of them, but on horizons over SWEEP_MAX_DAYS only
        those the pricing programme prices (CP-SAT over a year is a neighbourhood of the
        search, not a quick move)."""
        employees = list(self.search.instance.employees)
        if self.search.instance.days <= SWEEP_MAX_DAYS:
            return employees
        return [e for e in employees if self.reassigner.by_programme(e)]

    def _move(self, employees: list[str]) -> None:
        search = self.search
        proposals = self.reassigner.best_columns(search.roster, employees,
                                                 self.rng.randrange(1 << 30))
        for employee, best in zip(employees, proposals, strict=True):
            move = None if best is None else self.reassigner.replaced(search.roster, best)
            if move is None:
                continue
            change = move.change
            if change is None:
                change = delta.part_change(search.prep, search.roster, move.roster,
                                           [employee], range(search.instance.days))
            search.offer(move.roster, None if change is None else search.objective + change)


def _solve_part_timed(search: _Search, free: list[str], window: range, limit: float,
                      seed: int) -> str:
    sub = SubproblemBuilder(search.prep, search.roster, free, window).build()
    wall_limit = max(0.05, min(limit * 3, search.remaining()))
    # two workers halve the wall time of a part; one keeps a ``max_iterations`` solve repeatable
    workers = 1 if search.options.max_iterations is not None else max(1, search.options.workers)
    status, solver = _solve_sub(sub, limit, wall_limit, seed, workers)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return "timeout"
    merged = _merged(search.roster, sub, solver.boolean_value, free, window)
    change = delta.part_change(search.prep, search.roster, merged, free, window)
    search.offer(merged, None if change is None else search.objective + change)
    return "optimal" if status == cp_model.OPTIMAL else "timeout"


def _choose(search: _Search, rng: random.Random, size: float,
            per_cell: float) -> tuple[list[str], range]:
    """A set of employees and a window of days holding about ``size`` cells."""
    instance = search.instance
    employees = list(instance.employees)
    days = instance.days
    total_cells = per_cell * len(employees) * days
    if size >= total_cells:
        return employees, range(days)
    if rng.random() < DAY_WINDOW_SHARE:
        # every employee over a few days: the cover is per day, so this moves staff
        # between the days and shifts that need them most
        span = max(2, min(days, round(size / (per_cell * len(employees)))))
        focus = _costly_day(search, rng, range(days))
        if focus is None:
            start = rng.randrange(0, days - span + 1)
        else:
            start = min(max(0, focus - rng.randrange(span)), days - span)
        return employees, range(start, start + span)
    span = days if rng.random() < 0.5 else rng.choice((7, 14, 21, 28))
    span = min(days, span)
    count = max(2, min(len(employees), round(size / (per_cell * span))))
    if count == len(employees):
        span = max(2, min(days, round(size / (per_cell * count))))
    start = rng.randrange(0, days - span + 1)
    window = range(start, start + span)
    focus = _costly_day(search, rng, window)
    if focus is not None and rng.random() < 0.7:
        free = _employees_near(search, rng, focus, count)
    else:
        free = rng.sample(employees, count)
    return free, window


def _costly_day(search: _Search, rng: random.Random, window: range) -> int | None:
    staffed = Counter((g, d, s) for (_, d), (s, g) in search.roster.items())
    costly = [need.day for need in search.instance.demand
              if need.day in window and (
                  (staffed[(need.group, need.day, need.shift)] < need.preferred
                   and need.under_weight)
                  or (staffed[(need.group, need.day, need.shift)] > need.preferred
                      and need.over_weight))]
    return rng.choice(costly) if costly else None


def _employees_near(search: _Search, rng: random.Random, day: int, count: int) -> list[str]:
    """Employees who work on ``day`` and those who could, mixed, ``count`` of them."""
    working = [e for e in search.instance.employees if (e, day) in search.roster]
    idle = [e for e in search.instance.employees
            if (e, day) not in search.roster and search.prep.options[e][day]]
    rng.shuffle(working)
    rng.shuffle(idle)
    half = count // 2
    chosen = working[:half] + idle[:count - min(half, len(working))]
    rest = [e for e in search.instance.employees if e not in set(chosen)]
    rng.shuffle(rest)
    return (chosen + rest)[:count]


# -- result ----------------------------------------------------------------------------
def _result(search: _Search) -> PlanningResult:
    instance = search.instance
    assignments = assignments_of(search.roster)
    check = check_roster(instance, assignments)
    if check.feasible:
        status = PlanStatus.OPTIMAL if search.proven else PlanStatus.FEASIBLE
    else:
        status = PlanStatus.RELAXED
    return PlanningResult(
        instance_name=instance.name,
        assignments=assignments,
        status=status,
        objective=check.objective,
        bound=search.bound,
        penalties=dict(check.penalties),
        breaches=check.breaches,
        explanation=explain(check.penalties, check.breaches),
        seconds=round(search.elapsed(), 3),
        seed=search.options.seed,
    )


def explain(penalties: Mapping[str, int], breaches: tuple[Breach, ...]) -> tuple[str, ...]:
    """Swedish lines: what broke (if anything) and what costs most."""
    lines: list[str] = []
    if breaches:
        rules = Counter(b.rule for b in breaches)
        lines.append("Inget schema håller alla regler; avsteg som krävdes: " + ", ".join(
            f"{rule} ({count})" for rule, count in rules.most_common()))
        lines += [b.message for b in breaches[:20]]
    for key, value in sorted(penalties.items(), key=lambda kv: -kv[1]):
        if value:
            lines.append(f"{PENALTY_LABELS.get(key, key)}: {value}")
    return tuple(lines)
