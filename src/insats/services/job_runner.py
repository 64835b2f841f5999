"""The job runner: claims stored jobs and runs them, beating each job's heartbeat.

``JobRunner`` is what ``insats worker`` runs (``concurrency`` threads, each claiming one
job at a time) and what the web application runs in-process on the embedded SQLite
default (``EmbeddedJobs``: a runner thread started when a job is queued, ending when the
queue has been empty for a while). Recovery of stale jobs (``services.jobs.recover_stale``)
and of planning runs no job works on runs when a runner starts and every
``recover_seconds`` while it runs.

Stopping (``stop()``, SIGTERM in ``insats worker``): no new job is claimed, the jobs
being run get ``grace_seconds`` to end, and those still running then are put back in the
queue (the attempt not counted) for another worker to run again from the start.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Mapping
from functools import partial
from typing import TypeVar

from insats.domain.jobs import Job, JobKind
from insats.services import jobs, planning
from insats.services.job_kinds import HANDLERS, JobHandler, abandon_hooks
from insats.services.jobs import HEARTBEAT_SECONDS, STALE_AFTER, UowFactory

log = logging.getLogger("insats.jobs")
T = TypeVar("T")

POLL_SECONDS = 1.0
RECOVER_SECONDS = 30.0
GRACE_SECONDS = 30.0
EMBEDDED_CONCURRENCY = 2
EMBEDDED_IDLE_SECONDS = 30.0


def default_worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class JobRunner:
    """Runs queued jobs until stopped (see the module docstring)."""

    def __init__(self, uow_factory: UowFactory, *, name: str | None = None,
                 concurrency: int = 1, handlers: Mapping[JobKind, JobHandler] | None = None,
                 poll_seconds: float = POLL_SECONDS,
                 heartbeat_seconds: float = HEARTBEAT_SECONDS,
                 stale_after: dt.timedelta = STALE_AFTER,
                 recover_seconds: float = RECOVER_SECONDS,
                 grace_seconds: float = GRACE_SECONDS) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self.uow_factory = uow_factory
        self.name = name or default_worker_name()
        self.concurrency = concurrency
        self.handlers = dict(handlers or HANDLERS)
        self.poll_seconds = poll_seconds
        self.heartbeat_seconds = heartbeat_seconds
        self.stale_after = stale_after
        self.recover_seconds = recover_seconds
        self.grace_seconds = grace_seconds
        self.processed = 0
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._current: dict[str, str] = {}  # job id → the worker id (slot) running it

    # -- control ---------------------------------------------------------------------------
    def stop(self) -> None:
        """Claim no more jobs; ``run`` returns once the current ones end (or the grace
        time has passed and they were put back in the queue)."""
        self._stop.set()
        self._wake.set()

    def wake(self) -> None:
        """A job was queued: look now instead of at the next poll."""
        self._wake.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def recover(self) -> int:
        """Recover stale jobs and orphaned planning runs; returns how many were touched."""
        recovered = jobs.recover_stale(self.uow_factory, stale_after=self.stale_after,
                                       abandon=abandon_hooks())
        orphans = planning.fail_orphaned_runs(self.uow_factory)
        return len(recovered) + len(orphans)

    # -- running ---------------------------------------------------------------------------
    def run(self, *, once: bool = False, idle_exit: float | None = None) -> int:
        """Run jobs with ``concurrency`` threads until ``stop()``; with ``once`` until the
        queue is empty, with ``idle_exit`` until it has been empty that many seconds.
        Returns the number of jobs run."""
        self._safely(self.recover)
        threads = [threading.Thread(target=self._loop, args=(slot, once, idle_exit),
                                    name=f"jobb-{slot}", daemon=True)
                   for slot in range(self.concurrency)]
        for thread in threads:
            thread.start()
        next_recovery = time.monotonic() + self.recover_seconds
        while any(t.is_alive() for t in threads):
            if self._stop.wait(0.2):
                break
            if time.monotonic() >= next_recovery:
                self._safely(self.recover)
                next_recovery = time.monotonic() + self.recover_seconds
        deadline = time.monotonic() + self.grace_seconds
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        self._release_unfinished()
        return self.processed

    def run_one(self, slot: int = 0) -> Job | None:
        """Claim one job and run it in this thread; None when the queue is empty."""
        worker_id = f"{self.name}/{slot}"
        job = jobs.claim_next(self.uow_factory, worker_id, kinds=list(self.handlers))
        if job is None:
            return None
        self._execute(job, worker_id)
        return jobs.get_job(self.uow_factory, job.id)

    def _loop(self, slot: int, once: bool, idle_exit: float | None) -> None:
        idle_since = time.monotonic()
        while not self._stop.is_set():
            job = self._safely(lambda: self.run_one(slot))
            if job is not None:
                idle_since = time.monotonic()
                continue
            if once or (idle_exit is not None and time.monotonic() - idle_since > idle_exit):
                return
            self._wake.wait(self.poll_seconds)
            self._wake.clear()

    def _execute(self, job: Job, worker_id: str) -> None:
        handler = self.handlers[job.kind]
        ended = threading.Event()
        beat = threading.Thread(target=self._beat, args=(job.id, worker_id, ended),
                                name=f"puls-{job.id}", daemon=True)
        with self._lock:
            self._current[job.id] = worker_id
        beat.start()
        log.info("Jobbet %s (%s) körs av %s, försök %d av %d.", job.id, job.kind.value,
                 worker_id, job.attempts, job.max_attempts)
        try:
            result = handler.run(self.uow_factory, job)
        except Exception as error:
            ended.set()
            reason = jobs.failure_reason(error)
            if not jobs.fail(self.uow_factory, job.id, worker_id, reason):
                log.warning("Jobbet %s togs från %s innan det misslyckades.", job.id, worker_id)
            log.warning("Jobbet %s misslyckades: %s", job.id, reason)
        else:
            ended.set()
            if not jobs.finish(self.uow_factory, job.id, worker_id, result):
                log.warning("Jobbet %s togs från %s innan det blev klart.", job.id, worker_id)
        finally:
            ended.set()
            beat.join()
            with self._lock:
                self._current.pop(job.id, None)
                self.processed += 1

    def _beat(self, job_id: str, worker_id: str, ended: threading.Event) -> None:
        while not ended.wait(self.heartbeat_seconds):
            alive = self._safely(lambda: jobs.heartbeat(self.uow_factory, job_id, worker_id))
            if alive is False:
                log.warning("Jobbet %s är inte längre %s:s (det har tagits om hand).",
                            job_id, worker_id)
                return

    def _release_unfinished(self) -> None:
        with self._lock:
            unfinished = dict(self._current)
        for job_id, worker_id in unfinished.items():
            if self._safely(partial(jobs.release, self.uow_factory, job_id, worker_id)):
                log.warning("Jobbet %s lades tillbaka i kön när arbetsprocessen stannade.",
                            job_id)

    @staticmethod
    def _safely(call: Callable[[], T]) -> T | None:
        """Run ``call``; a failing database is logged and waited out, never fatal."""
        try:
            return call()
        except Exception:
            log.exception("Jobbkön kunde inte nås; försöker igen.")
            time.sleep(1.0)
            return None


class EmbeddedJobs:
    """The job runner inside the web process (the embedded SQLite default): a runner
    thread is started when a job is queued and ends when no job has been queued or
    running for ``idle_seconds`` (a job left running by a process that died keeps it
    going until recovery has queued it again or failed it)."""

    def __init__(self, uow_factory: UowFactory, *, concurrency: int = EMBEDDED_CONCURRENCY,
                 idle_seconds: float = EMBEDDED_IDLE_SECONDS) -> None:
        self.uow_factory = uow_factory
        self.concurrency = concurrency
        self.idle_seconds = idle_seconds
        self._lock = threading.Lock()
        self._runner: JobRunner | None = None
        self._thread: threading.Thread | None = None

    def wake(self) -> None:
        """Make sure a runner is there to take the queued jobs."""
        with self._lock:
            if self._thread is not None and self._thread.is_alive() and self._runner:
                self._runner.wake()
                return
            self._runner = JobRunner(self.uow_factory, concurrency=self.concurrency)
            self._thread = threading.Thread(target=self._serve, args=(self._runner,),
                                            name="jobb-inbyggd", daemon=True)
            self._thread.start()

    def _serve(self, runner: JobRunner) -> None:
        while True:
            runner.run(idle_exit=self.idle_seconds)
            with self._lock:
                if runner.stopping or not JobRunner._safely(
                        lambda: jobs.has_unfinished(self.uow_factory)):
                    self._thread = None
                    return

    def stop(self, timeout: float | None = None) -> None:
        """Stop the runner (see ``JobRunner.stop``); with ``timeout``, wait that long for
        its thread to end. A later ``wake`` starts a new one."""
        with self._lock:
            runner, thread = self._runner, self._thread
        if runner is not None:
            runner.stop()
        if thread is not None and timeout is not None:
            thread.join(timeout)


def start_jobs(uow_factory: UowFactory, embedded: EmbeddedJobs | None) -> None:
    """At application start: recover the jobs (and planning runs) whose process died, and
    on the embedded default start the runner when jobs are waiting or were running."""
    JobRunner._safely(lambda: jobs.recover_stale(uow_factory, abandon=abandon_hooks()))
    JobRunner._safely(lambda: planning.fail_orphaned_runs(uow_factory))
    if embedded is not None and JobRunner._safely(lambda: jobs.has_unfinished(uow_factory)):
        embedded.wake()
