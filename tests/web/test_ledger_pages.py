"""The hour ledger pages and API: totals equal the service's, scope per role, the
drill-down is logged and adds up to the client's row, Excel downloads hold the rows."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from insats.domain.common import IsoWeek
from insats.domain.formatting import format_hours, format_kronor
from insats.domain.ledger import Figure, LedgerFigures
from insats.services.ledger import Window, ledger_report
from insats.services.runtime import uow_factory_for
from tests.web.conftest import DemoWeb

pytestmark = pytest.mark.slow

TODAY = dt.date.today()


def _footer(html: str) -> str:
    found = re.search(r"<tfoot>(.*?)</tfoot>", html, flags=re.DOTALL)
    assert found, "the ledger has no totals row"
    return found.group(1)


def _pseudonym(demo: DemoWeb, client_id: str) -> str:
    with uow_factory_for(demo.url)() as uow:
        client = uow.clients.get(client_id)
        assert client is not None
        return client.pseudonym


def _shown_totals(total: LedgerFigures) -> list[str]:
    """The totals as the page writes them; a zero shows as a dash, so it is left out."""
    hours = [total.minutes(Figure.GRANTED) + total.minutes(Figure.GRANTED_DOUBLE),
             total.minutes(Figure.PERFORMED) + total.minutes(Figure.PERFORMED_DOUBLE),
             total.minutes(Figure.BILLABLE), total.minutes(Figure.BEYOND),
             total.minutes(Figure.UNREPORTED), total.unused_minutes,
             total.not_payable_minutes]
    amounts = [total.ore(Figure.GRANTED), total.ore(Figure.BILLABLE), total.ore(Figure.BEYOND),
               total.ore(Figure.UNREPORTED), total.not_payable_ore]
    return ([format_hours(m, 1) for m in hours if m]
            + [format_kronor(ore) for ore in amounts if ore])


@pytest.mark.parametrize("query, window", [
    ("window=month&month=2026-10", Window.month(2026, 10)),
    ("window=week&week=2026-W43", Window.week(IsoWeek(2026, 43))),
    ("window=period&on=2026-10-15", Window.period_on(dt.date(2026, 10, 15))),
])
def test_the_page_totals_are_the_services_figures(
        query: str, window: Window, demo_web: DemoWeb,
        signed_in: Callable[[str], TestClient]) -> None:
    page = signed_in("ekonom").get(f"/ledger?{query}")

    assert page.status_code == 200
    report = ledger_report(uow_factory_for(demo_web.url), window=window, as_of=TODAY)
    assert report.rows, "the demo month has a ledger"
    footer = _footer(page.text)
    for text in _shown_totals(report.total):
        assert text in footer, text
    assert f"({len(report.rows)})" in page.text
    for row in report.rows:
        assert f">{row.pseudonym}</a>" in page.text


def test_without_a_window_the_page_shows_the_last_full_month_with_data(
        signed_in: Callable[[str], TestClient]) -> None:
    page = signed_in("avdelningschef").get("/ledger")
    assert page.status_code == 200
    assert "oktober 2026" in page.text  # the demo's time ends 2026-10-31
    assert 'value="2026-10"' in page.text


def test_a_unit_manager_sees_only_their_own_units(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    client = signed_in("enhetschef")
    with uow_factory_for(demo_web.url)() as uow:
        account = uow.accounts.by_username("enhetschef")
        assert account is not None
        own = account.unit_ids
        names = {u.id: u.name for u in uow.organisation.units()}

    listed = client.get("/api/ledger?window=week&week=2026-W43")
    assert listed.status_code == 200
    units = {row["unit_id"] for row in listed.json()["rows"]}
    assert units and units <= own
    page = client.get("/ledger?window=week&week=2026-W43")
    assert names[demo_web.own_unit_id] in page.text
    assert names[demo_web.other_unit_id] not in page.text

    for path in ("/ledger", "/api/ledger"):
        refused = client.get(f"{path}?window=week&week=2026-W43&unit={demo_web.other_unit_id}")
        assert refused.status_code == 403, path
    assert client.get("/ledger?unit=U-finns-inte").status_code == 404


@pytest.mark.parametrize("role", ["samordnare", "namnd"])
def test_roles_without_money_get_403(role: str, demo_web: DemoWeb,
                                     signed_in: Callable[[str], TestClient]) -> None:
    client = signed_in(role)
    pseudonym = _pseudonym(demo_web, demo_web.own_client_id)
    for path in ("/ledger", "/api/ledger", f"/ledger/{pseudonym}", f"/api/ledger/{pseudonym}"):
        assert client.get(path).status_code == 403, path


def _events(demo: DemoWeb, client_id: str, since: dt.datetime) -> list[tuple[str, str, str]]:
    with uow_factory_for(demo.url)() as uow:
        found = uow.audit.between(since, since + dt.timedelta(hours=1), client_id=client_id)
    return [(e.username, e.action, e.route) for e in found]


def test_a_drill_down_is_written_to_the_access_log(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    pseudonym = _pseudonym(demo_web, demo_web.own_client_id)
    since = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)

    page = signed_in("ekonom").get(f"/ledger/{pseudonym}?window=month&month=2026-10")
    refused = signed_in("enhetschef2").get(f"/ledger/{pseudonym}?window=month&month=2026-10")

    assert page.status_code == 200 and pseudonym in page.text and "Summa per post" in page.text
    assert refused.status_code == 403
    events = _events(demo_web, demo_web.own_client_id, since)
    assert ("ekonom", "read", "GET /ledger/{client_pseudonym}") in events
    assert ("enhetschef2", "denied", "GET /ledger/{client_pseudonym}") in events
    assert signed_in("ekonom").get("/ledger/B-9999?month=2026-10").status_code == 404


def test_a_drill_down_adds_up_to_the_clients_row(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    client = signed_in("enhetschef")
    ledger = client.get(f"/api/ledger?window=month&month=2026-10&unit={demo_web.own_unit_id}")
    assert ledger.status_code == 200
    rows = ledger.json()["rows"]
    assert rows
    for row in rows:
        detail = client.get(f"/api/ledger/{row['client_pseudonym']}?window=month&month=2026-10")
        assert detail.status_code == 200
        sums: dict[str, int] = {}
        for item in detail.json()["items"]:
            sums[item["figure"]] = sums.get(item["figure"], 0) + item["minutes"]
        expected = {name: minutes for name, minutes in row["figures"]["minutes"].items()
                    if minutes}
        assert sums == expected, row["client_pseudonym"]
    only = client.get(f"/api/ledger/{rows[0]['client_pseudonym']}?month=2026-10"
                      "&figure=fk_debiterbart").json()
    assert {i["figure"] for i in only["items"]} <= {"fk_debiterbart"}


def test_the_ledger_and_a_drill_down_download_as_excel(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    client = signed_in("ekonom")
    download = client.get("/ledger?window=month&month=2026-10&format=xlsx")

    assert download.status_code == 200
    assert download.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(download.content)).active
    assert sheet is not None
    report = ledger_report(uow_factory_for(demo_web.url), window=Window.month(2026, 10),
                           as_of=TODAY)
    codes = [c.value for c in sheet["A"] if isinstance(c.value, str)
             and re.fullmatch(r"B-\d+", c.value)]
    assert codes == [r.pseudonym for r in report.rows]

    pseudonym = _pseudonym(demo_web, demo_web.own_client_id)
    since = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    detail = client.get(f"/ledger/{pseudonym}?window=month&month=2026-10&format=xlsx")
    assert detail.status_code == 200
    items = load_workbook(io.BytesIO(detail.content)).active
    assert items is not None
    days = [c.value for c in items["A"] if isinstance(c.value, dt.datetime)]
    assert days and all(d.month == 10 for d in days)
    assert ("ekonom", "export", "GET /ledger/{client_pseudonym}") in _events(
        demo_web, demo_web.own_client_id, since)


def test_a_bad_window_shows_the_form_again_with_a_swedish_error(
        signed_in: Callable[[str], TestClient]) -> None:
    client = signed_in("ekonom")
    page = client.get("/ledger?window=month&month=2026-13")
    assert page.status_code == 422
    assert "ska skrivas ÅÅÅÅ-MM" in page.text and 'value="2026-13"' in page.text
    week = client.get("/ledger?window=week&week=2026-W60")
    assert week.status_code == 422 and "2026-W60" in week.text
    api = client.get("/api/ledger?window=period&on=2026-02-30")
    assert api.status_code == 422 and api.json()["code"] == "ledger.window"


def test_the_ledger_speaks_english(signed_in: Callable[[str], TestClient]) -> None:
    client = signed_in("ekonom")
    client.cookies.set("insats_lang", "en")
    page = client.get("/ledger?window=week&week=2026-W43")
    assert "Hour ledger" in page.text and "Billable to FK" in page.text


def test_a_large_scope_shows_a_row_per_unit_that_leads_to_its_clients(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from insats.web.routes import ledger as ledger_routes

    head = signed_in("avdelningschef")
    window = Window.month(2026, 10)
    report = ledger_report(uow_factory_for(demo_web.url), window=window, as_of=TODAY)
    units = sorted({r.unit_id for r in report.rows})
    assert len(units) > 1 and len(report.rows) > 5
    monkeypatch.setattr(ledger_routes, "CLIENT_ROWS_AT_MOST", 5)

    page = head.get("/ledger?window=month&month=2026-10")
    assert page.status_code == 200
    assert "Per enhet" in page.text and f"Urvalet har {len(report.rows)} brukare" in page.text
    for unit_id in units:
        assert f'href="/ledger?window=month&amp;month=2026-10&amp;unit={unit_id}"' in page.text
    per_unit = page.text.split("Per enhet", 1)[1].split('id="avvikelser"', 1)[0]
    assert not re.search(r'href="/ledger/[^"?]+\?', per_unit)  # no client's row
    assert all(value in _footer(page.text) for value in _shown_totals(report.total))

    one = head.get(f"/ledger?window=month&month=2026-10&unit={units[0]}")
    assert "Per brukare" in one.text and "Per enhet" not in one.text
    first = next(r for r in report.rows if r.unit_id == units[0])
    assert f"/ledger/{first.pseudonym}?" in one.text
    workbook = load_workbook(io.BytesIO(head.get(
        "/ledger?window=month&month=2026-10&format=xlsx").content))
    assert workbook.active is not None
    assert workbook.active.max_row >= len(report.rows)  # the file still has every client
