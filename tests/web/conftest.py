"""Fixtures for the web tests: the demo department loaded once per backend, the demo
accounts, and test clients signed in as each role.

The demo database here is separate from the per-test ``database_url`` (which is emptied
before every test): it is built once per session with three months of history. Tests
that write to it must not depend on each other's writes.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from insats.db.maintenance import scratch_postgres_database
from insats.db.migrate import upgrade
from insats.domain.common import Period
from insats.domain.organisation import UnitKind
from insats.services.demo import load_demo_department
from insats.services.demo_accounts import DemoAccount, demo_accounts
from insats.services.job_runner import JobRunner
from insats.services.ledger import forget_kept_ledgers
from insats.services.overview import forget_figures
from insats.services.runtime import dispose_all, uow_factory_for
from insats.web.app import create_app
from tests.conftest import BACKENDS, _server_url, sqlite_url

WEB_HISTORY = Period(dt.date(2026, 8, 1), dt.date(2026, 11, 1))
ROLES = ("avdelningschef", "enhetschef", "enhetschef2", "samordnare", "ekonom", "namnd")


@dataclass(frozen=True)
class DemoWeb:
    """The demo database behind the web tests and facts about it that tests need."""

    url: str
    app: FastAPI
    accounts: dict[str, DemoAccount]
    own_unit_id: str  # a unit of the demo account "enhetschef"
    other_unit_id: str  # a unit of "enhetschef2", outside "enhetschef"'s scope
    own_client_id: str  # a client in own_unit_id
    other_client_id: str  # a client in other_unit_id


def _build(url: str) -> DemoWeb:
    upgrade(url)
    factory = uow_factory_for(url)
    load_demo_department(factory, history=WEB_HISTORY)
    accounts = {a.username: a for a in demo_accounts(factory)}
    with factory() as uow:
        own_account = uow.accounts.by_username("enhetschef")
        other_account = uow.accounts.by_username("enhetschef2")
        assert own_account is not None and other_account is not None
        units = {u.id: u for u in uow.organisation.units()}
        own_unit = next(u for u in sorted(own_account.unit_ids)
                        if units[u].kind is UnitKind.PERSONAL_ASSISTANCE)
        other_unit = sorted(other_account.unit_ids - own_account.unit_ids)[0]
        own_client = uow.clients.of_unit(own_unit)[0]
        other_client = uow.clients.of_unit(other_unit)[0]
    return DemoWeb(url, create_app(url), accounts, own_unit, other_unit, own_client.id,
                   other_client.id)


def demo_on_sqlite(tmp_path_factory: pytest.TempPathFactory, name: str) -> DemoWeb:
    """A demo database of its own in a temporary SQLite file."""
    return _build(sqlite_url(tmp_path_factory.mktemp(name) / "demo.db"))


@contextmanager
def demo_on_postgresql(prefix: str) -> Iterator[DemoWeb]:
    """A demo database of its own on the PostgreSQL server, dropped afterwards."""
    with scratch_postgres_database(_server_url(), prefix=prefix,
                                   before_drop=lambda _: dispose_all()) as url:
        yield _build(url)


@pytest.fixture(scope="session")
def _demo_web_sqlite(tmp_path_factory: pytest.TempPathFactory) -> DemoWeb:
    return demo_on_sqlite(tmp_path_factory, "web")


@pytest.fixture(scope="session")
def _demo_web_postgresql() -> Iterator[DemoWeb]:
    with demo_on_postgresql("insats_web") as demo:
        yield demo


@pytest.fixture(scope="session", params=BACKENDS)
def demo_web(request: pytest.FixtureRequest) -> DemoWeb:
    """The demo department behind the application, on each backend in turn."""
    return request.getfixturevalue(f"_demo_web_{request.param}")  # type: ignore[no-any-return]


def form_token(html: str, name: str = "csrf_token") -> str:
    match = re.search(rf'name="{name}" value="([^"]+)"', html)
    assert match, f"no {name} in the page"
    return match.group(1)


def sign_in(client: TestClient, username: str, password: str) -> TestClient:
    page = client.get("/login")
    response = client.post("/login", data={
        "username": username, "password": password,
        "login_csrf": form_token(page.text, "login_csrf"), "next": "/"},
        follow_redirects=False)
    assert response.status_code == 303, response.text[:500]
    return client


@pytest.fixture(autouse=True)
def _fresh_kept_reports() -> None:
    """Tests write to the shared demo database, so each starts without kept reports (the
    pages would otherwise show figures kept by an earlier test; services.report_cache)."""
    forget_kept_ledgers()
    forget_figures()


@contextmanager
def jobs_run_for(demo: DemoWeb) -> Iterator[None]:
    """Jobs queued by the pages get run: on SQLite the application runs them itself; on
    PostgreSQL the web process only queues them, so a worker thread (as ``insats worker``
    on another machine would) runs them while the block lasts."""
    if demo.app.state.jobs is not None:
        yield
        return
    runner = JobRunner(uow_factory_for(demo.url), name="testarbetare", poll_seconds=0.2)
    thread = threading.Thread(target=runner.run, daemon=True)
    thread.start()
    try:
        yield
    finally:
        runner.stop()
        thread.join(60)


@pytest.fixture
def job_worker(demo_web: DemoWeb) -> Iterator[None]:
    with jobs_run_for(demo_web):
        yield


@pytest.fixture
def signed_in(demo_web: DemoWeb) -> Callable[[str], TestClient]:
    """``signed_in("enhetschef")`` → a TestClient with that demo account's session.

    The client's ``csrf`` attribute holds the session's CSRF token for POSTs.
    """
    def make(username: str) -> TestClient:
        client = TestClient(demo_web.app, base_url="http://testserver")
        account = demo_web.accounts[username]
        sign_in(client, account.username, account.password)
        client.csrf = csrf_of(client)  # type: ignore[attr-defined]
        return client

    return make


def csrf_of(client: TestClient) -> str:
    # every role may see the list of reports, a cheap page whose layout has the token (the
    # overview would compute the key figures, which each test starts without)
    page = client.get("/reports")
    match = re.search(r'<meta name="csrf-token" content="([^"]*)"', page.text)
    assert match
    return match.group(1)
