"""Pricing one employee's schedule by dynamic programming over the days.

The pricing problem of column generation (``insats.optimizer.columns``) is one employee's
cheapest schedule when each cell worked is worth its cover dual. CP-SAT solves it exactly
but slowly on long horizons and many employees (a round of Instance13, 120 employees,
took 2-5 s; an 84-day employee rarely finished within its budget). Here it is a shortest
path over the days whose state holds what the sequence rules need:

- the kind of shift worked yesterday (or a day off), for the forbidden successions: shifts
  that forbid the same shifts the next day are one kind (Instance13's 18 shift types are 5
  kinds for its employees);
- the length of the current run of worked days (for the maximum and minimum) and whether
  it began on day 0 (such a run is exempt from the minimum), or of the current run of days
  off, counted up to the minimum (a run of days off that began on day 0 starts at it);
- the weekends worked so far, when the employee has a maximum;
- the minutes worked so far, in units of the largest common divisor of the shift lengths,
  for the contract's minimum, maximum and target.

The rules not in the state (the maximum of each shift type, the weekly rest, the 48-hour
average; the weekends' maximum when counting them would make the programme too large) are
left out, so the programme solves a relaxation: its value is a valid lower bound of the
reduced cost. The maximums left out are priced (Lagrangian, see ``price``). When its
schedule also keeps those rules (``employee_breaches`` finds nothing) it is optimal;
otherwise the caller prices it another way.

Each state's values are a NumPy array over (weekends, minutes), so a day costs a few dozen
array operations whatever the number of states. The minutes of a day are kept only within
the band a schedule can still end in: no more than the most that can be worked so far, no
less than the minimum less the most that can still be worked in the days left (the longest
run and the shortest rest bound both). On a year of Instance22 (232-234 shifts) a day keeps
35 of the 235 values on average, 129 at most.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import reduce

import numpy as np
from numpy.typing import NDArray

from insats.domain.planning import Assignment
from insats.domain.validate import contract_penalty, employee_breaches, request_cost
from insats.optimizer.model import Cell, Prepared

MAX_STATE_VALUES = 400_000  # per day; larger employees are left to CP-SAT
# runs with shift types priced to keep their maximum. With 6, half of Instance13's
# employees used all six runs in a round; with 3 column generation reached a lower LP in
# the same time (Instance19 at 30 s: 3 450 against 3 810; Instance13 converged at 71 s
# against over 86 s)
PENALTY_ATTEMPTS = 3
THOROUGH_ATTEMPTS = 5  # further runs in a thorough round (see SchedulePricer.price)
INF = math.inf
Values = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Priced:
    """A schedule the programme found: its reduced cost and whether it keeps every rule."""

    cells: dict[int, Cell]
    reduced: float
    keeps_rules: bool


class SchedulePricer:
    """One employee's programme, set up once; ``price`` runs it for a round's duals."""

    def __init__(self, prep: Prepared, employee: str) -> None:
        instance = prep.instance
        spec = instance.employees[employee]
        self.prep = prep
        self.employee = employee
        self.spec = spec
        self.days = instance.days
        options = prep.options[employee]
        shift_ids = sorted({cell[0] for cells in options for cell in cells})
        self.shifts = shift_ids
        index = {s: i for i, s in enumerate(shift_ids)}
        self.index = index
        self.caps: list[int | None] = [
            None if spec.max_shifts.get(s) is None or spec.max_shifts[s] >= instance.days
            else spec.max_shifts[s] for s in shift_ids]
        minutes = [instance.shifts[s].work_minutes for s in shift_ids]
        self.unit = reduce(math.gcd, [m for m in minutes if m > 0], 0) or 1
        self.length = [m // self.unit for m in minutes]
        longest = max(minutes, default=0)
        top = spec.max_minutes if spec.max_minutes is not None else longest * self.days
        self.top = top // self.unit  # the largest minutes index kept
        self.fewest = -(-spec.min_minutes // self.unit)
        self.max_run = spec.max_consecutive_shifts
        self.min_run = max(1, spec.min_consecutive_shifts)
        self.runs = self.max_run if self.max_run is not None else self.min_run
        self.off_runs = max(1, spec.min_consecutive_days_off)
        self.max_weekends = spec.max_weekends
        # weekends worked so far: 0 .. the maximum (one slot when there is none, or when
        # the weekends are priced instead, see below)
        self.slots = 1 if spec.max_weekends is None else spec.max_weekends + 1
        self.weekends_priced = False
        self.weekend_price = 0.0  # a run's price of a weekend worked, when they are priced
        # each day's band of minutes worked so far, [low, high] (empty when low > high)
        most = max((n for n in self.length if n <= self.top), default=0)
        self.low = [max(0, self.fewest - most * self._most_worked(self.days - 1 - day))
                    for day in range(self.days)]
        self.high = [min(self.top, most * self._most_worked(day + 1))
                     for day in range(self.days)]
        # yesterday's shift matters only through the shifts it forbids today: shifts that
        # forbid the same ones share a kind, and the state keeps the kind
        forbidden = {s: prep.forbidden_after.get(s, frozenset()) & set(shift_ids)
                     for s in shift_ids}
        kinds: dict[frozenset[str], int] = {}
        self.kind_of = [kinds.setdefault(forbidden[s], len(kinds)) for s in shift_ids]
        self.kinds = len(kinds)
        self.of_kind = [[s for s in range(len(shift_ids)) if self.kind_of[s] == k]
                        for k in range(self.kinds)]
        # the kinds that may come the day before each shift
        self.before = [np.array([k for blocked, k in kinds.items() if b not in blocked],
                                dtype=np.intp) for b in shift_ids]
        befores: dict[bytes, int] = {}
        moves: dict[tuple[int, int, int], list[int]] = {}
        starts: dict[tuple[int, int], list[int]] = {}
        for s, before in enumerate(self.before):
            if self.length[s] > self.top:
                continue
            starts.setdefault((self.length[s], self.kind_of[s]), []).append(s)
            if before.size:
                key = befores.setdefault(before.tobytes(), len(befores))
                moves.setdefault((key, self.length[s], self.kind_of[s]), []).append(s)
        self.before_sets = [np.frombuffer(key, dtype=np.intp) for key in befores]
        # (before set, length, kind, shifts): the shifts that move alike from yesterday
        self.moves = [(key, length, kind, np.array(members, dtype=np.intp))
                      for (key, length, kind), members in moves.items()]
        # (length, kind, shifts): the shifts that start a run of worked days alike
        self.starts = [(length, kind, np.array(members, dtype=np.intp))
                       for (length, kind), members in starts.items()]
        # a weekend day starts a new weekend worked unless the day before was a worked day
        # of the same weekend
        self.weekend_start: list[bool | None] = []
        for day in range(self.days):
            if not instance.is_weekend(day):
                self.weekend_start.append(None)
            else:
                self.weekend_start.append(not (day > 0 and instance.is_weekend(day - 1)
                                               and instance.weekend_index(day - 1)
                                               == instance.weekend_index(day)))
        # weekends of more than two days: "the day before was off" over-counts, so the
        # programme is then no longer a relaxation
        self.exact_weekends = all(len(days) <= 2 for days in prep.weekends)
        # cells per day and shift: (group, own cost) choices
        pins = {day: cell for (e, day), cell in prep.pinned.items() if e == employee}
        self.choices: list[list[list[tuple[str, int]]]] = []
        self.off_cost: list[float] = []
        for day in range(self.days):
            per_shift: list[list[tuple[str, int]]] = [[] for _ in shift_ids]
            requests = prep.requests.get((employee, day), ())
            for shift, group in options[day]:
                if day in pins and pins[day] != (shift, group):
                    continue
                own = sum(request_cost(wanted, kind, weight, shift)
                          for wanted, weight, kind in requests)
                if not spec.is_home(group):
                    own += spec.foreign_group_weight
                per_shift[index[shift]].append((group, own))
            self.choices.append(per_shift)
            self.off_cost.append(INF if day in pins else float(
                sum(request_cost(wanted, kind, weight, None)
                    for wanted, weight, kind in requests)))
        finals = np.full(self.top + 1, INF)
        for m in range(self.fewest, self.top + 1):
            finals[m] = sum(contract_penalty(spec, m * self.unit))
        self.final_cost = finals
        # Lagrangian prices of the shift maximums and, last, of the weekends' maximum
        self.prices = [0.0] * (len(shift_ids) + 1)
        if self.max_weekends is not None and not self.usable():
            # counting the weekends makes the programme too large (Instances 23 and 24: 27
            # slots times bands up to 645 wide): the weekends' maximum is priced instead
            self.slots = 1
            self.weekends_priced = True

    def _most_worked(self, days: int) -> int:
        """The most days that can be worked in ``days`` days in a row: runs of at most the
        longest run, each but the last followed by at least the shortest rest."""
        if self.max_run is None:
            return days
        cycle = self.max_run + self.off_runs
        return days // cycle * self.max_run + min(days % cycle, self.max_run)

    def _width(self, day: int) -> int:
        return max(0, self.high[day] - self.low[day] + 1)

    @property
    def limits(self) -> list[int | None]:
        """The maximums the programme prices: each shift type's, then the weekends' when
        they are priced."""
        return [*self.caps, self.max_weekends if self.weekends_priced else None]

    def usable(self) -> bool:
        """Whether the programme is small enough to run for this employee."""
        states = (self.kinds * self.runs * 2 + self.off_runs)
        widest = max((self._width(day) for day in range(self.days)), default=0)
        return bool(self.shifts) and states * self.slots * widest <= MAX_STATE_VALUES

    # -- one round -----------------------------------------------------------------------
    def price(self, duals: Mapping[tuple[str, int, str], float], mu: float, many: int = 3,
              attempts: int = PENALTY_ATTEMPTS, extra: int = 0) -> tuple[list[Priced], float]:
        """Schedules of negative reduced cost (or the cheapest one when none is) and a lower
        bound of the least reduced cost (-inf when the weekends cannot be counted exactly).

        The maximum of each shift type is not in the state (nor, when they are priced, the
        weekends'): when the cheapest schedule works a type (or weekends) more often than
        allowed, the type gets a price per shift (a weekend, per weekend worked) and the
        programme runs again (Lagrangian relaxation; the price doubles until the type keeps
        its maximum, then is bisected towards working it exactly that often; ``attempts``
        runs, starting from the prices the last call ended with, and up to ``extra`` more
        while no schedule found keeps every rule at a negative reduced cost: column
        generation on Instance8 had after 30 s an LP of 1 386 and a bound of 464 without
        them, 1 310 and 1 251 with five in every round; the optimum is 1 300). Every run's
        value less the prices times the maximums is a lower bound, and every schedule found
        is returned with its true reduced cost."""
        base, group = self._day_costs(duals)
        prices = list(self.prices)  # the last round's prices, a good start
        limits = self.limits
        low = [0.0] * len(limits)  # prices known to leave a type above its maximum
        high: list[float | None] = [None] * len(limits)  # known to keep it below
        weekends = len(self.shifts)  # the index of the weekends' price
        found: list[Priced] = []
        bound = -INF
        for attempt in range(attempts + extra):
            if attempt >= attempts and any(p.keeps_rules and p.reduced < -1e-6 for p in found):
                break
            cost = base if not any(prices[:weekends]) else [
                [value + prices[s] for s, value in enumerate(day)] for day in base]
            self.weekend_price = prices[weekends]
            schedules, best = self._cheapest(cost, group, many)
            if not schedules:
                return found, INF if not found else bound
            if self.exact_weekends:
                allowed = sum(price * (limits[s] or 0) for s, price in enumerate(prices))
                bound = max(bound, best - allowed - mu)
            cheapest: Counter[int] | None = None  # its counts steer the prices
            for cells, value in schedules:
                counts = Counter(self.index[shift] for shift, _ in cells.values())
                if self.weekends_priced:
                    counts[weekends] = self.prep.instance.weekends_worked(cells)
                cheapest = counts if cheapest is None else cheapest
                reduced = value - sum(prices[s] * k for s, k in counts.items()) - mu
                found.append(Priced(cells, reduced, self._keeps_rules(cells)))
            assert cheapest is not None
            counts = cheapest
            over = [s for s, k in counts.items()
                    if limits[s] is not None and k > (limits[s] or 0)]
            slack = [s for s, price in enumerate(prices)
                     if price and counts.get(s, 0) < (limits[s] or 0)]
            if not over and not slack:
                break  # every priced type at its maximum: the schedule is optimal
            for s in over:
                low[s] = prices[s]
            for s in slack:
                high[s] = prices[s]
            for s in {*over, *slack}:
                if high[s] is None:
                    prices[s] = 2 * low[s] if low[s] else self._first_price(base, s, weekends)
                else:
                    prices[s] = (low[s] + (high[s] or 0.0)) / 2
        self.prices = prices
        return found, bound

    def _first_price(self, base: list[list[float]], s: int, weekends: int) -> float:
        """A shift type's first price: half its mean cost on the days it can be worked. The
        weekends': what the best shifts of a weekend's days save, on average."""
        if s == weekends:
            saved = [max(0.0, -min(day)) for d, day in enumerate(base)
                     if self.weekend_start[d] is not None]
            return max(1.0, sum(saved) / max(1, len(self.prep.weekends)))
        values = [abs(day[s]) for day in base if math.isfinite(day[s])]
        return max(1.0, sum(values) / (2 * len(values))) if values else 1.0

    def _cheapest(self, cost: list[list[float]], group: list[list[str | None]], many: int
                  ) -> tuple[list[tuple[dict[int, Cell], float]], float]:
        """Up to ``many`` schedules from the cheapest end states, with their values."""
        work_layers, off_layers = self._forward(cost)
        work, off = work_layers[-1], off_layers[-1]
        last = self.days - 1
        if not self._width(last):
            return [], INF
        band = (self.slots, self._width(last))
        ends = np.concatenate([work.reshape(-1, *band), off.reshape(-1, *band)])
        ends = ends + self.final_cost[np.newaxis, np.newaxis,
                                      self.low[last]:self.high[last] + 1]
        best = float(ends.min())
        if not math.isfinite(best):
            return [], INF
        chosen: list[tuple[dict[int, Cell], float]] = []
        order = np.argpartition(ends, min(many, ends.size) - 1, axis=None)[:many]
        for flat in sorted(order, key=lambda f: ends.flat[f]):
            value = float(ends.flat[flat])
            if not math.isfinite(value):
                break
            at, weekends, band_index = np.unravel_index(flat, ends.shape)
            state = (int(at), int(weekends), int(band_index) + self.low[last])
            chosen.append((self._backtrack(work_layers, off_layers, cost, group, state), value))
        return chosen, best

    def _day_costs(self, duals: Mapping[tuple[str, int, str], float]
                   ) -> tuple[list[list[float]], list[list[str | None]]]:
        """The cheapest group for each day and shift, and its cost net of the dual."""
        costs: list[list[float]] = []
        groups: list[list[str | None]] = []
        for day, per_shift in enumerate(self.choices):
            day_costs: list[float] = []
            day_groups: list[str | None] = []
            for i, options in enumerate(per_shift):
                best, where = INF, None
                for group, own in options:
                    value = own - duals.get((group, day, self.shifts[i]), 0.0)
                    if value < best:
                        best, where = value, group
                day_costs.append(best)
                day_groups.append(where)
            costs.append(day_costs)
            groups.append(day_groups)
        return costs, groups

    def _forward(self, cost: list[list[float]]) -> tuple[list[Values], list[Values]]:
        """Each day's values: work[kind, run - 1, from day 0, weekends, minutes] and
        off[run - 1, weekends, minutes] (the run of days off counted up to the minimum)."""
        slots, low, width = self.slots, self.low[0], self._width(0)
        work = np.full((self.kinds, self.runs, 2, slots, width), INF)
        off = np.full((self.off_runs, slots, width), INF)
        # day 0: a run of days off that begins here is exempt from the minimum, and so is
        # a run of worked days (the flag)
        if low == 0 and width:
            off[self.off_runs - 1, 0, 0] = self.off_cost[0]
        # the cheapest shift of each group that moves alike, per day
        table = np.array(cost)
        start_costs = _cheapest_of(table, [members for _, _, members in self.starts])
        move_costs = _cheapest_of(table, [members for _, _, _, members in self.moves])
        weekend = self._weekend_shift(0, from_off=True)
        if weekend < self.slots:
            extra = self._weekend_cost(0, from_off=True)
            for (length, kind, _), start in zip(self.starts, start_costs[0], strict=True):
                value = start + extra
                at = length - low
                if 0 <= at < width and value < work[kind, 0, 1, weekend, at]:
                    work[kind, 0, 1, weekend, at] = value
        work_layers, off_layers = [work], [off]
        for day in range(1, self.days):
            work, off = self._step(work, off, day, start_costs[day], move_costs[day])
            work_layers.append(work)
            off_layers.append(off)
        return work_layers, off_layers

    def _weekend_shift(self, day: int, from_off: bool) -> int:
        """1 when working ``day`` counts a new weekend (and weekends are counted), else 0."""
        if self.weekends_priced:
            return 0
        return self._new_weekend(day, from_off)

    def _weekend_cost(self, day: int, from_off: bool) -> float:
        """The weekends' price when working ``day`` starts a weekend and they are priced."""
        if not self.weekends_priced:
            return 0.0
        return self.weekend_price * self._new_weekend(day, from_off)

    def _new_weekend(self, day: int, from_off: bool) -> int:
        starts = self.weekend_start[day]
        if self.max_weekends is None or starts is None:
            return 0
        return 1 if from_off or starts else 0

    def _step(self, work: Values, off: Values, day: int, start_costs: list[float],
              move_costs: list[float]) -> tuple[Values, Values]:
        runs, off_runs = self.runs, self.off_runs
        slots, width = self.slots, self._width(day)
        # a shift of n units moves yesterday's band index i to today's i + n + moved
        moved = self.low[day - 1] - self.low[day]
        new_work = np.full((*work.shape[:-1], width), INF)
        new_off = np.full((*off.shape[:-1], width), INF)
        if not width or not work.shape[-1]:
            return new_work, new_off
        # a day off: ends a run of worked days that is long enough (or began on day 0)
        off_cost = self.off_cost[day]
        if math.isfinite(off_cost):
            ended = work[:, :, 1].min(axis=(0, 1))
            if self.min_run <= runs:
                ended = np.minimum(ended, work[:, self.min_run - 1:, 0].min(axis=(0, 1)))
            carried = np.empty_like(off)
            carried[0] = ended
            carried[1:] = off[:-1]
            np.minimum(carried[-1], off[-1], out=carried[-1])
            _lower(new_off, carried, 0, moved, off_cost)
        rested = off[off_runs - 1]  # a run of days off long enough to start working
        from_off = self._weekend_shift(day, from_off=True)
        going_on = self._weekend_shift(day, from_off=False)
        from_off_cost = self._weekend_cost(day, from_off=True)
        going_on_cost = self._weekend_cost(day, from_off=False)
        if from_off < slots:
            for (length, kind, _), price in zip(self.starts, start_costs, strict=True):
                if price < INF:
                    _lower(new_work[kind, 0, 0], rested, from_off, length + moved,
                           price + from_off_cost)
        if going_on >= slots:
            return new_work, new_off
        # runs that began on day 0 (the flag) are over once the longest run has passed
        flags = 2 if day < runs or self.max_run is None else 1
        # the best state of yesterday each shift may follow, once per set of kinds
        going: list[Values | None] = [None] * len(self.before_sets)
        for (key, length, kind, _), price in zip(self.moves, move_costs, strict=True):
            if price == INF:
                continue
            came = going[key]
            if came is None:
                came = going[key] = work[self.before_sets[key], :, :flags].min(axis=0)
            price += going_on_cost
            _lower(new_work[kind, 1:, :flags], came[:-1], going_on, length + moved, price)
            if self.max_run is None:  # the run length saturates at the minimum
                _lower(new_work[kind, runs - 1, :flags], came[-1], going_on, length + moved,
                       price)
        return new_work, new_off

    # -- the schedule ----------------------------------------------------------------------
    def _backtrack(self, work_layers: list[Values], off_layers: list[Values],
                   cost: list[list[float]], group: list[list[str | None]],
                   state: tuple[int, int, int]) -> dict[int, Cell]:
        """Walk back from an end state, choosing at each day a shift and a predecessor
        whose value plus the shift's cost gives the state's value."""
        cells: dict[int, Cell] = {}
        kind_index, weekends, minutes = state
        if kind_index < self.kinds * self.runs * 2:
            kind, rest = divmod(kind_index, self.runs * 2)
            run, flag = divmod(rest, 2)
            current: tuple[str, int, int, int] = ("work", kind, run, flag)
        else:
            current = ("off", kind_index - self.kinds * self.runs * 2, 0, 0)
        for day in range(self.days - 1, 0, -1):
            value = self._value(work_layers[day], off_layers[day], current, weekends,
                                minutes - self.low[day])
            shift, current, weekends, minutes = self._previous(
                work_layers[day - 1], off_layers[day - 1], current, weekends, minutes, day,
                value, cost[day])
            if shift is not None:
                cells[day] = self._cell(day, shift, group)
        if current[0] == "work":
            value = self._value(work_layers[0], off_layers[0], current, weekends,
                                minutes - self.low[0])
            value -= self._weekend_cost(0, from_off=True)
            cells[0] = self._cell(0, self._first_shift(current[1], minutes, value, cost[0]),
                                  group)
        return cells

    def _cell(self, day: int, shift: int, group: list[list[str | None]]) -> Cell:
        where = group[day][shift]
        assert where is not None
        return self.shifts[shift], where

    def _first_shift(self, kind: int, minutes: int, value: float, cost: list[float]) -> int:
        for s in self.of_kind[kind]:
            if self.length[s] == minutes and _same(cost[s], value):
                return s
        raise AssertionError("no shift matches day 0")  # pragma: no cover

    @staticmethod
    def _value(work: Values, off: Values, state: tuple[str, int, int, int], weekends: int,
               at: int) -> float:
        """A state's value; ``at`` is the minutes' index in the day's band."""
        if not 0 <= at < off.shape[-1]:
            return INF
        kind, a, b, c = state
        if kind == "work":
            return float(work[a, b, c, weekends, at])
        return float(off[a, weekends, at])

    def _previous(self, work: Values, off: Values, state: tuple[str, int, int, int],
                  weekends: int, minutes: int, day: int, value: float, cost: list[float]
                  ) -> tuple[int | None, tuple[str, int, int, int], int, int]:
        """(the shift worked on ``day`` or None, yesterday's state, weekends, minutes)."""
        kind, k, run, flag = state
        candidates: list[tuple[int | None, tuple[str, int, int, int], int, int, float]] = []
        if kind == "off":
            run = k  # an off state is ("off", run, 0, 0)
            step = self.off_cost[day]
            if run == self.off_runs - 1:
                candidates.append((None, ("off", run, 0, 0), weekends, minutes, step))
            if run == 0:
                for p in range(self.kinds):
                    for r in range(self.runs):
                        for f in (0, 1):
                            if f == 1 or r + 1 >= self.min_run:
                                candidates.append(
                                    (None, ("work", p, r, f), weekends, minutes, step))
            else:
                candidates.append((None, ("off", run - 1, 0, 0), weekends, minutes, step))
        else:
            prior_weekends = weekends - self._weekend_shift(day, from_off=False)
            rested_weekends = weekends - self._weekend_shift(day, from_off=True)
            from_off_cost = self._weekend_cost(day, from_off=True)
            going_on_cost = self._weekend_cost(day, from_off=False)
            runs_before = [run - 1] if run > 0 else []
            if self.max_run is None and run == self.runs - 1:
                runs_before.append(run)
            for s in self.of_kind[k]:
                step = cost[s]
                if not math.isfinite(step):
                    continue
                before_minutes = minutes - self.length[s]
                if run == 0 and flag == 0:
                    candidates.append((s, ("off", self.off_runs - 1, 0, 0), rested_weekends,
                                       before_minutes, step + from_off_cost))
                for p in self.before[s]:
                    for r in runs_before:
                        candidates.append((s, ("work", int(p), r, flag), prior_weekends,
                                           before_minutes, step + going_on_cost))
        for shift, previous, w, m, step in candidates:
            if w < 0 or m < 0:
                continue
            earlier = self._value(work, off, previous, w, m - self.low[day - 1])
            if math.isfinite(earlier) and _same(earlier + step, value):
                return shift, previous, w, m
        raise AssertionError("no predecessor matches the value")  # pragma: no cover

    def _keeps_rules(self, cells: dict[int, Cell]) -> bool:
        by_day = {(self.employee, day): Assignment(self.employee, day, shift, group)
                  for day, (shift, group) in cells.items()}
        return not employee_breaches(self.prep.instance, self.spec, by_day)


def _lower(target: Values, source: Values, weekends: int, minutes: int, price: float) -> None:
    """target[..., w + weekends, i + minutes] = min(itself, source[..., w, i] + price)
    wherever both indices fall inside the arrays (the last two axes)."""
    slots, width, given = target.shape[-2], target.shape[-1], source.shape[-1]
    first, end = max(0, minutes), min(width, given + minutes)
    if end <= first or weekends >= slots:
        return
    into = target[..., weekends:, first:end]
    np.minimum(into, source[..., :slots - weekends, first - minutes:end - minutes] + price,
               out=into)


def _cheapest_of(table: Values, groups: list[NDArray[np.intp]]) -> list[list[float]]:
    """Per day (a row of ``table``), the least value in each group of columns."""
    if not groups:
        return [[] for _ in range(table.shape[0])]
    least = np.stack([table[:, members].min(axis=1) for members in groups], axis=1)
    return least.tolist()  # type: ignore[no-any-return]


def _same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)
