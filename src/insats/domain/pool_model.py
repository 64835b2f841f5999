"""The cover model behind the pool simulation, estimated from the department's history.

How recorded work covered a need (:func:`cover_source`):

- **pool**: any work by a member of the substitute pool (``in_substitute_pool``);
- **colleague**: ordinary time outside one's regular groups — a co-planned colleague with
  free contracted hours (marginal cost nil), or a group's own hourly substitute outside
  the pool (paid by the hour);
- **mertid** and **overtime**: the time kinds ``mertid`` and ``övertid``;
- **uncovered**: planned shifts left without anyone;
- everything else is a regular member's ordinary time in their own group: not cover.

What is estimated (:func:`estimate_model`), over whole weeks ending with the history:

- the absence process: starts of unplanned absences (sick leave and VAB of monthly paid
  staff) per employee-day, with a weekday and a calendar-month factor, and the recorded
  spells (length, lost minutes a day = a seventh of the contracted week × extent) to draw
  from;
- weekly cover need = ``structural`` + ``absence_share`` × absence minutes + a residual:
  an ordinary least-squares line through the weekly history, residuals kept to be drawn
  again. Part of an absence is absorbed inside the group (a colleague's unused contract,
  a later shift), so the share is below one; the structural part is cover needed with
  nobody absent (vacancies, shifts that do not fit the contracts);
- capacities: what one pool substitute, and all colleagues together, gave in a week when
  the pool was exhausted (some mertid, overtime or an uncovered shift that week), kept as
  samples; part-timers' room up to full time bounds mertid; ATL's 200 hours a year per
  monthly employee (``worktime.overtime_per_year_max``) bounds overtime;
- of what is left after the pool and colleagues: the recorded share left uncovered, and
  of the rest the recorded share worked as mertid (the rest is overtime).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from insats.domain.absence import Absence, AbsenceKind
from insats.domain.common import DomainError, Period
from insats.domain.rules import RuleBook
from insats.domain.staff import Employee, EmploymentForm
from insats.domain.time_reports import TimeKind

UNPLANNED = frozenset({AbsenceKind.SICK, AbsenceKind.CARE_OF_CHILD})
WEEK = 7
WEEKS_PER_YEAR = 52
MIN_WEEKS = 8
MIN_EXHAUSTED_WEEKS = 4
OVERTIME_PER_YEAR = "worktime.overtime_per_year_max"


class CoverSource(StrEnum):
    POOL = "vikariepool"
    COLLEAGUE = "kollega"
    MERTID = "mertid"
    OVERTIME = "overtid"
    UNCOVERED = "otackt"


SOURCE_LABELS: dict[CoverSource, str] = {
    CoverSource.POOL: "Vikariepoolen",
    CoverSource.COLLEAGUE: "Kollega med ledig avtalstid",
    CoverSource.MERTID: "Mertid",
    CoverSource.OVERTIME: "Övertid",
    CoverSource.UNCOVERED: "Otäckt",
}


def cover_source(*, kind: TimeKind, in_pool: bool, regular_member: bool,
                 hourly: bool) -> CoverSource | None:
    """How a piece of recorded work covered a need; None for a regular member's ordinary
    time in their own group."""
    if in_pool:
        return CoverSource.POOL
    if kind is TimeKind.OVERTIME:
        return CoverSource.OVERTIME
    if kind is TimeKind.EXTRA:
        return CoverSource.MERTID
    if hourly or not regular_member:
        return CoverSource.COLLEAGUE
    return None


@dataclass(frozen=True, slots=True)
class CoverMinutes:
    """Recorded cover minutes of one source on a day, by one employee (None: uncovered).

    ``hourly_rate_ore`` is the employee's timlön; ``paid_by_the_hour`` says whether the
    minutes cost extra (not so for a colleague's unused contracted time).
    """

    day: dt.date
    source: CoverSource
    minutes: int
    employee_id: str | None = None
    hourly_rate_ore: int = 0
    paid_by_the_hour: bool = True


@dataclass(frozen=True, slots=True)
class PoolHistory:
    """What the model is estimated from: the weeks ending with ``end`` (exclusive)."""

    start: dt.date
    end: dt.date
    employees: tuple[Employee, ...]
    absences: tuple[Absence, ...]
    cover: tuple[CoverMinutes, ...]
    pool_size: int  # substitutes in the pool on the last day

    @property
    def weeks(self) -> int:
        return (self.end - self.start).days // WEEK

    @property
    def first_day(self) -> dt.date:
        return self.end - dt.timedelta(days=WEEK * self.weeks)


@dataclass(frozen=True, slots=True)
class PoolModel:
    """Plain numbers for :func:`insats.domain.pool_simulation.simulate` (minutes per week
    unless said otherwise)."""

    start: dt.date  # first day of the simulated year
    staff: int  # monthly paid staff employed on the last day of the history
    start_rate: float  # absence starts per employee and day
    weekday_factor: tuple[float, ...]  # Monday first
    month_factor: tuple[float, ...]  # January first
    spell_days: tuple[int, ...]
    spell_minutes_per_day: tuple[float, ...]
    structural: float
    absence_share: float
    residuals: tuple[float, ...]
    substitute_week: tuple[float, ...]  # samples: one pool substitute in one week
    colleague_week: tuple[float, ...]  # samples: all colleagues in one week
    mertid_share: float
    uncovered_share: float
    mertid_capacity: float
    overtime_capacity: float
    shift_minutes: float  # a pool substitute's average shift (for shifts per month)
    pool_size: int
    history_weeks: int
    recorded_weeks: int  # the last 52 weeks of history, or all of it when shorter
    recorded: dict[CoverSource, int]  # minutes in the recorded weeks
    recorded_absence: int  # unplanned absence minutes in the recorded weeks

    def recorded_per_year(self, source: CoverSource) -> float:
        """Recorded minutes of ``source`` over the last 52 weeks (scaled up when the history
        is shorter)."""
        return self.recorded[source] * WEEKS_PER_YEAR / self.recorded_weeks


def estimate_model(history: PoolHistory, rules: RuleBook) -> PoolModel:
    """The model of the module docstring. Raises ``pool.history`` when the history is
    shorter than eight weeks, has no unplanned absence or no pool substitute's work."""
    weeks = history.weeks
    if weeks < MIN_WEEKS:
        raise DomainError("pool.history", f"Historiken är {weeks} veckor; simuleringen "
                                          f"behöver minst {MIN_WEEKS} veckor med tidrapporter.")
    first, end = history.first_day, history.end
    monthly = [e for e in history.employees if e.employment_form is not EmploymentForm.HOURLY]
    minutes_of = {e.id: e.contracted_minutes_per_week.value for e in monthly}
    window = Period(first, end)

    absence_week = [0.0] * weeks
    starts_by_day: dict[dt.date, int] = defaultdict(int)
    spell_days: list[int] = []
    spell_minutes: list[float] = []
    for absence in history.absences:
        if absence.kind not in UNPLANNED or absence.employee_id not in minutes_of:
            continue
        per_day = minutes_of[absence.employee_id] * absence.extent_percent / 100 / WEEK
        if window.contains(absence.period.start):
            starts_by_day[absence.period.start] += 1
            spell_days.append(absence.days)
            spell_minutes.append(per_day)
        overlap = absence.period.intersection(window)
        if overlap is not None:
            for day in overlap.iter_days():
                absence_week[(day - first).days // WEEK] += per_day
    if not spell_days:
        raise DomainError("pool.history", "Historiken har ingen sjukfrånvaro eller vård av "
                                          "barn att simulera.")

    exposure = _exposure(monthly, window)
    total_exposure = sum(exposure.values())
    start_rate = sum(starts_by_day.values()) / total_exposure
    weekday_factor = _factors(starts_by_day, exposure, start_rate, lambda d: d.weekday(), 7)
    month_factor = _factors(starts_by_day, exposure, start_rate, lambda d: d.month - 1, 12)

    by_source: dict[CoverSource, list[float]] = {s: [0.0] * weeks for s in CoverSource}
    substitute: dict[str, list[float]] = defaultdict(lambda: [0.0] * weeks)
    shift_minutes: list[int] = []
    for record in history.cover:
        if not window.contains(record.day):
            continue
        week = (record.day - first).days // WEEK
        by_source[record.source][week] += record.minutes
        if record.source is CoverSource.POOL and record.employee_id is not None:
            substitute[record.employee_id][week] += record.minutes
            shift_minutes.append(record.minutes)
    if not substitute:
        raise DomainError("pool.history", "Ingen vikarie ur vikariepoolen har arbetat under "
                                          "historiken; poolens kapacitet går inte att skatta.")
    need = [sum(by_source[s][w] for s in CoverSource) for w in range(weeks)]
    structural, share, residuals = _line(absence_week, need)

    later = [by_source[CoverSource.MERTID][w] + by_source[CoverSource.OVERTIME][w]
             + by_source[CoverSource.UNCOVERED][w] for w in range(weeks)]
    exhausted = [w for w in range(weeks) if later[w] > 0]
    if len(exhausted) < MIN_EXHAUSTED_WEEKS:
        exhausted = list(range(weeks))
    pool_ids = sorted(substitute)
    employed = {e.id: e.employed for e in history.employees}
    substitute_week = [
        substitute[i][w] for i in pool_ids for w in exhausted
        if i not in employed or employed[i].contains(first + dt.timedelta(days=WEEK * w))
    ]
    colleague_week = [by_source[CoverSource.COLLEAGUE][w] for w in exhausted]

    totals = {s: sum(by_source[s]) for s in CoverSource}
    after = totals[CoverSource.MERTID] + totals[CoverSource.OVERTIME]
    uncovered_share = (totals[CoverSource.UNCOVERED] / (after + totals[CoverSource.UNCOVERED])
                       if after + totals[CoverSource.UNCOVERED] else 0.0)
    last_day = end - dt.timedelta(days=1)
    staff_now = [e for e in monthly if e.employed.contains(last_day)]
    headroom = sum(max(0, e.full_time_minutes_per_week - e.contracted_minutes_per_week.value)
                   for e in staff_now)
    overtime_year = rules.minutes(OVERTIME_PER_YEAR, end).value
    last = range(max(0, weeks - WEEKS_PER_YEAR), weeks)
    return PoolModel(
        start=end,
        staff=len(staff_now),
        start_rate=start_rate,
        weekday_factor=weekday_factor,
        month_factor=month_factor,
        spell_days=tuple(spell_days),
        spell_minutes_per_day=tuple(spell_minutes),
        structural=structural,
        absence_share=share,
        residuals=tuple(residuals),
        substitute_week=tuple(substitute_week),
        colleague_week=tuple(colleague_week),
        mertid_share=totals[CoverSource.MERTID] / after if after else 1.0,
        uncovered_share=uncovered_share,
        mertid_capacity=float(headroom),
        overtime_capacity=overtime_year * len(staff_now) / WEEKS_PER_YEAR,
        shift_minutes=sum(shift_minutes) / len(shift_minutes),
        pool_size=history.pool_size,
        history_weeks=weeks,
        recorded_weeks=len(last),
        recorded={s: round(sum(by_source[s][w] for w in last)) for s in CoverSource},
        recorded_absence=round(sum(absence_week[w] for w in last)),
    )


def _exposure(monthly: Iterable[Employee], window: Period) -> dict[dt.date, int]:
    """Monthly paid employees employed on each day of ``window``."""
    assert window.end is not None
    change: dict[dt.date, int] = defaultdict(int)
    for employee in monthly:
        employed = employee.employed.intersection(window)
        if employed is None:
            continue
        change[employed.start] += 1
        change[employed.end or window.end] -= 1
    exposure: dict[dt.date, int] = {}
    count = 0
    for day in window.iter_days():
        count += change.get(day, 0)
        exposure[day] = count
    return exposure


def _factors(starts: dict[dt.date, int], exposure: dict[dt.date, int], rate: float,
             key: Callable[[dt.date], int], size: int) -> tuple[float, ...]:
    """Start rate per weekday (or month) relative to the overall rate; 1 without exposure."""
    count = [0] * size
    days = [0] * size
    for day, staff in exposure.items():
        days[key(day)] += staff
    for day, n in starts.items():
        count[key(day)] += n
    return tuple(count[i] / days[i] / rate if days[i] and rate else 1.0 for i in range(size))


def _line(x: list[float], y: list[float]) -> tuple[float, float, list[float]]:
    """Least-squares ``y = a + b·x`` with ``b ≥ 0`` and ``a ≥ 0`` (a flat or falling
    relation gives ``b = 0``; a negative intercept is refitted through the origin), and
    the residuals."""
    n = len(x)
    mean_x, mean_y = sum(x) / n, sum(y) / n
    sxx = sum((v - mean_x) ** 2 for v in x)
    sxy = sum((v - mean_x) * (w - mean_y) for v, w in zip(x, y, strict=True))
    slope = max(0.0, sxy / sxx) if sxx else 0.0
    intercept = mean_y - slope * mean_x
    if intercept < 0:
        intercept = 0.0
        sxx0 = sum(v * v for v in x)
        slope = sum(v * w for v, w in zip(x, y, strict=True)) / sxx0 if sxx0 else 0.0
    residuals = [w - intercept - slope * v for v, w in zip(x, y, strict=True)]
    return intercept, slope, residuals


# --- costs ------------------------------------------------------------------------------------
SOCIAL_FEE = "pay.social_fee_rate"
MERTID_FACTOR = "pay.mertid_factor"
OVERTIME_SIMPLE = "pay.overtime_simple_factor"
OVERTIME_QUALIFIED = "pay.overtime_qualified_factor"
SUBSTITUTE_UPKEEP = "pool.substitute_upkeep_minutes_per_year"
SATURDAY = 5


@dataclass(frozen=True, slots=True)
class CoverCosts:
    """Öre per hour of each source, social fees included, and the yearly upkeep of one
    substitute in the pool (introduction and training, at the substitute's rate).

    Weekend overtime is costed as kvalificerad, weekday overtime as enkel (a simplification
    of AB § 20: evenings and holidays are not told apart here).
    """

    per_hour: dict[CoverSource, float]
    substitute_upkeep: float
    weekend_overtime_share: float


def cover_costs(history: PoolHistory, rules: RuleBook) -> CoverCosts:
    """Average cost per hour of each source from who actually covered in the history, with
    the pay factors in force on the first day of the simulated year.

    Sources without records are costed at the average timlön of the monthly paid staff.
    """
    on = history.end
    social = 1 + rules.permille(SOCIAL_FEE, on) / 1000
    monthly = [e.hourly_rate().ore for e in history.employees
               if e.employment_form is not EmploymentForm.HOURLY]
    fallback = sum(monthly) / len(monthly) if monthly else 0.0
    minutes: dict[CoverSource, int] = defaultdict(int)
    paid: dict[CoverSource, float] = defaultdict(float)
    weekend = 0
    for record in history.cover:
        minutes[record.source] += record.minutes
        if record.paid_by_the_hour:
            paid[record.source] += record.minutes * record.hourly_rate_ore
        if record.source is CoverSource.OVERTIME and record.day.weekday() >= SATURDAY:
            weekend += record.minutes

    def rate(source: CoverSource) -> float:
        return paid[source] / minutes[source] if minutes[source] else fallback

    weekend_share = weekend / minutes[CoverSource.OVERTIME] if minutes[CoverSource.OVERTIME] \
        else 2 / WEEK
    overtime_factor = (weekend_share * rules.permille(OVERTIME_QUALIFIED, on)
                       + (1 - weekend_share) * rules.permille(OVERTIME_SIMPLE, on)) / 1000
    per_hour = {
        CoverSource.POOL: rate(CoverSource.POOL) * social,
        CoverSource.COLLEAGUE: (paid[CoverSource.COLLEAGUE] / minutes[CoverSource.COLLEAGUE]
                                if minutes[CoverSource.COLLEAGUE] else 0.0) * social,
        CoverSource.MERTID: rate(CoverSource.MERTID) * rules.permille(MERTID_FACTOR, on)
        / 1000 * social,
        CoverSource.OVERTIME: rate(CoverSource.OVERTIME) * overtime_factor * social,
        CoverSource.UNCOVERED: 0.0,
    }
    upkeep = rules.minutes(SUBSTITUTE_UPKEEP, on).value / 60 * per_hour[CoverSource.POOL]
    return CoverCosts(per_hour, upkeep, weekend_share)
