"""Optimisation runs from the web: the form's checks, one run at a time per unit, live
progress until the run ends, publishing once, and the stale-basis refusal in Swedish."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable

import httpx
import pytest
from fastapi.testclient import TestClient

from insats.services import planning
from insats.services.runtime import uow_factory_for
from tests.web.conftest import DemoWeb

TODAY = dt.date.today()
# Far enough ahead that no other test plans or publishes these weeks.
START = TODAY + dt.timedelta(days=7 - TODAY.weekday()) + dt.timedelta(weeks=10)


pytestmark = pytest.mark.usefixtures("job_worker")


def _start(client: TestClient, unit: str, *, weeks: str = "1", time_limit: str = "2",
           start: dt.date = START) -> httpx.Response:
    return client.post("/planning/runs", data={
        "unit": [unit], "start": start.isoformat(), "weeks": weeks, "time_limit": time_limit,
        "csrf_token": client.csrf}, follow_redirects=False)  # type: ignore[attr-defined]


def _wait_until_ended(client: TestClient, run_id: str, limit: float = 120.0) -> str:
    """Poll the progress partial like the page does, until it stops asking for itself."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        partial = client.get(f"/planning/runs/{run_id}/progress",
                             headers={"HX-Request": "true"})
        assert partial.status_code == 200
        if "hx-trigger" not in partial.text:
            return partial.text
        assert 'hx-trigger="every 2s"' in partial.text and "<progress" in partial.text
        time.sleep(0.5)
    raise AssertionError(f"run {run_id} did not end within {limit} s")


@pytest.mark.slow
def test_a_run_started_from_the_page_ends_shows_progress_and_publishes_once(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    client = signed_in("samordnare")
    unit = demo_web.own_unit_id

    started = _start(client, unit)
    assert started.status_code == 303
    first = started.headers["location"].rsplit("/", 1)[-1]
    busy = _start(client, unit)
    assert busy.status_code == 409 and "pågår redan" in busy.text

    ended = _wait_until_ended(client, first)
    assert "Klar" in ended and "Publicera förslaget" in ended
    page = client.get(f"/planning/runs/{first}")
    assert page.status_code == 200
    assert "<progress" in page.text and '<svg class="chart"' in page.text
    assert re.search(rf'action="/planning/runs/{first}/publish"', page.text)
    run = planning.get_run(uow_factory_for(demo_web.url), first).run
    assert run.progress, "the solver's improvements are stored on the run"
    assert f"{len(run.progress)} förbättringar" in page.text

    second_start = _start(client, unit)  # the same weeks again: it rests on the same basis
    second = second_start.headers["location"].rsplit("/", 1)[-1]
    _wait_until_ended(client, second)

    published = client.post(f"/planning/runs/{first}/publish",
                            data={"csrf_token": client.csrf},  # type: ignore[attr-defined]
                            follow_redirects=False)
    assert published.status_code == 303 and "published=" in published.headers["location"]
    shown = client.get(published.headers["location"])
    assert "Publicerade" in shown.text and "Publicera förslaget" not in shown.text
    again = client.post(f"/planning/runs/{first}/publish",
                        data={"csrf_token": client.csrf},  # type: ignore[attr-defined]
                        follow_redirects=False)
    assert again.status_code == 409 and "publicerades redan" in again.text

    stale = client.post(f"/planning/runs/{second}/publish",
                        data={"csrf_token": client.csrf},  # type: ignore[attr-defined]
                        follow_redirects=False)
    assert stale.status_code == 409
    assert "har ändrats sedan planeringen gjordes" in stale.text
    assert "Traceback" not in stale.text
    listed = client.get("/planning")
    assert first in listed.text and second in listed.text


def test_the_form_keeps_what_was_typed_and_names_each_error(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    client = signed_in("avdelningschef")
    tuesday = START + dt.timedelta(days=1)
    response = _start(client, demo_web.own_unit_id, weeks="9", time_limit="0", start=tuesday)
    assert response.status_code == 422
    text = response.text
    assert "ingen måndag" in text and "1–8" in text and "1–300" in text
    assert f'value="{tuesday.isoformat()}"' in text and 'value="9"' in text
    none = client.post("/planning/runs", data={"start": START.isoformat(), "weeks": "1",
                                               "time_limit": "5",
                                               "csrf_token": client.csrf},  # type: ignore[attr-defined]
                       follow_redirects=False)
    assert none.status_code == 422 and "Välj minst en enhet" in none.text
    unknown = _start(client, "U-finns-inte")
    assert unknown.status_code == 404


def test_a_queued_run_for_the_same_units_blocks_a_new_one(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    factory = uow_factory_for(demo_web.url)
    unit = demo_web.other_unit_id
    queued = planning.create_run(factory, unit_ids=[unit], start=START, weeks=1, time_limit=5)
    try:
        client = signed_in("samordnare")
        page = _start(client, unit)
        api = client.post("/api/planning/runs", json={
            "unit_ids": [unit], "start": START.isoformat(), "weeks": 1, "time_limit": 5},
            headers={"X-CSRF-Token": client.csrf})  # type: ignore[attr-defined]
        assert page.status_code == 409
        assert api.status_code == 409 and api.json()["code"] == "planning.busy"
        assert queued.id in api.json()["message"]
    finally:
        planning.mark_failed(factory, queued.id, "Testets köade planering.")


def test_the_api_validates_before_starting_anything(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    client = signed_in("samordnare")
    headers = {"X-CSRF-Token": client.csrf}  # type: ignore[attr-defined]
    factory = uow_factory_for(demo_web.url)
    before = len(planning.list_runs(factory, limit=500))
    for body in ({"unit_ids": [demo_web.own_unit_id], "start": START.isoformat(), "weeks": 0},
                 {"unit_ids": [demo_web.own_unit_id], "start": START.isoformat(), "weeks": 9},
                 {"unit_ids": [demo_web.own_unit_id], "start": START.isoformat(),
                  "time_limit": 301},
                 {"unit_ids": [], "start": START.isoformat()},
                 {"unit_ids": ["\x00"], "start": START.isoformat()}):
        response = client.post("/api/planning/runs", json=body, headers=headers)
        assert response.status_code == 422, body
    tuesday = client.post("/api/planning/runs", headers=headers, json={
        "unit_ids": [demo_web.own_unit_id], "start": (START + dt.timedelta(days=1)).isoformat()})
    assert tuesday.status_code == 400 and "måndag" in tuesday.json()["message"]
    unknown = client.post("/api/planning/runs", headers=headers, json={
        "unit_ids": ["U-finns-inte"], "start": START.isoformat()})
    assert unknown.status_code == 404
    assert len(planning.list_runs(factory, limit=500)) == before
    assert client.get("/api/planning/runs/P-finns-inte").status_code == 404
    assert client.get("/planning/runs/P00000000").status_code == 404


@pytest.mark.parametrize("role", ["enhetschef", "ekonom", "namnd"])
def test_roles_that_do_not_plan_get_403(role: str, demo_web: DemoWeb,
                                        signed_in: Callable[[str], TestClient]) -> None:
    client = signed_in(role)
    assert client.get("/planning").status_code == 403
    assert client.get("/api/planning/runs").status_code == 403
    refused = _start(client, demo_web.own_unit_id)
    assert refused.status_code == 403
