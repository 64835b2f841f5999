"""Use cases for planning runs: plan a period, publish a proposal, re-plan after an absence.

A run is a stored job row (``insats.domain.planning_runs``). ``start_run`` stores it,
reads the department's data in one transaction, builds the instance with the Swedish
adapter, solves it with the engine (each improvement is written to the run in its own
short transaction, at most about once a second) and stores the proposal and the outcome
in a last transaction. If anything fails after the run was stored, the run is marked
failed with the reason before the error is raised again; a run left ``running`` by a
crashed process is marked failed with ``mark_failed``.

Runs started from the web go through the job queue (``queue_run``: the run and a job of
kind ``planering`` stored in one transaction; a worker, or the web process itself on the
embedded SQLite default, solves it with ``resume_run``; see docs/workers.md).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from insats.domain.access import Caller, Capability
from insats.domain.common import DomainError, Period
from insats.domain.jobs import JobKind
from insats.domain.organisation import Unit
from insats.domain.planning import PlanningInstance, PlanningResult, PlanStatus, ProgressPoint
from insats.domain.planning_runs import PlanningRun, RunKind, RunStatus
from insats.domain.scheduling import ShiftStatus
from insats.optimizer.engine import SolveOptions, solve
from insats.optimizer.swedish import (
    AdapterOptions,
    PlanningData,
    SwedishPlan,
    build_plan,
    period_bounds,
    roster_figures,
    to_planned_shifts,
)
from insats.services.jobs import new_job
from insats.services.review_density import need_by_group
from insats.services.scope import unit_in_scope
from insats.services.uow import UnitOfWork

UowFactory = Callable[[], UnitOfWork]
ProgressCallback = Callable[[ProgressPoint], None]
Solver = Callable[[PlanningInstance, SolveOptions, ProgressCallback | None], PlanningResult]

PROGRESS_WRITE_SECONDS = 1.0
DAYS_PER_WEEK = 7

# Runs started from the web (queue_run): bounds, so that no request can tie up the
# workers with long or many solves.
BACKGROUND_MAX_WEEKS = 8
BACKGROUND_MAX_TIME_LIMIT = 300.0
BACKGROUND_MAX_ACTIVE = 2
STALE_AFTER = dt.timedelta(minutes=10)  # beyond its time limit, a run counts as crashed


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True, slots=True)
class RunView:
    """A run with what a page or the CLI shows beside it."""

    run: PlanningRun
    unit_names: tuple[str, ...]
    proposed_shifts: int
    open_shifts: int


@dataclass(frozen=True, slots=True)
class PublishReport:
    run: PlanningRun
    published: int
    cancelled: int
    replaced_proposals: int


# -- finding units and runs ----------------------------------------------------------------
def resolve_units(uow_factory: UowFactory, names: Sequence[str]) -> list[Unit]:
    """Units by id, or by name (exact, case-insensitive, or a unique part of it)."""
    if not names:
        raise DomainError("planning.no_unit", "Ange minst en enhet (--unit) att planera.")
    with uow_factory() as uow:
        units = uow.organisation.units()
    found: list[Unit] = []
    for name in names:
        unit = _match_unit(units, name)
        if unit not in found:
            found.append(unit)
    return found


def _match_unit(units: list[Unit], name: str) -> Unit:
    text = name.strip().casefold()
    for rule in (lambda u: u.id.casefold() == text, lambda u: u.name.casefold() == text,
                 lambda u: text in u.name.casefold()):
        matches = [u for u in units if rule(u)]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise DomainError("planning.unit_ambiguous", f"Enheten {name!r} är tvetydig: "
                              f"{', '.join(u.name for u in matches)}. Ange enhetens id.")
    raise DomainError("planning.unit_unknown", f"Enheten {name!r} finns inte; se "
                      "enheterna med insats summary.")


def _load_run(uow: UnitOfWork, run_id: str) -> PlanningRun:
    matches = uow.planning.ids_starting_with(run_id.strip()) if run_id.strip() else []
    exact = uow.planning.get(run_id.strip())
    if exact is not None:
        return exact
    if len(matches) == 1:
        run = uow.planning.get(matches[0])
        assert run is not None
        return run
    if matches:
        raise DomainError("planning.run_ambiguous", f"Planeringen {run_id!r} är tvetydig: "
                          f"{', '.join(matches[:5])}.")
    raise DomainError("planning.run_unknown", f"Planeringen {run_id!r} finns inte; se "
                      "insats plan list.")


def _require_planner(caller: Caller | None, unit_ids: Sequence[str] = ()) -> None:
    """With a ``caller`` (the web): the right to plan schedules, for every unit named."""
    if caller is None:
        return
    caller.viewer.require(Capability.PLAN_SCHEDULES)
    for unit_id in unit_ids:
        caller.viewer.require_unit(unit_id)


def get_run(uow_factory: UowFactory, run_id: str, *, caller: Caller | None = None) -> RunView:
    """A run (by id or a unique start of it) with its units and proposal counts."""
    _require_planner(caller)
    with uow_factory() as uow:
        run = _load_run(uow, run_id)
        _require_planner(caller, run.unit_ids)
        return _view(uow, run)


def list_runs(uow_factory: UowFactory, *, limit: int = 30,
              caller: Caller | None = None) -> list[RunView]:
    """The latest runs (with a ``caller``: those of units in their scope)."""
    _require_planner(caller)
    with uow_factory() as uow:
        runs = uow.planning.recent(limit)
        if caller is not None:
            runs = [r for r in runs if all(caller.viewer.sees_unit(u) for u in r.unit_ids)]
        return [_view(uow, run) for run in runs]


def _view(uow: UnitOfWork, run: PlanningRun) -> RunView:
    names = []
    for unit_id in run.unit_ids:
        unit = uow.organisation.get(unit_id)
        names.append(unit.name if unit is not None else unit_id)
    shifts = uow.planning.proposal_of(run.id)
    proposed = [s for s in shifts if s.status is not ShiftStatus.CANCELLED]
    return RunView(run, tuple(names), len(proposed),
                   sum(1 for s in proposed if s.employee_id is None))


# -- planning --------------------------------------------------------------------------------
def create_run(uow_factory: UowFactory, *, unit_ids: Sequence[str], start: dt.date, weeks: int,
               time_limit: float = 60.0, seed: int = 0, workers: int = 2,
               co_planning: bool = True, kind: RunKind = RunKind.PLAN,
               extra: dict[str, str | int | float | bool] | None = None,
               caller: Caller | None = None) -> PlanningRun:
    """Store a queued run (its own transaction)."""
    run = _new_run(unit_ids=unit_ids, start=start, weeks=weeks, time_limit=time_limit,
                   seed=seed, workers=workers, co_planning=co_planning, kind=kind,
                   extra=extra, caller=caller)
    with uow_factory() as uow:
        uow.planning.add(run)
        uow.commit()
    return run


def _new_run(*, unit_ids: Sequence[str], start: dt.date, weeks: int, time_limit: float,
             seed: int, workers: int, co_planning: bool, kind: RunKind,
             extra: dict[str, str | int | float | bool] | None,
             caller: Caller | None) -> PlanningRun:
    _require_planner(caller, unit_ids)
    if weeks < 1:
        raise DomainError("planning.weeks", "Planeringen måste omfatta minst en vecka.")
    if start.weekday() != 0:
        raise DomainError("planning.start", f"Planeringen måste börja på en måndag; "
                          f"{start.isoformat()} är ingen måndag.")
    parameters: dict[str, str | int | float | bool] = {
        "weeks": weeks, "co_planning": co_planning, "workers": workers, **(extra or {})}
    return PlanningRun(
        id=f"P{uuid.uuid4().hex[:8]}", unit_ids=tuple(unit_ids),
        period=Period(start, start + dt.timedelta(days=DAYS_PER_WEEK * weeks)), seed=seed,
        time_limit=time_limit, created_at=utc_now(), kind=kind, parameters=parameters,
    )


def start_run(uow_factory: UowFactory, *, units: Sequence[str], start: dt.date, weeks: int,
              time_limit: float = 60.0, seed: int = 0, workers: int = 2,
              co_planning: bool = True, progress: ProgressCallback | None = None,
              solver: Solver = solve, max_iterations: int | None = None,
              by_need: bool = False) -> PlanningRun:
    """Plan ``weeks`` weeks from the Monday ``start`` for the units (ids or names), store
    the proposal and return the finished run. ``by_need``: a korttidshem's or
    korttidstillsyn's positions follow the staff its booked children need by its
    staffing rule (the density review's need per hour) instead of the whole structure.

    Raises:
        DomainError: unknown units, a start that is not a Monday, missing rule values.
    """
    unit_ids = [u.id for u in resolve_units(uow_factory, units)]
    extra: dict[str, str | int | float | bool] = {}
    if max_iterations is not None:
        extra["max_iterations"] = max_iterations
    if by_need:
        extra["by_need"] = True
    run = create_run(uow_factory, unit_ids=unit_ids, start=start, weeks=weeks,
                     time_limit=time_limit, seed=seed, workers=workers,
                     co_planning=co_planning, extra=extra)
    return execute_run(uow_factory, run.id, progress=progress, solver=solver)


def execute_run(uow_factory: UowFactory, run_id: str, *,
                progress: ProgressCallback | None = None,
                solver: Solver = solve) -> PlanningRun:
    """Solve a queued run and store its outcome; on failure the run is marked failed."""
    try:
        run, plan = _begin(uow_factory, run_id)
        writer = _ProgressWriter(uow_factory, run_id, progress)
        iterations = run.parameters.get("max_iterations")
        options = SolveOptions(
            time_limit=run.time_limit, seed=run.seed,
            workers=int(run.parameters.get("workers", 2)),
            max_iterations=int(iterations) if iterations is not None else None,
            hint=plan.instance.pinned,
        )
        result = solver(plan.instance, options, writer)
        writer.flush()
        return _finish(uow_factory, run_id, plan, result)
    except BaseException as error:
        _fail_quietly(uow_factory, run_id, error)
        raise


# -- runs started from the web: a stored run and a job in the queue ------------------------------
class PlanningBusy(DomainError):
    """A new run would overlap one that is queued or running (the web answers 409)."""


_starting = threading.Lock()


def is_active(run: PlanningRun, now: dt.datetime) -> bool:
    """Queued or running, and not left behind by a crashed process."""
    if run.status is RunStatus.QUEUED:
        return now - run.created_at < STALE_AFTER
    if run.status is RunStatus.RUNNING:
        started = run.started_at or run.created_at
        return now - started < dt.timedelta(seconds=run.time_limit) + STALE_AFTER
    return False


def queue_run(uow_factory: UowFactory, *, caller: Caller, unit_ids: Sequence[str],
              start: dt.date, weeks: int, time_limit: float = 60.0, seed: int = 0,
              workers: int = 2, co_planning: bool = True) -> PlanningRun:
    """Store a queued run for the units (ids) and a job of kind ``planering`` that solves
    it, in one transaction; a worker records the run's progress and outcome on the run
    row (``get_run``). Returns the queued run.

    Raises:
        AccessDenied: the caller may not plan schedules, or a unit is outside their scope.
        NotFoundError: a unit does not exist.
        DomainError: weeks outside 1–8, a time limit outside 1–300 s, a start that is
            not a Monday.
        PlanningBusy: a run for any of the units is queued or running, or two runs are.
    """
    _require_planner(caller)
    wanted = list(dict.fromkeys(u.strip() for u in unit_ids if u.strip()))
    if not wanted:
        raise DomainError("planning.no_unit", "Välj minst en enhet att planera.")
    if not 1 <= weeks <= BACKGROUND_MAX_WEEKS:
        raise DomainError("planning.weeks", f"Antal veckor ska vara 1–{BACKGROUND_MAX_WEEKS}.")
    if not 1 <= time_limit <= BACKGROUND_MAX_TIME_LIMIT:
        raise DomainError("planning.time_limit", "Tidsgränsen ska vara 1–"
                          f"{BACKGROUND_MAX_TIME_LIMIT:.0f} sekunder.")
    with _starting:
        now = utc_now()
        with uow_factory() as uow:
            for unit_id in wanted:
                unit_in_scope(uow, caller, unit_id)
            queued = uow.jobs.active_refs(JobKind.PLANNING)
            active = [r for status in (RunStatus.QUEUED, RunStatus.RUNNING)
                      for r in uow.planning.with_status(status)
                      if r.id in queued or is_active(r, now)]
        overlapping = [r for r in active if set(r.unit_ids) & set(wanted)]
        if overlapping:
            raise PlanningBusy("planning.busy", f"Planeringen {overlapping[0].id} för samma "
                               "enheter pågår redan; vänta tills den är klar.")
        if len(active) >= BACKGROUND_MAX_ACTIVE:
            raise PlanningBusy("planning.busy", f"Det pågår redan {len(active)} planeringar; "
                               "vänta tills någon av dem är klar.")
        run = _new_run(unit_ids=wanted, start=start, weeks=weeks, time_limit=time_limit,
                       seed=seed, workers=workers, co_planning=co_planning,
                       kind=RunKind.PLAN, extra=None, caller=caller)
        with uow_factory() as uow:
            uow.planning.add(run)
            uow.jobs.add(new_job(JobKind.PLANNING, {"run_id": run.id}, result_ref=run.id))
            uow.commit()
    return run


def resume_run(uow_factory: UowFactory, run_id: str, *,
               solver: Solver = solve) -> PlanningRun:
    """Solve a queued run for its job; a run left running by a worker that died is solved
    again from the start, and a run that already ended is left as it is (its job was
    run twice)."""
    with uow_factory() as uow:
        run = _load_run(uow, run_id)
        if run.status is RunStatus.RUNNING:
            run = run.restart()
            uow.planning.update(run)
            uow.commit()
    if run.status is not RunStatus.QUEUED:
        return run
    return execute_run(uow_factory, run_id, solver=solver)


def abandon_run(uow_factory: UowFactory, run_id: str, reason: str) -> None:
    """Mark the run failed with ``reason`` if it is still queued or running (its job
    could not be resumed)."""
    with uow_factory() as uow:
        run = uow.planning.get(run_id)
        if run is None or run.status not in (RunStatus.QUEUED, RunStatus.RUNNING):
            return
        uow.planning.update(run.fail(reason, utc_now()))
        uow.commit()


def fail_orphaned_runs(uow_factory: UowFactory, *, now: dt.datetime | None = None
                       ) -> list[PlanningRun]:
    """Mark failed every queued or running run that no queued or running job works on
    and that is past its time (started by a process that died, e.g. ``insats plan run``
    killed): no run stays ``running`` forever."""
    moment = now or utc_now()
    with uow_factory() as uow:
        worked_on = uow.jobs.active_refs(JobKind.PLANNING)
        orphans = [r for status in (RunStatus.QUEUED, RunStatus.RUNNING)
                   for r in uow.planning.with_status(status)
                   if r.id not in worked_on and not is_active(r, moment)]
    failed = []
    for run in orphans:
        reason = ("Planeringen avbröts: processen som körde den avslutades innan den "
                  "blev klar. Starta en ny planering.")
        try:
            failed.append(mark_failed(uow_factory, run.id, reason))
        except DomainError:  # it ended meanwhile
            continue
    return failed


def _begin(uow_factory: UowFactory, run_id: str) -> tuple[PlanningRun, SwedishPlan]:
    """Mark the run running and read its data (one transaction); build the instance."""
    with uow_factory() as uow:
        run = _load_run(uow, run_id).start(utc_now())
        data, basis = _load_data(uow, run)
        plan = build_plan(data, _adapter_options(run))
        run = dataclasses.replace(run, basis=basis, released=plan.released_ids)
        uow.planning.update(run)
        uow.commit()
    return run, plan


def rebuild_plan(uow_factory: UowFactory, run_id: str) -> tuple[SwedishPlan, PlanningData]:
    """The run's planning instance as the database gives it now, with the data it was built
    from (to check a proposal, or a roster edited by hand, with ``check_roster``)."""
    with uow_factory() as uow:
        run = _load_run(uow, run_id)
        data, _ = _load_data(uow, run)
    return build_plan(data, _adapter_options(run)), data


def _adapter_options(run: PlanningRun) -> AdapterOptions:
    parameters = run.parameters
    employee = parameters.get("replan_employee")
    extra: dict[str, frozenset[dt.date]] = {}
    if isinstance(employee, str) and "absent_from" in parameters:
        days = Period(dt.date.fromisoformat(str(parameters["absent_from"])),
                      dt.date.fromisoformat(str(parameters["absent_to"])))
        extra[employee] = frozenset(days.iter_days())
    return AdapterOptions(
        co_planning=bool(parameters.get("co_planning", True)),
        replan_employee=employee if isinstance(employee, str) else None,
        extra_absence=extra,
    )


def _load_data(uow: UnitOfWork, run: PlanningRun) -> tuple[PlanningData, dict[str, int]]:
    """Everything the adapter needs for the run's units and period, plus the basis
    (published shift id → version) the proposal will rest on."""
    period = run.period
    weeks = period.days // DAYS_PER_WEEK
    groups = [g for unit_id in run.unit_ids for g in uow.scheduling.groups_of_unit(unit_id)]
    group_ids = [g.id for g in groups]
    templates = [t for g in groups for t in uow.scheduling.templates_of_group(g.id)
                 if t.valid.overlaps(period)]
    clients = sorted({g.client_id for g in groups if g.client_id is not None})
    decisions = [d for c in clients for d in uow.decisions.of_client(c)
                 if d.period.overlaps(period)]
    memberships = [m for g in groups for m in uow.scheduling.members_of_group(g.id)
                   if m.period.overlaps(period)]
    begin, end = period_bounds(period.start, period.days)
    in_groups = uow.planning.published_versions(group_ids, [], begin, end)
    wanted = {m.employee_id for m in memberships} | {
        s.employee_id for s, _ in in_groups if s.employee_id is not None}
    employees = [e for e in uow.staff.employed_during(period)
                 if e.id in wanted or (e.in_substitute_pool and e.home_unit_id in run.unit_ids)]
    staff = {e.id for e in employees}
    published = uow.planning.published_versions(group_ids, sorted(staff), begin, end)
    absences = [a for a in uow.absences.overlapping(period) if a.employee_id in staff]
    data = PlanningData(
        start=period.start, weeks=weeks, unit_ids=run.unit_ids, groups=tuple(groups),
        templates=tuple(templates), decisions=tuple(decisions), employees=tuple(employees),
        memberships=tuple(memberships), absences=tuple(absences),
        rules=uow.rules.rule_book(), published=tuple(s for s, _ in published),
        staffing_need=need_by_group(uow, run.unit_ids, period.start, period.start
                                    + dt.timedelta(days=period.days))
        if run.parameters.get("by_need") else {},
    )
    return data, {s.id: version for s, version in published}


class _ProgressWriter:
    """Forwards progress to the caller and writes it to the run, at most once a second."""

    def __init__(self, uow_factory: UowFactory, run_id: str,
                 forward: ProgressCallback | None) -> None:
        self.uow_factory = uow_factory
        self.run_id = run_id
        self.forward = forward
        self.pending: list[ProgressPoint] = []
        self.last_write = 0.0

    def __call__(self, point: ProgressPoint) -> None:
        self.pending.append(point)
        if self.forward is not None:
            self.forward(point)
        if time.monotonic() - self.last_write >= PROGRESS_WRITE_SECONDS:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        with self.uow_factory() as uow:
            run = _load_run(uow, self.run_id)
            for point in self.pending:
                run = run.record_progress(point)
            uow.planning.update(run)
            uow.commit()
        self.pending.clear()
        self.last_write = time.monotonic()


def _finish(uow_factory: UowFactory, run_id: str, plan: SwedishPlan,
            result: PlanningResult) -> PlanningRun:
    figures = roster_figures(plan, result.assignments, hard_breaches=len(result.breaches))
    with uow_factory() as uow:
        run = _load_run(uow, run_id)
        if result.status is not PlanStatus.NO_SOLUTION:
            shifts = to_planned_shifts(plan, result.assignments, id_prefix=f"{run.id}-")
            uow.planning.add_proposal(run.id, shifts)
        run = run.finish(
            at=utc_now(), plan_status=result.status, objective=result.objective,
            bound=result.bound, penalties=result.penalties, figures=figures,
            explanation=(*plan.notes, *result.explanation),
            breaches=tuple(b.message for b in result.breaches),
        )
        uow.planning.update(run)
        uow.commit()
    return run


def _fail_quietly(uow_factory: UowFactory, run_id: str, error: BaseException) -> None:
    """Record why a run failed; never hide the original error behind a second one."""
    if isinstance(error, DomainError):
        reason = error.message
    elif isinstance(error, KeyboardInterrupt):
        reason = "Avbruten av användaren."
    else:  # the text of a database error can hold personal data: keep only its type
        reason = f"Oväntat fel ({type(error).__name__})."
    try:
        with uow_factory() as uow:
            run = uow.planning.get(run_id)
            if run is not None and run.status in (RunStatus.QUEUED, RunStatus.RUNNING):
                uow.planning.update(run.fail(reason, utc_now()))
                uow.commit()
    except Exception:  # the database may be the thing that failed
        return


def mark_failed(uow_factory: UowFactory, run_id: str, reason: str) -> PlanningRun:
    """Mark a queued or running run as failed, e.g. one left running by a crashed process."""
    with uow_factory() as uow:
        run = _load_run(uow, run_id).fail(reason, utc_now())
        uow.planning.update(run)
        uow.commit()
    return run


# -- publishing ------------------------------------------------------------------------------
def publish_run(uow_factory: UowFactory, run_id: str, *,
                caller: Caller | None = None) -> PublishReport:
    """Publish a finished run's proposal in one transaction.

    The shifts it replaces (released: an absent employee's, open ones) are cancelled,
    other proposals for the same groups and period are deleted, and the proposal becomes
    published shifts.

    Raises:
        DomainError: the run is not done, was already published, broke hard rules, or a
            published shift it rests on changed after it was planned (``planning.stale``).
    """
    _require_planner(caller)
    with uow_factory() as uow:
        run = _load_run(uow, run_id)
        _require_planner(caller, run.unit_ids)
        run = run.publish(utc_now())
        if run.breaches:
            raise DomainError("planning.relaxed", f"Planeringen {run.id} bryter mot "
                              f"{len(run.breaches)} regler och kan inte publiceras.")
        group_ids = [g.id for u in run.unit_ids for g in uow.scheduling.groups_of_unit(u)]
        begin, end = period_bounds(run.period.start, run.period.days)
        _check_basis(uow, run, group_ids, begin, end)
        released = {shift_id: run.basis[shift_id] for shift_id in run.released}
        cancelled = uow.planning.cancel_shifts(released)
        if cancelled != len(released):
            raise _stale(run, len(released) - cancelled)
        replaced = uow.planning.delete_other_proposals(group_ids, begin, end, keep_run=run.id)
        published = uow.planning.publish_proposal(run.id)
        uow.planning.update(run)
        uow.commit()
    return PublishReport(run, published, cancelled, replaced)


def _check_basis(uow: UnitOfWork, run: PlanningRun, group_ids: list[str],
                 begin: dt.datetime, end: dt.datetime) -> None:
    """Every published shift the run rested on is unchanged, and no new one appeared in
    its groups and period."""
    stored = uow.planning.shift_versions(list(run.basis))
    changed = [i for i, version in run.basis.items()
               if stored.get(i) != (ShiftStatus.PUBLISHED, version)]
    changed += [s.id for s, _ in uow.planning.published_versions(group_ids, [], begin, end)
                if s.id not in run.basis]
    if changed:
        raise _stale(run, len(changed))


def _stale(run: PlanningRun, count: int) -> DomainError:
    return DomainError(
        "planning.stale",
        f"Planeringen {run.id} kan inte publiceras: {count} publicerade pass i perioden har "
        "ändrats sedan planeringen gjordes. Gör en ny planering.",
    )


# -- re-planning after an absence ------------------------------------------------------------
def replan_after_absence(uow_factory: UowFactory, *, absence_id: str | None = None,
                         employee_id: str | None = None, days: Period | None = None,
                         time_limit: float = 30.0, seed: int = 0, workers: int = 2,
                         progress: ProgressCallback | None = None, solver: Solver = solve,
                         max_iterations: int | None = None) -> PlanningRun:
    """Re-plan the weeks of an absence: every published shift stays pinned except the
    absent employee's shifts on the absent days, which are handed to others (or left
    open), starting from the published roster.

    Give a stored absence (``absence_id``), or an employee and the days (``days``,
    end exclusive) for an absence not registered yet.

    Raises:
        DomainError: unknown absence, or no published shift of the employee on those days.
    """
    employee, absent = _absence_of(uow_factory, absence_id, employee_id, days)
    start = absent.start - dt.timedelta(days=absent.start.weekday())
    assert absent.end is not None
    last = absent.end - dt.timedelta(days=1)
    weeks = (last - start).days // DAYS_PER_WEEK + 1
    unit_ids = _units_with_shifts(uow_factory, employee, absent)
    extra: dict[str, str | int | float | bool] = {"replan_employee": employee}
    if absence_id is not None:
        extra["absence_id"] = absence_id
    else:
        extra["absent_from"] = absent.start.isoformat()
        extra["absent_to"] = absent.end.isoformat()
    if max_iterations is not None:
        extra["max_iterations"] = max_iterations
    run = create_run(uow_factory, unit_ids=unit_ids, start=start, weeks=weeks,
                     time_limit=time_limit, seed=seed, workers=workers, kind=RunKind.REPLAN,
                     extra=extra)
    return execute_run(uow_factory, run.id, progress=progress, solver=solver)


def _absence_of(uow_factory: UowFactory, absence_id: str | None, employee_id: str | None,
                days: Period | None) -> tuple[str, Period]:
    if absence_id is not None:
        with uow_factory() as uow:
            absence = uow.absences.get(absence_id)
        if absence is None:
            raise DomainError("planning.absence_unknown", f"Frånvaron {absence_id} finns inte.")
        return absence.employee_id, absence.period
    if employee_id is None or days is None or days.end is None or days.days < 1:
        raise DomainError("planning.absence_missing",
                          "Ange en frånvaro (--absence) eller en anställd och dagar.")
    return employee_id, days


def _units_with_shifts(uow_factory: UowFactory, employee: str, absent: Period) -> list[str]:
    assert absent.end is not None
    begin, end = period_bounds(absent.start, absent.days)
    with uow_factory() as uow:
        shifts = [s for s, _ in uow.planning.published_versions([], [employee], begin, end)
                  if s.employee_id == employee]
        units: list[str] = []
        for shift in shifts:
            group = uow.scheduling.get_group(shift.group_id)
            if group is not None and group.unit_id not in units:
                units.append(group.unit_id)
    if not units:
        raise DomainError(
            "planning.nothing_to_replan",
            f"{employee} har inga publicerade pass {absent.start.isoformat()}–"
            f"{(absent.end - dt.timedelta(days=1)).isoformat()}; inget att planera om.",
        )
    return units
