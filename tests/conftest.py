"""Shared fixtures.

Databases are built by running the Alembic migrations, never ``metadata.create_all``.
``database_url`` is parametrised over SQLite (always) and PostgreSQL (when the
environment variable ``INSATS_TEST_DATABASE_URL`` names a server; a fresh, uniquely named
database is created for the test session and dropped at its end). Every test that uses
``database_url`` starts with empty tables.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import Result
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from insats.db.maintenance import (
    empty_tables,
    scratch_postgres_database,
)
from insats.db.migrate import upgrade
from insats.db.session import make_engine, make_session_factory
from insats.domain.common import Period
from insats.services.uow import UnitOfWork

# pytest-xdist's worker processes start with COLUMNS=80; the commands' consoles are made
# when their modules are imported and would squeeze every table to 80 columns
if os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ.pop("COLUMNS", None)

POSTGRES_URL_VARIABLE = "INSATS_TEST_DATABASE_URL"
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


# --- creating and dropping whole databases --------------------------------------------
def _server_url() -> str:
    url = os.environ.get(POSTGRES_URL_VARIABLE)
    if not url:
        if os.environ.get("INSATS_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"INSATS_REQUIRE_POSTGRES=1 but {POSTGRES_URL_VARIABLE} is not set")
        pytest.skip(f"PostgreSQL not configured: set {POSTGRES_URL_VARIABLE} to run these")
    return url


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def _migrated_sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = sqlite_url(tmp_path_factory.mktemp("db") / "insats-test.db")
    upgrade(url)
    return url


@pytest.fixture(scope="session")
def _migrated_postgresql_url() -> Iterator[str]:
    with scratch_postgres_database(
        _server_url(), prefix="insats_test", before_drop=_dispose_engine
    ) as url:
        upgrade(url)
        yield url


# --- one engine per database for the whole session --------------------------------------
_ENGINES: dict[str, Engine] = {}


def _engine_for(url: str) -> Engine:
    if url not in _ENGINES:
        _ENGINES[url] = make_engine(url)
    return _ENGINES[url]


def _dispose_engine(url: str) -> None:
    engine = _ENGINES.pop(url, None)
    if engine is not None:
        engine.dispose()


def clean_tables(engine: Engine) -> None:
    """Empty every table between tests."""
    with engine.begin() as connection:
        empty_tables(connection, append_only_too=True)


# --- fixtures for tests ------------------------------------------------------------------
@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest) -> str:
    """A migrated database with empty tables, on each backend in turn."""
    url: str = request.getfixturevalue(f"_migrated_{request.param}_url")
    clean_tables(_engine_for(url))
    return url


@pytest.fixture(scope="session", autouse=True)
def _generate_each_demo_once() -> Iterator[None]:
    """The demo generator is deterministic and its department immutable (frozen
    dataclasses of tuples), so within a test session each (seed, scale, history) is
    generated once and stored as often as the tests load it."""
    from insats.services import demo

    original = demo.generate_department
    demo.generate_department = functools.lru_cache(maxsize=4)(original)  # type: ignore[assignment]
    yield
    demo.generate_department = original  # type: ignore[assignment]


class DemoDatabases:
    """Demo departments loaded once per test session, each (backend, seed, history) in a
    database of its own, for tests that only read them."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.loaded: dict[tuple[str, int, Period | None], Callable[[], UnitOfWork]] = {}
        self.scratch = contextlib.ExitStack()

    def factory(self, backend: str, *, seed: int = 2026,
                history: Period | None = None) -> Callable[[], UnitOfWork]:
        from insats.services.demo import DEMO_HISTORY, load_demo_department

        key = (backend, seed, history)
        if key not in self.loaded:
            if backend == "sqlite":
                url = sqlite_url(self.folder / f"demo-{len(self.loaded)}.db")
            else:
                url = self.scratch.enter_context(scratch_postgres_database(
                    _server_url(), prefix="insats_demo", before_drop=_dispose_engine))
            upgrade(url)
            sessions = make_session_factory(_engine_for(url))

            def factory() -> UnitOfWork:
                return UnitOfWork(sessions)

            load_demo_department(factory, seed=seed, history=history or DEMO_HISTORY)
            self.loaded[key] = factory
        return self.loaded[key]


@pytest.fixture(scope="session")
def demo_databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoDatabases]:
    databases = DemoDatabases(tmp_path_factory.mktemp("demo"))
    with databases.scratch:
        yield databases


@pytest.fixture(scope="session", params=BACKENDS)
def demo_department(request: pytest.FixtureRequest,
                    demo_databases: DemoDatabases) -> Callable[[], UnitOfWork]:
    """The demo department (default seed, scale and history) loaded once per test session
    and backend; a unit-of-work factory on it. Tests that use it only read."""
    return demo_databases.factory(request.param)


@pytest.fixture
def engine(database_url: str) -> Engine:
    return _engine_for(database_url)


@pytest.fixture
def session_factory(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)


@pytest.fixture
def uow_factory(session_factory: sessionmaker[Session]) -> Callable[[], UnitOfWork]:
    """``with uow_factory() as uow: ...`` opens a new unit of work on the test database."""
    return lambda: UnitOfWork(session_factory)


@pytest.fixture(params=BACKENDS)
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A brand-new database with no tables at all (for migration tests)."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path / "empty.db")
        return
    with scratch_postgres_database(_server_url(), prefix="insats_test") as url:
        yield url


@pytest.fixture
def cli(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """``cli("time", "export", ...)`` runs the `insats` command on the test database."""
    from insats.cli.main import app
    from insats.config import get_settings

    monkeypatch.setenv("INSATS_DATABASE_URL", database_url)
    monkeypatch.setenv("COLUMNS", "250")

    def run(*args: str) -> Result:
        get_settings.cache_clear()
        try:
            return CliRunner().invoke(app, list(args))
        finally:
            get_settings.cache_clear()

    return run


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    for url in list(_ENGINES):
        _dispose_engine(url)
