"""Fixtures for the integration tests on the demo department."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from insats.domain.common import Period
from insats.services.uow import UnitOfWork
from tests.conftest import BACKENDS, DemoDatabases

AUTUMN = Period(dt.date(2026, 9, 1), dt.date(2026, 11, 1))


@pytest.fixture(scope="session", params=BACKENDS)
def autumn_demo(request: pytest.FixtureRequest,
                demo_databases: DemoDatabases) -> Callable[[], UnitOfWork]:
    """The demo department of seed 7 with September–October 2026 as history, loaded once
    per test session and backend, for the reviews that only read it."""
    return demo_databases.factory(request.param, seed=7, history=AUTUMN)
