"""The job queue's use cases: enqueue, claim, heartbeat, finish, fail, release, recover.

Each call is its own short transaction (a worker must not hold a transaction open while
it works). ``claim_next`` is atomic on both databases (see ``db.repositories.jobs``), so
several workers, on one machine or many, can share one queue. ``recover_stale`` takes
care of the jobs whose worker died (SIGKILL, a power cut): their heartbeat stops, and
after ``stale_after`` they are queued again when the kind can be resumed and attempts
remain, or failed with the reason; ``abandon`` hooks let the kind mark what the job was
working on (a planning run) as failed too. Workers run it when they start and
periodically, and the web application when it starts.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass

from insats.domain.common import DomainError
from insats.domain.jobs import DEFAULT_MAX_ATTEMPTS, Job, JobKind, JobStatus, PayloadValue
from insats.services.uow import UnitOfWork

UowFactory = Callable[[], UnitOfWork]
AbandonHook = Callable[[UowFactory, Job, str], None]

HEARTBEAT_SECONDS = 5.0
STALE_AFTER = dt.timedelta(seconds=60)  # twelve missed heartbeats: the worker is gone

log = logging.getLogger("insats.jobs")


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def new_job(kind: JobKind, payload: Mapping[str, PayloadValue], *,
            max_attempts: int = DEFAULT_MAX_ATTEMPTS, result_ref: str | None = None,
            now: dt.datetime | None = None) -> Job:
    """A queued job (not stored yet: ``uow.jobs.add`` it in the caller's transaction, so
    that the job and what it works on are stored together)."""
    return Job(id=f"J{uuid.uuid4().hex[:12]}", kind=kind, payload=dict(payload),
               queued_at=now or utc_now(), max_attempts=max_attempts, result_ref=result_ref)


def enqueue(uow_factory: UowFactory, kind: JobKind, payload: Mapping[str, PayloadValue], *,
            max_attempts: int = DEFAULT_MAX_ATTEMPTS, result_ref: str | None = None) -> Job:
    """Store a queued job in its own transaction."""
    job = new_job(kind, payload, max_attempts=max_attempts, result_ref=result_ref)
    with uow_factory() as uow:
        uow.jobs.add(job)
        uow.commit()
    return job


def claim_next(uow_factory: UowFactory, worker_id: str,
               kinds: Collection[JobKind] | None = None) -> Job | None:
    """The oldest queued job, now running for ``worker_id``; None when the queue is empty."""
    with uow_factory() as uow:
        job = uow.jobs.claim(worker_id, utc_now(), kinds)
        uow.commit()
    return job


def heartbeat(uow_factory: UowFactory, job_id: str, worker_id: str) -> bool:
    """A sign of life; False when the job was taken from this worker (recovered)."""
    with uow_factory() as uow:
        alive = uow.jobs.heartbeat(job_id, worker_id, utc_now())
        uow.commit()
    return alive


def finish(uow_factory: UowFactory, job_id: str, worker_id: str,
           result_ref: str | None = None) -> bool:
    with uow_factory() as uow:
        done = uow.jobs.finish(job_id, worker_id, utc_now(), result_ref)
        uow.commit()
    return done


def fail(uow_factory: UowFactory, job_id: str, worker_id: str | None, reason: str) -> bool:
    with uow_factory() as uow:
        failed = uow.jobs.fail(job_id, worker_id, utc_now(), reason)
        uow.commit()
    return failed


def release(uow_factory: UowFactory, job_id: str, worker_id: str) -> bool:
    """Back in the queue, the attempt not counted (the worker is stopping)."""
    with uow_factory() as uow:
        released = uow.jobs.release(job_id, worker_id)
        uow.commit()
    return released


def failure_reason(error: BaseException) -> str:
    """A Swedish reason for a job's failure; a database error's text can hold personal
    data, so only its type is kept."""
    if isinstance(error, DomainError):
        return error.message
    return f"Oväntat fel ({type(error).__name__})."


def get_job(uow_factory: UowFactory, job_id: str) -> Job:
    with uow_factory() as uow:
        job = uow.jobs.get(job_id.strip())
    if job is None:
        raise DomainError("job.unknown", f"Jobbet {job_id!r} finns inte; se insats jobs.")
    return job


def list_jobs(uow_factory: UowFactory, *, limit: int = 30) -> list[Job]:
    with uow_factory() as uow:
        return uow.jobs.recent(limit)


def has_unfinished(uow_factory: UowFactory) -> bool:
    """Whether any job is queued or running."""
    with uow_factory() as uow:
        return bool(uow.jobs.with_status([JobStatus.QUEUED, JobStatus.RUNNING]))


@dataclass(frozen=True, slots=True)
class Recovery:
    """A stale job and what recovery made of it (queued again, or failed)."""

    before: Job
    after: Job


def recover_stale(uow_factory: UowFactory, *, stale_after: dt.timedelta = STALE_AFTER,
                  abandon: Mapping[JobKind, AbandonHook] | None = None,
                  now: dt.datetime | None = None) -> list[Recovery]:
    """Queue again, or fail with the reason, every running job whose heartbeat is older
    than ``stale_after``. A job that is failed here is handed to its kind's ``abandon``
    hook with the reason."""
    moment = now or utc_now()
    with uow_factory() as uow:
        running = uow.jobs.with_status([JobStatus.RUNNING])
    done: list[Recovery] = []
    for job in running:
        if not job.is_stale(moment, stale_after):
            continue
        after = job.recovered(moment)
        with uow_factory() as uow:
            if not uow.jobs.settle_recovered(job, after):
                continue  # its worker beat its heartbeat meanwhile, or another recovered it
            uow.commit()
        done.append(Recovery(job, after))
        if after.status is JobStatus.QUEUED:
            log.warning("Jobbet %s (%s) köades om efter att dess arbetsprocess slutat svara.",
                        job.id, job.kind.value)
            continue
        log.warning("Jobbet %s (%s) markerades misslyckat: %s", job.id, job.kind.value,
                    after.failure_reason)
        hook = (abandon or {}).get(job.kind)
        if hook is not None and after.failure_reason is not None:
            try:
                hook(uow_factory, after, after.failure_reason)
            except Exception:  # the job's own state is settled; log and go on
                log.exception("Kunde inte markera det jobbet %s arbetade med.", job.id)
    return done
