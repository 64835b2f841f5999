"""Planning runs end to end on a small hand-built department: plan, publish, re-plan.

Every proposal is checked with the independent validator against the instance rebuilt
from the database, and re-planning must leave every pinned shift as it was.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

import pytest

from insats.domain.common import DomainError, Period
from insats.domain.planning import PlanStatus
from insats.domain.planning_runs import PlanningRun, RunKind, RunStatus
from insats.domain.scheduling import PlannedShift, ShiftStatus
from insats.domain.validate import check_roster
from insats.optimizer.swedish import period_bounds, to_assignments
from insats.services import planning
from insats.services.rules import add_missing_bundled_parameters
from insats.services.uow import UnitOfWork
from tests.builders import a_small_department, an_absence

Factory = Callable[[], UnitOfWork]
MONDAY = dt.date(2026, 12, 7)
QUICK = {"time_limit": 2.0, "seed": 7, "workers": 1}


def store_small_department(uow_factory: Factory) -> None:
    """The builders' small department and the shipped rule values, in one transaction."""
    world = a_small_department()
    with uow_factory() as uow:
        add_missing_bundled_parameters(uow)
        uow.organisation.add_many([world.department, world.unit])
        uow.providers.add_many([world.provider])
        uow.clients.add_many(world.clients)
        uow.staff.add_many(world.employees)
        uow.decisions.add_many(world.decisions)
        uow.scheduling.add_many([*world.groups, *world.memberships, *world.templates])
        uow.commit()


@pytest.fixture
def department(uow_factory: Factory) -> Factory:
    store_small_department(uow_factory)
    return uow_factory


def shifts_of_period(factory: Factory, weeks: int = 1) -> list[PlannedShift]:
    begin, end = period_bounds(MONDAY, 7 * weeks)
    with factory() as uow:
        return [s for g in ("G0001", "G0002") for s in uow.scheduling.shifts_of_group(g, begin,
                                                                                       end)]


def check_against_database(factory: Factory, run: PlanningRun) -> None:
    """The run's proposal plus the published shifts it keeps holds every hard rule of the
    instance the database gives now (the proposal is not published, so not part of it)."""
    plan, data = planning.rebuild_plan(factory, run.id)
    with factory() as uow:
        proposal = uow.planning.proposal_of(run.id)
    outside = {*run.released, *(s.id for s in plan.kept)}
    kept = [s for s in data.published if s.id not in outside]
    roster = to_assignments(plan, [*proposal, *kept])
    result = check_roster(plan.instance, roster)
    assert result.breaches == ()


def plan_week(factory: Factory, **overrides: object) -> PlanningRun:
    values: dict[str, object] = {"units": ["U01"], "start": MONDAY, "weeks": 1, **QUICK,
                                 **overrides}
    return planning.start_run(factory, **values)  # type: ignore[arg-type]


def test_a_run_stores_a_proposal_that_keeps_every_hard_rule(department: Factory) -> None:
    seen = []
    run = plan_week(department, progress=seen.append)

    assert run.status is RunStatus.DONE
    assert run.plan_status in (PlanStatus.OPTIMAL, PlanStatus.FEASIBLE)
    assert run.breaches == ()
    assert run.figures is not None and run.figures.hard_breaches == 0
    assert run.figures.beyond_granted_minutes == 0
    assert run.figures.covered_minutes <= run.figures.granted_minutes
    assert seen and run.objective == seen[-1].objective
    stored = planning.get_run(department, run.id)
    assert stored.run.progress and stored.run.status is RunStatus.DONE
    assert stored.proposed_shifts > 0
    shifts = shifts_of_period(department)
    assert shifts and all(s.status is ShiftStatus.PROPOSED for s in shifts)
    check_against_database(department, run)


def test_units_are_found_by_name(department: Factory) -> None:
    assert [u.id for u in planning.resolve_units(department, ["assistans norr"])] == ["U01"]
    with pytest.raises(DomainError, match="finns inte"):
        planning.resolve_units(department, ["Korttidshemmet"])


def test_publish_turns_the_proposal_into_published_shifts_once(department: Factory) -> None:
    run = plan_week(department)

    report = planning.publish_run(department, run.id[:6])

    assert report.published == planning.get_run(department, run.id).proposed_shifts
    assert all(s.status is ShiftStatus.PUBLISHED for s in shifts_of_period(department))
    assert planning.get_run(department, run.id).run.is_published
    with pytest.raises(DomainError, match="redan") as refused:
        planning.publish_run(department, run.id)
    assert refused.value.code == "planning_run.published"


