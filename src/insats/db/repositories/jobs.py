"""The job queue: stored jobs, and the conditional updates that move them along.

Every change of a job's state is one UPDATE whose WHERE clause names the state it expects
(``status`` and, for a running job, the ``worker_id`` that holds it), so two processes
can never both move the same job: the loser's UPDATE matches no row. Claiming is a single
statement, ``UPDATE jobs SET ... WHERE id = (SELECT id ... LIMIT 1 FOR UPDATE SKIP LOCKED)
AND status = 'koad' RETURNING ...``: on PostgreSQL concurrent claimers skip each other's
locked rows, on SQLite the statement runs under the database's single write lock, which
makes it atomic too. Never commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from insats.db.models.jobs import JobRow
from insats.domain.jobs import Job, JobKind, JobStatus


class JobRepository:
    """Queries and state changes on ``jobs``."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # --- mapping -----------------------------------------------------------------------
    @staticmethod
    def _values(job: Job) -> dict[str, Any]:
        return {
            "id": job.id, "kind": job.kind, "payload": dict(job.payload),
            "status": job.status, "attempts": job.attempts, "max_attempts": job.max_attempts,
            "worker_id": job.worker_id, "heartbeat_at": job.heartbeat_at,
            "queued_at": job.queued_at, "started_at": job.started_at,
            "finished_at": job.finished_at, "failure_reason": job.failure_reason,
            "result_ref": job.result_ref,
        }

    @staticmethod
    def _entity(row: Any) -> Job:
        return Job(
            id=row.id, kind=JobKind(row.kind), payload=dict(row.payload or {}),
            status=JobStatus(row.status), attempts=row.attempts,
            max_attempts=row.max_attempts, worker_id=row.worker_id,
            heartbeat_at=row.heartbeat_at, queued_at=row.queued_at,
            started_at=row.started_at, finished_at=row.finished_at,
            failure_reason=row.failure_reason, result_ref=row.result_ref,
        )

    # --- reading -----------------------------------------------------------------------
    def add(self, job: Job) -> None:
        self.session.add(JobRow(**self._values(job)))
        self.session.flush()

    def get(self, job_id: str) -> Job | None:
        row = self.session.execute(select(JobRow).where(JobRow.id == job_id)).scalar_one_or_none()
        return self._entity(row) if row is not None else None

    def recent(self, limit: int = 50) -> list[Job]:
        statement = select(JobRow).order_by(JobRow.queued_at.desc(), JobRow.id).limit(limit)
        return [self._entity(row) for row in self.session.execute(statement).scalars()]

    def with_status(self, statuses: Collection[JobStatus]) -> list[Job]:
        statement = (select(JobRow).where(JobRow.status.in_(list(statuses)))
                     .order_by(JobRow.queued_at, JobRow.id))
        return [self._entity(row) for row in self.session.execute(statement).scalars()]

    def active_refs(self, kind: JobKind) -> set[str]:
        """The result references of the queued and running jobs of ``kind``."""
        statement = select(JobRow.result_ref).where(
            JobRow.kind == kind, JobRow.status.in_([JobStatus.QUEUED, JobStatus.RUNNING]),
            JobRow.result_ref.is_not(None))
        return {ref for ref in self.session.execute(statement).scalars() if ref is not None}

    # --- moving jobs along (each a single conditional UPDATE) ---------------------------
    def claim(self, worker_id: str, now: dt.datetime,
              kinds: Collection[JobKind] | None = None) -> Job | None:
        """Take the oldest queued job for ``worker_id`` (running, one more attempt)."""
        candidate = select(JobRow.id).where(JobRow.status == JobStatus.QUEUED)
        if kinds is not None:
            candidate = candidate.where(JobRow.kind.in_(list(kinds)))
        candidate = (candidate.order_by(JobRow.queued_at, JobRow.id).limit(1)
                     .with_for_update(skip_locked=True))
        statement = (
            update(JobRow)
            .where(JobRow.id == candidate.scalar_subquery(), JobRow.status == JobStatus.QUEUED)
            .values(status=JobStatus.RUNNING, worker_id=worker_id,
                    attempts=JobRow.attempts + 1, started_at=now, heartbeat_at=now)
            .returning(*JobRow.__table__.columns)
            .execution_options(synchronize_session=False)
        )
        row = self.session.execute(statement).one_or_none()
        return self._entity(row) if row is not None else None

    def _move(self, job_id: str, expected: JobStatus, holder: str | None,
              **values: Any) -> bool:
        conditions = [JobRow.id == job_id, JobRow.status == expected]
        if holder is not None:
            conditions.append(JobRow.worker_id == holder)
        statement = (update(JobRow).where(*conditions).values(**values)
                     .execution_options(synchronize_session=False))
        return bool(self.session.execute(statement).rowcount)  # type: ignore[attr-defined]

    def heartbeat(self, job_id: str, worker_id: str, now: dt.datetime) -> bool:
        """Record a sign of life; False when the job is no longer this worker's."""
        return self._move(job_id, JobStatus.RUNNING, worker_id, heartbeat_at=now)

    def finish(self, job_id: str, worker_id: str, now: dt.datetime,
               result_ref: str | None) -> bool:
        values: dict[str, Any] = {"status": JobStatus.DONE, "finished_at": now,
                                  "heartbeat_at": now}
        if result_ref is not None:
            values["result_ref"] = result_ref
        return self._move(job_id, JobStatus.RUNNING, worker_id, **values)

    def fail(self, job_id: str, worker_id: str | None, now: dt.datetime, reason: str,
             *, expected: JobStatus = JobStatus.RUNNING) -> bool:
        return self._move(job_id, expected, worker_id, status=JobStatus.FAILED,
                          finished_at=now, failure_reason=reason)

    def release(self, job_id: str, worker_id: str) -> bool:
        """Put a running job back in the queue without spending the attempt (a worker
        stopping politely before the job ended)."""
        return self._move(job_id, JobStatus.RUNNING, worker_id, status=JobStatus.QUEUED,
                          worker_id=None, heartbeat_at=None, started_at=None,
                          attempts=JobRow.attempts - 1)

    def settle_recovered(self, stale: Job, recovered: Job) -> bool:
        """Store a stale job's recovery, only if nobody touched it since it was read (its
        worker and heartbeat are still those seen)."""
        conditions = [JobRow.id == stale.id, JobRow.status == JobStatus.RUNNING,
                      JobRow.worker_id == stale.worker_id]
        if stale.heartbeat_at is None:
            conditions.append(JobRow.heartbeat_at.is_(None))
        else:
            conditions.append(JobRow.heartbeat_at == stale.heartbeat_at)
        values = self._values(recovered)
        del values["id"]
        statement = (update(JobRow).where(*conditions).values(**values)
                     .execution_options(synchronize_session=False))
        return bool(self.session.execute(statement).rowcount)  # type: ignore[attr-defined]
