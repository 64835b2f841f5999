"""The planning problem, independent of any solver: what a roster must satisfy and what it costs.

A ``PlanningInstance`` is a number of days (day 0 has a known weekday), shift types with a
start and a length, groups (a client's team of assistants, a korttidsvistelse unit), demand
per group, day and shift (minimum and maximum are hard, the preferred level is priced),
employees with their contract and sequence limits, requests, pins and the working-time
rules. A roster is a set of ``Assignment`` rows (employee, day, shift, group).

The same instance is solved by the engine (``insats.optimizer``), checked by
``insats.domain.validate`` (the specification of every rule below) and built from either
the department's own data (the Swedish adapter) or a public benchmark instance.

Weights are integers; the Swedish adapter uses kronor so that the objective reads as money.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from insats.domain.common import DomainError

MINUTES_PER_DAY = 24 * 60
WEEKEND_WEEKDAYS = frozenset({5, 6})  # Saturday, Sunday


@dataclass(frozen=True, slots=True)
class PlanShift:
    """A shift type: starts ``start`` minutes after midnight and lasts ``duration`` minutes.

    ``work_minutes`` is what counts against the contract and the 48-hour average (the
    duration less unpaid breaks); ``on_call_minutes`` is jour inside the shift.
    """

    id: str
    start: int
    duration: int
    work_minutes: int
    on_call_minutes: int = 0
    label: str = ""

    @property
    def end(self) -> int:
        """End in minutes after midnight of the shift's own day (may exceed 1 440)."""
        return self.start + self.duration


@dataclass(frozen=True, slots=True)
class PlanGroup:
    """Where the work is done: a client's team (``client_id``) or a unit's staff group."""

    id: str
    name: str = ""
    client_id: str | None = None
    required_skills: frozenset[str] = frozenset()
    max_distinct_employees: int | None = None  # soft continuity limit
    breaks_allowed: bool = False


@dataclass(frozen=True, slots=True)
class Demand:
    """Staff wanted in ``group`` on ``day`` for ``shift``.

    ``minimum`` and ``maximum`` are hard (``maximum`` None: no limit); each staff below
    ``preferred`` costs ``under_weight`` and each above it ``over_weight``.
    """

    group: str
    day: int
    shift: str
    preferred: int
    under_weight: int
    over_weight: int
    minimum: int = 0
    maximum: int | None = None


@dataclass(frozen=True, slots=True)
class PlanEmployee:
    """An employee as the planner sees them.

    Contract: worked minutes over the horizon between ``min_minutes`` and ``max_minutes``
    (hard); if ``target_minutes`` is set, each minute below costs ``under_target_weight``
    and each minute above ``over_target_weight`` (mertid or overtime at its pay cost).
    Sequence limits are hard; None switches a limit off. ``max_shifts`` limits each shift
    type (a type missing from the map is unlimited; 0 forbids it).
    ``groups`` are the groups the employee may work in; ``home_groups`` those they belong
    to: a shift in another group is co-planning and costs ``foreign_group_weight``.
    """

    id: str
    groups: frozenset[str]
    min_minutes: int = 0
    max_minutes: int | None = None
    target_minutes: int | None = None
    under_target_weight: int = 0
    over_target_weight: int = 0
    max_shifts: Mapping[str, int] = field(default_factory=dict)
    max_consecutive_shifts: int | None = None
    min_consecutive_shifts: int = 1
    min_consecutive_days_off: int = 1
    max_weekends: int | None = None
    unavailable: frozenset[int] = frozenset()
    skills: frozenset[str] = frozenset()
    home_groups: frozenset[str] | None = None  # None: every allowed group is home
    foreign_group_weight: int = 0
    name: str = ""

    def is_home(self, group: str) -> bool:
        return self.home_groups is None or group in self.home_groups


class RequestKind(StrEnum):
    ON = "on"  # wants to work this shift (costs its weight if not met)
    OFF = "off"  # does not want it (costs its weight if worked)


