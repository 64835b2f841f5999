"""The access-log page: the department head reviews it per unit and month."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from insats.domain.access import AuditAction, Caller, Role, Viewer
from insats.services.audit import Touched, log
from insats.services.runtime import uow_factory_for
from tests.web.conftest import DemoWeb

pytestmark = pytest.mark.slow


def test_the_department_head_sees_a_logged_read_filtered_by_unit(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    marker = f"granskare-{secrets.token_hex(3)}"
    reader = Caller(Viewer("x", marker, "Granskare", Role.UNIT_MANAGER,
                           frozenset({demo_web.own_unit_id})), "192.0.2.7", "GET /clients/{id}")
    with uow_factory_for(demo_web.url)() as uow:
        log(uow, reader, AuditAction.READ,
            [Touched("client", demo_web.own_client_id, demo_web.own_client_id,
                     demo_web.own_unit_id)])
        uow.commit()
    month = dt.datetime.now(dt.UTC).strftime("%Y-%m")
    client = signed_in("avdelningschef")
    own = client.get(f"/audit?month={month}&unit={demo_web.own_unit_id}")
    assert own.status_code == 200
    assert marker in own.text and "192.0.2.7" in own.text and "läste" in own.text
    other = client.get(f"/audit?month={month}&unit={demo_web.other_unit_id}")
    assert marker not in other.text
    earlier = client.get(f"/audit?month=2020-01&unit={demo_web.own_unit_id}")
    assert marker not in earlier.text and "Inga händelser" in earlier.text


@pytest.mark.parametrize("role", ["enhetschef", "samordnare", "ekonom", "namnd"])
def test_only_the_department_head_may_read_the_access_log(
        role: str, signed_in: Callable[[str], TestClient]) -> None:
    assert signed_in(role).get("/audit").status_code == 403


def test_a_malformed_month_is_a_swedish_400(signed_in: Callable[[str], TestClient]) -> None:
    response = signed_in("avdelningschef").get("/audit?month=2026-13")
    assert response.status_code == 400 and "finns inte" in response.text
