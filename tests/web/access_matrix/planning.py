"""Optimisation runs: the department head and the scheduler (PLAN_SCHEDULES). Starting a
run is heavy, so its rows send a start that is not a Monday (refused by validation), and
the publish rows name a run that does not exist; the pages of one run use a finished run
stored for the matrix (far in the future, without a proposal)."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from insats.domain.planning import PlanStatus
from insats.domain.planning_runs import RunFigures
from insats.services import planning
from insats.services.runtime import uow_factory_for
from tests.web.access_matrix import Rule

PLANNERS = frozenset({"avdelningschef", "samordnare"})
NO_RUN = {"run_id": "P00000000"}
TUESDAY = "2030-01-08"


@cache
def _finished_run(url: str, unit_id: str) -> str:
    factory = uow_factory_for(url)
    run = planning.create_run(factory, unit_ids=[unit_id], start=dt.date(2030, 1, 7), weeks=1,
                              time_limit=1)
    now = dt.datetime.now(dt.UTC)
    with factory() as uow:
        stored = uow.planning.get(run.id)
        assert stored is not None
        done = stored.start(now).finish(at=now, plan_status=PlanStatus.FEASIBLE, objective=0,
                                        bound=None, penalties={}, figures=RunFigures(),
                                        explanation=("Matrisens planering.",), breaches=())
        uow.planning.update(done)
        uow.commit()
    return run.id


def _run(demo: Any) -> dict[str, str]:
    return {"run_id": _finished_run(demo.url, demo.own_unit_id)}


RULES = [
    Rule("GET", "/planning", PLANNERS),
    Rule("POST", "/planning/runs", PLANNERS, refused_by_validation=True,
         body=lambda d: {"unit": d.own_unit_id, "start": TUESDAY, "weeks": "1",
                         "time_limit": "1"}),
    Rule("GET", "/planning/runs/{run_id}", PLANNERS, params=_run),
    Rule("GET", "/planning/runs/{run_id}/progress", PLANNERS, params=_run),
    Rule("POST", "/planning/runs/{run_id}/publish", PLANNERS, params=lambda d: NO_RUN,
         body=lambda d: {}, refused_by_validation=True),
    Rule("GET", "/api/planning/runs", PLANNERS),
    Rule("GET", "/api/planning/runs/{run_id}", PLANNERS, params=_run),
    Rule("POST", "/api/planning/runs", PLANNERS, refused_by_validation=True,
         body=lambda d: {"unit_ids": [d.own_unit_id], "start": TUESDAY, "weeks": 0}),
    Rule("POST", "/api/planning/runs/{run_id}/publish", PLANNERS, params=lambda d: NO_RUN,
         body=lambda d: {}, refused_by_validation=True),
]
