"""A stored job's life after its worker died: stale only past the limit, queued again while
attempts remain, failed with a Swedish reason after that."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from insats.domain.common import DomainError
from insats.domain.jobs import Job, JobKind, JobStatus

QUEUED_AT = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)
BEAT = QUEUED_AT + dt.timedelta(minutes=1)
LIMIT = dt.timedelta(seconds=60)


def running(attempts: int = 1, max_attempts: int = 3) -> Job:
    return Job(id="J1", kind=JobKind.PLANNING, payload={"run_id": "P1"}, queued_at=QUEUED_AT,
               status=JobStatus.RUNNING, attempts=attempts, max_attempts=max_attempts,
               worker_id="m1:42/0", heartbeat_at=BEAT, started_at=QUEUED_AT)


def test_a_job_is_stale_only_once_its_heartbeat_is_older_than_the_limit() -> None:
    job = running()
    assert not job.is_stale(BEAT + LIMIT, LIMIT)
    assert job.is_stale(BEAT + LIMIT + dt.timedelta(seconds=1), LIMIT)
    queued = dataclasses.replace(job, status=JobStatus.QUEUED)
    assert not queued.is_stale(BEAT + dt.timedelta(days=1), LIMIT)


def test_a_stale_job_with_attempts_left_is_queued_again_without_its_worker() -> None:
    after = running(attempts=2).recovered(BEAT + dt.timedelta(minutes=5))
    assert (after.status, after.attempts, after.worker_id, after.heartbeat_at,
            after.started_at, after.failure_reason) == (JobStatus.QUEUED, 2, None, None,
                                                        None, None)


def test_a_stale_job_whose_attempts_are_spent_fails_with_the_reason() -> None:
    now = BEAT + dt.timedelta(minutes=5)
    after = running(attempts=3).recovered(now)
    assert after.status is JobStatus.FAILED and after.finished_at == now
    assert after.failure_reason == (
        "Arbetsprocessen som körde jobbet avbröts (senaste livstecken 2026-11-23 08:01:00 "
        "UTC) och alla 3 försök är förbrukade.")


def test_only_a_running_job_can_be_recovered_and_one_attempt_is_the_least() -> None:
    with pytest.raises(DomainError):
        dataclasses.replace(running(), status=JobStatus.DONE).recovered(BEAT)
    with pytest.raises(DomainError):
        running(max_attempts=0)
