"""The feature pages in a real browser: scope by URL, the stay form's error handling, the
schedule's timeline, and screenshots of the main pages at laptop and tablet sizes."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from insats.db.models import (
    AssistanceGroupRow,
    ClientRow,
    DecisionRow,
    EmployeeRow,
    TimeEntryRow,
)
from insats.domain.scheduling import ShiftStatus
from insats.domain.time_reports import TimeEntryStatus
from insats.services.runtime import engine_for, uow_factory_for
from tests.e2e.conftest import LAPTOP, TABLET, LiveServer, screenshot_dir, sign_in

pytestmark = pytest.mark.browser


def test_a_unit_manager_cannot_open_another_units_client_by_url(
        page: Page, live_server: LiveServer) -> None:
    sign_in(page, live_server, "enhetschef")
    response = page.goto(live_server.url(f"/clients/{live_server.demo.other_client_id}"))
    assert response is not None and response.status == 403
    expect(page.locator("h1")).to_contain_text("Åtkomst nekad")
    # and their own unit's client opens
    response = page.goto(live_server.url(f"/clients/{live_server.demo.own_client_id}"))
    assert response is not None and response.status == 200


def _moment(form: Locator, name: str, day: str) -> str:
    """A value for a date or datetime-local input."""
    kind = form.locator(f"[name={name}]").get_attribute("type")
    return f"{day}T08:00" if kind == "datetime-local" else day


def test_a_stay_ending_before_it_starts_is_refused_in_swedish_with_the_input_kept(
        page: Page, live_server: LiveServer) -> None:
    sign_in(page, live_server, "enhetschef")
    page.goto(live_server.url(f"/clients/{live_server.demo.own_client_id}"))
    form = page.locator("#stay-form")
    expect(form).to_be_visible()
    kind_value = form.locator("[name=kind] option").nth(1).get_attribute("value") or ""
    start = _moment(form, "start", "2026-10-20")
    end = _moment(form, "end", "2026-10-10")
    form.locator("[name=kind]").select_option(kind_value)
    form.locator("[name=start]").fill(start)
    form.locator("[name=end]").fill(end)
    form.locator("[name=reason]").fill("Provtagning på lasarettet")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()

    form = page.locator("#stay-form")
    errors = form.locator(".field-error")
    expect(errors.first).to_be_visible()
    text = " ".join(errors.all_inner_texts())
    assert any(word in text.lower() for word in ("slut", "start", "börja", "före", "efter")), text
    expect(form.locator("[name=end]")).to_have_attribute("aria-invalid", "true")
    expect(form.locator("[name=kind]")).to_have_value(kind_value)
    expect(form.locator("[name=start]")).to_have_value(start)
    expect(form.locator("[name=end]")).to_have_value(end)
    expect(form.locator("[name=reason]")).to_have_value("Provtagning på lasarettet")


SCHEDULE_WEEK = "2026-W42"  # 12–18 October 2026, inside the demo's history


def _group_and_shifts_of(live_server: LiveServer, client_id: str) -> tuple[str, set[str]]:
    """The assistance group of a client and its published shifts in SCHEDULE_WEEK."""
    stockholm = ZoneInfo("Europe/Stockholm")
    start = dt.datetime(2026, 10, 12, tzinfo=stockholm)
    end = dt.datetime(2026, 10, 19, tzinfo=stockholm)
    with uow_factory_for(live_server.demo.url)() as uow:
        group = uow.scheduling.group_of_client(client_id)
        assert group is not None
        shifts = uow.scheduling.shifts_of_group(group.id, start, end)
    return group.id, {s.id for s in shifts if s.status is ShiftStatus.PUBLISHED}


def test_the_schedule_of_a_group_draws_every_shift_of_the_week_on_a_timeline(
        page: Page, live_server: LiveServer) -> None:
    group_id, shift_ids = _group_and_shifts_of(live_server, live_server.demo.own_client_id)
    assert shift_ids, "the demo group has no shifts that week"
    sign_in(page, live_server, "samordnare")
    response = page.goto(live_server.url(f"/schedule?group={group_id}&week={SCHEDULE_WEEK}"))
    assert response is not None and response.status == 200
    timeline = page.locator(".timeline")
    expect(timeline).to_be_visible()
    bars = timeline.locator("rect[data-shift]")
    expect(bars.first).to_be_visible()
    drawn = set(bars.evaluate_all("bars => bars.map(b => b.dataset.shift)"))
    assert shift_ids <= drawn, f"not drawn: {sorted(shift_ids - drawn)[:5]}"
    box = bars.first.bounding_box()
    assert box is not None and box["width"] > 0 and box["height"] > 0


# --- the overview's figures against the stored facts -----------------------------------------
REFERENCE_DAY = dt.date(2026, 10, 31)  # the overview then shows October 2026


@dataclass
class UnitFigures:
    clients: int = 0
    employees: int = 0
    performed_minutes: int = 0


def _october_by_unit(url: str) -> dict[str, UnitFigures]:
    """Per unit, computed here from the rows: clients with a decision in force and staff
    employed (home unit) on the month's last day, and the worked minutes of time entries
    that count (not rejected, not replaced by a correction) worked in the month, booked
    to the unit of the entry's group."""
    day = REFERENCE_DAY
    month_start = day.replace(day=1)
    figures: dict[str, UnitFigures] = defaultdict(UnitFigures)
    with Session(engine_for(url)) as session:
        unit_of_client = dict(session.execute(select(ClientRow.id, ClientRow.unit_id)).all())
        in_force = {client for client, start, end in session.execute(
            select(DecisionRow.client_id, DecisionRow.valid_from, DecisionRow.valid_to))
            if start <= day and (end is None or end > day)}
        for client in in_force:
            figures[unit_of_client[client]].clients += 1
        for unit, start, end in session.execute(
                select(EmployeeRow.home_unit_id, EmployeeRow.employed_from,
                       EmployeeRow.employed_to)):
            if start <= day and (end is None or end > day):
                figures[unit].employees += 1
        unit_of_group = dict(session.execute(
            select(AssistanceGroupRow.id, AssistanceGroupRow.unit_id)).all())
        replaced = set(session.scalars(select(TimeEntryRow.corrects_entry_id).where(
            TimeEntryRow.corrects_entry_id.is_not(None))))
        for entry_id, group, minutes, status in session.execute(
                select(TimeEntryRow.id, TimeEntryRow.group_id, TimeEntryRow.worked_minutes,
                       TimeEntryRow.status)
                .where(TimeEntryRow.worked_on >= month_start, TimeEntryRow.worked_on <= day)):
            if status is not TimeEntryStatus.REJECTED and entry_id not in replaced:
                figures[unit_of_group[group]].performed_minutes += minutes
    return figures


