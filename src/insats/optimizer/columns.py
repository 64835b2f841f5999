"""Column generation: a strong lower bound and good rosters from whole employee schedules.

Every hard rule concerns one employee; only the cover ties employees together. So the
problem is a choice of one schedule (a column) per employee, with the cover priced on top
(Dantzig–Wolfe). The linear relaxation of that choice is far tighter than that of the
cell model, and its value, with the reduced costs of the last pricing round, bounds the
optimum from below (the Lagrangian bound).

- Master (GLOP): λ[e, c] ≥ 0 with Σ_c λ[e, c] = 1 per employee; per demand row
  Σ λ·a + under − over = preferred, under ≤ preferred − minimum, over ≤ maximum −
  preferred; minimise column costs plus weighted under- and over-cover.
- Pricing (``insats.optimizer.pricers``): the employee's own costs minus the cover duals
  of the cells worked. A dynamic programme over the days (``insats.optimizer.pricing``)
  solves it exactly in most cases, tens to hundreds of times faster than CP-SAT; CP-SAT
  (one model per employee built once, only its objective changes) takes the employees the
  programme cannot settle. Large instances are priced in worker processes, small ones in
  threads.
- A dive (fix the surest schedules, price the rest again) turns the LP into a roster;
  ``support`` gives the cells of the LP's schedules, over which the engine solves the whole
  model, and ``integer_roster`` solves the restricted master as an integer programme
  (SCIP). The engine polishes the result further.

The continuity term (distinct employees per group) is not in the master; the polishing
steps of the engine price it.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

from ortools.linear_solver import pywraplp

from insats.optimizer.model import Cell, Prepared, Roster
from insats.optimizer.pricers import Column, Pricers, own_cost, pricers_for, reduced_cost

GIVE_UP_SHARE = 0.25  # of the column generation budget, for a first round priced inexactly
DIVE_FIX_SHARE = 0.2  # of the employees still free, fixed at each step of a dive
DIVE_ROUNDS = 5  # pricing rounds after each step of a dive, at most
DIVE_GAP = 0.01  # a step's pricing stops when it can gain less than this share of the LP
SUPPORT_EPSILON = 1e-6  # a column with a larger λ is in the LP's support
SUPPORT_EXTRA = 3  # columns of least reduced cost added to each employee's support
TAIL_ROUNDS = 5  # the LP tails off when over this many rounds it fell
TAIL_SHARE = 0.02  # by less than this share: from then on the rounds price thoroughly


@dataclass
class ColumnGeneration:
    """State of a column generation run; ``lower_bound`` is valid once it is set."""

    prep: Prepared
    columns: dict[str, list[Column]] = field(default_factory=dict)
    lower_bound: float | None = None
    lp_value: float | None = None
    converged: bool = False
    rounds: int = 0


def columns_of(prep: Prepared, roster: Roster) -> dict[str, Column]:
    """The current roster as one column per employee (its own cost computed exactly)."""
    found: dict[str, Column] = {}
    for employee in prep.instance.employees:
        cells = frozenset((d, s, g) for (e, d), (s, g) in roster.items() if e == employee)
        found[employee] = Column(employee, own_cost(prep, employee, cells), cells)
    return found


def generate(prep: Prepared, start: Roster, deadline: float, seed: int,
             workers: int) -> ColumnGeneration:
    """Run column generation until it converges or ``deadline`` (time.monotonic) passes."""
    with ColumnGenerator(prep, start, seed, workers) as generator:
        return generator.run(deadline)


class ColumnGenerator:
    """Column generation with its master and pricers kept, for a later dive."""

    def __init__(self, prep: Prepared, start: Roster, seed: int, workers: int) -> None:
        self.prep = prep
        self.employees = list(prep.instance.employees)
        self.state = ColumnGeneration(
            prep, {e: [c] for e, c in columns_of(prep, start).items()})
        self.master = _Master(prep, self.state.columns)
        self.seed = seed
        self.limit = 0.5
        self.workers = max(1, workers)
        self._pricers: Pricers | None = None  # started by the first round
        self.thorough = False  # price the shift maximums longer (once the LP tails off)

    @property
    def pricers(self) -> Pricers:
        if self._pricers is None:
            self._pricers = pricers_for(self.prep, self.workers)
        return self._pricers

    def __enter__(self) -> ColumnGenerator:
        return self

    def __exit__(self, *_: object) -> None:
        if self._pricers is not None:
            self._pricers.close()

    def _price(self, employees: list[str], deadline: float, confirm: bool = True
               ) -> tuple[int, bool, float] | None:
        """One pricing round: (columns added, all priced exactly, Σ reduced-cost bounds).

        Tried and not kept: smoothing the duals towards the best so far (Wentges). On
        Instance19 the LP came down more slowly with it: 4 684 after 30 s at 0.7, 6 818
        at 0.9, against 4 363 without."""
        solved = self.master.solve()
        if solved is None:
            return None
        duals, mus = solved
        self.state.lp_value = self.master.value
        pricers = self.pricers
        if time.monotonic() > deadline:
            return None
        # a round may take at most a quarter of what is left, shared by the workers
        share = (deadline - time.monotonic()) * GIVE_UP_SHARE * self.workers / len(employees)
        budget = max(0.02, min(self.limit, share))
        results = pricers.price(employees, duals, mus, budget, self.seed + self.state.rounds,
                                confirm, self.thorough)
        added = 0
        exact = True
        bound_sum = 0.0
        for found, bound, proven in results:
            exact = exact and proven
            bound_sum += min(0.0, bound)
            for column in found:
                reduced = reduced_cost(column, duals) - mus[column.employee]
                known = self.state.columns[column.employee]
                if reduced < -1e-6 and column not in known:
                    known.append(column)
                    self.master.add(column)
                    added += 1
        if not exact and not pricers.without_programme.isdisjoint(employees):
            self.limit = min(self.limit * 1.5, 5.0)  # CP-SAT needs longer to prove
        return added, exact, bound_sum

    def run(self, deadline: float) -> ColumnGeneration:
        """Price until convergence or ``deadline``; give up early when pricing is too hard
        to solve exactly (the first round inexact and a quarter of the budget gone)."""
        state = self.state
        started = time.monotonic()
        confirm = False  # CP-SAT confirms only once the programme runs out of columns
        values: list[float] = []
        while time.monotonic() < deadline:
            state.rounds += 1
            priced = self._price(self.employees, deadline, confirm=confirm)
            if priced is None:
                break
            values.append(self.master.value)
            self.thorough = self.thorough or tails_off(values)
            added, exact, bound_sum = priced
            confirm = added == 0
            if state.rounds == 1 and not exact and (
                time.monotonic() - started > GIVE_UP_SHARE * (deadline - started)
            ):
                break
            # every pricer's bound is a valid lower bound, proven optimal or not
            candidate = self.master.value + bound_sum
            if math.isfinite(candidate) and time.monotonic() < deadline and (
                state.lower_bound is None or candidate > state.lower_bound
            ):
                state.lower_bound = candidate
            if added == 0 and exact:
                state.converged = True
                state.lower_bound = self.master.value
                break
            if state.lower_bound is not None and self.master.value - state.lower_bound < 1e-6:
                state.converged = True
                break
        return state

    def support(self) -> dict[str, list[set[Cell]]]:
        """Per employee and day, the cells of the columns the LP solution uses (λ > 0) and
        of the ``SUPPORT_EXTRA`` columns of least reduced cost.

        A roster made of these cells mixes those schedules day by day; the engine solves
        the whole model over them (``engine._solve_support``). After convergence the
        support is nearly one column per employee, so the extra columns give the search
        room: Instance12 4 153 against 4 245 with the support alone, and Instance8 (from an
        LP not yet converged) 1 315 against 1 413; one run each, 20 s."""
        solved = self.master.solve()
        days = self.prep.instance.days
        found: dict[str, list[set[Cell]]] = {}
        for employee, options in self.master.vars.items():
            chosen = [column for var, column in options
                      if var.solution_value() > SUPPORT_EPSILON]
            if solved is not None:
                duals = solved[0]
                chosen += sorted(
                    (column for _, column in options),
                    key=lambda c: reduced_cost(c, duals),
                )[:SUPPORT_EXTRA]
            per_day: list[set[Cell]] = [set() for _ in range(days)]
            for column in chosen:
                for day, shift, group in column.cells:
                    per_day[day].add((shift, group))
            found[employee] = per_day
        return found

    def dive(self, deadline: float, rounds_per_step: int = DIVE_ROUNDS) -> Roster | None:
        """Fix the schedules the LP is surest of, re-price the rest, until all are fixed.

        Each step fixes every employee whose best column has λ ≥ 0.9 (once column
        generation has converged), and at least a ``DIVE_FIX_SHARE`` of the others
        (largest λ first), then prices the rest again
        until the LP has settled: one round per step let the LP drift far above its value
        (Instance12: 4 040 to 5 100 by the end, a roster of 5 097; five rounds: 4 366).
        A step's rounds stop at its share of the time left, so that the dive ends by
        fixing with the LP rather than the deadline (Instance19, 40 employees over 84
        days, 15 s: five rounds a step reached the deadline after two steps and a roster
        of 16 398; with each step's rounds within its share, 6 789).
        When the deadline passes first, the others take their largest-λ column as it
        stands (every column keeps its employee's rules). None if the master has no solution."""
        free = list(self.employees)
        chosen: dict[str, Column] = {}
        while free:
            if self.master.solve() is None:
                return None
            best = {e: self.master.best_column(e) for e in free}
            if time.monotonic() > deadline:
                chosen.update({e: best[e][1] for e in free})
                break
            ranked = sorted(free, key=lambda e: -best[e][0])
            # before convergence a λ of 1 may only be a column nothing has replaced yet
            sure = [e for e in ranked if best[e][0] >= 0.9] if self.state.converged else []
            if len(sure) < math.ceil(len(free) * DIVE_FIX_SHARE):
                sure = ranked[:math.ceil(len(free) * DIVE_FIX_SHARE)]
            for employee in sure:
                chosen[employee] = best[employee][1]
                self.master.fix(employee, best[employee][1])
            free = [e for e in free if e not in chosen]
            # each step gets an even share of the time left for the steps still to come
            step_ends = time.monotonic() + (deadline - time.monotonic()) / _steps_left(len(free))
            for _ in range(rounds_per_step):
                if not free or time.monotonic() > step_ends:
                    break
                self.state.rounds += 1
                priced = self._price(free, deadline, confirm=False)
                if priced is None or priced[0] == 0:
                    break
                # the bounds are valid whether or not each employee was priced exactly
                if -priced[2] <= DIVE_GAP * max(1.0, abs(self.master.value)):
                    break  # the restricted LP is within DIVE_GAP of the LP of this step
        roster: Roster = {}
        for employee, column in chosen.items():
            for day, shift, group in column.cells:
                roster[(employee, day)] = (shift, group)
        return roster


def tails_off(values: list[float]) -> bool:
    """Whether the LP values of the rounds so far have fallen by less than ``TAIL_SHARE``
    over the last ``TAIL_ROUNDS`` rounds. From then on column generation prices the shift
    maximums thoroughly: on Instance8 (30 s) the LP reached 1 330 and the bound 1 223,
    against 1 386 and 464 with short pricing throughout, and Instance15 4 253 and 3 085
    against 4 375 and 867; thorough pricing from the start cost the large instances rounds
    (Instance15 at 60 s: 6 093 against 4 541, one run each)."""
    if len(values) <= TAIL_ROUNDS:
        return False
    return values[-TAIL_ROUNDS - 1] - values[-1] < TAIL_SHARE * abs(values[-1])


def _steps_left(free: int) -> int:
    """The dive's steps still to come with ``free`` employees: each fixes at least
    ``DIVE_FIX_SHARE`` of them."""
    if free <= 1:
        return 1
    return 1 + math.ceil(math.log(free) / -math.log(1 - DIVE_FIX_SHARE))


class _Master:
    def __init__(self, prep: Prepared, columns: dict[str, list[Column]]) -> None:
        self.prep = prep
        lp = pywraplp.Solver.CreateSolver("GLOP")
        assert lp is not None
        lp.SuppressOutput()
        self.lp = lp
        self.objective = lp.Objective()
        self.rows: dict[tuple[str, int, str], pywraplp.Constraint] = {}
        infinity = lp.infinity()
        for key, need in prep.demand.items():
            row = lp.Constraint(need.preferred, need.preferred)
            under = lp.NumVar(0, max(0, need.preferred - need.minimum), "")
            top = infinity if need.maximum is None else max(0, need.maximum - need.preferred)
            over = lp.NumVar(0, top, "")
            row.SetCoefficient(under, 1)
            row.SetCoefficient(over, -1)
            self.objective.SetCoefficient(under, need.under_weight)
            self.objective.SetCoefficient(over, need.over_weight)
            self.rows[key] = row
        self.convexity = {e: lp.Constraint(1, 1) for e in prep.instance.employees}
        self.vars: dict[str, list[tuple[pywraplp.Variable, Column]]] = {
            e: [] for e in prep.instance.employees}
        self.objective.SetMinimization()
        for employee_columns in columns.values():
            for column in employee_columns:
                self.add(column)
        self.value = 0.0
        # the last solution's duals, until a column or a bound changes the LP
        self._solved: tuple[dict[tuple[str, int, str], float], dict[str, float]] | None = None

    def add(self, column: Column) -> None:
        # no upper bound of 1: the convexity row implies it, and a bound would take the
        # dual that belongs to the convexity row (and the bound would be wrong)
        var = self.lp.NumVar(0, self.lp.infinity(), "")
        self._solved = None
        self.vars[column.employee].append((var, column))
        self.convexity[column.employee].SetCoefficient(var, 1)
        self.objective.SetCoefficient(var, column.cost)
        for day, shift, group in column.cells:
            row = self.rows.get((group, day, shift))
            if row is not None:
                row.SetCoefficient(var, 1)

    def best_column(self, employee: str) -> tuple[float, Column]:
        """The employee's column with the largest λ in the last LP solution."""
        var, column = max(self.vars[employee], key=lambda vc: vc[0].solution_value())
        return var.solution_value(), column

    def fix(self, employee: str, column: Column) -> None:
        """Only ``column`` remains for the employee (the others get an upper bound of 0).

        A changed bound makes GLOP (through pywraplp) load the model again and solve it
        from the start: on Instance13, with 4 850 columns, 1.36 s and 4 283 iterations
        after fixing one employee. Raising the other columns' cost instead keeps the basis
        (0.10 s, 231 iterations), but the dives it gave were worse: Instance16 3 561 and
        3 944 with costs raised by 10⁴ and 10⁷, against 3 246 (then the optimum, 3 225)
        with bounds; the LP the warm start ends at is another of its optima. So too with
        GLOP kept from its last basis (no presolve, dual simplex after a fix: 0.2-0.3 s a
        fix on Instance13 against about 2 s): Instance11's dive gave 3 760 against 3 544
        with every seed tried, and the model on the support then took 4-33 s to prove its
        optimum against 0.7-1.8 s."""
        self._solved = None
        for var, other in self.vars[employee]:
            if other is not column:
                var.SetUb(0)

    def solve(self) -> tuple[dict[tuple[str, int, str], float], dict[str, float]] | None:
        """Duals of the cover rows and of the convexity rows; None if the LP has no optimum
        (hard demand bounds the columns so far cannot meet). The LP is solved again only
        when a column or a bound has changed since the last solve."""
        if self._solved is not None:
            return self._solved
        if self.lp.Solve() != pywraplp.Solver.OPTIMAL:
            return None
        self.value = self.objective.Value()
        duals = {key: row.dual_value() for key, row in self.rows.items()}
        self._solved = duals, {e: row.dual_value() for e, row in self.convexity.items()}
        return self._solved


def integer_roster(state: ColumnGeneration, limit: float, current: Roster) -> Roster | None:
    """Solve the restricted master as an integer programme (SCIP) within ``limit`` s."""
    prep = state.prep
    mip = pywraplp.Solver.CreateSolver("SCIP")
    if mip is None:
        return None
    mip.SuppressOutput()
    mip.SetTimeLimit(max(1, int(limit * 1000)))
    choice: dict[str, list[tuple[pywraplp.Variable, Column]]] = {}
    covering: dict[tuple[str, int, str], list[pywraplp.Variable]] = {}
    costs: list[pywraplp.LinearExpr] = []
    hint_vars: list[pywraplp.Variable] = []
    hint_values: list[float] = []
    for employee, columns in state.columns.items():
        options = []
        mine = frozenset((d, s, g) for (e, d), (s, g) in current.items() if e == employee)
        for column in columns:
            var = mip.BoolVar("")
            options.append((var, column))
            costs.append(column.cost * var)
            hint_vars.append(var)
            hint_values.append(1.0 if column.cells == mine else 0.0)
            for day, shift, group in column.cells:
                covering.setdefault((group, day, shift), []).append(var)
        mip.Add(mip.Sum([var for var, _ in options]) == 1)
        choice[employee] = options
    for key, need in prep.demand.items():
        under = mip.NumVar(0, max(0, need.preferred - need.minimum), "")
        top = mip.infinity() if need.maximum is None else max(0, need.maximum - need.preferred)
        over = mip.NumVar(0, top, "")
        mip.Add(mip.Sum(covering.get(key, [])) + under - over == need.preferred)
        costs += [need.under_weight * under, need.over_weight * over]
    mip.Minimize(mip.Sum(costs))
    mip.SetHint(hint_vars, hint_values)
    status = mip.Solve()
    if status not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
        return None
    roster: Roster = {}
    for employee, options in choice.items():
        for var, column in options:
            if var.solution_value() > 0.5:
                for day, shift, group in column.cells:
                    cell: Cell = (shift, group)
                    roster[(employee, day)] = cell
    return roster
