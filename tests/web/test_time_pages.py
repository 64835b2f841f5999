"""The approval queue page on the demo department: a unit manager's reported entries with
the checks' flags, attesting from the page, and refusals for other units and roles."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import replace
from functools import cache
from urllib.parse import parse_qs, urlsplit

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from insats.db.models.scheduling import AssistanceGroupRow
from insats.db.models.time_reports import TimeEntryRow
from insats.domain.access import Caller
from insats.domain.calendar import to_local
from insats.domain.time_reports import TimeEntryStatus
from insats.services.runtime import uow_factory_for
from insats.services.time_approval import TimeCheck, check_time_reports
from tests.web.conftest import DemoWeb


@cache
def reported_month(url: str, unit_id: str) -> dt.date:
    """The last month with reported (unattested) time in the unit."""
    with uow_factory_for(url)() as uow:
        latest = uow.session.scalar(
            select(func.max(TimeEntryRow.worked_on))
            .join(AssistanceGroupRow, AssistanceGroupRow.id == TimeEntryRow.group_id)
            .where(AssistanceGroupRow.unit_id == unit_id,
                   TimeEntryRow.status == TimeEntryStatus.REPORTED))
    assert latest is not None
    return latest.replace(day=1)


def queue(demo_web: DemoWeb, month: dt.date) -> TimeCheck:
    account = demo_web.accounts["enhetschef"]
    with uow_factory_for(demo_web.url)() as uow:
        stored = uow.accounts.by_username(account.username)
    assert stored is not None
    return check_time_reports(uow_factory_for(demo_web.url), caller=Caller(stored.viewer()),
                              month=month, unit_ids=[demo_web.own_unit_id])


def test_the_queue_shows_the_units_unattested_entries_with_flags(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    month = reported_month(demo_web.url, demo_web.own_unit_id)
    expected = queue(demo_web, month)
    assert expected.entries
    page = signed_in("enhetschef").get(
        f"/time?unit={demo_web.own_unit_id}&month={month:%Y-%m}")
    assert page.status_code == 200
    shown = re.findall(r'<tr data-entry="([^"]+)"', page.text)
    assert sorted(shown) == sorted(c.entry.id for c in expected.entries)
    flagged = next((c for c in expected.entries if c.flags), None)
    if flagged is not None:
        row = page.text.split(f'data-entry="{flagged.entry.id}"')[1].split("</tr>")[0]
        assert 'class="flag flag-' in row and flagged.flags[0].label in row
    workbook = signed_in("enhetschef").get(
        f"/time?unit={demo_web.own_unit_id}&month={month:%Y-%m}&format=xlsx")
    assert workbook.status_code == 200 and workbook.content[:2] == b"PK"


def test_attest_from_the_page(demo_web: DemoWeb,
                              signed_in: Callable[[str], TestClient]) -> None:
    month = reported_month(demo_web.url, demo_web.own_unit_id)
    clean = next(c.entry.id for c in queue(demo_web, month).entries if c.clean)
    client = signed_in("enhetschef")
    response = client.post("/time/attest", data={
        "entry_id": clean, "csrf_token": client.csrf,  # type: ignore[attr-defined]
        "back": f"unit={demo_web.own_unit_id}&month={month:%Y-%m}"}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/time?unit=")
    with uow_factory_for(demo_web.url)() as uow:
        stored = uow.time_reports.get(clean)
    assert stored is not None and stored.is_attested and stored.attested_by == "enhetschef"
    assert clean not in {c.entry.id for c in queue(demo_web, month).entries}


def test_other_units_and_roles_are_refused(demo_web: DemoWeb,
                                           signed_in: Callable[[str], TestClient]) -> None:
    month = reported_month(demo_web.url, demo_web.own_unit_id)
    entry_id = queue(demo_web, month).entries[0].entry.id
    other = signed_in("enhetschef2")
    assert other.get(f"/time?unit={demo_web.own_unit_id}").status_code == 403
    for client in (other, signed_in("samordnare"), signed_in("ekonom")):
        data = {"entry_id": entry_id, "csrf_token": client.csrf}  # type: ignore[attr-defined]
        assert client.post("/time/attest", data=data).status_code == 403
        assert client.post(f"/time/{entry_id}/reject", data={
            "reason": "x", "csrf_token": client.csrf}).status_code == 403  # type: ignore[attr-defined]
    assert signed_in("namnd").get("/time").status_code == 403
    with uow_factory_for(demo_web.url)() as uow:
        stored = uow.time_reports.get(entry_id)
    assert stored is not None and stored.status is TimeEntryStatus.REPORTED


def test_correct_an_attested_entry_from_the_page(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    month = reported_month(demo_web.url, demo_web.own_unit_id)
    clean = next(c.entry for c in queue(demo_web, month).entries if c.clean)
    client = signed_in("enhetschef")
    csrf = client.csrf  # type: ignore[attr-defined]
    back = f"unit={demo_web.own_unit_id}&month={month:%Y-%m}&show=alla"
    assert client.post("/time/attest", data={"entry_id": clean.id, "csrf_token": csrf,
                                             "back": back}).status_code == 200
    listed = client.get(f"/time?{back}")
    row = listed.text.split(f'data-entry="{clean.id}"')[1].split("</tr>")[0]
    assert "Attesterad" in row and f"/time/{clean.id}/correct" in row

    form = client.get(f"/time/{clean.id}/correct")
    assert form.status_code == 200
    start = to_local(clean.start).strftime("%Y-%m-%dT%H:%M")
    assert f'value="{start}"' in form.text

    # wrong input: the form comes back with the fields' Swedish errors and what was typed
    refused = client.post(f"/time/{clean.id}/correct", data={
        "start": start, "end": start, "break_minutes": "x", "reason": "",
        "csrf_token": csrf, "back": back}, follow_redirects=False)
    assert refused.status_code == 400
    assert "Sluttiden måste vara efter starttiden." in refused.text
    assert "Rasten anges i hela minuter" in refused.text
    assert "Ange varför tidraden rättas." in refused.text
    assert f'value="{start}"' in refused.text

    later = to_local(clean.end - dt.timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M")
    saved = client.post(f"/time/{clean.id}/correct", data={
        "start": start, "end": later, "break_minutes": "0", "reason": "Gick hem tidigare",
        "csrf_token": csrf, "back": back}, follow_redirects=False)
    assert saved.status_code == 303
    new_id = parse_qs(urlsplit(saved.headers["location"]).query)["corrected"][0]
    with uow_factory_for(demo_web.url)() as uow:
        old, new = uow.time_reports.get(clean.id), uow.time_reports.get(new_id)
    assert old is not None and old == replace(clean, status=old.status,
                                              attested_at=old.attested_at,
                                              attested_by=old.attested_by)
    assert old.is_attested
    assert new is not None and new.corrects_entry_id == clean.id
    assert new.status is TimeEntryStatus.REPORTED and new.end == clean.end - dt.timedelta(
        minutes=30)
    assert "Gick hem tidigare" in new.comment
    assert new_id in {c.entry.id for c in queue(demo_web, month).entries}
    assert clean.id not in {c.entry.id for c in queue(demo_web, month).entries}

    again = client.post(f"/time/{clean.id}/correct", data={
        "start": start, "end": later, "break_minutes": "0", "reason": "igen",
        "csrf_token": csrf, "back": back}, follow_redirects=False)
    assert again.status_code == 409 and "redan rättad" in again.text


def test_other_units_cannot_open_or_save_a_correction(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    month = reported_month(demo_web.url, demo_web.own_unit_id)
    entry = queue(demo_web, month).entries[0].entry
    other = signed_in("enhetschef2")
    assert other.get(f"/time/{entry.id}/correct").status_code == 403
    start = to_local(entry.start).strftime("%Y-%m-%dT%H:%M")
    end = to_local(entry.end).strftime("%Y-%m-%dT%H:%M")
    for client in (other, signed_in("samordnare")):
        assert client.post(f"/time/{entry.id}/correct", data={
            "start": start, "end": end, "break_minutes": "0", "reason": "x",
            "csrf_token": client.csrf}).status_code == 403  # type: ignore[attr-defined]
    with uow_factory_for(demo_web.url)() as uow:
        assert uow.time_reports.get(entry.id) == entry
