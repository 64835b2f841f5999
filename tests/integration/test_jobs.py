"""The job queue on both databases: concurrent claims never share a job, stale jobs are
recovered (queued again or failed with the reason, never left running), the runner ends
jobs done or failed, and a planning run queued as the web does is solved by a worker."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from insats.db.models.jobs import JobRow
from insats.domain.common import DomainError
from insats.domain.jobs import Job, JobKind, JobStatus
from insats.domain.planning_runs import RunStatus
from insats.services import jobs, planning
from insats.services.job_kinds import JobHandler, abandon_hooks
from insats.services.job_runner import JobRunner
from insats.services.uow import UnitOfWork
from insats.web.app import create_app
from tests.callers import HEAD
from tests.integration.test_import_service import GOOD_TIME, TIME_HEADER, seed_world, write_csv
from tests.integration.test_planning_service import MONDAY, store_small_department

Factory = Callable[[], UnitOfWork]
ROOT = Path(__file__).resolve().parents[2]


def _stored(factory: Factory, job_id: str) -> Job:
    return jobs.get_job(factory, job_id)


def test_concurrent_workers_never_claim_the_same_job(uow_factory: Factory) -> None:
    queued = [jobs.enqueue(uow_factory, JobKind.IMPORT, {"n": n}) for n in range(60)]
    workers = 6
    start = threading.Barrier(workers)
    claimed: dict[str, list[str]] = {f"w{i}": [] for i in range(workers)}
    errors: list[BaseException] = []

    def claim_all(worker_id: str) -> None:
        try:
            start.wait()
            while (job := jobs.claim_next(uow_factory, worker_id)) is not None:
                claimed[worker_id].append(job.id)
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=claim_all, args=(w,)) for w in claimed]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    every = [job_id for ids in claimed.values() for job_id in ids]
    assert len(every) == len(set(every)) == len(queued)
    assert sum(1 for ids in claimed.values() if ids) >= 2, "the workers really competed"
    for worker_id, ids in claimed.items():
        for job_id in ids:
            job = _stored(uow_factory, job_id)
            assert (job.status, job.worker_id, job.attempts) == (JobStatus.RUNNING,
                                                                 worker_id, 1)


def test_the_oldest_queued_job_is_claimed_first(uow_factory: Factory) -> None:
    first = jobs.enqueue(uow_factory, JobKind.IMPORT, {"n": 1})
    jobs.enqueue(uow_factory, JobKind.IMPORT, {"n": 2})
    claimed = jobs.claim_next(uow_factory, "w")
    assert claimed is not None and claimed.id == first.id
    assert claimed.payload == {"n": 1} and claimed.heartbeat_at is not None


def test_a_stale_job_is_queued_again_until_its_attempts_are_spent(
        uow_factory: Factory) -> None:
    store_small_department(uow_factory)
    run = planning.queue_run(uow_factory, caller=HEAD, unit_ids=["U01"], start=MONDAY,
                             weeks=1, time_limit=2)
    job_id = _only_job(uow_factory).id
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)

    for attempt in (1, 2):
        claimed = jobs.claim_next(uow_factory, f"dead-{attempt}")
        assert claimed is not None and claimed.attempts == attempt
        fresh = jobs.recover_stale(uow_factory, abandon=abandon_hooks())
        assert fresh == [], "a job with a recent heartbeat is left alone"
        recovered = jobs.recover_stale(uow_factory, abandon=abandon_hooks(), now=later)
        assert [r.after.status for r in recovered] == [JobStatus.QUEUED]
        job = _stored(uow_factory, job_id)
        assert (job.status, job.worker_id, job.attempts) == (JobStatus.QUEUED, None, attempt)

    claimed = jobs.claim_next(uow_factory, "dead-3")
    assert claimed is not None and claimed.attempts == 3
    jobs.recover_stale(uow_factory, abandon=abandon_hooks(), now=later)
    job = _stored(uow_factory, job_id)
    assert job.status is JobStatus.FAILED and job.finished_at is not None
    assert job.failure_reason is not None and "alla 3 försök är förbrukade" in job.failure_reason
    failed_run = planning.get_run(uow_factory, run.id).run
    assert failed_run.status is RunStatus.FAILED
    assert failed_run.failure_reason == job.failure_reason


def test_a_live_heartbeat_wins_over_a_recovery_that_read_it_before(
        uow_factory: Factory) -> None:
    jobs.enqueue(uow_factory, JobKind.IMPORT, {})
    claimed = jobs.claim_next(uow_factory, "alive")
    assert claimed is not None
    time.sleep(0.01)
    assert jobs.heartbeat(uow_factory, claimed.id, "alive")
    with uow_factory() as uow:  # the recovery read the heartbeat before it moved
        settled = uow.jobs.settle_recovered(claimed, claimed.recovered(claimed.queued_at))
        uow.commit()
    assert not settled
    assert _stored(uow_factory, claimed.id).status is JobStatus.RUNNING
    assert not jobs.heartbeat(uow_factory, claimed.id, "someone-else")


def test_the_runner_ends_jobs_done_or_failed_with_a_reason(uow_factory: Factory) -> None:
    def import_handler(_factory: Factory, job: Job) -> str:
        if job.payload.get("bad"):
            raise DomainError("test.bad", "Filen saknar kolumnen Start.")
        if job.payload.get("crash"):
            raise RuntimeError("personnummer 19121212-1212 i felet")
        return f"batch-{job.payload['n']}"

    good = jobs.enqueue(uow_factory, JobKind.IMPORT, {"n": 1})
    bad = jobs.enqueue(uow_factory, JobKind.IMPORT, {"n": 2, "bad": True})
    crash = jobs.enqueue(uow_factory, JobKind.IMPORT, {"n": 3, "crash": True})
    runner = JobRunner(uow_factory, name="t", concurrency=2,
                       handlers={JobKind.IMPORT: JobHandler(import_handler)})
    assert runner.run(once=True) == 3

    done = _stored(uow_factory, good.id)
    assert (done.status, done.result_ref) == (JobStatus.DONE, "batch-1")
    assert done.finished_at is not None and done.worker_id is not None
    refused = _stored(uow_factory, bad.id)
    assert (refused.status, refused.failure_reason) == (JobStatus.FAILED,
                                                        "Filen saknar kolumnen Start.")
    crashed = _stored(uow_factory, crash.id)
    assert crashed.failure_reason == "Oväntat fel (RuntimeError)."


def test_a_stopped_runner_puts_its_unfinished_job_back_without_spending_the_attempt(
        uow_factory: Factory) -> None:
    started = threading.Event()
    release = threading.Event()

    def slow(_factory: Factory, _job: Job) -> None:
        started.set()
        release.wait(10)

    job = jobs.enqueue(uow_factory, JobKind.IMPORT, {})
    runner = JobRunner(uow_factory, name="t", grace_seconds=0.2,
                       handlers={JobKind.IMPORT: JobHandler(slow)})
    thread = threading.Thread(target=runner.run)
    thread.start()
    assert started.wait(10)
    runner.stop()
    thread.join(10)
    back = _stored(uow_factory, job.id)
    assert (back.status, back.attempts, back.worker_id) == (JobStatus.QUEUED, 0, None)
    release.set()


def test_a_planning_run_queued_like_the_web_does_is_solved_by_a_worker_process(
        uow_factory: Factory, database_url: str) -> None:
    store_small_department(uow_factory)
    run = planning.queue_run(uow_factory, caller=HEAD, unit_ids=["U01"], start=MONDAY,
                             weeks=1, time_limit=2, seed=7, workers=1)
    with pytest.raises(planning.PlanningBusy):
        planning.queue_run(uow_factory, caller=HEAD, unit_ids=["U01"], start=MONDAY,
                           weeks=1, time_limit=2)
    worker = subprocess.run(
        [sys.executable, "-m", "insats.cli.main", "worker", "--once", "--name", "maskin-b"],
        env={**os.environ, "INSATS_DATABASE_URL": database_url}, cwd=ROOT,
        capture_output=True, text=True, timeout=240, check=False)
    assert worker.returncode == 0, worker.stderr[-2000:]
    assert "avslutades efter 1 jobb" in worker.stdout
    solved = planning.get_run(uow_factory, run.id)
    assert solved.run.status is RunStatus.DONE and solved.proposed_shifts > 0
    job = _only_job(uow_factory)
    assert (job.status, job.result_ref, job.worker_id) == (JobStatus.DONE, run.id,
                                                           "maskin-b/0")


def test_a_run_left_running_by_a_dead_worker_is_solved_again_from_the_start(
        uow_factory: Factory) -> None:
    store_small_department(uow_factory)
    run = planning.queue_run(uow_factory, caller=HEAD, unit_ids=["U01"], start=MONDAY,
                             weeks=1, time_limit=2, seed=7, workers=1)
    claimed = jobs.claim_next(uow_factory, "dead")
    assert claimed is not None
    with uow_factory() as uow:  # the dead worker had started the solve
        stored = uow.planning.get(run.id)
        assert stored is not None
        uow.planning.update(stored.start(dt.datetime.now(dt.UTC)))
        uow.commit()
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)
    jobs.recover_stale(uow_factory, abandon=abandon_hooks(), now=later)
    runner = JobRunner(uow_factory, name="live")
    assert runner.run(once=True) == 1
    assert planning.get_run(uow_factory, run.id).run.status is RunStatus.DONE
    job = _stored(uow_factory, claimed.id)
    assert (job.status, job.attempts) == (JobStatus.DONE, 2)


def test_a_run_no_job_works_on_is_failed_once_past_its_time(uow_factory: Factory) -> None:
    store_small_department(uow_factory)
    orphan = planning.create_run(uow_factory, unit_ids=["U01"], start=MONDAY, weeks=1,
                                 time_limit=2)
    assert planning.fail_orphaned_runs(uow_factory) == []
    later = dt.datetime.now(dt.UTC) + planning.STALE_AFTER + dt.timedelta(minutes=1)
    failed = planning.fail_orphaned_runs(uow_factory, now=later)
    assert [r.id for r in failed] == [orphan.id]
    assert failed[0].failure_reason is not None and "avbröts" in failed[0].failure_reason


SLEEPING_WORKER = textwrap.dedent("""
    import sys, time
    from insats.domain.jobs import JobKind
    from insats.services.job_kinds import JobHandler
    from insats.services.job_runner import JobRunner
    from insats.services.runtime import uow_factory_for

    def sleep(_factory, job):
        print("started", job.id, flush=True)
        time.sleep(600)

    runner = JobRunner(uow_factory_for(sys.argv[1]), name="doomed", heartbeat_seconds=0.2,
                       handlers={JobKind.IMPORT: JobHandler(sleep)})
    runner.run()
