"""JSON API: optimisation runs — list, one run with its progress, start a run (solved in
the background; poll the run), and publish a finished run's proposal.

A new run is refused with 409 while a run for any of the same units is queued or running,
or while two runs are; weeks are 1–8 and the time limit 1–300 seconds.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from insats.domain.access import Capability
from insats.domain.common import DomainError
from insats.domain.planning_runs import PLAN_STATUS_LABELS, RUN_STATUS_LABELS, PlanningRun
from insats.services import planning
from insats.services.planning import RunView
from insats.web.api.ledger import ERRORS
from insats.web.deps import Context, requires
from insats.web.errors import error_response
from insats.web.jobs import wake_jobs
from insats.web.routes.planning import run_view

router = APIRouter(prefix="/api", tags=["optimering"])

RunId = Annotated[str, Path(max_length=64, description="Planeringens id, t.ex. P1a2b3c4d")]


class ProgressOut(BaseModel):
    seconds: float
    objective: int
    bound: int | None


class RunOut(BaseModel):
    id: str
    kind: str
    unit_ids: list[str]
    unit_names: list[str]
    start: dt.date
    last_day: dt.date
    weeks: int
    time_limit: float
    seed: int
    status: str
    status_label: str
    plan_status: str | None
    plan_status_label: str | None
    objective: int | None = Field(description="Målfunktionens värde (kr) för bästa schemat")
    bound: int | None = Field(description="Bevisad undre gräns (kr), om känd")
    failure_reason: str | None
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    published_at: dt.datetime | None
    proposed_shifts: int
    open_shifts: int


class RunDetailOut(RunOut):
    progress: list[ProgressOut]
    penalties: dict[str, int]
    breaches: list[str]
    explanation: list[str]
    granted_minutes: int | None
    covered_minutes: int | None
    beyond_granted_minutes: int | None
    uncovered_minutes: int | None
    extra_minutes: int | None
    overtime_minutes: int | None


def _base(view: RunView) -> dict[str, object]:
    run: PlanningRun = view.run
    assert run.period.end is not None
    return {
        "id": run.id, "kind": run.kind.value, "unit_ids": list(run.unit_ids),
        "unit_names": list(view.unit_names), "start": run.period.start,
        "last_day": run.period.end - dt.timedelta(days=1), "weeks": run.period.days // 7,
        "time_limit": run.time_limit, "seed": run.seed, "status": run.status.value,
        "status_label": RUN_STATUS_LABELS[run.status],
        "plan_status": None if run.plan_status is None else run.plan_status.value,
        "plan_status_label": None if run.plan_status is None
        else PLAN_STATUS_LABELS[run.plan_status],
        "objective": run.objective, "bound": run.bound, "failure_reason": run.failure_reason,
        "created_at": run.created_at, "started_at": run.started_at,
        "finished_at": run.finished_at, "published_at": run.published_at,
        "proposed_shifts": view.proposed_shifts, "open_shifts": view.open_shifts,
    }


def run_out(view: RunView) -> RunOut:
    return RunOut.model_validate(_base(view))


def run_detail(view: RunView) -> RunDetailOut:
    run = view.run
    f = run.figures
    return RunDetailOut.model_validate({
        **_base(view),
        "progress": [ProgressOut(seconds=p.seconds, objective=p.objective, bound=p.bound)
                     for p in run.progress],
        "penalties": dict(run.penalties), "breaches": list(run.breaches),
        "explanation": list(run.explanation),
        "granted_minutes": None if f is None else f.granted_minutes,
        "covered_minutes": None if f is None else f.covered_minutes,
        "beyond_granted_minutes": None if f is None else f.beyond_granted_minutes,
        "uncovered_minutes": None if f is None else f.uncovered_minutes,
        "extra_minutes": None if f is None else f.extra_minutes,
        "overtime_minutes": None if f is None else f.overtime_minutes,
    })


@router.get("/planning/runs", response_model=list[RunOut], responses=ERRORS,
            summary="De senaste planeringarna")
def runs_api(ctx: Context = Depends(requires(Capability.PLAN_SCHEDULES))) -> list[RunOut]:
    return [run_out(v) for v in planning.list_runs(ctx.uow_factory, caller=ctx.caller)]


@router.get("/planning/runs/{run_id}", response_model=RunDetailOut, responses=ERRORS,
            summary="En planering med förlopp och resultat")
def run_api(run_id: RunId,
            ctx: Context = Depends(requires(Capability.PLAN_SCHEDULES))) -> RunDetailOut:
    return run_detail(run_view(ctx, run_id))


class RunIn(BaseModel):
    unit_ids: Annotated[list[Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")]],
                        Field(min_length=1, max_length=20, description="Enheternas id")]
    start: dt.date = Field(description="Första dagen, en måndag")
    weeks: int = Field(4, ge=1, le=planning.BACKGROUND_MAX_WEEKS)
    time_limit: float = Field(60.0, ge=1, le=planning.BACKGROUND_MAX_TIME_LIMIT,
                              description="Sekunder att söka")
    seed: int = Field(0, ge=0, le=1_000_000)


@router.post("/planning/runs", response_model=RunOut, status_code=202, responses=ERRORS,
             summary="Starta en planering (den löser i bakgrunden; följ den med GET)")
def start_api(request: Request, body: RunIn,
              ctx: Context = Depends(requires(Capability.PLAN_SCHEDULES))) -> RunOut | Response:
    if not dt.date(2000, 1, 1) <= body.start <= dt.date(2100, 12, 31):
        return error_response(request, 422, "planning.start",
                              "Första dagen ska ligga mellan år 2000 och 2100.")
    try:
        run = planning.queue_run(
            ctx.uow_factory, caller=ctx.caller, unit_ids=body.unit_ids, start=body.start,
            weeks=body.weeks, time_limit=body.time_limit, seed=body.seed)
    except planning.PlanningBusy as busy:
        return error_response(request, 409, busy.code, busy.message)
    wake_jobs(request)
    view = planning.get_run(ctx.uow_factory, run.id, caller=ctx.caller)
    return JSONResponse(run_out(view).model_dump(mode="json"), status_code=202,
                        headers={"Location": f"/api/planning/runs/{run.id}"})


class PublishOut(BaseModel):
    run: RunOut
    published: int
    cancelled: int
    replaced_proposals: int
    message: str


@router.post("/planning/runs/{run_id}/publish", response_model=PublishOut, responses=ERRORS,
             summary="Publicera en klar planerings förslag (en gång)")
def publish_api(request: Request, run_id: RunId,
                ctx: Context = Depends(requires(Capability.PLAN_SCHEDULES))
                ) -> PublishOut | Response:
    view = run_view(ctx, run_id)
    try:
        report = planning.publish_run(ctx.uow_factory, view.run.id, caller=ctx.caller)
    except DomainError as error:
        if error.code in ("planning.stale", "planning.relaxed", "planning_run.published",
                          "planning_run.not_done"):
            return error_response(request, 409, error.code, error.message)
        raise
    fresh = planning.get_run(ctx.uow_factory, report.run.id, caller=ctx.caller)
    return PublishOut(run=run_out(fresh), published=report.published,
                      cancelled=report.cancelled, replaced_proposals=report.replaced_proposals,
                      message=f"Publicerade {report.published} pass från planeringen "
                              f"{report.run.id}.")