@dataclass(frozen=True, slots=True)
class ShiftRequest:
    employee: str
    day: int
    shift: str | None  # None: the whole day (any shift)
    weight: int
    kind: RequestKind


@dataclass(frozen=True, slots=True, order=True)
class Assignment:
    employee: str
    day: int
    shift: str
    group: str


@dataclass(frozen=True, slots=True)
class PlanningRules:
    """Working-time rules; None switches a rule off.

    ``forbidden_successions``: (a, b) means shift b may not be worked the day after a.
    ``min_daily_rest``: minutes between the end of one shift and the start of the next
    (dygnsvila; pairs closer than this are forbidden successions too). With
    ``rest_after_long_shift`` the rest after a shift is at least the shift's length.
    ``min_weekly_rest``: in each block of seven days from day 0 there is a day off whose
    rest, from the end of the previous day's shift to the start of the next day's, is at
    least this long (veckovila).
    ``max_average_weekly_minutes``: work plus on-call over the horizon divided by its weeks.
    """

    forbidden_successions: frozenset[tuple[str, str]] = frozenset()
    min_daily_rest: int | None = None
    rest_after_long_shift: bool = False  # rest at least as long as a shift longer than it
    max_shift_duration: int | None = None
    max_work_and_on_call: int | None = None
    min_weekly_rest: int | None = None
    max_average_weekly_minutes: int | None = None


@dataclass(frozen=True, slots=True)
class Weights:
    """Weights of the priced terms that are not tied to one demand or request."""

    continuity: int = 0  # per distinct employee above a group's max_distinct_employees
    relaxed_rule: int = 1_000_000  # price of breaking a hard rule when nothing else works


@dataclass(frozen=True, slots=True)
class PlanningInstance:
    name: str
    days: int
    shifts: Mapping[str, PlanShift]
    groups: Mapping[str, PlanGroup]
    employees: Mapping[str, PlanEmployee]
    demand: tuple[Demand, ...]
    requests: tuple[ShiftRequest, ...] = ()
    pinned: tuple[Assignment, ...] = ()
    rules: PlanningRules = PlanningRules()
    weights: Weights = Weights()
    first_weekday: int = 0  # weekday of day 0, Monday = 0
    start_date: dt.date | None = None

    def __post_init__(self) -> None:
        _check_instance(self)

    def weekday(self, day: int) -> int:
        return (self.first_weekday + day) % 7

    def is_weekend(self, day: int) -> bool:
        return self.weekday(day) in WEEKEND_WEEKDAYS

    def weekend_index(self, day: int) -> int:
        """Index of the calendar week (Monday to Sunday) that holds ``day``."""
        return (self.first_weekday + day) // 7

    def weekends_worked(self, days: Iterable[int]) -> int:
        """How many weekends ``days`` (the days worked) touch."""
        return len({self.weekend_index(d) for d in days if self.is_weekend(d)})

    def forbidden_pairs(self) -> frozenset[tuple[str, str]]:
        """Every (a, b) where b may not follow a the next day: listed or too little rest."""
        pairs = set(self.rules.forbidden_successions)
        rest = self.rules.min_daily_rest
        if rest is not None:
            for a in self.shifts.values():
                needed = max(rest, a.duration) if self.rules.rest_after_long_shift else rest
                for b in self.shifts.values():
                    if MINUTES_PER_DAY + b.start - a.end < needed:
                        pairs.add((a.id, b.id))
        return frozenset(pairs)

    def shift_allowed(self, shift: PlanShift) -> bool:
        """Whether a shift type respects the length rules at all."""
        rules = self.rules
        if rules.max_shift_duration is not None and shift.duration - shift.on_call_minutes > (
            rules.max_shift_duration
        ):
            return False
        return rules.max_work_and_on_call is None or shift.duration <= rules.max_work_and_on_call

    def weekly_rest_blocks(self) -> list[range]:
        return [range(start, min(start + 7, self.days)) for start in range(0, self.days, 7)]

    def max_horizon_minutes(self) -> int | None:
        """The 48-hour average as a total over the horizon (None when the rule is off)."""
        limit = self.rules.max_average_weekly_minutes
        return None if limit is None else limit * self.days // 7

    def can_work(self, employee: PlanEmployee, day: int, shift: str, group: str) -> bool:
        """Static eligibility: group allowed, skills, availability, type not forbidden."""
        plan_group = self.groups[group]
        return (
            group in employee.groups
            and day not in employee.unavailable
            and employee.max_shifts.get(shift, 1) > 0
            and plan_group.required_skills <= employee.skills
            and self.shift_allowed(self.shifts[shift])
        )

    def demand_groups(self) -> dict[tuple[int, str], list[str]]:
        """For each (day, shift), the groups that have demand for it."""
        found: dict[tuple[int, str], list[str]] = {}
        for need in self.demand:
            found.setdefault((need.day, need.shift), []).append(need.group)
        return found


