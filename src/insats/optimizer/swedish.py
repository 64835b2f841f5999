"""The Swedish personal-assistance adapter: the department's data as a ``PlanningInstance``,
and a solved roster back as proposed ``PlannedShift`` rows with the department's figures.

Mapping (domain-rules.md §1.7, §1.8, §3.1, §4.3, §4.4 and "What the system must encode"
items 10–12; every number comes from the ``RuleBook`` on the period's first day):

- **Horizon**: ``weeks`` whole weeks from a Monday; day 0 is that Monday.
- **Shift types**: one per distinct (local start, length, break, kind) among the schedule
  structures (``ShiftTemplate``) valid in the period and the published shifts. Paid
  minutes are the length less the unpaid break. An ordinary shift's paid minutes are work
  (they count against the contract); jour and beredskap are on-call minutes (they count
  towards the 48-hour average and the 20-hour work-plus-on-call limit, not the contract).
- **Groups**: each assistance group of the chosen units. A client's group gets a soft
  continuity limit: the number of its regular members, priced ``continuity_weight`` kr per
  assistant above it.
- **Demand**: each template line valid on a date asks for ``positions`` staff (double
  assistance is a second position). For a client's group, the paid minutes wanted in each
  week are capped by what the client's personal-assistance decisions grant that week
  (ordinary plus double-assistance allotment, ``Decision.granted_in``): whole positions are
  trimmed (the smallest that removes the excess, else the largest, later days first) until
  the structure fits, so a roster can never exceed the grant. Minimum 0, maximum =
  preferred (hard); each missing staff costs its paid hours × the FK schablon of that day
  (``fk.schablon_per_hour``; the latest known value when the year has none), the revenue
  lost.
- **Staffing need** (korttidsvistelse, korttidstillsyn): where ``PlanningData.staffing_need``
  gives a unit group's staff needed per hour (its children booked and its own staffing
  rule), the structure's positions are trimmed to it, whole positions, latest day and
  start first, while every hour keeps its need (``domain.density.positions_for_need``).
- **Rules**: dygnsvila ``worktime.daily_rest_min`` with rest after a long shift at least
  its length (Bilaga J/PAN), shift length ``worktime.shift_max``, work plus jour
  ``worktime.work_plus_oncall_max``, veckovila ``worktime.weekly_rest_min`` and the
  average week ``worktime.avg_week_max`` (all work and jour across every group).
- **Employees**: members of the groups, the units' substitute pool and anyone with a
  published shift in them, if employed in the period. Allowed groups: their memberships
  (home; the pool: every group of their home unit), and with co-planning the other groups
  of the same units at ``foreign_group_weight`` kr a shift. An anhörigvårdare works only
  in their own client's group. Unavailable: days outside the employment, absence days (any
  extent) and days with a published shift that stays outside the model. Contract: hourly
  substitutes have no target; others ``percent`` × ``worktime.full_time_week`` per week
  for the days they are available, less their published shifts elsewhere; a minute short
  costs ``under_target_weight`` kr, a minute beyond costs the hourly rate × mertid factor
  (part-time, ``pay.mertid_factor``) or × overtime factor (full-time,
  ``pay.overtime_simple_factor``), PAN at the plain rate (its overtime rules are unknown).
- **Published shifts** starting in the period: pinned, except those of an employee on a
  day they are absent and (when planning afresh) open ones, which are *released*: their
  demand stays and publishing the proposal cancels them. Shifts the model cannot hold
  (two on one day, an unknown employee) are *kept* as they are, outside the model. When
  re-planning (``replan_employee``) only that employee's released shifts are wanted.

Limits: the rest before the first day is not checked against the previous period; a
part-time absence blocks the whole day; a membership anywhere in the period counts for
all of it; wall-clock lengths ignore the one-hour shift of a night across a DST change.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from insats.domain.absence import Absence
from insats.domain.calendar import local_datetime, shift_bounds, to_local
from insats.domain.common import DomainError, Minutes, Money, Period
from insats.domain.decisions import Decision, Insats
from insats.domain.density import need_by_horizon_hour, positions_for_need
from insats.domain.planning import (
    Assignment,
    Demand,
    PlanEmployee,
    PlanGroup,
    PlanningInstance,
    PlanningRules,
    PlanShift,
    Weights,
)
from insats.domain.planning_runs import GroupFigures, RunFigures
from insats.domain.rules.parameters import RuleBook
from insats.domain.scheduling import (
    AssistanceGroup,
    GroupMembership,
    PlannedShift,
    ShiftKind,
    ShiftStatus,
    ShiftTemplate,
)
from insats.domain.staff import Agreement, Employee, EmploymentForm

DAYS_PER_WEEK = 7
PERMILLE = 1000
SlotKey = tuple[str, int, str]  # (group, day, shift)


@dataclass(frozen=True, slots=True)
class PlanningData:
    """What the services load for a planning period (plain domain objects).

    ``published`` holds the shifts starting in the period that are published, in the
    planned groups and those of their staff in other groups.
    """

    start: dt.date
    weeks: int
    unit_ids: tuple[str, ...]
    groups: tuple[AssistanceGroup, ...]
    templates: tuple[ShiftTemplate, ...]
    decisions: tuple[Decision, ...]
    employees: tuple[Employee, ...]
    memberships: tuple[GroupMembership, ...]
    absences: tuple[Absence, ...]
    rules: RuleBook
    published: tuple[PlannedShift, ...] = ()
    # a unit group's staff needed per (Stockholm date, hour), from its children and its
    # staffing rule (services.review_density.staffing_need): its positions are trimmed to it
    staffing_need: Mapping[str, Mapping[tuple[dt.date, int], int]] = field(
        default_factory=dict)

    @property
    def days(self) -> int:
        return self.weeks * DAYS_PER_WEEK

    @property
    def period(self) -> Period:
        return Period(self.start, self.start + dt.timedelta(days=self.days))

    def date_of(self, day: int) -> dt.date:
        return self.start + dt.timedelta(days=day)


@dataclass(frozen=True, slots=True)
class AdapterOptions:
    """Plain choices for the instance; weights are kronor."""

    co_planning: bool = True
    foreign_group_weight: int = 150
    continuity_weight: int = 2000
    under_target_weight: int = 1
    replan_employee: str | None = None
    extra_absence: Mapping[str, frozenset[dt.date]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ShiftSpec:
    """How a shift type sits in the calendar (for turning assignments back into shifts)."""

    start: dt.time
    length: int
    break_minutes: int
    kind: ShiftKind

    @property
    def paid(self) -> int:
        return self.length - self.break_minutes


@dataclass(frozen=True, slots=True)
class Contract:
    """An employee's contract over the period: target minutes (None: hourly) and the room
    from the target up to full time (mertid before overtime)."""

    target: int | None
    room_to_full_time: int


@dataclass(frozen=True, slots=True)
class SwedishPlan:
    """The instance plus what is needed to map its roster back to the calendar."""

    instance: PlanningInstance
    start: dt.date
    specs: Mapping[str, ShiftSpec]
    groups: Mapping[str, AssistanceGroup]
    granted: Mapping[str, int]  # client group -> granted minutes in the period
    contracts: Mapping[str, Contract]
    template_of: Mapping[tuple[str, int, str], str]  # (group, weekday, shift) -> template
    pinned_ids: tuple[str, ...]
    released_ids: tuple[str, ...]
    kept: tuple[PlannedShift, ...]  # published shifts in the groups left outside the model
    notes: tuple[str, ...]


# -- building the instance --------------------------------------------------------------
def build_plan(data: PlanningData, options: AdapterOptions = AdapterOptions()) -> SwedishPlan:
    """The planning instance for ``data`` (see the module docstring for every mapping)."""
    if data.start.weekday() != 0:
        raise DomainError("planning.start", f"Planeringen måste börja på en måndag; "
                          f"{data.start.isoformat()} är ingen måndag.")
    if data.weeks < 1:
        raise DomainError("planning.weeks", "Planeringen måste omfatta minst en vecka.")
    specs = _shift_specs(data)
    shifts = {key: _plan_shift(key, spec) for key, spec in specs.items()}
    groups = {g.id: g for g in data.groups}
    absent = _absent_days(data, options)
    sorting = _sort_published(data, options, absent)
    template_need, template_of, trim_notes = _template_demand(data, specs)
    trim_notes += _need_demand(data, template_need, specs)
    demand = _demand(data, shifts, template_need, sorting, options)
    contracts, employees = _employees(data, options, absent, sorting)
    pins = tuple(sorted(p for p in sorting.pins if p.employee in employees))
    instance = PlanningInstance(
        name=f"Insats {', '.join(data.unit_ids)} från {data.start.isoformat()}, "
             f"{data.weeks} v.",
        days=data.days,
        shifts=shifts,
        groups={g.id: _plan_group(g, data) for g in data.groups},
        employees=employees,
        demand=demand,
        pinned=pins,
        rules=_rules(data.rules, data.start),
        weights=Weights(continuity=options.continuity_weight),
        first_weekday=0,
        start_date=data.start,
    )
    return SwedishPlan(
        instance=instance, start=data.start, specs=specs, groups=groups,
        granted=_granted(data), contracts=contracts, template_of=template_of,
        pinned_ids=tuple(sorted(sorting.pin_ids)), released_ids=tuple(sorted(sorting.released)),
        kept=tuple(sorting.kept), notes=(*trim_notes, *sorting.notes),
    )


def shift_key(start: dt.time, length: int, break_minutes: int, kind: ShiftKind) -> str:
    """The shift type id, e.g. ``07:00+480``, ``14:30+450-r30``, ``22:00+540-jour``."""
    key = f"{start:%H:%M}+{length}"
    if break_minutes:
        key += f"-r{break_minutes}"
    if kind is not ShiftKind.ORDINARY:
        key += f"-{kind.value}"
    return key


def _shift_specs(data: PlanningData) -> dict[str, ShiftSpec]:
    specs: dict[str, ShiftSpec] = {}
    planned = {g.id for g in data.groups}
    for template in data.templates:
        if template.group_id in planned and template.valid.overlaps(data.period):
            spec = ShiftSpec(template.start, template.length_minutes, template.break_minutes,
                             template.kind)
            specs[shift_key(spec.start, spec.length, spec.break_minutes, spec.kind)] = spec
    for shift in data.published:
        if shift.group_id not in planned:
            continue
        spec = _spec_of(shift)
        specs.setdefault(shift_key(spec.start, spec.length, spec.break_minutes, spec.kind), spec)
    return dict(sorted(specs.items()))


def _spec_of(shift: PlannedShift) -> ShiftSpec:
    local = to_local(shift.start)
    return ShiftSpec(local.time().replace(second=0, microsecond=0), shift.length.value,
                     shift.break_minutes, shift.kind)


def _plan_shift(key: str, spec: ShiftSpec) -> PlanShift:
    on_call = spec.kind is not ShiftKind.ORDINARY
    start = spec.start.hour * 60 + spec.start.minute
    end = (start + spec.length) % (24 * 60)
    label = f"{spec.start:%H:%M}–{end // 60:02d}:{end % 60:02d}"
    if on_call:
        label += f" ({spec.kind.value})"
    return PlanShift(key, start=start, duration=spec.length,
                     work_minutes=0 if on_call else spec.paid,
                     on_call_minutes=spec.paid if on_call else 0, label=label)


def _plan_group(group: AssistanceGroup, data: PlanningData) -> PlanGroup:
    limit = None
    if group.client_id is not None:
        regular = {m.employee_id for m in data.memberships
                   if m.group_id == group.id and m.is_regular and m.period.overlaps(data.period)}
        limit = max(1, len(regular))
    return PlanGroup(group.id, group.name, group.client_id, max_distinct_employees=limit,
                     breaks_allowed=group.breaks_allowed)


def _rules(book: RuleBook, on: dt.date) -> PlanningRules:
    return PlanningRules(
        min_daily_rest=book.minutes("worktime.daily_rest_min", on).value,
        rest_after_long_shift=True,
        max_shift_duration=book.minutes("worktime.shift_max", on).value,
        max_work_and_on_call=book.minutes("worktime.work_plus_oncall_max", on).value,
        min_weekly_rest=book.minutes("worktime.weekly_rest_min", on).value,
        max_average_weekly_minutes=book.minutes("worktime.avg_week_max", on).value,
    )


# -- demand -------------------------------------------------------------------------------
def _grant_decisions(data: PlanningData, client_id: str) -> list[Decision]:
    return [d for d in data.decisions
            if d.client_id == client_id and d.insats is Insats.PERSONAL_ASSISTANCE]


def _granted_in(decisions: Iterable[Decision], period: Period) -> int:
    return sum(d.granted_in(period).value + d.double_granted_in(period).value for d in decisions)


def _granted(data: PlanningData) -> dict[str, int]:
    return {g.id: _granted_in(_grant_decisions(data, g.client_id), data.period)
            for g in data.groups if g.client_id is not None}


def _template_demand(
    data: PlanningData, specs: Mapping[str, ShiftSpec]
) -> tuple[dict[SlotKey, int], dict[tuple[str, int, str], str], list[str]]:
    """Positions wanted per (group, day, shift) by the templates, trimmed to the grants."""
    need: dict[SlotKey, int] = defaultdict(int)
    template_of: dict[tuple[str, int, str], str] = {}
    planned = {g.id for g in data.groups}
    for template in data.templates:
        if template.group_id not in planned:
            continue
        key = shift_key(template.start, template.length_minutes, template.break_minutes,
                        template.kind)
        template_of.setdefault((template.group_id, template.weekday, key), template.id)
        for day in range(data.days):
            date = data.date_of(day)
            if date.weekday() == template.weekday and template.valid.contains(date):
                need[(template.group_id, day, key)] += template.positions
    notes: list[str] = []
    for group in data.groups:
        if group.client_id is None:
            continue
        decisions = _grant_decisions(data, group.client_id)
        trimmed = 0
        for week in range(data.weeks):
            days = range(week * DAYS_PER_WEEK, (week + 1) * DAYS_PER_WEEK)
            cap = _granted_in(decisions, Period(data.date_of(days.start), data.date_of(days.stop)))
            trimmed += _trim(need, group.id, days, cap, specs)
        if trimmed:
            notes.append(f"{group.name}: {Minutes(trimmed).format_hours()} h av schemastrukturen "
                         "ligger över beviljade timmar och planeras inte.")
    return {k: v for k, v in need.items() if v > 0}, template_of, notes


def _need_demand(data: PlanningData, template_need: dict[SlotKey, int],
                 specs: Mapping[str, ShiftSpec]) -> list[str]:
    """Trim the positions of the groups with a staffing need per hour to that need
    (:func:`insats.domain.density.positions_for_need`), in place; returns notes."""
    notes: list[str] = []
    names = {g.id: g.name for g in data.groups}
    windows = {key: (_minute(spec.start), _minute(spec.start) + spec.length)
               for key, spec in specs.items()}
    for group, hourly in sorted(data.staffing_need.items()):
        if group not in names:
            continue
        positions = {(day, shift): count for (g, day, shift), count in template_need.items()
                     if g == group}
        wanted = positions_for_need(windows, positions,
                                    need_by_horizon_hour(hourly, data.start, data.days))
        removed = 0
        for (day, shift), count in positions.items():
            left = wanted.get((day, shift), 0)
            removed += (count - left) * specs[shift].paid
            if left:
                template_need[(group, day, shift)] = left
            else:
                del template_need[(group, day, shift)]
        if removed:
            notes.append(f"{names[group]}: {Minutes(removed).format_hours()} h av "
                         "schemastrukturen behövs inte enligt bemanningsregeln och barnen "
                         "som är bokade, och planeras inte.")
    return notes


def _trim(need: dict[SlotKey, int], group: str, days: range, cap: int,
          specs: Mapping[str, ShiftSpec]) -> int:
    """Remove whole positions of ``group`` in ``days`` until their paid minutes fit ``cap``;
    returns the minutes removed."""
    slots = [k for k, v in need.items() if k[0] == group and k[1] in days and v > 0]
    excess = sum(need[k] * specs[k[2]].paid for k in slots) - cap
    removed = 0
    while excess > 0 and slots:
        # later days and later starts go first
        order = sorted(slots, key=lambda k: (-k[1], -_minute(specs[k[2]].start), k[2]))
        enough = [k for k in order if specs[k[2]].paid >= excess]
        chosen = (min(enough, key=lambda k: specs[k[2]].paid) if enough
                  else max(order, key=lambda k: specs[k[2]].paid))
        need[chosen] -= 1
        paid = specs[chosen[2]].paid
        excess -= paid
        removed += paid
        if need[chosen] == 0:
            slots.remove(chosen)
    return removed


def _minute(clock: dt.time) -> int:
    return clock.hour * 60 + clock.minute


def _demand(data: PlanningData, shifts: Mapping[str, PlanShift], template_need: dict[SlotKey, int],
            sorting: _Sorting, options: AdapterOptions) -> tuple[Demand, ...]:
    if options.replan_employee is not None:
        wanted = Counter(sorting.pin_slots) + Counter(sorting.released_slots)
    else:
        wanted = Counter(template_need)
        wanted.subtract(Counter(sorting.kept_slots))
    pinned = Counter(sorting.pin_slots)
    rows: list[Demand] = []
    for key in sorted(set(wanted) | set(pinned)):
        group, day, shift = key
        preferred = max(0, wanted.get(key, 0))
        maximum = max(preferred, pinned.get(key, 0))
        if maximum == 0:
            continue
        paid = shifts[shift].work_minutes + shifts[shift].on_call_minutes
        rows.append(Demand(group, day, shift, preferred=preferred,
                           under_weight=_hour_value(data, day, paid), over_weight=0,
                           minimum=0, maximum=maximum))
    return tuple(rows)


def _hour_value(data: PlanningData, day: int, paid_minutes: int) -> int:
    """Kronor lost when ``paid_minutes`` of granted assistance on ``day`` go unperformed."""
    rate = _schablon(data.rules, data.date_of(day))
    return max(1, round(rate.as_kronor * paid_minutes / 60))


def _schablon(book: RuleBook, on: dt.date) -> Money:
    """The FK schablon in force on ``on``; a year not yet entered uses the latest value."""
    for probe in (on, dt.date(on.year - 1, 12, 31)):
        try:
            return book.money("fk.schablon_per_hour", probe)
        except DomainError:
            continue
    return book.money("fk.schablon_per_hour", on)  # raises the Swedish "saknas" error


# -- published shifts -----------------------------------------------------------------------
@dataclass(slots=True)
class _Sorting:
    """Published shifts sorted into pinned, released and kept (see the module docstring)."""

    pins: list[Assignment] = field(default_factory=list)
    pin_ids: list[str] = field(default_factory=list)
    pin_slots: list[SlotKey] = field(default_factory=list)
    released: list[str] = field(default_factory=list)
    released_slots: list[SlotKey] = field(default_factory=list)
    kept: list[PlannedShift] = field(default_factory=list)
    kept_slots: list[SlotKey] = field(default_factory=list)
    busy: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    busy_minutes: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    notes: list[str] = field(default_factory=list)


def _sort_published(data: PlanningData, options: AdapterOptions,
                    absent: Mapping[str, set[int]]) -> _Sorting:
    sorting = _Sorting()
    planned = {g.id for g in data.groups}
    published = [s for s in data.published if s.status is ShiftStatus.PUBLISHED]
    per_day = Counter((s.employee_id, _day_of(data, s)) for s in published if s.employee_id)
    rules = _rules(data.rules, data.start)
    for shift in sorted(published, key=lambda s: (s.start, s.id)):
        day = _day_of(data, shift)
        if not 0 <= day < data.days:
            continue
        employee = shift.employee_id
        if shift.group_id not in planned:  # work elsewhere: the day is taken
            if employee is not None:
                sorting.busy[employee].add(day)
                sorting.busy_minutes[employee] += shift.paid_minutes.value
            continue
        spec = _spec_of(shift)
        slot = (shift.group_id, day,
                shift_key(spec.start, spec.length, spec.break_minutes, spec.kind))
        replan = options.replan_employee
        if employee is None:
            if replan is None:
                sorting.released.append(shift.id)
                sorting.released_slots.append(slot)
        elif day in absent.get(employee, set()) and replan in (None, employee):
            sorting.released.append(shift.id)
            sorting.released_slots.append(slot)
        elif day in absent.get(employee, set()) or not _holdable(data, shift, day, per_day,
                                                                 rules):
            sorting.kept.append(shift)
            sorting.kept_slots.append(slot)
            sorting.busy[employee].add(day)
            sorting.busy_minutes[employee] += shift.paid_minutes.value
        else:
            sorting.pins.append(Assignment(employee, day, slot[2], shift.group_id))
            sorting.pin_ids.append(shift.id)
            sorting.pin_slots.append(slot)
    if sorting.kept:
        sorting.notes.append(f"{len(sorting.kept)} publicerade pass kan inte hållas i "
                             "planeringen (flera pass samma dag, okänd personal eller längre "
                             "än reglerna tillåter) och lämnas som de är.")
    return sorting


def _holdable(data: PlanningData, shift: PlannedShift, day: int,
              per_day: Counter[tuple[str, int]], rules: PlanningRules) -> bool:
    """Whether a published shift can be a pin: a known employee employed that day, their
    only shift of the day, and a length the rules allow (as ``shift_allowed`` checks)."""
    employee = next((e for e in data.employees if e.id == shift.employee_id), None)
    if employee is None or not employee.employed_on(data.date_of(day)):
        return False
    if per_day[(employee.id, day)] > 1:
        return False
    on_call = 0 if shift.kind is ShiftKind.ORDINARY else shift.paid_minutes.value
    length = shift.length.value
    return (rules.max_shift_duration is None or length - on_call <= rules.max_shift_duration) and (
        rules.max_work_and_on_call is None or length <= rules.max_work_and_on_call)


def _day_of(data: PlanningData, shift: PlannedShift) -> int:
    return (to_local(shift.start).date() - data.start).days


# -- employees ------------------------------------------------------------------------------
def _absent_days(data: PlanningData, options: AdapterOptions) -> dict[str, set[int]]:
    absent: dict[str, set[int]] = defaultdict(set)
    for absence in data.absences:
        for day in range(data.days):
            if absence.covers(data.date_of(day)):
                absent[absence.employee_id].add(day)
    for employee, dates in options.extra_absence.items():
        absent[employee] |= {(d - data.start).days for d in dates
                             if 0 <= (d - data.start).days < data.days}
    return absent


def _employees(data: PlanningData, options: AdapterOptions, absent: Mapping[str, set[int]],
               sorting: _Sorting) -> tuple[dict[str, Contract], dict[str, PlanEmployee]]:
    groups = {g.id: g for g in data.groups}
    home: dict[str, set[str]] = defaultdict(set)
    for membership in data.memberships:
        if membership.group_id in groups and membership.period.overlaps(data.period):
            home[membership.employee_id].add(membership.group_id)
    pinned_owners = {p.employee for p in sorting.pins}
    contracts: dict[str, Contract] = {}
    employees: dict[str, PlanEmployee] = {}
    for employee in sorted(data.employees, key=lambda e: e.id):
        own = set(home.get(employee.id, set()))
        if employee.in_substitute_pool and employee.home_unit_id in data.unit_ids:
            own |= {g.id for g in data.groups if g.unit_id == employee.home_unit_id}
        allowed, own = _allowed_groups(employee, own, groups, options)
        allowed |= {p.group for p in sorting.pins if p.employee == employee.id}
        if not allowed and employee.id not in pinned_owners:
            continue
        unavailable = _unavailable(data, employee, absent, sorting)
        contract = _contract(data, employee, set(absent.get(employee.id, set())),
                             sorting.busy_minutes[employee.id])
        contracts[employee.id] = contract
        employees[employee.id] = PlanEmployee(
            id=employee.id, groups=frozenset(allowed), home_groups=frozenset(own & allowed),
            foreign_group_weight=options.foreign_group_weight,
            target_minutes=contract.target,
            under_target_weight=options.under_target_weight if contract.target else 0,
            over_target_weight=_extra_minute_cost(data, employee) if contract.target else 0,
            unavailable=frozenset(unavailable), skills=employee.skills,
            name=employee.display_name,
        )
    return contracts, employees


def _allowed_groups(employee: Employee, own: set[str], groups: Mapping[str, AssistanceGroup],
                    options: AdapterOptions) -> tuple[set[str], set[str]]:
    """(allowed, home) groups: an anhörigvårdare only their client's group, others their
    own groups and, with co-planning, the other groups of the same units."""
    if employee.is_relative_carer:
        client = {g for g, group in groups.items() if group.client_id == employee.related_client_id}
        return client, client
    allowed = set(own)
    if options.co_planning:
        units = {groups[g].unit_id for g in own}
        allowed |= {g for g, group in groups.items() if group.unit_id in units}
    return allowed, own


def _unavailable(data: PlanningData, employee: Employee, absent: Mapping[str, set[int]],
                 sorting: _Sorting) -> set[int]:
    days = set(absent.get(employee.id, set())) | sorting.busy.get(employee.id, set())
    days |= {d for d in range(data.days) if not employee.employed_on(data.date_of(d))}
    return days


def _contract(data: PlanningData, employee: Employee, absent: set[int],
              busy_minutes: int) -> Contract:
    """Contracted minutes for the days employed and not absent, less the published work
    elsewhere (which the model does not see but the contract does)."""
    if employee.employment_form is EmploymentForm.HOURLY:
        return Contract(None, 0)
    full_week = data.rules.minutes("worktime.full_time_week", data.start).value
    available = sum(1 for d in range(data.days)
                    if employee.employed_on(data.date_of(d)) and d not in absent)
    contract = full_week * employee.employment_percent // 100 * available // DAYS_PER_WEEK
    full_time = full_week * available // DAYS_PER_WEEK
    return Contract(max(0, contract - busy_minutes), full_time - contract)


def _extra_minute_cost(data: PlanningData, employee: Employee) -> int:
    """Kronor per minute beyond the target: mertid for part-timers, overtime for full-timers,
    the plain hourly rate under PAN."""
    rate = employee.hourly_rate()
    if employee.agreement is Agreement.PAN:
        factor = PERMILLE
    elif employee.employment_percent < 100:
        factor = data.rules.permille("pay.mertid_factor", data.start)
    else:
        factor = data.rules.permille("pay.overtime_simple_factor", data.start)
    return max(1, round(rate.as_kronor * factor / PERMILLE / 60))


# -- back to the calendar ---------------------------------------------------------------------
def to_planned_shifts(plan: SwedishPlan, assignments: Iterable[Assignment], *,
                      id_prefix: str) -> list[PlannedShift]:
    """The proposal: a PROPOSED shift for each assignment that is not pinned, and an open
    (unstaffed) PROPOSED shift for each wanted position left empty. Within a client's
    slot the second and later staff are marked ``is_double``."""
    instance = plan.instance
    pinned = set(instance.pinned)
    by_slot: dict[SlotKey, list[Assignment]] = defaultdict(list)
    for row in sorted(set(assignments)):
        by_slot[(row.group, row.day, row.shift)].append(row)
    preferred = {(d.group, d.day, d.shift): d.preferred for d in instance.demand}
    shifts: list[PlannedShift] = []
    for slot in sorted(set(by_slot) | set(preferred)):
        rows = sorted(by_slot.get(slot, []), key=lambda a: (a not in pinned, a.employee))
        staff: list[str | None] = [a.employee for a in rows]
        staff += [None] * max(0, preferred.get(slot, 0) - len(rows))
        for index, employee in enumerate(staff):
            if index < len(rows) and rows[index] in pinned:
                continue
            shifts.append(_proposed(plan, slot, employee, index,
                                    f"{id_prefix}{len(shifts) + 1:05d}"))
    return shifts


def _proposed(plan: SwedishPlan, slot: SlotKey, employee: str | None, index: int,
              shift_id: str) -> PlannedShift:
    group, day, key = slot
    spec = plan.specs[key]
    date = plan.start + dt.timedelta(days=day)
    begin, end = shift_bounds(date, spec.start, Minutes(spec.length))
    return PlannedShift(
        id=shift_id, group_id=group, start=begin, end=end, employee_id=employee,
        kind=spec.kind, status=ShiftStatus.PROPOSED, break_minutes=spec.break_minutes,
        is_double=index > 0 and plan.groups[group].client_id is not None,
        template_id=plan.template_of.get((group, date.weekday(), key)),
    )


def to_assignments(plan: SwedishPlan, shifts: Iterable[PlannedShift]) -> list[Assignment]:
    """Staffed, not cancelled shifts as assignments of the plan's instance (to check a
    stored or hand-made roster with ``check_roster``)."""
    rows = []
    for shift in shifts:
        if shift.employee_id is None or shift.status is ShiftStatus.CANCELLED:
            continue
        spec = _spec_of(shift)
        rows.append(Assignment(shift.employee_id, (to_local(shift.start).date() - plan.start).days,
                               shift_key(spec.start, spec.length, spec.break_minutes, spec.kind),
                               shift.group_id))
    return sorted(rows)


def period_bounds(start: dt.date, days: int) -> tuple[dt.datetime, dt.datetime]:
    """UTC instants of the period's first and last midnight (Stockholm)."""
    return (local_datetime(start, dt.time(0)),
            local_datetime(start + dt.timedelta(days=days), dt.time(0)))


