"""The pricing side of column generation: one employee's cheapest schedule against the cover
duals, and the pools that price a round's employees side by side.

- ``EmployeePricer``: the dynamic programme (``insats.optimizer.pricing``) where it fits,
  CP-SAT (its model built once, only the objective replaced) where the programme's schedule
  breaks a rule it leaves out or the employee is too large for it.
- ``ThreadPricers``: the pricers in this process, priced in threads. CP-SAT releases the
  interpreter lock while it solves, but the programme's many small NumPy operations hold
  it: on Instance13 (120 employees) a round took 3.1 s in one thread and about as long in
  two.
- ``ProcessPricers``: each worker process owns a fixed share of the employees (so each
  pricer keeps its warm start from round to round, and a seed repeats the same rounds)
  and prices them when the duals arrive. The processes start from a fork server, not by
  forking this process: a solve may run in a thread of the web application or the job
  runner, and a fork would copy the locks other threads hold.

``pricers_for`` chooses: processes for instances large enough to repay their start
(``PROCESS_MIN_EMPLOYEE_DAYS``), threads for the rest.
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import resource
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, Protocol

from ortools.sat.python import cp_model

from insats.domain.validate import contract_penalty, request_cost
from insats.optimizer.model import Prepared, Subproblem, SubproblemBuilder
from insats.optimizer.pricing import THOROUGH_ATTEMPTS, SchedulePricer

SCALE = 1000  # duals are scaled to integers for CP-SAT
PROCESS_MIN_EMPLOYEE_DAYS = 1500  # employees × days from which rounds are priced in processes
CellKey = tuple[int, str, str]  # (day, shift, group)
Duals = dict[tuple[str, int, str], float]  # (group, day, shift) -> dual of its cover row
# (every schedule found, best last; a bound on the least reduced cost; proven optimal)
PricingResult = tuple[list["Column"], float, bool]


@dataclass(frozen=True, slots=True)
class Column:
    employee: str
    cost: int
    cells: frozenset[CellKey]


def own_cost(prep: Prepared, employee: str, cells: frozenset[CellKey]) -> int:
    """The employee's own part of the objective (requests, contract, co-planning), priced
    with the validator's rules."""
    instance = prep.instance
    spec = instance.employees[employee]
    worked = {d: (s, g) for d, s, g in cells}
    cost = 0
    for (e, day), requests in prep.requests.items():
        if e != employee:
            continue
        cell = worked.get(day)
        for shift, weight, kind in requests:
            cost += request_cost(shift, kind, weight, cell[0] if cell else None)
    minutes = sum(instance.shifts[s].work_minutes for s, _ in worked.values())
    cost += sum(contract_penalty(spec, minutes))
    cost += sum(spec.foreign_group_weight for _, g in worked.values() if not spec.is_home(g))
    return cost


def reduced_cost(column: Column, duals: Duals) -> float:
    """The column's cost less the cover duals of its cells (before its convexity dual)."""
    return column.cost - sum(duals.get((g, d, s), 0.0) for d, s, g in column.cells)


