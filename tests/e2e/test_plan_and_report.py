"""The action plan and the committee report in a real browser: a follow-up written on an
action's page, and a report drafted, issued and downloaded, whose PDF carries the text
written on the page."""

from __future__ import annotations

import datetime as dt
import io
import uuid

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.e2e.conftest import LiveServer, sign_in
from tests.web.conftest import jobs_run_for

pytestmark = pytest.mark.browser


def test_a_follow_up_written_on_the_page_is_kept_in_the_actions_history(
        page: Page, live_server: LiveServer) -> None:
    sign_in(page, live_server, "avdelningschef")
    page.goto(live_server.url("/actions"))
    first = page.locator("table a[href^='/actions/A']").first
    action_id = (first.get_attribute("href") or "").rsplit("/", 1)[-1]
    page.goto(live_server.url(f"/actions/{action_id}"))
    note = f"Uppföljd i ledningsgruppen {uuid.uuid4().hex[:8]}"
    page.fill("#follow-up-text", note)
    page.select_option("select[name=status]", "pagar")
    with page.expect_navigation():
        page.click(f"form[action='/actions/{action_id}'] button[type=submit]")
    expect(page.get_by_text(note)).to_be_visible()
    # the note stays after a reload: it was stored, not only shown
    page.reload()
    expect(page.get_by_text(note)).to_be_visible()


def test_a_report_is_drafted_issued_and_downloaded_with_the_text_written_on_the_page(
        page: Page, live_server: LiveServer) -> None:
    last_month = dt.date.today().replace(day=1) - dt.timedelta(days=1)
    month = f"{last_month:%Y-%m}"
    sign_in(page, live_server, "avdelningschef")
    page.goto(live_server.url("/reports"))
    create = page.locator("form[action='/reports']")
    create.locator("[name=start]").fill(month)
    create.locator("[name=end]").fill(month)
    create.locator("[name=diarienummer]").fill("2026.999 VON")
    with page.expect_navigation():
        create.locator("button[type=submit]").click()
    assert "/reports/" in page.url
    report_path = page.url.split(live_server.base_url, 1)[-1].split("?", 1)[0]

    background = f"Avdelningen följer upp handlingsplanen varje månad ({uuid.uuid4().hex[:6]})."
    form = page.locator("form:has(input[name=subject][value='section:background'])")
    form.locator("textarea").fill(background)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.locator("form:has(input[name=subject][value='section:background']) "
                        "textarea")).to_have_value(background)

    with jobs_run_for(live_server.demo):  # the issue is a job: the page waits for it
        with page.expect_navigation():
            page.locator(f"form[action='{report_path}/issue'] button[type=submit]").click()
        expect(page.locator("#report-issuing")).to_be_visible()
        pdf_link = page.locator(f"a[href='{report_path}/versions/1/pdf']")
        expect(pdf_link).to_be_visible(timeout=90_000)
    expect(page.get_by_text("Rapporten är utfärdad.")).to_be_visible()

    response = page.request.get(live_server.url(f"{report_path}/versions/1/pdf"))
    assert response.status == 200
    assert response.headers["content-type"].startswith("application/pdf")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    flat = " ".join(text.split())
    assert "Innehåll" in flat and "2026.999 VON" in flat
    assert " ".join(background.split()) in flat
    workbook = page.request.get(live_server.url(f"{report_path}/versions/1/xlsx"))
    assert workbook.status == 200 and workbook.body()[:2] == b"PK"
