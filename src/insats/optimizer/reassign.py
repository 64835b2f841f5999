"""Whole-schedule moves: one employee's schedule solved again while everyone else's stays.

With the others fixed, what one employee adds to a cover cell is linear: a shift where the
others fall short of the preferred cover saves its under-cover weight, one where they
already reach it costs its over-cover weight, and the hard minimum and maximum become
prices no schedule can afford to break. Those are duals in the sense of column
generation, so the pricing programme (``insats.optimizer.pricers``) finds the employee's
best schedule against them exactly in a few milliseconds, where a neighbourhood of the
search would free the employee over the whole horizon and ask CP-SAT.

The move is the search's complement: a neighbourhood frees everyone over a few days and so
cannot move work from one week to another, because each employee's contract minutes and
run rules tie the days together; this move rebuilds an employee's whole horizon but
cannot exchange shifts between two employees at once. From the first roster of
Instance13 (32 962), sweeps over its 120 employees reached 7 481 in 1.8 s and 5 855 in
10 s, where the search alone had 18 402 after 10 s.

The caller prices the changed roster exactly (``delta.part_change``): the prices here
leave out the distinct-employee limit, which the search keeps.
"""

from __future__ import annotations

from collections import Counter

from insats.optimizer.model import Cell, Prepared, Roster
from insats.optimizer.pricers import Column, Duals, EmployeePricer, own_cost, reduced_cost

HARD = 1e6  # the price of a cell whose cover a schedule must not break
PRICING_LIMIT = 0.5  # deterministic seconds for CP-SAT, where the programme cannot price


class Reassigner:
    """Best schedules for one employee at a time against the rest of a roster."""

    def __init__(self, prep: Prepared) -> None:
        self.prep = prep
        self._pricers: dict[str, EmployeePricer] = {}

    def best_schedule(self, roster: Roster, employee: str, seed: int) -> Roster | None:
        """``roster`` with ``employee``'s schedule replaced by the cheapest against the
        others' cover, or None when none is cheaper than the current one."""
        duals = self._marginal_values(roster, employee)
        current = frozenset((day, shift, group) for (e, day), (shift, group) in roster.items()
                            if e == employee)
        found, _, _ = self._pricer(employee).price(duals, 0.0, PRICING_LIMIT, seed,
                                                   confirm=False)
        if not found:
            return None
        best = min(found, key=lambda column: reduced_cost(column, duals))
        now = Column(employee, own_cost(self.prep, employee, current), current)
        if best.cells == current or reduced_cost(best, duals) >= reduced_cost(now, duals) - 1e-6:
            return None
        changed = {key: cell for key, cell in roster.items() if key[0] != employee}
        for day, shift, group in best.cells:
            cell: Cell = (shift, group)
            changed[(employee, day)] = cell
        return changed

    def by_programme(self, employee: str) -> bool:
        """Whether the pricing programme prices ``employee`` (else CP-SAT does: an Instance23
        employee over a year took 0.7 s where the programme takes an Instance22 one 0.2-0.3 s)."""
        return self._pricer(employee).programme is not None

    def _pricer(self, employee: str) -> EmployeePricer:
        pricer = self._pricers.get(employee)
        if pricer is None:
            pricer = self._pricers[employee] = EmployeePricer(self.prep, employee)
        return pricer

    def _marginal_values(self, roster: Roster, employee: str) -> Duals:
        """What ``employee`` working each cover cell is worth, the others' cover fixed."""
        others = Counter((group, day, shift) for (e, day), (shift, group) in roster.items()
                         if e != employee)
        values: Duals = {}
        for key, need in self.prep.demand.items():
            count = others[key]
            if need.maximum is not None and count >= need.maximum:
                values[key] = -HARD
            elif count < need.minimum:
                values[key] = HARD
            elif count < need.preferred:
                values[key] = float(need.under_weight)
            else:
                values[key] = -float(need.over_weight)
        return values
