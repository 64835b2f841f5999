"""The expense-claims page in a real browser: a unit manager rejects a submitted claim of
their own unit with htmx (the row is swapped in place, the CSRF token sent by app.js),
and the decision is stored."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from insats.domain.expenses import ClaimStatus
from insats.services.runtime import uow_factory_for
from tests.e2e.conftest import BrowserLog, LiveServer, sign_in

pytestmark = pytest.mark.browser


def test_a_manager_rejects_a_claim_in_place(page: Page, live_server: LiveServer,
                                           browser_log: BrowserLog) -> None:
    sign_in(page, live_server, "enhetschef", start="/expenses")
    rows = page.locator("table.expense-queue tbody tr[id^=claim-]")
    expect(rows.first).to_be_visible()
    row = rows.last
    claim_id = (row.get_attribute("data-claim") or "")
    assert claim_id
    row.locator("input[name=reason]").fill("Kvittot gäller en annan dag")
    url_before = page.url
    row.locator("form.reject button[type=submit]").click()
    decided = page.locator(f"#claim-{claim_id}")
    expect(decided).to_contain_text("Avvisad: Kvittot gäller en annan dag")
    assert page.url == url_before  # swapped in place, no new page
    with uow_factory_for(live_server.demo.url)() as uow:
        stored = uow.expenses.get(claim_id)
    assert stored is not None and stored.status is ClaimStatus.REJECTED
    assert stored.decided_by == "enhetschef"
    assert browser_log.console_errors == []