""")


def test_a_job_whose_worker_was_killed_is_recovered_never_left_running(
        uow_factory: Factory, database_url: str) -> None:
    once = jobs.enqueue(uow_factory, JobKind.IMPORT, {"n": 1}, max_attempts=1)
    again = jobs.enqueue(uow_factory, JobKind.IMPORT, {"n": 2}, max_attempts=3)
    for expected in (once, again):
        worker = subprocess.Popen([sys.executable, "-c", SLEEPING_WORKER, database_url],
                                  cwd=ROOT, stdout=subprocess.PIPE, text=True)
        try:
            assert worker.stdout is not None
            line = worker.stdout.readline()
            assert line.split() == ["started", expected.id]
            time.sleep(0.5)  # a few heartbeats
            assert _stored(uow_factory, expected.id).heartbeat_at is not None
        finally:
            worker.send_signal(signal.SIGKILL)
            worker.wait(10)
        killed = _stored(uow_factory, expected.id)
        assert killed.status is JobStatus.RUNNING and killed.worker_id == "doomed/0"
        time.sleep(1.2)
        recovered = jobs.recover_stale(uow_factory, stale_after=dt.timedelta(seconds=1))
        assert [r.before.id for r in recovered] == [expected.id]
    failed = _stored(uow_factory, once.id)
    assert failed.status is JobStatus.FAILED
    assert failed.failure_reason is not None and "avbröts" in failed.failure_reason
    requeued = _stored(uow_factory, again.id)
    assert (requeued.status, requeued.attempts) == (JobStatus.QUEUED, 1)


def _only_job(factory: Factory) -> Job:
    listed = jobs.list_jobs(factory)
    assert len(listed) == 1
    return listed[0]


def test_an_import_queued_from_the_cli_is_imported_by_a_worker(
        uow_factory: Factory, cli: Callable[..., object], tmp_path: Path) -> None:
    seed_world(uow_factory)
    path = write_csv(tmp_path / "tid.csv", TIME_HEADER, GOOD_TIME)
    queued = cli("import", "time", str(path), "--queue", "--source", "Tidsystemet")
    assert queued.exit_code == 0, queued.output  # type: ignore[attr-defined]
    assert "ligger i jobbkön" in queued.output  # type: ignore[attr-defined]
    with uow_factory() as uow:
        assert uow.imports.batches() == []
    job = _only_job(uow_factory)
    assert (job.kind, job.payload["kind"], job.payload["source"]) == (
        JobKind.IMPORT, "time", "Tidsystemet")

    assert JobRunner(uow_factory, name="w").run(once=True) == 1
    done = _stored(uow_factory, job.id)
    with uow_factory() as uow:
        batches = uow.imports.batches()
    assert [b.id for b in batches] == [done.result_ref] and done.status is JobStatus.DONE
    assert batches[0].rows_created == len(GOOD_TIME)
    listed = cli("jobs")
    assert job.id in listed.output and "Klart" in listed.output  # type: ignore[attr-defined]


def test_insats_worker_stops_on_sigterm(database_url: str) -> None:
    worker = subprocess.Popen(
        [sys.executable, "-m", "insats.cli.main", "worker", "--concurrency", "2"],
        env={**os.environ, "INSATS_DATABASE_URL": database_url, "COLUMNS": "200"}, cwd=ROOT,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert worker.stdout is not None
        assert "startad (2 samtidiga jobb)" in worker.stdout.readline()
        worker.send_signal(signal.SIGTERM)
        output, errors = worker.communicate(timeout=60)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert worker.returncode == 0, errors[-2000:]
    assert "Stoppar (SIGTERM)" in output and "avslutades efter 0 jobb" in output


def test_the_application_recovers_stale_jobs_when_it_starts(uow_factory: Factory,
                                                             database_url: str) -> None:
    job = jobs.enqueue(uow_factory, JobKind.IMPORT, {"n": 1})
    assert jobs.claim_next(uow_factory, "crashed-serve") is not None
    with uow_factory() as uow:  # its process died two minutes ago
        uow.session.execute(update(JobRow).values(
            heartbeat_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=2)))
        uow.commit()
    app = create_app(database_url, warm=False, jobs_in_process=False)
    with TestClient(app):
        pass
    back = _stored(uow_factory, job.id)
    assert (back.status, back.worker_id, back.attempts) == (JobStatus.QUEUED, None, 1)
