"""Optimisation runs: the list, a form to start a run for units and weeks, the run page
with live progress (htmx polls a partial every 2 s until the run has ended), and publishing
a finished run's proposal.

A run is a stored row solved by a job in the queue (``services.planning.queue_run``; a
worker, or the web process itself on the embedded default, solves it); the pages only
read the row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup

from insats.db.repositories._base import NotFoundError
from insats.domain.access import AccessDenied, Capability
from insats.domain.common import DomainError
from insats.domain.formatting import format_number
from insats.domain.planning_runs import (
    PLAN_STATUS_LABELS,
    RUN_STATUS_LABELS,
    PlanningRun,
    RunStatus,
)
from insats.domain.validate import PENALTY_LABELS
from insats.services import planning
from insats.services.planning import RunView
from insats.services.scope import unit_choices
from insats.web.charts import Series, legend, line_chart
from insats.web.deps import Context, requires
from insats.web.jobs import wake_jobs
from insats.web.routes.ledger import read_day, valid_id
from insats.web.templating import render

router = APIRouter(include_in_schema=False)

DEFAULT_WEEKS = 4
DEFAULT_TIME_LIMIT = 60
POLL_SECONDS = 2
QUEUE_WAIT_NOTICE = dt.timedelta(seconds=60)  # queued longer: say that no worker took it
RUN_STATUS_TONES = {RunStatus.QUEUED: "", RunStatus.RUNNING: "warn", RunStatus.DONE: "good",
                    RunStatus.FAILED: "bad"}


def next_monday(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=7 - today.weekday())


def last_day(run: PlanningRun) -> dt.date:
    assert run.period.end is not None
    return run.period.end - dt.timedelta(days=1)


def run_view(ctx: Context, run_id: str) -> RunView:
    """The run with exactly this id (the service also accepts a unique start of an id,
    which a page address should not)."""
    wanted = valid_id(run_id)
    if wanted is None:
        raise NotFoundError("Planeringen", "(ogiltigt id)")
    try:
        view = planning.get_run(ctx.uow_factory, wanted, caller=ctx.caller)
    except AccessDenied:
        raise
    except DomainError as error:
        if error.code in ("planning.run_unknown", "planning.run_ambiguous"):
            raise NotFoundError("Planeringen", wanted) from None
        raise
    if view.run.id != wanted:
        raise NotFoundError("Planeringen", wanted)
    return view


# -- the list and the form ---------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class RunForm:
    """The start form as typed, with a Swedish error per field."""

    units: tuple[str, ...] = ()
    start: str = ""
    weeks: str = str(DEFAULT_WEEKS)
    time_limit: str = str(DEFAULT_TIME_LIMIT)
    errors: dict[str, str] | None = None


def _list_page(request: Request, ctx: Context, form: RunForm, *, status_code: int = 200,
               error: str | None = None) -> Response:
    runs = planning.list_runs(ctx.uow_factory, caller=ctx.caller)
    return render(request, "planning/page.html", {
        "runs": runs, "form": form, "errors": form.errors or {}, "error": error,
        "units": unit_choices(ctx.uow_factory, ctx.caller), "run_labels": RUN_STATUS_LABELS,
        "plan_labels": PLAN_STATUS_LABELS,
        "tones": RUN_STATUS_TONES, "last_day": last_day,
        "max_weeks": planning.BACKGROUND_MAX_WEEKS,
        "max_time_limit": int(planning.BACKGROUND_MAX_TIME_LIMIT),
    }, status_code=status_code)


@router.get("/planning")
def planning_page(request: Request,
                  ctx: Context = Depends(requires(Capability.PLAN_SCHEDULES))) -> Response:
    form = RunForm(start=next_monday(dt.date.today()).isoformat())
    return _list_page(request, ctx, form)


def read_run_form(units: list[str], start: str, weeks: str, time_limit: str
                  ) -> tuple[RunForm, dict[str, Any] | None]:
    """The typed form, and the run's arguments when every field could be read."""
    form = RunForm(tuple(u[:64] for u in units[:50]), start.strip()[:40], weeks.strip()[:10],
                   time_limit.strip()[:10])
    errors: dict[str, str] = {}
    unit_ids = [u for u in (valid_id(u) for u in form.units) if u is not None]
    if not unit_ids or len(unit_ids) != len(form.units):
        errors["units"] = "Välj minst en enhet att planera."
    day = read_day(form.start)
    if day is None:
        errors["start"] = "Ange första dagen som ÅÅÅÅ-MM-DD."
    elif day.weekday() != 0:
        errors["start"] = (f"Planeringen måste börja på en måndag; {day.isoformat()} är "
                           "ingen måndag.")
    max_weeks = planning.BACKGROUND_MAX_WEEKS
    week_count = int(form.weeks) if form.weeks.isdigit() else 0
    if not 1 <= week_count <= max_weeks:
        errors["weeks"] = f"Antal veckor ska vara ett heltal 1–{max_weeks}."
    limit = int(form.time_limit) if form.time_limit.isdigit() else 0
    max_limit = int(planning.BACKGROUND_MAX_TIME_LIMIT)
    if not 1 <= limit <= max_limit:
        errors["time_limit"] = f"Tidsgränsen ska vara ett heltal 1–{max_limit} sekunder."
    if errors:
        return RunForm(form.units, form.start, form.weeks, form.time_limit, errors), None
    return form, {"unit_ids": unit_ids, "start": day, "weeks": week_count,
                  "time_limit": float(limit)}