class EmployeePricer:
    """One employee's pricing, set up once and run every round."""

    def __init__(self, prep: Prepared, employee: str) -> None:
        self.prep = prep
        self.employee = employee
        programme = SchedulePricer(prep, employee)
        self.programme = programme if programme.usable() else None
        self._sub: Subproblem | None = None
        self.last: frozenset[CellKey] | None = None

    @property
    def sub(self) -> Subproblem:
        if self._sub is None:
            builder = SubproblemBuilder(self.prep, {}, [self.employee],
                                        range(self.prep.instance.days))
            self._sub = builder.build_employee()
        return self._sub

    def price(self, duals: Duals, mu: float, limit: float, seed: int,
              confirm: bool = True, thorough: bool = False) -> PricingResult:
        """Without ``confirm`` CP-SAT is left out where the programme found no column it
        can prove best (the round is then not exact). ``thorough`` lets the programme
        price the shift maximums longer (``THOROUGH_ATTEMPTS`` more runs), and so does
        ``confirm``: before CP-SAT is asked."""
        if self.programme is None:
            return self._solve(duals, mu, limit, seed)
        priced, bound = self.programme.price(
            duals, mu, extra=THOROUGH_ATTEMPTS if thorough or confirm else 0)
        keeping = sorted((p for p in priced if p.keeps_rules), key=lambda p: -p.reduced)
        found = [Column(self.employee, own_cost(self.prep, self.employee, cells), cells)
                 for cells in dict.fromkeys(
                     frozenset((d, s, g) for d, (s, g) in p.cells.items()) for p in keeping)]
        if found:
            self.last = found[-1].cells
        if keeping and keeping[-1].reduced <= bound + 1e-6:
            return found, bound, True
        if not confirm or (keeping and keeping[-1].reduced < -1e-6):
            return found, bound, False  # columns enough for this round; CP-SAT is slower
        more, solved_bound, proven = self._solve(duals, mu, limit, seed)
        return found + more, max(bound, solved_bound), proven

    def _solve(self, duals: Duals, mu: float, limit: float, seed: int) -> PricingResult:
        """CP-SAT: every schedule the search met, best last."""
        sub = self.sub
        model = sub.model
        model.clear_objective()  # type: ignore[no-untyped-call]
        terms: list[cp_model.LinearExprT] = [SCALE * weight * term
                                             for term, weight in sub.objective_terms]
        for (_, day, shift, group), var in sub.x.items():
            dual = duals.get((group, day, shift), 0.0)
            if dual:
                terms.append(-round(SCALE * dual) * var)
        model.minimize(sum(terms))
        model.clear_hints()  # type: ignore[no-untyped-call]
        if self.last is not None:
            for (_, day, shift, group), var in sub.x.items():
                model.add_hint(var, (day, shift, group) in self.last)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = seed
        solver.parameters.max_deterministic_time = limit  # repeatable, unlike wall time
        solver.parameters.max_time_in_seconds = 4 * limit
        collector = _ScheduleCollector(self)
        status = solver.solve(model, collector)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE) or not collector.found:
            return [], -math.inf, False
        self.last = collector.found[-1].cells
        bound = solver.best_objective_bound / SCALE - mu
        return collector.found, bound, status == cp_model.OPTIMAL


class _ScheduleCollector(cp_model.CpSolverSolutionCallback):
    """Every improving schedule of a pricing solve: more columns per round, fewer rounds."""

    def __init__(self, pricer: EmployeePricer) -> None:
        super().__init__()
        self.pricer = pricer
        self.found: list[Column] = []

    def on_solution_callback(self) -> None:
        pricer = self.pricer
        cells = frozenset((d, s, g) for (_, d, s, g), var in pricer.sub.x.items()
                          if self.boolean_value(var))
        cost = sum(weight * int(self.value(term)) for term, weight in pricer.sub.objective_terms)
        self.found.append(Column(pricer.employee, cost, cells))


# -- pools -------------------------------------------------------------------------------
class Pricers(Protocol):
    without_programme: frozenset[str]  # employees only CP-SAT can price
    parallel: int  # employees priced at once

    def worker_of(self, employee: str) -> int:
        """Which worker prices ``employee``: employees of different workers are priced
        side by side."""
        ...

    def price_each(self, asks: list[tuple[str, Duals]], limit: float,
                   seed: int) -> list[PricingResult]:
        """Each employee against duals of their own (no convexity dual, CP-SAT not asked to
        confirm), one result per ask, in the order given."""
        ...

    def price(self, employees: list[str], duals: Duals, mus: dict[str, float],
              limit: float, seed: int, confirm: bool,
              thorough: bool = False) -> list[PricingResult]:
        """One result per employee, in the order given."""
        ...

    def close(self) -> None: ...


def pricers_for(prep: Prepared, workers: int) -> Pricers:
    instance = prep.instance
    large = len(instance.employees) * instance.days >= PROCESS_MIN_EMPLOYEE_DAYS
    # a daemonic process (a multiprocessing pool's worker) may not start processes
    if workers > 1 and large and not multiprocessing.current_process().daemon:
        return ProcessPricers(prep, workers)
    return ThreadPricers(prep, workers)


class ThreadPricers:
    def __init__(self, prep: Prepared, workers: int) -> None:
        self.pricers = {e: EmployeePricer(prep, e) for e in prep.instance.employees}
        self.without_programme = frozenset(
            e for e, pricer in self.pricers.items() if pricer.programme is None)
        self.pool = ThreadPoolExecutor(max(1, workers))
        # the programme holds the interpreter lock: threads do not price side by side
        self.parallel = 1

    def worker_of(self, employee: str) -> int:
        return 0

    def price(self, employees: list[str], duals: Duals, mus: dict[str, float],
              limit: float, seed: int, confirm: bool,
              thorough: bool = False) -> list[PricingResult]:
        def one(employee: str) -> PricingResult:
            return self.pricers[employee].price(duals, mus[employee], limit, seed, confirm,
                                                thorough)

        return list(self.pool.map(one, employees))

    def price_each(self, asks: list[tuple[str, Duals]], limit: float,
                   seed: int) -> list[PricingResult]:
        def one(ask: tuple[str, Duals]) -> PricingResult:
            employee, duals = ask
            return self.pricers[employee].price(duals, 0.0, limit, seed, confirm=False)

        return list(self.pool.map(one, asks))

    def close(self) -> None:
        self.pool.shutdown()