@dataclass(frozen=True, slots=True)
class Breach:
    """A broken hard rule: a stable ``rule`` code (see ``insats.domain.validate``)."""

    rule: str
    message: str  # Swedish
    employee: str | None = None
    day: int | None = None


class PlanStatus(StrEnum):
    OPTIMAL = "optimal"  # proven best under the rules
    FEASIBLE = "feasible"  # every hard rule holds; maybe not the best
    RELAXED = "relaxed"  # no roster keeps every hard rule; ``breaches`` names what broke
    NO_SOLUTION = "no_solution"  # nothing found within the time limit


@dataclass(frozen=True, slots=True)
class ProgressPoint:
    seconds: float
    objective: int
    bound: int | None


@dataclass(frozen=True, slots=True)
class PlanningResult:
    """A solved instance: the roster, its price split into named penalties, how it went.

    ``penalties`` uses the keys of ``insats.domain.validate.PENALTY_LABELS``;
    ``explanation`` is Swedish text for the user (what costs most, what was relaxed).
    """

    instance_name: str
    assignments: tuple[Assignment, ...]
    status: PlanStatus
    objective: int | None
    bound: int | None
    penalties: Mapping[str, int]
    breaches: tuple[Breach, ...]
    explanation: tuple[str, ...]
    seconds: float
    seed: int
    progress: tuple[ProgressPoint, ...] = ()


def _check_instance(instance: PlanningInstance) -> None:
    def fail(reason: str) -> DomainError:
        return DomainError("planning.invalid_instance", f"Planeringsunderlaget {instance.name}: "
                           f"{reason}")

    if instance.days < 1:
        raise fail("horisonten måste vara minst en dag")
    for shift in instance.shifts.values():
        if shift.duration <= 0 or shift.work_minutes < 0 or shift.work_minutes > shift.duration:
            raise fail(f"passet {shift.id} har orimlig längd")
    seen: set[tuple[str, int, str]] = set()
    for need in instance.demand:
        if need.group not in instance.groups or need.shift not in instance.shifts:
            raise fail(f"behov för okänd grupp eller okänt pass ({need.group}, {need.shift})")
        if not 0 <= need.day < instance.days:
            raise fail(f"behov dag {need.day} ligger utanför horisonten")
        if need.maximum is not None and need.maximum < need.minimum:
            raise fail(f"behov {need.group} dag {need.day} {need.shift}: max under min")
        key = (need.group, need.day, need.shift)
        if key in seen:
            raise fail(f"behov {need.group} dag {need.day} {need.shift} finns två gånger")
        seen.add(key)
    for employee in instance.employees.values():
        unknown = employee.groups - set(instance.groups)
        if unknown:
            raise fail(f"{employee.id} får arbeta i okända grupper {sorted(unknown)}")
    for request in instance.requests:
        if request.employee not in instance.employees or not 0 <= request.day < instance.days:
            raise fail(f"önskemål för okänd anställd eller dag ({request.employee}, "
                       f"{request.day})")
    for pin in instance.pinned:
        if pin.employee not in instance.employees or pin.shift not in instance.shifts or (
            pin.group not in instance.groups
        ):
            raise fail(f"låst pass {pin} hänvisar till något okänt")