# -- figures ---------------------------------------------------------------------------------
def roster_figures(plan: SwedishPlan, assignments: Iterable[Assignment], *,
                   hard_breaches: int = 0) -> RunFigures:
    """Hours against grants per group, uncovered structure, continuity, mertid and overtime."""
    instance = plan.instance
    rows = sorted(set(assignments))
    paid = {k: s.paid for k, s in plan.specs.items()}
    covered: dict[str, int] = defaultdict(int)
    people: dict[str, set[str]] = defaultdict(set)
    staffed: Counter[SlotKey] = Counter()
    for row in rows:
        covered[row.group] += paid[row.shift]
        people[row.group].add(row.employee)
        staffed[(row.group, row.day, row.shift)] += 1
    for shift in plan.kept:
        covered[shift.group_id] += shift.paid_minutes.value
        if shift.employee_id is not None:
            people[shift.group_id].add(shift.employee_id)
    uncovered: dict[str, int] = defaultdict(int)
    for need in instance.demand:
        missing = max(0, need.preferred - staffed[(need.group, need.day, need.shift)])
        uncovered[need.group] += missing * paid[need.shift]
    groups = tuple(
        GroupFigures(g.id, g.name or g.id, g.client_id, plan.granted.get(g.id), covered[g.id],
                     uncovered[g.id], len(people[g.id]), g.max_distinct_employees)
        for g in instance.groups.values()
    )
    extra, overtime = _extra_time(plan, rows)
    clients = [g for g in groups if g.granted_minutes is not None]
    return RunFigures(
        granted_minutes=sum(g.granted_minutes or 0 for g in clients),
        covered_minutes=sum(g.covered_minutes for g in clients),
        beyond_granted_minutes=sum(g.beyond_granted_minutes for g in clients),
        uncovered_minutes=sum(g.uncovered_minutes for g in groups),
        extra_minutes=extra, overtime_minutes=overtime, hard_breaches=hard_breaches,
        groups=groups,
    )


def _extra_time(plan: SwedishPlan, rows: list[Assignment]) -> tuple[int, int]:
    worked: dict[str, int] = defaultdict(int)
    for row in rows:
        worked[row.employee] += plan.instance.shifts[row.shift].work_minutes
    extra = overtime = 0
    for employee, contract in plan.contracts.items():
        if contract.target is None:
            continue
        above = max(0, worked[employee] - contract.target)
        mertid = min(above, max(0, contract.room_to_full_time))
        extra += mertid
        overtime += above - mertid
    return extra, overtime