def test_publishing_replaces_earlier_proposals_of_the_period(department: Factory) -> None:
    first = plan_week(department)
    second = plan_week(department, seed=8)

    planning.publish_run(department, second.id)

    shifts = shifts_of_period(department)
    assert {s.id.split("-")[0] for s in shifts} == {second.id}
    assert planning.get_run(department, first.id).proposed_shifts == 0


def test_a_new_plan_pins_published_shifts_and_publish_refuses_when_they_changed(
    department: Factory,
) -> None:
    planning.publish_run(department, plan_week(department).id)
    before = {s.id: (s.employee_id, s.start) for s in shifts_of_period(department)}

    again = plan_week(department, seed=9)
    check_against_database(department, again)
    assert planning.get_run(department, again.id).proposed_shifts == sum(
        1 for s in shifts_of_period(department) if s.status is ShiftStatus.PROPOSED)
    assert set(again.basis) == set(before)
    with department() as uow:
        pinned = uow.scheduling.get(sorted(again.basis)[0])
        assert pinned is not None
        uow.scheduling.update(dataclasses.replace(pinned, break_minutes=15))
        uow.commit()

    with pytest.raises(DomainError) as refused:
        planning.publish_run(department, again.id)
    assert refused.value.code == "planning.stale"


def test_replan_after_absence_moves_only_the_absent_employees_shifts(
    department: Factory,
) -> None:
    planning.publish_run(department, plan_week(department).id)
    published = {s.id: s for s in shifts_of_period(department) if s.employee_id is not None}
    worker = sorted(s.employee_id for s in published.values() if s.employee_id)[0]
    theirs = sorted((s for s in published.values() if s.employee_id == worker),
                    key=lambda s: s.start)
    sick_day = theirs[0].start.astimezone(dt.UTC).date()
    absence = an_absence(id="A0099", employee_id=worker,
                         period=Period(sick_day, sick_day + dt.timedelta(days=1)))
    with department() as uow:
        uow.absences.add(absence)
        uow.commit()

    run = planning.replan_after_absence(department, absence_id="A0099", **QUICK)

    assert run.kind is RunKind.REPLAN and run.status is RunStatus.DONE
    assert run.released == (theirs[0].id,)
    check_against_database(department, run)
    planning.publish_run(department, run.id)
    after = {s.id: s for s in shifts_of_period(department)}
    for shift_id, shift in published.items():
        if shift_id == theirs[0].id:
            assert after[shift_id].status is ShiftStatus.CANCELLED
        else:  # every pinned shift exactly as it was
            assert after[shift_id] == shift
    new = [s for s in after.values() if s.id.startswith(run.id)]
    assert len(new) == 1
    assert new[0].employee_id != worker
    assert (new[0].start, new[0].end, new[0].group_id) == (
        theirs[0].start, theirs[0].end, theirs[0].group_id)


def test_replan_without_published_shifts_on_the_days_is_refused(department: Factory) -> None:
    with pytest.raises(DomainError) as refused:
        planning.replan_after_absence(department, employee_id="E0001",
                                      days=Period(MONDAY, MONDAY + dt.timedelta(days=2)),
                                      **QUICK)
    assert refused.value.code == "planning.nothing_to_replan"


def test_a_run_that_is_not_done_cannot_be_published(department: Factory) -> None:
    run = planning.create_run(department, unit_ids=["U01"], start=MONDAY, weeks=1)
    with pytest.raises(DomainError) as refused:
        planning.publish_run(department, run.id)
    assert refused.value.code == "planning_run.not_done"


def test_a_run_left_running_can_be_marked_failed(department: Factory) -> None:
    run = planning.create_run(department, unit_ids=["U01"], start=MONDAY, weeks=1)
    with department() as uow:
        uow.planning.update(run.start(planning.utc_now()))
        uow.commit()

    failed = planning.mark_failed(department, run.id, "Processen avbröts (strömavbrott).")

    assert failed.status is RunStatus.FAILED
    stored = planning.get_run(department, run.id).run
    assert stored.failure_reason == "Processen avbröts (strömavbrott)."
    assert stored.finished_at is not None
    with pytest.raises(DomainError):
        planning.mark_failed(department, run.id, "igen")


def test_a_solver_error_marks_the_run_failed_and_is_raised(department: Factory) -> None:
    def broken(*_: object) -> object:
        raise RuntimeError("personnummer 19850412-1234 i felet")

    with pytest.raises(RuntimeError):
        plan_week(department, solver=broken)

    [view] = planning.list_runs(department)
    assert view.run.status is RunStatus.FAILED
    assert view.run.failure_reason == "Oväntat fel (RuntimeError)."


def test_start_must_be_a_monday(department: Factory) -> None:
    with pytest.raises(DomainError, match="måndag"):
        plan_week(department, start=MONDAY + dt.timedelta(days=1))
