"""The web application's side of the job queue: after a route queues a job, ``wake_jobs``
starts the in-process runner on the embedded default (``services.job_runner.EmbeddedJobs``);
with PostgreSQL the web process only queues and ``insats worker`` processes run the jobs."""

from __future__ import annotations

from fastapi import Request

from insats.services.job_runner import EmbeddedJobs


def wake_jobs(request: Request) -> None:
    embedded: EmbeddedJobs | None = getattr(request.app.state, "jobs", None)
    if embedded is not None:
        embedded.wake()
