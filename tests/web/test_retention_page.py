"""The retention page: the department head sees the limits in force with their sources and
the log of runs; the page removes nothing and other roles are refused."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from insats.services.runtime import uow_factory_for
from tests.web.conftest import DemoWeb

pytestmark = pytest.mark.slow


def test_the_department_head_sees_the_limits_and_the_logged_runs(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    marker = f"gallrare-{secrets.token_hex(3)}"
    with uow_factory_for(demo_web.url)() as uow:
        uow.retention.add_run(
            ran_at=dt.datetime(2026, 11, 23, 8, tzinfo=dt.UTC), ran_by=marker,
            as_of=dt.date(2026, 11, 23),
            items=[{"record_type": "access_log", "cutoff": "2021-11-23",
                    "counts": {"audit_events": 1234}}])
        uow.commit()

    page = signed_in("avdelningschef").get("/retention")

    assert page.status_code == 200
    text = page.text
    assert "retention.time_reports" in text and "2018:597" in text
    assert "retention.clients" in text and "anonymiseras" in text
    assert marker in text and "1\u00a0234" in text and "2021-11-23" in text
    assert 'href="/retention"' in text  # in the menu


@pytest.mark.parametrize("role", ["enhetschef", "samordnare", "ekonom", "namnd"])
def test_only_the_department_head_sees_retention(
        role: str, signed_in: Callable[[str], TestClient]) -> None:
    response = signed_in(role).get("/retention")
    assert response.status_code == 403
