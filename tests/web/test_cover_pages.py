"""The cover page on the demo department: the ranked list for an open shift, booking it
through the form (CSRF, Swedish notice), a stale second booking answered with 409 on the
page, unit managers reading only their units and never booking.

The test adds its own open shift in January 2030 (outside the demo's history, so no other
test sees it) and removes it, with its booking, afterwards.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete

from insats.db.models.cover import CoverBookingRow
from insats.db.models.scheduling import PlannedShiftRow
from insats.domain.calendar import local_datetime
from insats.domain.scheduling import PlannedShift
from insats.services.runtime import uow_factory_for
from tests.web.access_matrix.schedule import own_group_id
from tests.web.conftest import DemoWeb

pytestmark = pytest.mark.slow

SHIFT_ID = "COVERTEST1"
BOOK_FORM = re.compile(
    r'name="employee_id" value="([^"]+)">\s*<input type="hidden" name="version" '
    r'value="(\d+)">')


@pytest.fixture
def open_shift(demo_web: DemoWeb) -> Iterator[str]:
    factory = uow_factory_for(demo_web.url)
    day = dt.date(2030, 1, 7)  # a Monday
    with factory() as uow:
        uow.scheduling.add(PlannedShift(
            SHIFT_ID, own_group_id(demo_web), local_datetime(day, dt.time(7)),
            local_datetime(day, dt.time(15))))
        uow.commit()
    try:
        yield SHIFT_ID
    finally:
        with factory() as uow:
            uow.session.execute(delete(CoverBookingRow).where(
                CoverBookingRow.shift_id == SHIFT_ID))
            uow.session.execute(delete(PlannedShiftRow).where(PlannedShiftRow.id == SHIFT_ID))
            uow.commit()


def test_the_page_without_parameters_lists_absences_and_the_month(
        signed_in: Callable[[str], TestClient]) -> None:
    page = signed_in("samordnare").get("/cover")
    assert page.status_code == 200
    assert "Frånvaro de närmaste två veckorna" in page.text
    assert "Bokad täckning denna månad" in page.text


def test_a_planner_books_a_ranked_candidate_and_a_stale_booking_gets_409(
        signed_in: Callable[[str], TestClient], demo_web: DemoWeb, open_shift: str) -> None:
    client = signed_in("samordnare")
    page = client.get(f"/cover?shift={open_shift}")
    assert page.status_code == 200
    assert "Kostnad" in page.text and "Dygnsvila minst 11" in page.text
    candidates = BOOK_FORM.findall(page.text)
    assert candidates, "no candidate to book"
    employee, version = candidates[0]

    booked = client.post("/cover/book", data={
        "csrf_token": client.csrf, "shift_id": open_shift, "employee_id": employee,  # type: ignore[attr-defined]
        "reason": "utbildning", "version": version}, follow_redirects=False)
    assert booked.status_code == 303
    shown = client.get(booked.headers["location"])
    assert "Passet är bokat" in shown.text
    with uow_factory_for(demo_web.url)() as uow:
        shift = uow.scheduling.get(open_shift)
    assert shift is not None and shift.employee_id == employee

    again = client.post("/cover/book", data={
        "csrf_token": client.csrf, "shift_id": open_shift,  # type: ignore[attr-defined]
        "employee_id": candidates[-1][0], "reason": "sjukdom", "version": version})
    assert again.status_code == 409
    assert "bokats eller ändrats av någon annan" in again.text


def test_booking_without_the_csrf_token_is_refused(
        signed_in: Callable[[str], TestClient], open_shift: str) -> None:
    client = signed_in("samordnare")
    refused = client.post("/cover/book", data={
        "shift_id": open_shift, "employee_id": "X", "reason": "annat", "version": "1"})
    assert refused.status_code == 403


def test_unit_managers_read_only_their_units_and_get_no_book_button(
        signed_in: Callable[[str], TestClient], open_shift: str) -> None:
    own = signed_in("enhetschef").get(f"/cover?shift={open_shift}")
    assert own.status_code == 200
    assert 'action="/cover/book"' not in own.text
    assert signed_in("enhetschef2").get(f"/cover?shift={open_shift}").status_code == 403
