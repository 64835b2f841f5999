"""The CP-SAT formulation of a ``PlanningInstance``, for the whole roster or a part of it.

One builder serves three uses: the full model (every employee, every day), a
neighbourhood of the large-neighbourhood search (some employees over a window of days,
everything else fixed at the current roster), and the construction of a first roster
(one employee at a time). Cells outside the free part are constants, so every rule is
written once as a linear expression over a mix of variables and constants and CP-SAT's
presolve removes what is fixed.

Formulation:
- ``x[e, d, s, g]``: employee e works shift s in group g on day d; created only where the
  static rules allow it (group, skills, availability, demand with room, shift length);
- at most one shift a day; a forbidden succession is a clique over the next day's
  shifts (``x[d, a] + Σ x[d+1, b ∈ F(a)] ≤ 1``);
- max consecutive shifts as sliding windows; min consecutive shifts and min days off as
  forbidden patterns (off, k worked, off) for k below the minimum, exempt at the edges;
- weekends worked as one Boolean per weekend, bounded by the weekend days;
- weekly rest as qualifying days per seven-day block (``insats.domain.validate``);
- cover: under- and over-cover variables per demand row, hard minimum and maximum;
- contract minutes and the 48-hour average as linear bounds, target minutes priced;
- continuity: one membership Boolean per employee and limited group.

With ``relax`` an employee's own hard rules and the demand bounds get priced slack
(``Weights.relaxed_rule`` each) and the names of the slack say which rule gave way, so an
impossible instance still gets a roster and an explanation instead of "INFEASIBLE".
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace

from ortools.sat.python import cp_model

from insats.domain.planning import Assignment, Demand, PlanEmployee, PlanningInstance, RequestKind

Cell = tuple[str, str]  # (shift, group)
Term = cp_model.LinearExpr | int  # a variable, an expression or a constant
Roster = dict[tuple[str, int], Cell]  # (employee, day) -> (shift, group)


@dataclass(frozen=True, slots=True)
class Prepared:
    """What the builder needs from an instance, computed once per solve."""

    instance: PlanningInstance
    options: Mapping[str, tuple[tuple[Cell, ...], ...]]  # employee -> day -> cells
    demand: Mapping[tuple[str, int, str], Demand]
    forbidden_after: Mapping[str, frozenset[str]]
    requests: Mapping[tuple[str, int], tuple[tuple[str | None, int, RequestKind], ...]]
    pinned: Mapping[tuple[str, int], Cell]
    limited_groups: frozenset[str]
    weekends: tuple[tuple[int, ...], ...]  # the weekend days of each calendar week, in order
    demand_by_day: Mapping[int, tuple[Demand, ...]]

    @staticmethod
    def of(instance: PlanningInstance) -> Prepared:
        demand = {(d.group, d.day, d.shift): d for d in instance.demand}
        open_cells: dict[int, list[Cell]] = defaultdict(list)
        for (group, day, shift), need in sorted(demand.items()):
            if need.maximum is None or need.maximum > 0:
                open_cells[day].append((shift, group))
        pinned = {(p.employee, p.day): (p.shift, p.group) for p in instance.pinned}
        options: dict[str, tuple[tuple[Cell, ...], ...]] = {}
        for employee in instance.employees.values():
            per_day: list[tuple[Cell, ...]] = []
            for day in range(instance.days):
                cells = [c for c in open_cells[day]
                         if instance.can_work(employee, day, c[0], c[1])]
                pin = pinned.get((employee.id, day))
                if pin is not None and pin not in cells:
                    cells.append(pin)
                per_day.append(tuple(cells))
            options[employee.id] = tuple(per_day)
        forbidden: dict[str, set[str]] = defaultdict(set)
        for a, b in instance.forbidden_pairs():
            forbidden[a].add(b)
        requests: dict[tuple[str, int], list[tuple[str | None, int, RequestKind]]] = (
            defaultdict(list))
        for r in instance.requests:
            requests[(r.employee, r.day)].append((r.shift, r.weight, r.kind))
        limited = frozenset(g.id for g in instance.groups.values()
                            if g.max_distinct_employees is not None
                            and instance.weights.continuity > 0)
        weekends: dict[int, list[int]] = defaultdict(list)
        for day in range(instance.days):
            if instance.is_weekend(day):
                weekends[instance.weekend_index(day)].append(day)
        return Prepared(
            instance, options, demand,
            {a: frozenset(bs) for a, bs in forbidden.items()},
            {k: tuple(v) for k, v in requests.items()}, pinned, limited,
            tuple(tuple(days) for _, days in sorted(weekends.items())),
            _by_day(instance.demand),
        )

    def cells_of_day(self, employee: str, day: int) -> tuple[Cell, ...]:
        return self.options[employee][day]

    def restricted(self, allowed: Mapping[str, Sequence[AbstractSet[Cell]]]) -> Prepared:
        """The same instance with each employee's cells of a day cut down to ``allowed``
        (pinned cells always stay); an employee missing from ``allowed`` keeps every cell."""
        options: dict[str, tuple[tuple[Cell, ...], ...]] = {}
        for employee, per_day in self.options.items():
            keep = allowed.get(employee)
            if keep is None:
                options[employee] = per_day
                continue
            options[employee] = tuple(
                tuple(c for c in cells
                      if c in keep[day] or self.pinned.get((employee, day)) == c)
                for day, cells in enumerate(per_day))
        return replace(self, options=options)


def _by_day(demand: Iterable[Demand]) -> dict[int, tuple[Demand, ...]]:
    found: dict[int, list[Demand]] = defaultdict(list)
    for need in demand:
        found[need.day].append(need)
    return {day: tuple(needs) for day, needs in found.items()}


@dataclass
class Subproblem:
    model: cp_model.CpModel
    x: dict[tuple[str, int, str, str], cp_model.IntVar]
    slack: dict[str, list[tuple[cp_model.IntVar, str]]] = field(default_factory=dict)
    objective_terms: list[tuple[Term, int]] = field(default_factory=list)
    objective: cp_model.LinearExprT = 0


class SubproblemBuilder:
    """Builds the model for ``free`` employees over ``window`` days, the rest at ``roster``."""

    def __init__(self, prep: Prepared, roster: Roster, free: Iterable[str], window: range,
                 relax: Iterable[str] = ()) -> None:
        self.prep = prep
        self.inst = prep.instance
        self.roster = roster
        self.free = [e for e in self.inst.employees if e in set(free)]
        self.free_set = set(self.free)
        self.window = window
        self.relax = set(relax)
        self.model = cp_model.CpModel()
        self.sub = Subproblem(self.model, {})
        self._on: dict[tuple[str, int], Term] = {}
        self._shift_on: dict[tuple[str, int, str], Term] = {}
        self._outside: dict[str, dict[int, Cell]] | None = None

    # -- cells -------------------------------------------------------------------------
    def is_free(self, employee: str, day: int) -> bool:
        return employee in self.free_set and day in self.window

    def outside(self, employee: str) -> dict[int, Cell]:
        """A free employee's worked days outside the window: the constants of this part."""
        if self._outside is None:
            self._outside = {e: {} for e in self.free}
            window = self.window
            for (e, d), cell in self.roster.items():
                days = self._outside.get(e)
                if days is not None and d not in window:
                    days[d] = cell
        return self._outside[employee]

    def on(self, employee: str, day: int) -> Term:
        """1 if the employee works that day (variable or constant); days outside are 0."""
        if day < 0 or day >= self.inst.days:
            return 0
        return self._on.get((employee, day), 1 if (employee, day) in self.roster else 0)

    def shift_on(self, employee: str, day: int, shift: str) -> Term:
        if day < 0 or day >= self.inst.days:
            return 0
        if self.is_free(employee, day):
            return self._shift_on.get((employee, day, shift), 0)
        cell = self.roster.get((employee, day))
        return 1 if cell is not None and cell[0] == shift else 0

    def _make_cells(self) -> None:
        m = self.model
        for e in self.free:
            for d in self.window:
                cells = self.prep.cells_of_day(e, d)
                xs = []
                by_shift: dict[str, list[cp_model.IntVar]] = defaultdict(list)
                for shift, group in cells:
                    var = m.new_bool_var(f"x|{e}|{d}|{shift}|{group}")
                    self.sub.x[(e, d, shift, group)] = var
                    xs.append(var)
                    by_shift[shift].append(var)
                pin = self.prep.pinned.get((e, d))
                if pin is not None:
                    m.add(self.sub.x[(e, d, pin[0], pin[1])] == 1)
                if not xs:
                    self._on[(e, d)] = 0
                    continue
                if len(xs) == 1:
                    self._on[(e, d)] = xs[0]
                else:
                    day_on = m.new_bool_var(f"on|{e}|{d}")
                    m.add(sum(xs) == day_on)
                    self._on[(e, d)] = day_on
                for shift, vars_ in by_shift.items():
                    if len(vars_) == 1:
                        self._shift_on[(e, d, shift)] = vars_[0]
                    else:
                        any_group = m.new_bool_var(f"s|{e}|{d}|{shift}")
                        m.add(sum(vars_) == any_group)
                        self._shift_on[(e, d, shift)] = any_group

    # -- constraint helpers ------------------------------------------------------------
    def _limit(self, terms: list[Term], upper: int | None, lower: int | None,
               employee: str, rule: str) -> None:
        """lower ≤ Σ terms ≤ upper, with priced slack when the employee is relaxed."""
        if all(isinstance(t, int) for t in terms):
            return  # entirely fixed: the current roster already decides it
        expr = cp_model.LinearExpr.sum(terms)
        if employee in self.relax:
            if upper is not None:
                slack = self.model.new_int_var(0, len(terms) * 10_000, f"relax|{rule}|{employee}")
                self.model.add(expr <= upper + slack)
                self.sub.slack.setdefault(employee, []).append((slack, rule))
            if lower is not None:
                slack = self.model.new_int_var(0, max(lower, 1), f"relax|{rule}|{employee}")
                self.model.add(expr >= lower - slack)
                self.sub.slack.setdefault(employee, []).append((slack, rule))
            return
        if upper is not None:
            self.model.add(expr <= upper)
        if lower is not None:
            self.model.add(expr >= lower)

    def _limit_count(self, terms: list[Term], upper: int | None, lower: int | None,
                     employee: str, rule: str) -> None:
        """``_limit`` for terms that are each 0 or 1 (a cell, a day, 1 − a day), leaving
        out a bound no choice of the free cells can break: in a neighbourhood of a few
        days most windows of the sequence rules and most shift maximums are such (on
        Instance13, 40 % of those not already fixed), and building the part took a third
        of the neighbourhood search's time."""
        constant = sum(t for t in terms if isinstance(t, int))
        free = sum(1 for t in terms if not isinstance(t, int))
        if upper is not None and constant + free <= upper:
            upper = None
        if lower is not None and constant >= lower:
            lower = None
        if free and (upper is not None or lower is not None):
            self._limit(terms, upper, lower, employee, rule)

    def _touches(self, first: int, last: int) -> bool:
        return first <= self.window.stop - 1 and last >= self.window.start

    # -- employee rules ----------------------------------------------------------------
    def _employee_rules(self, employee: PlanEmployee) -> None:
        e = employee.id
        days = self.inst.days
        w0, w1 = self.window.start, self.window.stop
        for d in range(max(0, w0 - 1), min(days - 1, w1)):
            # shifts with the same forbidden followers share one clique constraint
            by_blocked: dict[frozenset[str], list[str]] = defaultdict(list)
            for a in self._shifts_used(e, d):
                blocked = self.prep.forbidden_after.get(a, frozenset())
                if blocked:
                    by_blocked[blocked].append(a)
            following = self._shifts_used(e, d + 1)
            for blocked, firsts in by_blocked.items():
                nxt = [self.shift_on(e, d + 1, b) for b in blocked if b in following]
                if nxt:  # else one shift a day already keeps it
                    self._limit_count([*(self.shift_on(e, d, a) for a in firsts), *nxt], 1,
                                      None, e, "succession")
        outside_shifts = Counter(shift for shift, _ in self.outside(e).values())
        in_window = set().union(*(self._shifts_used(e, d) for d in self.window))
        for shift, limit in employee.max_shifts.items():
            if limit < days and shift in in_window:
                self._limit_count([*(self.shift_on(e, d, shift) for d in self.window),
                                   outside_shifts[shift]], limit, None, e, "max_shifts")
        minutes = self._minutes_terms(e, on_call=False)
        self._limit(minutes, employee.max_minutes,
                    employee.min_minutes if employee.min_minutes > 0 else None, e, "minutes")
        horizon_limit = self.inst.max_horizon_minutes()
        if horizon_limit is not None:
            self._limit(self._minutes_terms(e, on_call=True), horizon_limit, None, e,
                        "average_week")
        self._sequence_rules(employee)
        self._weekend_rule(employee)
        self._weekly_rest(employee)

    def _shifts_used(self, e: str, d: int) -> set[str]:
        if self.is_free(e, d):
            return {cell[0] for cell in self.prep.cells_of_day(e, d)}
        cell = self.roster.get((e, d))
        return {cell[0]} if cell else set()

    def _minutes_terms(self, e: str, *, on_call: bool) -> list[Term]:
        shifts = self.inst.shifts
        terms: list[Term] = []
        for d in self.window:
            for shift, group in self.prep.cells_of_day(e, d):
                spec = shifts[shift]
                minutes = spec.work_minutes + (spec.on_call_minutes if on_call else 0)
                terms.append(minutes * self.sub.x[(e, d, shift, group)])
        fixed = 0
        for shift, _ in self.outside(e).values():
            spec = shifts[shift]
            fixed += spec.work_minutes + (spec.on_call_minutes if on_call else 0)
        return [*terms, fixed]

    def _sequence_rules(self, employee: PlanEmployee) -> None:
        e = employee.id
        days = self.inst.days
        w0, w1 = self.window.start, self.window.stop
        most = employee.max_consecutive_shifts
        if most is not None and most < days:
            # the windows of most + 1 days that touch the free days
            for start in range(max(0, w0 - most), min(days - most, w1)):
                self._limit_count([self.on(e, d) for d in range(start, start + most + 1)],
                                  most, None, e, "max_consecutive")
        for length in range(1, employee.min_consecutive_shifts):
            # a run of ``length`` days from ``start`` with a day off either side
            for start in range(max(1, w0 - length), min(days - length, w1 + 1)):
                end = start + length  # the day off after the run
                run = [1 - self.on(e, d) for d in range(start, end)]
                self._limit_count([self.on(e, start - 1), *run, self.on(e, end)], None, 1,
                                  e, "min_consecutive")
        for length in range(1, employee.min_consecutive_days_off):
            for start in range(max(1, w0 - length), min(days - length, w1 + 1)):
                end = start + length
                run = [self.on(e, d) for d in range(start, end)]
                self._limit_count([1 - self.on(e, start - 1), *run, 1 - self.on(e, end)],
                                  None, 1, e, "min_days_off")

    def _weekend_rule(self, employee: PlanEmployee) -> None:
        if employee.max_weekends is None:
            return
        e = employee.id
        if employee.max_weekends >= len(self.prep.weekends):
            return
        outside = self.outside(e)
        w0, w1 = self.window.start, self.window.stop
        flags: list[Term] = []
        for wdays in self.prep.weekends:
            if wdays[-1] < w0 or wdays[0] >= w1:
                flags.append(int(any(d in outside for d in wdays)))
                continue
            terms = [self.on(e, d) for d in wdays]
            if all(isinstance(t, int) for t in terms):
                flags.append(max(t for t in terms if isinstance(t, int)))
                continue
            worked = self.model.new_bool_var(f"we|{e}|{wdays[0]}")
            for t in terms:
                self.model.add(worked >= t)
            flags.append(worked)
        self._limit_count(flags, employee.max_weekends, None, e, "max_weekends")

    def _weekly_rest(self, employee: PlanEmployee) -> None:
        limit = self.inst.rules.min_weekly_rest
        if limit is None:
            return
        e = employee.id
        shifts = self.inst.shifts
        last = self.inst.days - 1
        for block in self.inst.weekly_rest_blocks():
            if len(block) < 7 or not self._touches(block.start - 1, block.stop):
                continue
            qualifying: list[Term] = []
            for d in block:
                if isinstance(self.on(e, d), int) and self.on(e, d) == 1:
                    continue
                q = self.model.new_bool_var(f"rest|{e}|{d}")
                self.model.add(q + self.on(e, d) <= 1)
                if 0 < d < last:
                    gap_ok = self.model.new_bool_var(f"gap|{e}|{d}")
                    self.model.add(q <= 2 - self.on(e, d - 1) - self.on(e, d + 1) + gap_ok)
                    for a in self._shifts_used(e, d - 1):
                        for b in self._shifts_used(e, d + 1):
                            if 2 * 1440 + shifts[b].start - shifts[a].end < limit:
                                self.model.add(gap_ok + self.shift_on(e, d - 1, a)
                                               + self.shift_on(e, d + 1, b) <= 2)
                qualifying.append(q)
            self._limit_count(qualifying, None, 1, e, "weekly_rest")

    # -- demand and objective ----------------------------------------------------------
    def _cover(self) -> None:
        m = self.model
        staffed: dict[tuple[str, int, str], list[cp_model.IntVar]] = defaultdict(list)
        for (_, d, shift, group), var in self.sub.x.items():
            staffed[(group, d, shift)].append(var)
        fixed = self._fixed_cover()
        relax_demand = bool(self.relax)
        for key, vars_ in staffed.items():
            need = self.prep.demand[key]
            count = sum(vars_) + fixed[key]
            top = len(vars_) + fixed[key]
            if need.maximum is not None and need.maximum < top:
                if relax_demand:
                    slack = m.new_int_var(0, top, f"relax|demand_max|{key}")
                    m.add(count <= need.maximum + slack)
                    self.sub.slack.setdefault("", []).append((slack, "demand_max"))
                else:
                    m.add(count <= need.maximum)
            if need.minimum > fixed[key]:
                if relax_demand:
                    slack = m.new_int_var(0, need.minimum, f"relax|demand_min|{key}")
                    m.add(count >= need.minimum - slack)
                    self.sub.slack.setdefault("", []).append((slack, "demand_min"))
                else:
                    m.add(count >= need.minimum)
            if need.under_weight and need.preferred > fixed[key]:
                under = m.new_int_var(0, need.preferred, f"under|{key}")
                m.add(under >= need.preferred - count)
                self.sub.objective_terms.append((under, need.under_weight))
            if need.over_weight and top > need.preferred:
                over = m.new_int_var(0, top, f"over|{key}")
                m.add(over >= count - need.preferred)
                self.sub.objective_terms.append((over, need.over_weight))

    def _employee_objective(self, employee: PlanEmployee) -> None:
        e = employee.id
        terms = self.sub.objective_terms
        for d in self.window:
            for shift, weight, kind in self.prep.requests.get((e, d), ()):
                hit = self.on(e, d) if shift is None else self.shift_on(e, d, shift)
                if kind is RequestKind.ON:
                    terms.append((1 - hit, weight))
                else:
                    terms.append((hit, weight))
            if employee.foreign_group_weight:
                for shift, group in self.prep.cells_of_day(e, d):
                    if not employee.is_home(group):
                        terms.append((self.sub.x[(e, d, shift, group)],
                                      employee.foreign_group_weight))
        if employee.target_minutes is not None:
            worked = sum(self._minutes_terms(e, on_call=False))
            target = employee.target_minutes
            if employee.under_target_weight:
                short = self.model.new_int_var(0, target, f"short|{e}")
                self.model.add(short >= target - worked)
                terms.append((short, employee.under_target_weight))
            if employee.over_target_weight:
                extra = self.model.new_int_var(0, 1440 * self.inst.days, f"extra|{e}")
                self.model.add(extra >= worked - target)
                terms.append((extra, employee.over_target_weight))

    def _fixed_cover(self) -> Counter[tuple[str, int, str]]:
        """How many of the employees who are not free work each cell of the window's days:
        looked up day by day where that is shorter than the roster (a few days of a year)."""
        fixed: Counter[tuple[str, int, str]] = Counter()
        employees = self.inst.employees
        if len(self.window) * len(employees) < len(self.roster):
            for d in self.window:
                for e in employees:
                    cell = None if e in self.free_set else self.roster.get((e, d))
                    if cell is not None:
                        fixed[(cell[1], d, cell[0])] += 1
            return fixed
        for (e, d), (shift, group) in self.roster.items():
            if d in self.window and not self.is_free(e, d):
                fixed[(group, d, shift)] += 1
        return fixed

    def _continuity(self) -> None:
        if not self.prep.limited_groups:
            return
        inst = self.inst
        by_group: dict[str, dict[str, list[cp_model.IntVar]]] = defaultdict(
            lambda: defaultdict(list))
        for (e, _d, _shift, group), var in self.sub.x.items():
            if group in self.prep.limited_groups:
                by_group[group][e].append(var)
        members_fixed: dict[str, set[str]] = defaultdict(set)
        for (e, d), (_shift, group) in self.roster.items():
            if not self.is_free(e, d):
                members_fixed[group].add(e)
        for group, per_employee in by_group.items():
            flags: list[Term] = []
            for e, vars_ in per_employee.items():
                if e in members_fixed[group]:
                    continue
                member = self.model.new_bool_var(f"member|{e}|{group}")
                for var in vars_:
                    self.model.add(member >= var)
                flags.append(member)
            limit = inst.groups[group].max_distinct_employees or 0
            excess = self.model.new_int_var(0, len(flags) + len(members_fixed[group]),
                                            f"excess|{group}")
            self.model.add(excess >= sum(flags) + len(members_fixed[group]) - limit)
            self.sub.objective_terms.append((excess, inst.weights.continuity))

    def build(self) -> Subproblem:
        self._make_cells()
        for e in self.free:
            employee = self.inst.employees[e]
            self._employee_rules(employee)
            self._employee_objective(employee)
        self._cover()
        self._continuity()
        objective = [weight * term for term, weight in self.sub.objective_terms]
        relax_weight = self.inst.weights.relaxed_rule
        objective += [relax_weight * slack for items in self.sub.slack.values()
                      for slack, _ in items]
        self.sub.objective = sum(objective)
        self.model.minimize(self.sub.objective)
        self._hint()
        return self.sub

    def build_employee(self) -> Subproblem:
        """One employee's own rules and own costs (requests, contract, co-planning), no
        cover: the pricing problem of column generation. The objective is left to the
        caller; ``objective_terms`` holds the employee's own costs."""
        self._make_cells()
        for e in self.free:
            employee = self.inst.employees[e]
            self._employee_rules(employee)
            self._employee_objective(employee)
        return self.sub

    def _hint(self) -> None:
        """The current roster as the solution hint, every cell variable at once (one
        ``add_hint`` call a cell took a tenth of building a part)."""
        roster = self.roster
        hint = self.model.proto.solution_hint
        hint.vars.extend([var.index for var in self.sub.x.values()])
        hint.values.extend([int(roster.get((e, d)) == (shift, group))
                            for e, d, shift, group in self.sub.x])


def roster_from(assignments: Iterable[Assignment]) -> Roster:
    return {(a.employee, a.day): (a.shift, a.group) for a in assignments}


def assignments_of(roster: Roster) -> tuple[Assignment, ...]:
    return tuple(sorted(Assignment(e, d, s, g) for (e, d), (s, g) in roster.items()))
