"""The application factory: ``create_app()`` on the configured database, or a given URL.

Run it with ``insats serve`` (uvicorn). Pages are server-rendered (Jinja2 + htmx, vendored
under static/); the JSON API lives under /api with its OpenAPI description at
/api/openapi.json.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from insats.config import get_settings
from insats.db.session import normalise_url
from insats.services.job_runner import EmbeddedJobs, start_jobs
from insats.services.ledger import warm_default_ledger
from insats.services.overview import warm_figures
from insats.services.runtime import uow_factory_for
from insats.web.connections import ConnectionRecycling
from insats.web.errors import install_error_handlers
from insats.web.routes import discover
from insats.web.security import SecurityHeaders
from insats.web.templating import make_templates


def create_app(database_url: str | None = None, *, warm: bool | None = None,
               jobs_in_process: bool | None = None) -> FastAPI:
    """The application on ``database_url`` (default: the settings' database).

    ``jobs_in_process``: run queued jobs (optimisation runs) in a background thread of
    this process (default: INSATS_JOBS_IN_PROCESS, else yes on SQLite and no on
    PostgreSQL, where ``insats worker`` runs them; docs/workers.md). At start the
    application recovers jobs whose worker died.

    ``warm`` computes the key figures and the default month's ledger in the background
    at start (default: when serving
    the configured database, as ``insats serve`` does; tests pass a URL and skip it).
    """
    url = database_url or get_settings().database_url
    should_warm = warm if warm is not None else database_url is None
    if jobs_in_process is None:
        jobs_in_process = get_settings().jobs_in_process
    if jobs_in_process is None:
        jobs_in_process = normalise_url(url).get_backend_name() == "sqlite"

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if should_warm:
            warm_figures(app.state.uow_factory)
            warm_default_ledger(app.state.uow_factory)
        start_jobs(app.state.uow_factory, app.state.jobs)
        yield
        if app.state.jobs is not None:
            app.state.jobs.stop()

    app = FastAPI(
        lifespan=lifespan,
        title="Insats API",
        description="Planering och uppföljning av personlig assistans och stöd (LSS/SFB).",
        version="1",
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.uow_factory = uow_factory_for(url)
    app.state.jobs = EmbeddedJobs(app.state.uow_factory) if jobs_in_process else None
    app.state.templates = make_templates()
    app.mount("/static", StaticFiles(packages=[("insats.web", "static")]), name="static")
    for router in discover("insats.web.routes") + discover("insats.web.api"):
        app.include_router(router)
    install_error_handlers(app)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(ConnectionRecycling)
    return app
