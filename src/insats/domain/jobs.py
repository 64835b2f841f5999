"""A stored job: long work (an optimisation run, an import) that a worker runs.

A job is created ``queued``; a worker claims it (``running``, one more attempt, its worker
id and a first heartbeat), beats its heartbeat while it works, and ends it ``done`` (with a
reference to what it produced) or ``failed`` (with a Swedish reason). A worker that dies
leaves its job ``running`` with a heartbeat that stops moving: recovery re-queues such a
job when its kind can be resumed and attempts remain, and marks it failed with the reason
otherwise, so no job stays ``running`` forever. See docs/workers.md.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from insats.domain.calendar import require_aware
from insats.domain.common import DomainError

PayloadValue = str | int | float | bool | None
DEFAULT_MAX_ATTEMPTS = 3


class JobStatus(StrEnum):
    QUEUED = "koad"
    RUNNING = "pagar"
    DONE = "klar"
    FAILED = "misslyckad"


JOB_STATUS_LABELS: dict[JobStatus, str] = {
    JobStatus.QUEUED: "I kö",
    JobStatus.RUNNING: "Pågår",
    JobStatus.DONE: "Klart",
    JobStatus.FAILED: "Misslyckat",
}


class JobKind(StrEnum):
    PLANNING = "planering"  # solve a stored planning run (payload: run_id)
    IMPORT = "import"  # import one file, all or nothing (payload: kind, path, ...)
    REPORT = "rapport"  # issue a committee report as version n+1 (payload: report_id, ...)


JOB_KIND_LABELS: dict[JobKind, str] = {
    JobKind.PLANNING: "Planering",
    JobKind.IMPORT: "Import",
    JobKind.REPORT: "Nämndrapport",
}

# Kinds whose work can simply be started again after a crash: a planning run solves from
# the start (its proposal is written in one transaction with its outcome), and an import
# is all or nothing and idempotent, and a report's version is issued in one transaction
# (a job that finds the version its earlier attempt issued stops there).
RESUMABLE_KINDS = frozenset({JobKind.PLANNING, JobKind.IMPORT, JobKind.REPORT})


@dataclass(frozen=True, slots=True)
class Job:
    """One stored job (see the module docstring for its life cycle)."""

    id: str
    kind: JobKind
    payload: Mapping[str, PayloadValue]
    queued_at: dt.datetime
    status: JobStatus = JobStatus.QUEUED
    attempts: int = 0
    max_attempts: int = DEFAULT_MAX_ATTEMPTS
    worker_id: str | None = None
    heartbeat_at: dt.datetime | None = None
    started_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    failure_reason: str | None = None
    result_ref: str | None = None

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise DomainError("job.attempts", "Ett jobb måste få minst ett försök.")
        for moment in (self.queued_at, self.heartbeat_at, self.started_at, self.finished_at):
            if moment is not None:
                require_aware(moment, "jobbets tidpunkt")

    @property
    def resumable(self) -> bool:
        return self.kind in RESUMABLE_KINDS

    @property
    def has_ended(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    def is_stale(self, now: dt.datetime, stale_after: dt.timedelta) -> bool:
        """Running, and its worker has not shown a sign of life for ``stale_after``."""
        if self.status is not JobStatus.RUNNING:
            return False
        last = self.heartbeat_at or self.started_at or self.queued_at
        return now - last > stale_after

    def recovered(self, now: dt.datetime) -> Job:
        """The job after its worker died: queued again if it can be resumed and attempts
        remain, else failed with the reason (in Swedish)."""
        if self.status is not JobStatus.RUNNING:
            raise DomainError("job.state", f"Jobbet {self.id} körs inte och kan inte tas om hand.")
        last = self.heartbeat_at or self.started_at or self.queued_at
        seen = f"senaste livstecken {last:%Y-%m-%d %H:%M:%S} UTC"
        if self.resumable and self.attempts < self.max_attempts:
            return dataclasses.replace(self, status=JobStatus.QUEUED, worker_id=None,
                                       heartbeat_at=None, started_at=None)
        if not self.resumable:
            reason = (f"Arbetsprocessen som körde jobbet avbröts ({seen}); jobb av typen "
                      f"{JOB_KIND_LABELS[self.kind].lower()} kan inte återupptas.")
        else:
            reason = (f"Arbetsprocessen som körde jobbet avbröts ({seen}) och alla "
                      f"{self.max_attempts} försök är förbrukade.")
        return dataclasses.replace(self, status=JobStatus.FAILED, failure_reason=reason,
                                   finished_at=now, worker_id=None)
