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

A move carries the objective's change: against the marginal values the reduced costs of
the old and the new schedule differ by exactly that (measured against the validator on
every move of Instances 5, 12 and 13 from their first rosters), where no hard minimum or
maximum is at stake and no group limits its distinct employees (the search then does not
sweep). The whole-horizon ``delta.part_change`` it replaces took 0.11 s a move on
Instance23, a fifth of the move.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from insats.optimizer.model import Cell, Prepared, Roster
from insats.optimizer.pricers import (
    Column,
    Duals,
    Pricers,
    ThreadPricers,
    own_cost,
    reduced_cost,
)

HARD = 1e6  # the price of a cell whose cover a schedule must not break
PRICING_LIMIT = 0.5  # deterministic seconds for CP-SAT, where the programme cannot price


@dataclass(frozen=True, slots=True)
class Move:
    """A roster with one employee's schedule replaced, and the objective's change where
    the marginal values price it exactly (else None)."""

    roster: Roster
    change: int | None


class Reassigner:
    """Best schedules for one employee at a time against the rest of a roster.

    With a pool of pricers (``insats.optimizer.pricers.ProcessPricers``) several employees
    are priced side by side, each against the roster as it stood; ``replaced`` then takes
    each one's schedule only while it still gains against the roster the ones before it
    made. Without one, they are priced one by one in a pool of one thread."""

    def __init__(self, prep: Prepared, pool: Pricers | None = None) -> None:
        self.prep = prep
        self.pool: Pricers = pool if pool is not None else ThreadPricers(prep, 1)
        # the cover of the last roster seen or made here: rosters are replaced, never
        # changed in place, so the same object has the same cover
        self._covered: tuple[Roster, Counter[tuple[str, int, str]]] | None = None

    def side_by_side(self, queue: list[str]) -> list[str]:
        """The employees at the end of ``queue`` that ``best_columns`` prices at once: the
        last, and before it the nearest of every other worker's, one each."""
        pool = self.pool
        if pool.parallel == 1:
            return queue[-1:]
        chosen: dict[int, str] = {}
        for employee in reversed(queue):
            chosen.setdefault(pool.worker_of(employee), employee)
            if len(chosen) == pool.parallel:
                break
        return list(chosen.values())

    def best_schedule(self, roster: Roster, employee: str, seed: int) -> Roster | None:
        """``roster`` with ``employee``'s schedule replaced by the cheapest against the
        others' cover, or None when none is cheaper than the current one."""
        best = self.best_columns(roster, [employee], seed)[0]
        move = None if best is None else self.replaced(roster, best)
        return None if move is None else move.roster

    def best_columns(self, roster: Roster, employees: list[str], seed: int
                     ) -> list[Column | None]:
        """Each employee's cheapest schedule against the others' cover in ``roster``
        (None where nothing was found)."""
        cover = self._cover(roster)
        asks = [(employee, self._marginal_values(roster, cover, employee))
                for employee in employees]
        results = self.pool.price_each(asks, PRICING_LIMIT, seed)
        return [min(found, key=lambda column: reduced_cost(column, duals)) if found else None
                for (_, duals), (found, _, _) in zip(asks, results, strict=True)]

    def replaced(self, roster: Roster, best: Column) -> Move | None:
        """``roster`` with ``best`` as its employee's schedule, if that is cheaper than the
        employee's current one against the others' cover as ``roster`` has it now.

        The difference of the two reduced costs is the objective's change: a cell the
        schedule leaves costs what the employee was worth there, one it takes saves it.
        Where a cell's hard minimum or maximum is at stake, or a group limits its distinct
        employees, the change is left to the caller."""
        employee = best.employee
        cover = self._cover(roster)
        duals = self._marginal_values(roster, cover, employee)
        current = frozenset((day, *cell) for day, cell in self._own(roster, employee))
        now = Column(employee, own_cost(self.prep, employee, current), current)
        best = Column(employee, own_cost(self.prep, employee, best.cells), best.cells)
        gain = reduced_cost(now, duals) - reduced_cost(best, duals)
        if best.cells == current or gain <= 1e-6:
            return None
        changed = {key: cell for key, cell in roster.items() if key[0] != employee}
        for day, shift, group in best.cells:
            cell: Cell = (shift, group)
            changed[(employee, day)] = cell
        hard = any(abs(duals.get((g, d, s), 0.0)) >= HARD for d, s, g in best.cells ^ current)
        after = cover.copy()
        after.subtract((g, d, s) for d, s, g in current)
        after.update((g, d, s) for d, s, g in best.cells)
        self._covered = changed, after
        exact = not hard and not self.prep.limited_groups  # continuity is not in the values
        return Move(changed, -round(gain) if exact else None)

    def by_programme(self, employee: str) -> bool:
        """Whether the pricing programme prices ``employee`` (else CP-SAT does: an Instance23
        employee over a year took 0.7 s where the programme takes an Instance22 one 0.2-0.3 s)."""
        return employee not in self.pool.without_programme

    def _cover(self, roster: Roster) -> Counter[tuple[str, int, str]]:
        """How many work each (group, day, shift) in ``roster``."""
        if self._covered is None or self._covered[0] is not roster:
            self._covered = roster, Counter(
                (group, day, shift) for (_, day), (shift, group) in roster.items())
        return self._covered[1]

    def _own(self, roster: Roster, employee: str) -> list[tuple[int, Cell]]:
        """``employee``'s worked days in ``roster``: (day, cell)."""
        return [(day, cell) for day in range(self.prep.instance.days)
                if (cell := roster.get((employee, day))) is not None]

    def _marginal_values(self, roster: Roster, cover: Counter[tuple[str, int, str]],
                         employee: str) -> Duals:
        """What ``employee`` working each cover cell is worth, the others' cover fixed
        (``cover``: the whole roster's, ``employee`` included)."""
        own = {(group, day, shift) for day, (shift, group) in self._own(roster, employee)}
        values: Duals = {}
        for key, need in self.prep.demand.items():
            count = cover[key] - (key in own)
            if need.maximum is not None and count >= need.maximum:
                values[key] = -HARD
            elif count < need.minimum:
                values[key] = HARD
            elif count < need.preferred:
                values[key] = float(need.under_weight)
            else:
                values[key] = -float(need.over_weight)
        return values

