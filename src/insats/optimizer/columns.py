"""Column generation: a strong lower bound and good rosters from whole employee schedules.

Every hard rule concerns one employee; only the cover ties employees together. So the
problem is a choice of one schedule (a column) per employee, with the cover priced on top
(Dantzig–Wolfe). The linear relaxation of that choice is far tighter than that of the
cell model, and its value, with the reduced costs of the last pricing round, bounds the
optimum from below (the Lagrangian bound).

- Master (GLOP): λ[e, c] ≥ 0 with Σ_c λ[e, c] = 1 per employee; per demand row
  Σ λ·a + under − over = preferred, under ≤ preferred − minimum, over ≤ maximum −
  preferred; minimise column costs plus weighted under- and over-cover.
- Pricing (CP-SAT, one model per employee built once, only its objective changes): the
  employee's own costs minus the cover duals of the cells worked. Employees are priced two
  at a time in threads (CP-SAT releases the interpreter lock while it solves).
- The restricted master is then solved as an integer programme (SCIP) over the columns
  found, which gives a roster; the engine polishes it further.

The continuity term (distinct employees per group) is not in the master; the polishing
steps of the engine price it.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from insats.optimizer.model import Cell, Prepared, Roster, Subproblem, SubproblemBuilder

SCALE = 1000  # duals are scaled to integers for CP-SAT
CellKey = tuple[int, str, str]  # (day, shift, group)


@dataclass(frozen=True, slots=True)
class Column:
    employee: str
    cost: int
    cells: frozenset[CellKey]


@dataclass
class ColumnGeneration:
    """State of a column generation run; ``lower_bound`` is valid once it is set."""

    prep: Prepared
    columns: dict[str, list[Column]] = field(default_factory=dict)
    lower_bound: float | None = None
    lp_value: float | None = None
    converged: bool = False
    rounds: int = 0


class _Pricer:
    def __init__(self, prep: Prepared, employee: str) -> None:
        self.employee = employee
        builder = SubproblemBuilder(prep, {}, [employee], range(prep.instance.days))
        self.sub: Subproblem = builder.build_employee()
        self.own = [(term, weight) for term, weight in self.sub.objective_terms]

    def price(self, duals: dict[tuple[str, int, str], float], mu: float, limit: float,
              seed: int) -> tuple[Column | None, float, bool]:
        """(best column found or None, bound on the reduced cost, proven optimal)."""
        model = self.sub.model
        model.clear_objective()  # type: ignore[no-untyped-call]
        terms: list[cp_model.LinearExprT] = [SCALE * weight * term
                                             for term, weight in self.own]
        for (_, day, shift, group), var in self.sub.x.items():
            dual = duals.get((group, day, shift), 0.0)
            if dual:
                terms.append(-round(SCALE * dual) * var)
        model.minimize(sum(terms))
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = seed
        solver.parameters.max_deterministic_time = limit  # repeatable, unlike wall time
        solver.parameters.max_time_in_seconds = 4 * limit
        status = solver.solve(model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None, -math.inf, False
        cells = frozenset((d, s, g) for (_, d, s, g), var in self.sub.x.items()
                          if solver.boolean_value(var))
        cost = sum(weight * int(solver.value(term)) for term, weight in self.own)
        bound = solver.best_objective_bound / SCALE - mu
        return Column(self.employee, cost, cells), bound, status == cp_model.OPTIMAL


def columns_of(prep: Prepared, roster: Roster) -> dict[str, Column]:
    """The current roster as one column per employee (its own cost computed exactly)."""
    found: dict[str, Column] = {}
    for employee in prep.instance.employees:
        cells = frozenset((d, s, g) for (e, d), (s, g) in roster.items() if e == employee)
        found[employee] = Column(employee, own_cost(prep, employee, cells), cells)
    return found


def own_cost(prep: Prepared, employee: str, cells: frozenset[CellKey]) -> int:
    instance = prep.instance
    spec = instance.employees[employee]
    worked = {d: (s, g) for d, s, g in cells}
    cost = 0
    for (e, day), requests in prep.requests.items():
        if e != employee:
            continue
        cell = worked.get(day)
        for shift, weight, kind in requests:
            hit = cell is not None and shift in (None, cell[0])
            cost += weight if (kind.value == "on") != hit else 0
    minutes = sum(instance.shifts[s].work_minutes for s, _ in worked.values())
    if spec.target_minutes is not None:
        cost += max(0, spec.target_minutes - minutes) * spec.under_target_weight
        cost += max(0, minutes - spec.target_minutes) * spec.over_target_weight
    cost += sum(spec.foreign_group_weight for _, g in worked.values() if not spec.is_home(g))
    return cost


def generate(prep: Prepared, start: Roster, deadline: float, seed: int, workers: int,
             should_stop: Callable[[], bool] = lambda: False) -> ColumnGeneration:
    """Run column generation until it converges or ``deadline`` (time.monotonic) passes."""
    instance = prep.instance
    employees = list(instance.employees)
    state = ColumnGeneration(prep, {e: [c] for e, c in columns_of(prep, start).items()})
    pricers: dict[str, _Pricer] = {}
    master = _Master(prep, state.columns)
    limit = 0.5
    with ThreadPoolExecutor(max(1, workers)) as pool:
        while time.monotonic() < deadline and not should_stop():
            state.rounds += 1
            solved = master.solve()
            if solved is None:
                return state
            duals, mus = solved
            state.lp_value = master.value
            for employee in employees:
                if employee not in pricers:
                    pricers[employee] = _Pricer(prep, employee)
                if time.monotonic() > deadline:
                    return state
            budget = max(0.05, min(limit, deadline - time.monotonic()))
            results = list(pool.map(_Pricer.price, [pricers[e] for e in employees],
                                    [duals] * len(employees), [mus[e] for e in employees],
                                    [budget] * len(employees),
                                    [seed + state.rounds] * len(employees)))
            added = 0
            exact = True
            bound_sum = 0.0
            for column, bound, proven in results:
                exact = exact and proven
                bound_sum += min(0.0, bound)
                if column is None:
                    continue
                reduced = column.cost - sum(duals.get((g, d, s), 0.0)
                                            for d, s, g in column.cells) - mus[column.employee]
                known = state.columns[column.employee]
                if reduced < -1e-6 and column not in known:
                    known.append(column)
                    master.add(column)
                    added += 1
            if exact and time.monotonic() < deadline:
                candidate = master.value + bound_sum
                if state.lower_bound is None or candidate > state.lower_bound:
                    state.lower_bound = candidate
            if not exact:
                limit = min(limit * 1.5, 5.0)
            if added == 0 and exact:
                state.converged = True
                state.lower_bound = master.value
                break
            if state.lower_bound is not None and master.value - state.lower_bound < 1e-6:
                state.converged = True
                break
    return state


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
        self.objective.SetMinimization()
        for employee_columns in columns.values():
            for column in employee_columns:
                self.add(column)
        self.value = 0.0

    def add(self, column: Column) -> None:
        # no upper bound of 1: the convexity row implies it, and a bound would take the
        # dual that belongs to the convexity row (and the bound would be wrong)
        var = self.lp.NumVar(0, self.lp.infinity(), "")
        self.convexity[column.employee].SetCoefficient(var, 1)
        self.objective.SetCoefficient(var, column.cost)
        for day, shift, group in column.cells:
            row = self.rows.get((group, day, shift))
            if row is not None:
                row.SetCoefficient(var, 1)

    def solve(self) -> tuple[dict[tuple[str, int, str], float], dict[str, float]] | None:
        """Duals of the cover rows and of the convexity rows; None if the LP has no optimum
        (hard demand bounds the columns so far cannot meet)."""
        if self.lp.Solve() != pywraplp.Solver.OPTIMAL:
            return None
        self.value = self.objective.Value()
        duals = {key: row.dual_value() for key, row in self.rows.items()}
        return duals, {e: row.dual_value() for e, row in self.convexity.items()}


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