class ProcessPricers:
    def __init__(self, prep: Prepared, workers: int) -> None:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])
        employees = list(prep.instance.employees)
        self.owner: dict[str, int] = {}
        self.connections: list[Connection] = []
        self.processes: list[multiprocessing.process.BaseProcess] = []
        for k in range(max(1, workers)):
            mine = employees[k::workers]
            if not mine:
                break
            ours, theirs = context.Pipe()
            process = context.Process(target=_serve, args=(theirs, prep, mine),
                                      name=f"insats-pricing-{k}", daemon=True)
            process.start()
            theirs.close()
            self.connections.append(ours)
            self.processes.append(process)
            self.owner.update({e: k for e in mine})
        without: set[str] = set()
        for connection in self.connections:
            without.update(_answer(connection))
        self.without_programme = frozenset(without)
        self.parallel = len(self.connections)

    def worker_of(self, employee: str) -> int:
        return self.owner[employee]

    def price(self, employees: list[str], duals: Duals, mus: dict[str, float],
              limit: float, seed: int, confirm: bool,
              thorough: bool = False) -> list[PricingResult]:
        shares: list[list[str]] = [[] for _ in self.connections]
        for employee in employees:
            shares[self.owner[employee]].append(employee)
        asked = [k for k, share in enumerate(shares) if share]
        for k in asked:
            self.connections[k].send(
                (shares[k], duals, {e: mus[e] for e in shares[k]}, limit, seed, confirm,
                 thorough))
        results: dict[str, PricingResult] = {}
        for k in asked:
            results.update(zip(shares[k], _answer(self.connections[k]), strict=True))
        return [results[e] for e in employees]

    def price_each(self, asks: list[tuple[str, Duals]], limit: float,
                   seed: int) -> list[PricingResult]:
        """In waves of at most one ask per worker, so that no pipe fills up."""
        results: list[PricingResult | None] = [None] * len(asks)
        waiting = list(enumerate(asks))
        while waiting:
            wave: dict[int, int] = {}  # worker -> ask
            later = []
            for index, (employee, duals) in waiting:
                worker = self.owner[employee]
                if worker in wave:
                    later.append((index, (employee, duals)))
                    continue
                wave[worker] = index
                self.connections[worker].send(
                    ([employee], duals, {employee: 0.0}, limit, seed, False, False))
            for worker, index in wave.items():
                results[index] = _answer(self.connections[worker])[0]
            waiting = later
        return [result for result in results if result is not None]

    def close(self) -> None:
        """Stop the workers; their peak memory is added to ``workers_peak_mib``."""
        global _workers_peak_mib
        peak = 0.0
        for connection in self.connections:
            with contextlib.suppress(OSError, EOFError, RuntimeError):  # it may have gone
                connection.send(None)
                peak += float(_answer(connection))
            connection.close()
        for process in self.processes:
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
        _workers_peak_mib = max(_workers_peak_mib, peak)


_workers_peak_mib = 0.0


def workers_peak_mib() -> float:
    """The largest sum of the peak memory of one pool's workers in this process so far:
    ``bench/roster.py`` adds it to the solving process's own."""
    return _workers_peak_mib


def _answer(connection: Connection) -> Any:
    kind, payload = connection.recv()
    if kind == "error":
        raise RuntimeError(f"en prissättningsprocess avbröts:\n{payload}")
    return payload


def _serve(connection: Connection, prep: Prepared, employees: list[str]) -> None:
    """A worker process: build the pricers, then price each round's share until told to
    stop (None) or the pipe closes."""
    try:
        pricers = {e: EmployeePricer(prep, e) for e in employees}
        connection.send(("ok", [e for e, p in pricers.items() if p.programme is None]))
        while True:
            try:
                message = connection.recv()
            except EOFError:
                return
            if message is None:
                connection.send(("ok", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))
                return
            wanted, duals, mus, limit, seed, confirm, thorough = message
            connection.send(("ok", [
                pricers[e].price(duals, mus[e], limit, seed, confirm, thorough)
                for e in wanted]))
    except Exception:  # the parent raises it with the worker's traceback
        connection.send(("error", traceback.format_exc()))
