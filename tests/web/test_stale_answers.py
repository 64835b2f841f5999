"""A save based on an old version is answered with 409 and what changed: JSON with a stable
code and the changed fields under /api, the Swedish page elsewhere; the time queue's attest
and reject forms carry the version the page showed."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable

from fastapi import FastAPI
from fastapi.testclient import TestClient

from insats.db.repositories._base import FieldChange, StaleVersionError
from insats.db.shift_guards import ShiftOverlapError
from insats.domain.calendar import UTC
from insats.domain.time_reports import TimeEntryStatus
from insats.services.runtime import uow_factory_for
from insats.web.errors import install_error_handlers
from tests.web.conftest import DemoWeb
from tests.web.test_time_pages import reported_month

CHANGED_AT = dt.datetime(2026, 11, 23, 8, 15, tzinfo=UTC)


def _app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.post("/api/stale")
    def stale() -> None:
        raise StaleVersionError("Åtgärden", "A1", current_version=4, changed_by="ec1",
                                changed_at=CHANGED_AT,
                                changes=[FieldChange("status", "klar", "pågår")])

    @app.post("/api/overlap")
    def overlap() -> None:
        raise ShiftOverlapError("E9")

    return app


def test_the_api_answers_a_stale_save_with_409_and_the_changed_fields() -> None:
    answer = TestClient(_app()).post("/api/stale")

    assert answer.status_code == 409
    assert answer.json() == {
        "code": "concurrency.stale",
        "message": "Åtgärden A1 har ändrats av någon annan (ec1 2026-11-23 09:15) sedan du "
                   "läste den; ladda om och försök igen. Sparat nu i fälten du ändrade: "
                   "status: klar.",
        "current_version": 4,
        "changed_by": "ec1",
        "changed_at": "2026-11-23T08:15:00+00:00",
        "changed": ["status"],
        "current": {"status": "klar"},
    }


def test_an_overlapping_shift_is_a_409_conflict_too() -> None:
    answer = TestClient(_app()).post("/api/overlap")
    assert answer.status_code == 409
    assert answer.json()["code"] == "shift.overlap"
    assert answer.json()["message"].startswith("Medarbetaren E9 har redan ett pass som")


def test_a_stale_reject_from_the_queue_page_is_refused_with_409(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    month = reported_month(demo_web.url, demo_web.own_unit_id)
    client = signed_in("enhetschef")
    page = client.get(f"/time?unit={demo_web.own_unit_id}&month={month:%Y-%m}")
    checkbox = re.search(r'name="entry_id" value="([^"@]+)@(\d+)"', page.text)
    assert checkbox is not None
    entry_id, shown = checkbox.group(1), int(checkbox.group(2))
    row = page.text.split(f'data-entry="{entry_id}"')[1].split("</tr>")[0]
    assert f'name="version" value="{shown}"' in row
    factory = uow_factory_for(demo_web.url)
    with factory() as uow:  # someone else changes the entry after the page was shown
        entry = uow.time_reports.get(entry_id)
        assert entry is not None
        uow.time_reports.update(dataclasses.replace(entry, comment="ändrad av lönekontoret"),
                                expected_version=shown)
        uow.commit()
    csrf = client.csrf  # type: ignore[attr-defined]

    refused = client.post(f"/time/{entry_id}/reject", data={
        "reason": "fel pass", "version": str(shown), "csrf_token": csrf})
    assert refused.status_code == 409
    assert f"Tidraden {entry_id} har ändrats av någon annan" in refused.text
    attest_refused = client.post("/time/attest", data={
        "entry_id": f"{entry_id}@{shown}", "reason": "ok", "csrf_token": csrf})
    assert attest_refused.status_code == 409

    with factory() as uow:
        stored = uow.time_reports.get(entry_id)
    assert stored is not None and stored.status is TimeEntryStatus.REPORTED
    assert stored.comment == "ändrad av lönekontoret"