@router.post("/planning/runs")
def start_run_page(request: Request, unit: list[str] = Form(default=[]),
                   start: str = Form(""), weeks: str = Form(""), time_limit: str = Form(""),
                   ctx: Context = Depends(requires(Capability.PLAN_SCHEDULES))) -> Response:
    form, arguments = read_run_form(unit, start, weeks, time_limit)
    if arguments is None:
        return _list_page(request, ctx, form, status_code=422)
    try:
        run = planning.queue_run(ctx.uow_factory, caller=ctx.caller, **arguments)
    except planning.PlanningBusy as busy:
        return _list_page(request, ctx, form, status_code=409, error=busy.message)
    except (AccessDenied, NotFoundError):
        raise
    except DomainError as error:
        return _list_page(request, ctx, form, status_code=422, error=error.message)
    wake_jobs(request)
    return RedirectResponse(f"/planning/runs/{run.id}", status_code=303)


# -- one run ---------------------------------------------------------------------------------
def progress_context(view: RunView) -> dict[str, Any]:
    """What the progress partial shows: status, a bar over the time limit, the objective
    and bound over time as a chart, and (when done) the result."""
    run = view.run
    now = dt.datetime.now(dt.UTC)
    active = run.status in (RunStatus.QUEUED, RunStatus.RUNNING)
    if run.started_at is None:
        elapsed = 0.0
    else:
        elapsed = ((run.finished_at or now) - run.started_at).total_seconds()
    points = run.progress
    chart: Markup | None = None
    series: list[Series] = []
    if points:  # in thousands of kronor, so that the axis labels stay short
        series = [Series("Kostnad (bästa schema)", [p.objective / 1000 for p in points])]
        if any(p.bound is not None for p in points):
            series.append(Series("Undre gräns", [None if p.bound is None else p.bound / 1000
                                                 for p in points]))
        labels = [f"{format_number(p.seconds, 1)} s" for p in points]
        chart = line_chart(series, labels, title="Kostnad och undre gräns över söktiden",
                           unit="tkr")
    figures = run.figures
    return {
        "view": view, "run": run, "active": active, "poll_seconds": POLL_SECONDS,
        "waiting_long": (run.status is RunStatus.QUEUED
                         and now - run.created_at > QUEUE_WAIT_NOTICE),
        "elapsed": min(elapsed, run.time_limit) if active else run.time_limit,
        "elapsed_seconds": elapsed, "chart": chart,
        "chart_legend": legend(series) if series else None, "points": points,
        "run_labels": RUN_STATUS_LABELS, "plan_labels": PLAN_STATUS_LABELS,
        "tone": RUN_STATUS_TONES[run.status],
        "figures": figures,
        "continuity": figures.distinct_per_client() if figures is not None else None,
        "penalties": sorted(((PENALTY_LABELS.get(k, k), v) for k, v in run.penalties.items()
                             if v), key=lambda item: -item[1]),
        "can_publish": run.status is RunStatus.DONE and not run.is_published
        and not run.breaches and view.proposed_shifts > 0,
        "last_day": last_day(run),
    }


@router.get("/planning/runs/{run_id}")
def run_page(request: Request, run_id: str, published: str | None = None,
             ctx: Context = Depends(requires(Capability.PLAN_SCHEDULES))) -> Response:
    view = run_view(ctx, run_id)
    notice = None
    if published is not None and published.isdigit() and len(published) < 7:
        notice = f"Publicerade {format_number(int(published))} pass från planeringen."
    return render(request, "planning/run.html",
                  {**progress_context(view), "notice": notice, "error": None})


@router.get("/planning/runs/{run_id}/progress")
def run_progress(request: Request, run_id: str,
                 ctx: Context = Depends(requires(Capability.PLAN_SCHEDULES))) -> Response:
    view = run_view(ctx, run_id)
    return render(request, "planning/_progress.html", progress_context(view))


@router.post("/planning/runs/{run_id}/publish")
def publish_page(request: Request, run_id: str,
                 ctx: Context = Depends(requires(Capability.PLAN_SCHEDULES))) -> Response:
    view = run_view(ctx, run_id)
    try:
        report = planning.publish_run(ctx.uow_factory, view.run.id, caller=ctx.caller)
    except (AccessDenied, NotFoundError):
        raise
    except DomainError as error:
        fresh = run_view(ctx, view.run.id)
        return render(request, "planning/run.html",
                      {**progress_context(fresh), "notice": None, "error": error.message},
                      status_code=409)
    return RedirectResponse(f"/planning/runs/{report.run.id}?published={report.published}",
                            status_code=303)
