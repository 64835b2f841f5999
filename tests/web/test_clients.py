"""Clients: scope, the access log, names and personnummer, the committee, the stay form,
the Excel export and the API."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable

import openpyxl
import pytest
from fastapi.testclient import TestClient

from insats.domain.access import AuditEvent
from insats.services.runtime import uow_factory_for
from tests.web.conftest import DemoWeb

pytestmark = pytest.mark.slow

ON = "2026-10-31"


def _events(demo_web: DemoWeb, client_id: str, since: dt.datetime) -> list[AuditEvent]:
    with uow_factory_for(demo_web.url)() as uow:
        return uow.audit.between(since, dt.datetime.now(dt.UTC) + dt.timedelta(seconds=5),
                                 client_id=client_id)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC) - dt.timedelta(milliseconds=5)


def test_a_unit_manager_lists_only_clients_of_their_units(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    client = signed_in("enhetschef")
    api = client.get("/api/clients").json()
    own_units = set(client.get("/api/overview").json()["unit_ids"])
    assert api["clients"] and {c["unit_id"] for c in api["clients"]} <= own_units
    ids = {c["id"] for c in api["clients"]}
    assert demo_web.own_client_id in ids and demo_web.other_client_id not in ids
    page = client.get("/clients").text
    assert f'data-client="{demo_web.own_client_id}"' in page
    assert f'data-client="{demo_web.other_client_id}"' not in page
    # filtering by another unit is refused, not quietly empty
    assert client.get(f"/clients?unit={demo_web.other_unit_id}").status_code == 403


def test_another_units_client_is_refused_and_the_attempt_is_logged(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    since = _now()
    client = signed_in("enhetschef")
    response = client.get(f"/clients/{demo_web.other_client_id}")
    assert response.status_code == 403
    assert "Åtkomst nekad" in response.text
    assert client.get(f"/api/clients/{demo_web.other_client_id}").status_code == 403
    events = _events(demo_web, demo_web.other_client_id, since)
    denied = [e for e in events if e.action == "denied" and e.username == "enhetschef"]
    assert len(denied) == 2
    assert denied[0].unit_id == demo_web.other_unit_id
    assert not [e for e in events if e.action == "read"]


def test_a_client_page_view_writes_exactly_one_read_event(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    client = signed_in("enhetschef")
    since = _now()
    assert client.get(f"/clients/{demo_web.own_client_id}?on={ON}").status_code == 200
    events = _events(demo_web, demo_web.own_client_id, since)
    assert [(e.action, e.object_kind, e.client_id, e.unit_id, e.username) for e in events] == [
        ("read", "client", demo_web.own_client_id, demo_web.own_unit_id, "enhetschef")]
    assert events[0].route == "GET /clients/{client_id}"


def test_the_client_page_shows_decisions_hours_team_continuity_and_stays(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    client = signed_in("avdelningschef")
    page = client.get(f"/clients/{demo_web.own_client_id}?on={ON}")
    assert page.status_code == 200
    for part in ('id="decisions"', 'id="week-hours"', 'id="team"', 'id="continuity"',
                 'id="stay-table"', 'id="stay-form"', "<svg"):
        assert part in page.text
    api = client.get(f"/api/clients/{demo_web.own_client_id}?on={ON}").json()
    assert len(api["weeks"]) == 12 and len(api["continuity"]) == 6
    assert any(d["current"] for d in api["decisions"])
    assert api["team"] and api["weeks"][-1]["week"]["key"] == "2026-W44"
    # the page's weekly table and the API agree
    week = api["weeks"][-2]
    row = page.text[page.text.index(f'data-window="{week["week"]["key"]}"'):]
    performed = re.search(r'data-figure="performed">([^<]*)<', row)
    assert performed
    hours = week["performed_minutes"] / 60
    assert performed.group(1).replace("\u00a0", " ") == (
        f"{hours:,.1f}".replace(",", " ").replace(".", ",") + " h")


def test_names_are_hidden_from_the_controller_and_the_personnummer_is_always_masked(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    full = signed_in("avdelningschef").get(f"/api/clients/{demo_web.own_client_id}").json()
    assert full["name"] and re.fullmatch(r"\d{8}-\*{4}", full["identity_masked"])
    with uow_factory_for(demo_web.url)() as uow:
        stored = uow.clients.get(demo_web.own_client_id)
    assert stored is not None
    head = signed_in("avdelningschef").get(f"/clients/{demo_web.own_client_id}").text
    assert stored.identity.digits not in head and stored.identity.formatted() not in head
    assert stored.identity.masked() in head
    ekonom = signed_in("ekonom")
    api = ekonom.get(f"/api/clients/{demo_web.own_client_id}").json()
    assert api["name"] is None and api["identity_masked"] is None
    page = ekonom.get(f"/clients/{demo_web.own_client_id}").text
    assert stored.given_name not in page and stored.family_name not in page
    assert stored.identity.masked() not in page
    listing = ekonom.get("/api/clients").json()
    assert all(c["name"] is None for c in listing["clients"])
    # and a controller cannot find a client by name either
    assert ekonom.get(f"/api/clients?q={stored.family_name}").json()["total"] == 0
    assert "stay-form" not in page  # may not register stays


def test_the_committee_may_not_see_clients(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    client = signed_in("namnd")
    for path in ("/clients", f"/clients/{demo_web.own_client_id}", "/api/clients",
                 f"/api/clients/{demo_web.own_client_id}"):
        assert client.get(path).status_code == 403, path


def test_the_stay_form_stores_the_stay_logs_it_and_says_so(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    client = signed_in("enhetschef")
    since = _now()
    response = client.post(f"/clients/{demo_web.own_client_id}/stays", data={
        "csrf_token": client.csrf,  # type: ignore[attr-defined]
        "kind": "korttidsvistelse", "start": "2026-10-12T15:00", "end": "2026-10-14T09:30",
        "special_reasons": "1", "reason": "Förälder på sjukhus"}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith(f"/clients/{demo_web.own_client_id}?")
    with uow_factory_for(demo_web.url)() as uow:
        stays = [s for s in uow.stays.overlapping(
            dt.datetime(2026, 10, 12, tzinfo=dt.UTC), dt.datetime(2026, 10, 15, tzinfo=dt.UTC),
            client_ids=[demo_web.own_client_id]) if s.reason == "Förälder på sjukhus"]
    assert len(stays) == 1
    stay = stays[0]
    assert stay.kind.value == "korttidsvistelse" and stay.special_reasons
    assert stay.start == dt.datetime(2026, 10, 12, 13, 0, tzinfo=dt.UTC)  # 15:00 CEST
    assert stay.end == dt.datetime(2026, 10, 14, 7, 30, tzinfo=dt.UTC)
    created = [e for e in _events(demo_web, demo_web.own_client_id, since)
               if e.action == "create"]
    assert [(e.object_kind, e.object_id) for e in created] == [("client_stay", stay.id)]
    shown = client.get(response.headers["location"]).text
    assert "Vistelsen är registrerad." in shown and "Förälder på sjukhus" in shown


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"kind": "sjukhus", "start": "2026-10-20T10:00", "end": "2026-10-19T10:00"},
     "end", "Vistelsen måste sluta efter att den börjar."),
    ({"kind": "sjukhus", "start": "20/10 kl 10", "end": "2026-10-21T10:00"},
     "start", "ska anges som datum och klockslag"),
    ({"kind": "", "start": "2026-10-20T10:00", "end": "2026-10-21T10:00"},
     "kind", "Välj typ av vistelse."),
])
def test_bad_stay_input_keeps_the_values_and_shows_the_error_by_the_field(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient],
        fields: dict[str, str], field: str, message: str) -> None:
    client = signed_in("avdelningschef")
    reason = "Kvarhållet skäl åäö"
    response = client.post(f"/clients/{demo_web.own_client_id}/stays", data={
        "csrf_token": client.csrf, "reason": reason, **fields})  # type: ignore[attr-defined]
    assert response.status_code == 400
    html = response.text
    error = re.search(rf'<span class="field-error" id="{field}-error">([^<]*)</span>', html)
    assert error and message in error.group(1)
    assert f'value="{reason}"' in html
    for name in ("start", "end"):
        assert f'name="{name}" value="{fields[name]}"' in html
    if fields["kind"]:
        assert f'<option value="{fields["kind"]}" selected>' in html
    with uow_factory_for(demo_web.url)() as uow:
        assert not [s for s in uow.stays.all() if s.reason == reason]


def test_the_excel_export_has_the_listed_clients(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    client = signed_in("enhetschef")
    listed = client.get(f"/api/clients?unit={demo_web.own_unit_id}").json()["clients"]
    response = client.get(f"/clients?unit={demo_web.own_unit_id}&format=xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r and r[0] == "Brukare")
    assert "Namn" in rows[header]
    body = [r for r in rows[header + 1:] if r and r[1]]
    assert [r[1] for r in body] == [c["id"] for c in listed]
    assert [r[2] for r in body] == [c["name"] for c in listed]
    ekonom = signed_in("ekonom").get("/clients?format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(ekonom.content)).active
    assert sheet is not None
    assert "Namn" not in [c for r in sheet.iter_rows(values_only=True) for c in r]


def test_the_api_registers_a_stay_with_the_csrf_header_only(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    client = signed_in("avdelningschef")
    url = f"/api/clients/{demo_web.own_client_id}/stays"
    body = {"kind": "sjukhus", "start": "2026-09-07T08:00:00+02:00",
            "end": "2026-09-09T08:00", "reason": "API-vistelse"}
    assert client.post(url, json=body).status_code == 403
    created = client.post(url, json=body, headers={"X-CSRF-Token": client.csrf})  # type: ignore[attr-defined]
    assert created.status_code == 201
    assert created.json()["start"].startswith("2026-09-07T06:00")
    bad = client.post(url, json={**body, "end": "2026-09-01T08:00"},
                      headers={"X-CSRF-Token": client.csrf})  # type: ignore[attr-defined]
    assert bad.status_code == 400
    assert bad.json() == {"code": "stay.invalid",
                          "message": "Vistelsen måste sluta efter att den börjar."}
    odd = client.post(url, json={**body, "start": "0001-01-01T00:00:00+14:00"},
                      headers={"X-CSRF-Token": client.csrf})  # type: ignore[attr-defined]
    assert odd.status_code == 400
    unknown = client.post("/api/clients/C9999999/stays", json=body,
                          headers={"X-CSRF-Token": client.csrf})  # type: ignore[attr-defined]
    assert unknown.status_code == 404
