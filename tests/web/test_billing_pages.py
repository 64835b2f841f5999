"""The billing pages and API: claims as the service computes them, submitting a month once
(only for department-wide money roles), scope per role, and the Excel downloads."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from insats.domain.billing import InvoiceKind
from insats.domain.contracts import Month
from insats.domain.fk_claims import ClaimStatus
from insats.domain.formatting import format_kronor
from insats.services import billing, claims
from insats.services.runtime import uow_factory_for
from tests.web.conftest import DemoWeb

pytestmark = pytest.mark.slow

TODAY = dt.date.today()
SUBMIT_MONTH = (2026, 9)  # only this test submits September (the matrix uses July)


def _fk_invoices(demo: DemoWeb, year: int, month: int) -> list[str]:
    return [i.id for i in billing.list_invoices(uow_factory_for(demo.url),
                                                month=Month(year, month))
            if i.kind in (InvoiceKind.FK_CLAIM, InvoiceKind.FK_REBILLING)]


def test_the_claims_tab_shows_the_services_claims(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    page = signed_in("ekonom").get("/billing?tab=claims&month=2026-10")

    assert page.status_code == 200
    rows = claims.month_claims(uow_factory_for(demo_web.url), year=2026, month=10, as_of=TODAY)
    assert rows
    for row in rows:
        assert f">{row.pseudonym}</th>" in page.text
    total = sum(r.claim.amount_ore for r in rows)
    assert f'data-total="belopp">{format_kronor(total, 2)}<' in page.text
    api = signed_in("ekonom").get("/api/billing/claims?month=2026-10")
    assert api.status_code == 200 and api.json()["total_ore"] == total
    assert {c["client_pseudonym"] for c in api.json()["claims"]} == {r.pseudonym for r in rows}


def test_submitting_a_month_issues_its_claims_once(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    year, month = SUBMIT_MONTH
    factory = uow_factory_for(demo_web.url)
    ready = [r for r in claims.month_claims(factory, year=year, month=month, as_of=TODAY)
             if r.claim.status in claims.SUBMITTABLE and r.claim.outstanding_ore > 0]
    assert ready, "September's claims are overdue in the demo, so they can be sent"
    client = signed_in("ekonom")
    before = _fk_invoices(demo_web, year, month)
    since = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)

    first = client.post("/billing/claims/submit", data={
        "month": f"{year}-{month:02d}", "csrf_token": client.csrf},  # type: ignore[attr-defined]
        follow_redirects=False)
    second = client.post("/billing/claims/submit", data={
        "month": f"{year}-{month:02d}", "csrf_token": client.csrf},  # type: ignore[attr-defined]
        follow_redirects=False)

    assert first.status_code == 303 and f"issued={len(ready)}" in first.headers["location"]
    assert second.status_code == 303 and "issued=0" in second.headers["location"]
    after = _fk_invoices(demo_web, year, month)
    assert len(after) - len(before) == len(ready)
    notice = client.get(first.headers["location"])
    assert f"{len(ready)} räkningar till Försäkringskassan utfärdades." in notice.text
    assert "Inga räkningar utfärdades" in client.get(second.headers["location"]).text
    with factory() as uow:
        logged = [e for e in uow.audit.between(since, since + dt.timedelta(hours=1))
                  if e.route == "POST /billing/claims/submit"]
    assert sorted(e.object_id or "" for e in logged) == sorted(set(after) - set(before))
    assert {(e.username, e.action, e.object_kind) for e in logged} == {
        ("ekonom", "create", "invoice")}
    assert {e.client_id for e in logged} == {r.claim.client_id for r in ready}
    statuses = {r.claim.status for r in claims.month_claims(factory, year=year, month=month,
                                                               as_of=TODAY)
                if r.pseudonym in {x.pseudonym for x in ready}}
    assert statuses <= {ClaimStatus.SUBMITTED, ClaimStatus.SUBMITTED_LATE}


def test_a_unit_manager_may_not_submit_claims(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    client = signed_in("enhetschef")
    before = _fk_invoices(demo_web, 2026, 8)
    page = client.get("/billing?month=2026-08")
    assert page.status_code == 200 and "Skicka klara räkningar" not in page.text

    refused = client.post("/billing/claims/submit", data={
        "month": "2026-08", "csrf_token": client.csrf},  # type: ignore[attr-defined]
        follow_redirects=False)
    api = client.post("/api/billing/claims/submit", json={"month": "2026-08"},
                      headers={"X-CSRF-Token": client.csrf})  # type: ignore[attr-defined]

    assert refused.status_code == 403 and api.status_code == 403
    assert api.json()["code"] == "access.denied"
    assert _fk_invoices(demo_web, 2026, 8) == before


def test_submitting_needs_the_forms_security_code(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    before = _fk_invoices(demo_web, 2026, 8)
    response = signed_in("ekonom").post("/billing/claims/submit", data={"month": "2026-08"},
                                        follow_redirects=False)
    assert response.status_code == 403
    assert _fk_invoices(demo_web, 2026, 8) == before


def test_a_unit_manager_sees_only_their_units_claims(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    client = signed_in("enhetschef")
    with uow_factory_for(demo_web.url)() as uow:
        account = uow.accounts.by_username("enhetschef")
        assert account is not None
    listed = client.get("/api/billing/claims?month=2026-10")
    assert listed.status_code == 200
    units = {c["unit_id"] for c in listed.json()["claims"]}
    assert units and units <= account.unit_ids
    other = client.get(f"/billing?tab=shares&month=2026-10&unit={demo_web.other_unit_id}")
    assert other.status_code == 403


@pytest.mark.parametrize("role", ["samordnare", "namnd"])
def test_roles_without_money_get_403(role: str, signed_in: Callable[[str], TestClient]) -> None:
    client = signed_in(role)
    assert client.get("/billing").status_code == 403
    assert client.get("/api/billing/claims").status_code == 403
    response = client.post("/billing/claims/submit", data={
        "month": "2026-08", "csrf_token": client.csrf},  # type: ignore[attr-defined]
        follow_redirects=False)
    assert response.status_code == 403


def _sheet_rows(content: bytes) -> list[tuple[object, ...]]:
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def test_every_tab_downloads_as_excel(demo_web: DemoWeb,
                                      signed_in: Callable[[str], TestClient]) -> None:
    client = signed_in("ekonom")
    factory = uow_factory_for(demo_web.url)
    expected = {
        "claims": [r.pseudonym for r in claims.month_claims(factory, year=2026, month=10,
                                                            as_of=TODAY)],
        "settlements": [p for p, _ in claims.settlements(factory, on=dt.date(2026, 10, 15),
                                                         as_of=TODAY)],
        "shares": [r.pseudonym for r in claims.municipal_shares(factory, year=2026, month=10)],
    }
    for tab, codes in expected.items():
        download = client.get(f"/billing?tab={tab}&month=2026-10&on=2026-10-15&format=xlsx")
        assert download.status_code == 200, tab
        rows = _sheet_rows(download.content)
        found = [r[0] for r in rows if isinstance(r[0], str) and re.fullmatch(r"B-\d+", r[0])]
        assert found == codes and codes, tab
    invoices = client.get("/billing?tab=invoices&month=2026-09&format=xlsx")
    assert invoices.status_code == 200
    numbers = [r[0] for r in _sheet_rows(invoices.content)
               if isinstance(r[0], str) and re.fullmatch(r"\d{4}-\d{5}", r[0])]
    listed = [i.number for i in billing.list_invoices(factory, month=Month(2026, 9))
              if i.number]
    assert numbers == listed


def test_a_bad_month_shows_the_form_again(signed_in: Callable[[str], TestClient]) -> None:
    client = signed_in("ekonom")
    page = client.get("/billing?month=2026-14")
    assert page.status_code == 422 and 'value="2026-14"' in page.text
    assert "ska skrivas ÅÅÅÅ-MM" in page.text
    posted = client.post("/billing/claims/submit", data={
        "month": "oktober", "csrf_token": client.csrf},  # type: ignore[attr-defined]
        follow_redirects=False)
    assert posted.status_code == 422 and 'value="oktober"' in posted.text
    api = client.post("/api/billing/claims/submit", json={"month": "2026-13"},
                      headers={"X-CSRF-Token": client.csrf})  # type: ignore[attr-defined]
    assert api.status_code == 422 and api.json()["code"] == "month.invalid"
