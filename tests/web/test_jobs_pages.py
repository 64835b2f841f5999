"""A planning run started from the web page when the web process only queues jobs (the
PostgreSQL default): the page shows it queued until a worker has solved it."""

from __future__ import annotations

import dataclasses
import datetime as dt

from fastapi.testclient import TestClient

from insats.domain.jobs import JobKind, JobStatus
from insats.domain.planning_runs import RunStatus
from insats.services import jobs, planning
from insats.services.job_runner import JobRunner
from insats.services.runtime import uow_factory_for
from insats.web.app import create_app
from tests.web.conftest import DemoWeb, csrf_of, sign_in

TODAY = dt.date.today()
# Far from the weeks other web tests plan.
START = TODAY + dt.timedelta(days=7 - TODAY.weekday()) + dt.timedelta(weeks=30)


def test_a_run_started_on_the_page_waits_in_the_queue_until_a_worker_solves_it(
        demo_web: DemoWeb) -> None:
    if demo_web.app.state.jobs is not None:  # the SQLite app's own runner must not take it
        demo_web.app.state.jobs.stop(timeout=120)
    app = create_app(demo_web.url, jobs_in_process=False)
    assert app.state.jobs is None
    client = TestClient(app, base_url="http://testserver")
    account = demo_web.accounts["samordnare"]
    sign_in(client, account.username, account.password)
    started = client.post("/planning/runs", data={
        "unit": [demo_web.other_unit_id], "start": START.isoformat(), "weeks": "1",
        "time_limit": "2", "csrf_token": csrf_of(client)}, follow_redirects=False)
    assert started.status_code == 303
    run_id = started.headers["location"].rsplit("/", 1)[-1]
    factory = uow_factory_for(demo_web.url)
    job = next(j for j in jobs.list_jobs(factory) if j.result_ref == run_id)
    assert (job.kind, job.status) == (JobKind.PLANNING, JobStatus.QUEUED)
    waiting = client.get(f"/planning/runs/{run_id}/progress", headers={"HX-Request": "true"})
    assert "I kö" in waiting.text and 'hx-trigger="every 2s"' in waiting.text
    assert "Väntar i jobbkön" in waiting.text and "Ingen arbetsprocess" not in waiting.text
    with factory() as uow:  # a minute later, still no worker
        stored = uow.planning.get(run_id)
        assert stored is not None
        uow.planning.update(dataclasses.replace(
            stored, created_at=stored.created_at - dt.timedelta(minutes=2)))
        uow.commit()
    unattended = client.get(f"/planning/runs/{run_id}/progress",
                            headers={"HX-Request": "true"})
    assert "Kontrollera att insats worker körs" in unattended.text

    worker = JobRunner(factory, name="maskin-b")
    ran = worker.run_one()
    while ran is not None and ran.id != job.id:  # a job another test left queued
        ran = worker.run_one()

    assert ran is not None and (ran.status, ran.result_ref) == (JobStatus.DONE, run_id)
    assert ran.worker_id == "maskin-b/0"
    assert planning.get_run(factory, run_id).run.status is RunStatus.DONE
    ended = client.get(f"/planning/runs/{run_id}/progress", headers={"HX-Request": "true"})
    assert "Klar" in ended.text and "hx-trigger" not in ended.text
