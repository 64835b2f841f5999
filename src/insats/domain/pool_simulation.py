"""Monte Carlo simulation of a year of unplanned absences against substitute-pool sizes and
cover policies (issue 5; seed 002: small groups offer substitutes too few shifts, so
substitutes leave and absences are covered with overtime).

One run draws 52 weeks, with the model of :mod:`insats.domain.pool_model`:

1. absence spells start on each day (Poisson, at the recorded rate per employee and day ×
   weekday factor × month factor × today's monthly staff) and are drawn from the recorded
   spells (length and lost minutes a day); spells that started before the year are
   simulated too, so the year begins with long spells in progress;
2. each week's cover need is the structural need plus the absence share of the week's
   absence minutes plus a recorded residual;
3. the need is met, in the policy's order, by the pool (each substitute gives a recorded
   substitute-week, so a pool of ``k`` gives the sum of ``k`` draws) and by colleagues
   with free contracted hours (a recorded colleague-week); of what is left, the recorded
   share stays uncovered, and the rest is mertid (the recorded share, at most the
   part-timers' room to full time) and overtime (at most ATL's yearly cap).

Every pool size and policy sees the same absences, needs and capacity draws of a run
(common random numbers), so differences between sizes are not noise, and a bigger pool
never leaves more uncovered in any run: the first ``k`` substitutes of a pool of ``k + 1``
are the pool of ``k``. The same ``seed`` and ``runs`` give the same figures on every
machine (NumPy's PCG64, one stream per block of runs). Bands are the 5th and 95th
percentiles over the runs (a 90 % band).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from insats.domain.common import DomainError
from insats.domain.pool_model import WEEK, WEEKS_PER_YEAR, CoverCosts, CoverSource, PoolModel

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]

BLOCK = 100  # runs per random stream
MAX_BURN_IN_DAYS = 730
MONTHS_PER_YEAR = 12
LOW, HIGH = 5.0, 95.0
MAX_RUNS = 100_000
MAX_SIZE = 1_000


class CoverPolicy(StrEnum):
    POOL_FIRST = "pool-forst"  # pool, colleague, mertid, overtime
    COLLEAGUE_FIRST = "kollega-forst"  # colleague, pool, mertid, overtime


POLICY_LABELS: dict[CoverPolicy, str] = {
    CoverPolicy.POOL_FIRST: "Vikariepoolen först, sedan kollega, mertid och övertid",
    CoverPolicy.COLLEAGUE_FIRST: "Kollega med ledig avtalstid först, sedan vikariepoolen, "
                                 "mertid och övertid",
}


@dataclass(frozen=True, slots=True)
class Band:
    """The mean over the runs and the 90 % band (5th and 95th percentile)."""

    mean: float
    low: float
    high: float

    def contains(self, value: float) -> bool:
        return self.low <= value <= self.high


@dataclass(frozen=True, slots=True)
class SizeOutcome:
    """A year with a pool of ``size`` substitutes: minutes and öre per source."""

    size: int
    minutes: dict[CoverSource, Band]
    cost: dict[CoverSource, Band]
    upkeep: float  # öre: the pool's substitutes' introduction and training
    total_cost: Band  # öre: pool + colleagues + mertid + overtime + upkeep
    shifts_per_substitute_month: Band | None  # None for an empty pool


@dataclass(frozen=True, slots=True)
class PolicyOutcome:
    policy: CoverPolicy
    sizes: tuple[SizeOutcome, ...]

    @property
    def cheapest(self) -> SizeOutcome:
        """The size with the lowest expected total cost (the smaller one on a tie)."""
        return min(self.sizes, key=lambda s: (round(s.total_cost.mean), s.size))

    def size(self, size: int) -> SizeOutcome | None:
        return next((s for s in self.sizes if s.size == size), None)


@dataclass(frozen=True, slots=True)
class Simulation:
    start: dt.date
    runs: int
    seed: int
    absence_minutes: Band  # unplanned absence in the simulated year
    policies: tuple[PolicyOutcome, ...]

    def policy(self, policy: CoverPolicy) -> PolicyOutcome:
        return next(p for p in self.policies if p.policy is policy)


Progress = Callable[[int, int], None]
"""Called with (runs done, runs in all) after each block of runs."""


def simulate(model: PoolModel, costs: CoverCosts, *, sizes: Sequence[int], runs: int,
             seed: int, policies: Sequence[CoverPolicy] = (CoverPolicy.POOL_FIRST,),
             progress: Progress | None = None) -> Simulation:
    """Simulate ``runs`` years for every pool size in ``sizes`` and every policy."""
    sizes = sorted(set(sizes))
    if not sizes or sizes[0] < 0 or sizes[-1] > MAX_SIZE:
        raise DomainError("pool.sizes", f"Poolstorlekarna ska ligga mellan 0 och {MAX_SIZE}.")
    if not 1 <= runs <= MAX_RUNS:
        raise DomainError("pool.runs", f"Antalet körningar ska vara 1–{MAX_RUNS}.")
    if not policies:
        raise DomainError("pool.policy", "Ange minst en täckningsordning.")
    year = _Year(model)
    blocks = np.random.SeedSequence(seed).spawn(-(-runs // BLOCK))
    shape = (runs, len(sizes))
    minutes = {(p, s): np.zeros(shape) for p in policies for s in CoverSource}
    absence = np.zeros(runs)
    for index, block in enumerate(blocks):
        rng = np.random.default_rng(block)
        first = index * BLOCK
        count = min(BLOCK, runs - first)
        weekly_absence = year.absence_weeks(rng, count)
        absence[first:first + count] = weekly_absence.sum(axis=1)
        need = year.need(rng, weekly_absence)
        pool = year.pool_capacity(rng, count, sizes[-1])
        colleagues = year.draw(rng, model.colleague_week, (count, WEEKS_PER_YEAR))
        for policy in policies:
            for column, size in enumerate(sizes):
                used = year.allocate(policy, need, pool[:, :, size], colleagues)
                for source, weekly in used.items():
                    minutes[(policy, source)][first:first + count, column] = weekly.sum(axis=1)
        if progress is not None:
            progress(first + count, runs)
    outcomes = tuple(
        PolicyOutcome(policy, tuple(
            _outcome(size, {s: minutes[(policy, s)][:, column] for s in CoverSource},
                     costs, model.shift_minutes)
            for column, size in enumerate(sizes)))
        for policy in policies
    )
    return Simulation(model.start, runs, seed, _band(absence), outcomes)


class _Year:
    """The arrays one block of runs needs, prepared once."""

    def __init__(self, model: PoolModel) -> None:
        self.model = model
        self.spell_days: Ints = np.asarray(model.spell_days, dtype=np.int64)
        self.spell_minutes: Floats = np.asarray(model.spell_minutes_per_day, dtype=np.float64)
        self.burn_in = int(min(MAX_BURN_IN_DAYS, int(self.spell_days.max())))
        self.days = self.burn_in + WEEKS_PER_YEAR * WEEK
        first = model.start - dt.timedelta(days=self.burn_in)
        dates = [first + dt.timedelta(days=n) for n in range(self.days)]
        self.rate: Floats = np.asarray([
            model.staff * model.start_rate * model.weekday_factor[day.weekday()]
            * model.month_factor[day.month - 1] for day in dates], dtype=np.float64)

    @staticmethod
    def draw(rng: np.random.Generator, samples: Sequence[float],
             shape: tuple[int, ...]) -> Floats:
        if not samples:
            return np.zeros(shape)
        values = np.asarray(samples, dtype=np.float64)
        return values[rng.integers(0, len(values), size=shape)]

    def absence_weeks(self, rng: np.random.Generator, count: int) -> Floats:
        """Absence minutes per week of ``count`` simulated years, shape (count, 52)."""
        days, width = self.days, self.days + 1
        starts = rng.poisson(self.rate, size=(count, days))
        spells = int(starts.sum())
        pick = rng.integers(0, len(self.spell_days), size=spells)
        run = np.repeat(np.repeat(np.arange(count), days), starts.ravel())
        day = np.repeat(np.tile(np.arange(days), count), starts.ravel())
        lost = self.spell_minutes[pick]
        end = np.minimum(day + self.spell_days[pick], days)
        change = (np.bincount(run * width + day, lost, count * width)
                  - np.bincount(run * width + end, lost, count * width))
        daily = np.cumsum(change.reshape(count, width), axis=1)[:, self.burn_in:days]
        weekly: Floats = daily.reshape(count, WEEKS_PER_YEAR, WEEK).sum(axis=2)
        return weekly

    def need(self, rng: np.random.Generator, weekly_absence: Floats) -> Floats:
        model = self.model
        residual = self.draw(rng, model.residuals, weekly_absence.shape)
        need: Floats = np.maximum(
            0.0, model.structural + model.absence_share * weekly_absence + residual)
        return need

    def pool_capacity(self, rng: np.random.Generator, count: int, largest: int) -> Floats:
        """Cumulative capacity: ``[..., k]`` is what a pool of ``k`` gives each week."""
        capacity = np.zeros((count, WEEKS_PER_YEAR, largest + 1))
        if largest:
            draws = self.draw(rng, self.model.substitute_week, (count, WEEKS_PER_YEAR, largest))
            capacity[:, :, 1:] = np.cumsum(draws, axis=2)
        return capacity

    def allocate(self, policy: CoverPolicy, need: Floats, pool: Floats,
                 colleagues: Floats) -> dict[CoverSource, Floats]:
        model = self.model
        if policy is CoverPolicy.POOL_FIRST:
            by_pool = np.minimum(need, pool)
            by_colleagues = np.minimum(need - by_pool, colleagues)
        else:
            by_colleagues = np.minimum(need, colleagues)
            by_pool = np.minimum(need - by_colleagues, pool)
        rest = need - by_pool - by_colleagues
        covered = rest * (1 - model.uncovered_share)
        mertid = np.minimum(covered * model.mertid_share, model.mertid_capacity)
        overtime = np.minimum(covered - mertid, model.overtime_capacity)
        return {
            CoverSource.POOL: by_pool,
            CoverSource.COLLEAGUE: by_colleagues,
            CoverSource.MERTID: mertid,
            CoverSource.OVERTIME: overtime,
            CoverSource.UNCOVERED: rest - mertid - overtime,
        }


def _band(values: Floats) -> Band:
    low, high = np.percentile(values, [LOW, HIGH])
    return Band(float(values.mean()), float(low), float(high))


def _outcome(size: int, minutes: dict[CoverSource, Floats], costs: CoverCosts,
             shift_minutes: float) -> SizeOutcome:
    cost = {s: minutes[s] / 60 * costs.per_hour[s] for s in CoverSource}
    upkeep = size * costs.substitute_upkeep
    total = sum((cost[s] for s in CoverSource), np.zeros_like(minutes[CoverSource.POOL]))
    shifts = None
    if size:
        shifts = _band(minutes[CoverSource.POOL] / shift_minutes / size / MONTHS_PER_YEAR)
    return SizeOutcome(
        size=size,
        minutes={s: _band(minutes[s]) for s in CoverSource},
        cost={s: _band(cost[s]) for s in CoverSource},
        upkeep=upkeep,
        total_cost=_band(total + upkeep),
        shifts_per_substitute_month=shifts,
    )
