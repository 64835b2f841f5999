"""The access-log page: the department head reviews it per unit and month."""

from __future__ import annotations

import datetime as dt
import io
import secrets
from collections.abc import Callable

import openpyxl
import pytest
from fastapi.testclient import TestClient

from insats.domain.access import AuditAction, Caller, Role, Viewer
from insats.services.audit import Touched, log
from insats.services.runtime import uow_factory_for
from tests.web.conftest import DemoWeb

pytestmark = pytest.mark.slow


def _logged_read(demo_web: DemoWeb, marker: str) -> None:
    reader = Caller(Viewer("x", marker, "Granskare", Role.UNIT_MANAGER,
                           frozenset({demo_web.own_unit_id})), "192.0.2.8", "GET /clients/{id}")
    with uow_factory_for(demo_web.url)() as uow:
        log(uow, reader, AuditAction.READ,
            [Touched("client", demo_web.own_client_id, demo_web.own_client_id,
                     demo_web.own_unit_id)])
        uow.commit()


def test_the_department_head_sees_a_logged_read_filtered_by_unit(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    marker = f"granskare-{secrets.token_hex(3)}"
    _logged_read(demo_web, marker)
    month = dt.datetime.now(dt.UTC).strftime("%Y-%m")
    client = signed_in("avdelningschef")
    own = client.get(f"/audit?month={month}&unit={demo_web.own_unit_id}")
    assert own.status_code == 200
    assert marker in own.text and "192.0.2.8" in own.text and "läste" in own.text
    other = client.get(f"/audit?month={month}&unit={demo_web.other_unit_id}")
    assert marker not in other.text
    earlier = client.get(f"/audit?month=2020-01&unit={demo_web.own_unit_id}")
    assert marker not in earlier.text and "Inga händelser" in earlier.text


def test_the_log_is_filtered_by_user_and_downloaded_as_logged_excel(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    marker, other = f"granskare-{secrets.token_hex(3)}", f"annan-{secrets.token_hex(3)}"
    _logged_read(demo_web, marker)
    _logged_read(demo_web, other)
    month = dt.datetime.now(dt.UTC).strftime("%Y-%m")
    client = signed_in("avdelningschef")
    page = client.get(f"/audit?month={month}&user={marker}")
    assert marker in page.text and other not in page.text
    assert "Händelser: 1<" in page.text

    download = client.get(f"/audit?month={month}&user={marker}&format=xlsx")
    assert download.status_code == 200 and download.headers["cache-control"] == "no-store"
    rows = list(openpyxl.load_workbook(io.BytesIO(download.content)).active.values)
    header = next(i for i, row in enumerate(rows) if row and row[0] == "Tid (svensk tid)")
    events = rows[header + 1:]
    assert len(events) == 1
    assert events[0][1:4] == (marker, "enhetschef", "läste")
    assert events[0][6] == demo_web.own_client_id and events[0][8] == "192.0.2.8"

    exports = client.get(f"/audit?month={month}&user=avdelningschef")
    assert "exporterade" in exports.text and "access_log" in exports.text


@pytest.mark.parametrize("role", ["enhetschef", "samordnare", "ekonom", "namnd"])
def test_only_the_department_head_may_read_the_access_log(
        role: str, signed_in: Callable[[str], TestClient]) -> None:
    assert signed_in(role).get("/audit").status_code == 403


def test_a_malformed_month_is_a_swedish_400(signed_in: Callable[[str], TestClient]) -> None:
    response = signed_in("avdelningschef").get("/audit?month=2026-13")
    assert response.status_code == 400 and "finns inte" in response.text
