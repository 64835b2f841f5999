"""Use case: simulate the substitute pool against the department's own history (issue 5).

The history is the whole weeks of reported time up to the first day of the month after
the last reported month (never after the current month), at most ``history_months``
back. The model and the simulation are in :mod:`insats.domain.pool_model` and
:mod:`insats.domain.pool_simulation`; this module reads the history, classifies who
covered what, and checks the simulation against what was recorded.

The simulation reads every unit's absences and time reports in aggregate: it is for
department-wide roles, and it logs one access-log line per unit and kind of data.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from insats.db.repositories import cover_history
from insats.db.repositories._base import NotFoundError
from insats.domain.access import AccessDenied, AuditAction, Caller, Capability
from insats.domain.common import DomainError, Period, add_months
from insats.domain.pool_model import (
    CoverCosts,
    CoverMinutes,
    CoverSource,
    PoolHistory,
    PoolModel,
    cover_costs,
    cover_source,
    estimate_model,
)
from insats.domain.pool_simulation import Band, CoverPolicy, Progress, Simulation, simulate
from insats.domain.staff import Employee, EmploymentForm
from insats.services.audit import Touched, log
from insats.services.runtime import UowFactory
from insats.services.uow import UnitOfWork

DEFAULT_HISTORY_MONTHS = 24
MIN_SHIFTS = "pool.min_shifts_per_substitute_month"


@dataclass(frozen=True, slots=True)
class PoolBasis:
    """The estimated model, the costs per hour and the assumptions in force."""

    history: Period
    model: PoolModel
    costs: CoverCosts
    min_shifts_per_month: int


@dataclass(frozen=True, slots=True)
class Validation:
    """The simulated overtime at today's pool size against the overtime recorded in the
    last 52 weeks of the history."""

    policy: CoverPolicy
    size: int
    recorded_overtime: float  # minutes per year
    simulated: Band

    @property
    def within(self) -> bool:
        return self.simulated.contains(self.recorded_overtime)


@dataclass(frozen=True, slots=True)
class PoolReport:
    basis: PoolBasis
    simulation: Simulation
    validation: Validation


def pool_basis(uow_factory: UowFactory, *, caller: Caller, today: dt.date,
               history_months: int = DEFAULT_HISTORY_MONTHS) -> PoolBasis:
    """Read the history and estimate the model (see the module docstring).

    Raises:
        AccessDenied: the caller is not department-wide or may not see aggregates.
        DomainError: ``pool.history`` when there is too little history.
    """
    viewer = caller.viewer
    viewer.require(Capability.VIEW_AGGREGATES)
    if not viewer.department_wide:
        raise AccessDenied("Poolsimuleringen gäller hela avdelningen.")
    if not 1 <= history_months <= 120:
        raise DomainError("pool.history_months", "Historiken ska vara 1–120 månader.")
    with uow_factory() as uow:
        history = _history(uow, today=today, months=history_months)
        rules = uow.rules.rule_book()
        units = uow.organisation.units()
        log(uow, caller, AuditAction.READ, [
            Touched(kind, None, None, unit.id) for unit in units
            for kind in ("absence", "time_entry")])
        uow.commit()
    model = estimate_model(history, rules)
    return PoolBasis(Period(history.first_day, history.end), model, cover_costs(history, rules),
                     rules.number(MIN_SHIFTS, history.end))


def simulate_pool(uow_factory: UowFactory, *, caller: Caller, sizes: Sequence[int], runs: int,
                  seed: int, policies: Sequence[CoverPolicy] = (CoverPolicy.POOL_FIRST,),
                  today: dt.date | None = None,
                  history_months: int = DEFAULT_HISTORY_MONTHS,
                  progress: Progress | None = None) -> PoolReport:
    """Simulate ``runs`` years for each pool size in ``sizes`` (today's size is always
    added) and each policy, and validate against the recorded overtime."""
    basis = pool_basis(uow_factory, caller=caller, today=today or dt.date.today(),
                       history_months=history_months)
    return run_simulation(basis, sizes=sizes, runs=runs, seed=seed, policies=policies,
                          progress=progress)


def run_simulation(basis: PoolBasis, *, sizes: Sequence[int], runs: int, seed: int,
                   policies: Sequence[CoverPolicy] = (CoverPolicy.POOL_FIRST,),
                   progress: Progress | None = None) -> PoolReport:
    """The simulation on an estimated basis (no database)."""
    model = basis.model
    simulation = simulate(model, basis.costs, sizes=[*sizes, model.pool_size], runs=runs,
                          seed=seed, policies=policies, progress=progress)
    policy = CoverPolicy.POOL_FIRST if CoverPolicy.POOL_FIRST in policies else policies[0]
    today = simulation.policy(policy).size(model.pool_size)
    assert today is not None
    validation = Validation(policy, model.pool_size,
                            model.recorded_per_year(CoverSource.OVERTIME),
                            today.minutes[CoverSource.OVERTIME])
    return PoolReport(basis, simulation, validation)


def _history(uow: UnitOfWork, *, today: dt.date, months: int) -> PoolHistory:
    session = uow.session
    span = cover_history.reported_span(session)
    if span is None:
        raise DomainError("pool.history", "Det finns inga tidrapporter att bygga "
                                          "simuleringen på. Kör 'insats demo load' först.")
    first, last = span
    end = min(today.replace(day=1), add_months(last.replace(day=1), 1))
    start = max(first, add_months(end, -months))
    if end <= start:
        raise DomainError("pool.history", f"Ingen rapporterad tid före {end.isoformat()}.")
    window = Period(start, end)
    employees = {e.id: e for e in uow.staff.employed_during(window)}
    regular = cover_history.regular_memberships(session)
    grouped: dict[tuple[dt.date, CoverSource, str], int] = defaultdict(int)
    for row in cover_history.worked_minutes(session, start, end):
        employee = employees.get(row.employee_id) or _employee(uow, row.employee_id)
        employees[employee.id] = employee
        member = any(p.contains(row.day) for p in regular.get((row.employee_id, row.group_id),
                                                              ()))
        source = cover_source(kind=row.kind, in_pool=employee.in_substitute_pool,
                              regular_member=member,
                              hourly=employee.employment_form is EmploymentForm.HOURLY)
        if source is not None:
            grouped[(row.day, source, row.employee_id)] += row.minutes
    cover = [
        CoverMinutes(day, source, minutes, employee_id,
                     employees[employee_id].hourly_rate().ore,
                     paid_by_the_hour=source is not CoverSource.COLLEAGUE
                     or employees[employee_id].employment_form is EmploymentForm.HOURLY)
        for (day, source, employee_id), minutes in sorted(grouped.items())
    ]
    cover += [CoverMinutes(day, CoverSource.UNCOVERED, minutes)
              for day, minutes in cover_history.unstaffed_minutes(session, start, end)]
    last_day = end - dt.timedelta(days=1)
    pool_size = sum(1 for e in employees.values()
                    if e.in_substitute_pool and e.employed.contains(last_day))
    return PoolHistory(
        start=start, end=end,
        employees=tuple(e for e in employees.values() if e.employed.overlaps(window)),
        absences=tuple(uow.absences.overlapping(window)),
        cover=tuple(cover), pool_size=pool_size)


def _employee(uow: UnitOfWork, employee_id: str) -> Employee:
    """An employee who reported time outside their employment (kept, not refused)."""
    employee = uow.staff.get(employee_id)
    if employee is None:
        raise NotFoundError("Medarbetaren", employee_id)
    return employee