def _number(text: str) -> float:
    """A Swedish number as shown ("1 234 h", "3,5") as a float."""
    cleaned = re.sub(r"[\s\u00a0h]", "", text).replace(",", ".")
    return float(cleaned)


def test_the_overview_shows_the_figures_computed_from_the_stored_facts(
        page: Page, live_server: LiveServer) -> None:
    expected = _october_by_unit(live_server.demo.url)
    sign_in(page, live_server, "avdelningschef")
    response = page.goto(live_server.url(f"/?on={REFERENCE_DAY.isoformat()}"))
    assert response is not None and response.status == 200
    rows = page.locator("#unit-table tbody tr[data-unit]")
    expect(rows.first).to_be_visible()
    shown: dict[str, tuple[float, float, float]] = {}
    for row in rows.all():
        unit = row.get_attribute("data-unit") or ""
        shown[unit] = tuple(_number(row.locator(f"[data-figure={name}]").inner_text())
                            for name in ("clients", "employees", "performed"))  # type: ignore[assignment]
    for unit, want in expected.items():
        if want.clients or want.employees or want.performed_minutes:
            assert unit in shown, f"unit {unit} has figures but no row"
    mismatches = []
    for unit, (clients, employees, performed_hours) in shown.items():
        want = expected.get(unit, UnitFigures())
        if (clients, employees) != (want.clients, want.employees) or \
                abs(performed_hours - want.performed_minutes / 60) > 0.5:
            mismatches.append((unit, (clients, employees, performed_hours),
                               (want.clients, want.employees, want.performed_minutes / 60)))
    assert not mismatches, mismatches

    total = page.locator("#unit-table tfoot tr.total")
    all_minutes = sum(f.performed_minutes for f in expected.values())
    assert _number(total.locator("[data-figure=clients]").inner_text()) == sum(
        f.clients for f in expected.values())
    assert abs(_number(total.locator("[data-figure=performed]").inner_text())
               - all_minutes / 60) <= 0.5
    card = page.locator(".key-figures .figure", has=page.locator(".label",
                                                                   has_text="Utförda timmar"))
    assert abs(_number(card.locator(".value").inner_text()) - all_minutes / 60) <= 0.5


# --- screenshots ------------------------------------------------------------------------------
def _main_pages(live_server: LiveServer) -> list[tuple[str, str]]:
    demo = live_server.demo
    return [
        ("overview", "/"),
        ("units", "/units"),
        ("unit", f"/units/{demo.own_unit_id}"),
        ("clients", "/clients"),
        ("client", f"/clients/{demo.own_client_id}"),
        ("schedule", f"/schedule?unit={demo.own_unit_id}&week={SCHEDULE_WEEK}"),
        ("staff", "/staff"),
        ("ledger", "/ledger"),
        ("billing", "/billing"),
        ("planning", "/planning"),
        ("audit", "/audit"),
        ("figures", "/figures"),
        ("actions", "/actions"),
        ("reports", "/reports"),
        ("scenarios", "/scenarios"),
    ]


@pytest.mark.parametrize("size_name", ["laptop", "tablet"])
def test_screenshots_of_the_main_pages(browser: Browser, live_server: LiveServer,
                                       request: pytest.FixtureRequest, size_name: str) -> None:
    if live_server.backend != "sqlite":
        pytest.skip("screenshots are taken once, on SQLite")
    folder = screenshot_dir(request.config)
    size = LAPTOP if size_name == "laptop" else TABLET
    context = browser.new_context(viewport=size, locale="sv-SE",  # type: ignore[arg-type]
                                  base_url=live_server.base_url)
    failed = []
    try:
        page = context.new_page()
        page.goto(live_server.url("/login"))
        page.screenshot(path=str(folder / f"login-{size_name}.png"), full_page=True)
        sign_in(page, live_server, "avdelningschef")
        for name, path in _main_pages(live_server):
            response = page.goto(live_server.url(path))
            page.wait_for_load_state("load")
            page.screenshot(path=str(folder / f"{name}-{size_name}.png"), full_page=True)
            page.screenshot(path=str(folder / f"{name}-{size_name}-screen.png"))
            if response is None or response.status != 200:
                failed.append(f"{path}: {response.status if response else 'no answer'}")
    finally:
        context.close()
    assert not failed, failed
