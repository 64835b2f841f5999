"""The staff pages: who each role sees, last month's time against a direct sum, the
access log on reading absences, and the XLSX and the API agreeing with the page."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import case, func, select

from insats.db.models.access import AuditEventRow
from insats.db.models.scheduling import AssistanceGroupRow, GroupMembershipRow, PlannedShiftRow
from insats.db.models.time_reports import TimeEntryRow
from insats.domain.calendar import local_datetime
from insats.domain.time_reports import TimeEntryStatus, TimeKind
from insats.services.runtime import uow_factory_for
from insats.services.staff import last_month, works_in_since
from tests.web.access_matrix.schedule import own_employee_id
from tests.web.conftest import DemoWeb

pytestmark = pytest.mark.slow

ROW = re.compile(r'<tr data-employee="([^"]+)">')


def works_in_unit(demo: DemoWeb, unit_id: str) -> set[str]:
    """Employees with a recent membership or shift in a group of the unit (direct query)."""
    since = works_in_since(dt.date.today())
    with uow_factory_for(demo.url)() as uow:
        groups = select(AssistanceGroupRow.id).where(AssistanceGroupRow.unit_id == unit_id)
        members = set(uow.session.scalars(select(GroupMembershipRow.employee_id).where(
            GroupMembershipRow.group_id.in_(groups))))
        shifts = set(uow.session.scalars(select(PlannedShiftRow.employee_id).where(
            PlannedShiftRow.group_id.in_(groups),
            PlannedShiftRow.start_at >= local_datetime(since, dt.time()))))
    return (members | shifts) - {None}  # type: ignore[operator]


def test_a_unit_manager_sees_home_staff_and_those_working_in_the_units_groups(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    client = signed_in("enhetschef")
    page = client.get("/staff")
    assert page.status_code == 200
    shown = set(ROW.findall(page.text))
    with uow_factory_for(demo_web.url)() as uow:
        home = {e.id for e in uow.staff.of_unit(demo_web.own_unit_id, employed_on=dt.date.today())}
        everyone = {e.id: e for e in uow.staff.all()}
    assert home <= shown
    assert shown <= home | works_in_unit(demo_web, demo_web.own_unit_id) | {
        e for e in shown if everyone[e].home_unit_id == demo_web.own_unit_id}
    assert any(everyone[e].home_unit_id != demo_web.own_unit_id for e in shown)  # co-planned
    # all units in scope (one) is the same list; another unit is refused
    assert set(ROW.findall(client.get("/staff?unit=alla").text)) == shown
    assert client.get(f"/staff?unit={demo_web.other_unit_id}").status_code == 403
    assert client.get(f"/api/staff?unit={demo_web.other_unit_id}").status_code == 403


def test_another_units_employee_is_refused_and_logged(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    employee = own_employee_id(demo_web)
    assert signed_in("enhetschef").get(f"/staff/{employee}").status_code == 200
    client = signed_in("enhetschef2")
    assert client.get(f"/staff/{employee}").status_code == 403
    answer = client.get(f"/api/staff/{employee}")
    assert answer.status_code == 403 and answer.json()["code"] == "access.denied"
    assert employee not in ROW.findall(client.get("/staff?unit=alla").text)
    with uow_factory_for(demo_web.url)() as uow:
        denied = uow.session.scalar(select(func.count()).select_from(AuditEventRow).where(
            AuditEventRow.action == "denied", AuditEventRow.object_kind == "employee",
            AuditEventRow.object_id == employee, AuditEventRow.username == "enhetschef2"))
    assert denied and denied >= 2


@pytest.mark.parametrize("role", ["ekonom", "namnd"])
def test_finance_and_committee_have_no_staff_pages(
        role: str, demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    client = signed_in(role)
    employee = own_employee_id(demo_web)
    for url in ("/staff", f"/staff/{employee}", "/api/staff", f"/api/staff/{employee}"):
        assert client.get(url).status_code == 403, url


def test_reading_an_employees_absences_is_logged_without_names(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    employee = own_employee_id(demo_web)

    def events() -> list[tuple[str, str, str | None, str]]:
        with uow_factory_for(demo_web.url)() as uow:
            return [tuple(r) for r in uow.session.execute(  # type: ignore[misc]
                select(AuditEventRow.action, AuditEventRow.username, AuditEventRow.unit_id,
                       AuditEventRow.route)
                .where(AuditEventRow.object_kind == "absence",
                       AuditEventRow.object_id == employee)
                .order_by(AuditEventRow.id))]

    before = len(events())
    client = signed_in("samordnare")
    assert client.get(f"/staff/{employee}").status_code == 200
    assert client.get(f"/api/staff/{employee}").status_code == 200
    after = events()
    assert len(after) == before + 2
    with uow_factory_for(demo_web.url)() as uow:
        person = uow.staff.get(employee)
    assert person is not None
    for action, username, unit_id, route in after[before:]:
        assert (action, username, unit_id) == ("read", "samordnare", person.home_unit_id)
        assert person.family_name not in route


def test_last_months_time_matches_a_direct_sum(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    month = last_month(dt.date.today())
    with uow_factory_for(demo_web.url)() as uow:
        sums = {r[0]: (int(r[1]), int(r[2]), int(r[3])) for r in uow.session.execute(
            select(TimeEntryRow.employee_id, func.sum(TimeEntryRow.worked_minutes),
                   func.sum(case((TimeEntryRow.kind == TimeKind.OVERTIME,
                                  TimeEntryRow.worked_minutes), else_=0)),
                   func.sum(case((TimeEntryRow.kind == TimeKind.EXTRA,
                                  TimeEntryRow.worked_minutes), else_=0)))
            .where(TimeEntryRow.worked_on >= month.start, TimeEntryRow.worked_on < month.end,
                   TimeEntryRow.status != TimeEntryStatus.REJECTED)
            .group_by(TimeEntryRow.employee_id))}
    listed = signed_in("samordnare").get(
        f"/api/staff?unit={demo_web.own_unit_id}").json()["employees"]
    assert listed
    for row in listed:
        assert (row["worked_minutes"], row["overtime_minutes"], row["extra_minutes"]) == \
            sums.get(row["id"], (0, 0, 0)), row["id"]
    if month.start == dt.date(2026, 10, 1):  # the demo's history covers last month
        assert any(row["worked_minutes"] > 0 for row in listed)


def test_the_page_the_api_and_the_xlsx_list_the_same_employees(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    client = signed_in("avdelningschef")
    query = f"unit={demo_web.own_unit_id}"
    page = ROW.findall(client.get(f"/staff?{query}").text)
    api = client.get(f"/api/staff?{query}").json()["employees"]
    assert [row["id"] for row in api] == page
    sheet = load_workbook(io.BytesIO(client.get(f"/staff?{query}&format=xlsx").content)).active
    assert sheet is not None
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = next(i for i, r in enumerate(rows) if r and r[0] == "Id")
    ids = [r[0] for r in rows[header + 1:] if r[0] and r[0] != "Summa"]
    assert ids == page
    worked = rows[header].index("Arbetad tid förra månaden")
    by_id = {row["id"]: row for row in api}
    for r in rows[header + 1:]:
        if r[0] in by_id:
            assert abs(float(r[worked]) - by_id[r[0]]["worked_minutes"] / 60) < 0.006


def test_a_text_search_matches_names(demo_web: DemoWeb,
                                     signed_in: Callable[[str], TestClient]) -> None:
    with uow_factory_for(demo_web.url)() as uow:
        person = uow.staff.get(own_employee_id(demo_web))
    assert person is not None
    client = signed_in("samordnare")
    words = f"{person.given_name} {person.family_name.upper()}"
    found = client.get("/api/staff", params={"q": words}).json()["employees"]
    assert person.id in [row["id"] for row in found]
    assert all(row["name"].casefold() == person.display_name.casefold() for row in found)
    page = client.get("/staff", params={"q": words})
    assert ROW.findall(page.text) == [row["id"] for row in found]
    assert client.get("/api/staff", params={"q": "ingen-heter-så"}).json()["employees"] == []


def test_the_detail_page_shows_employment_groups_and_absences(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    employee = own_employee_id(demo_web)
    client = signed_in("enhetschef")
    page = client.get(f"/staff/{employee}")
    api = client.get(f"/api/staff/{employee}").json()
    assert api["employment"]["home_unit_id"] == demo_web.own_unit_id
    assert api["groups"], "a member of the unit's groups"
    for group in api["groups"]:
        if group["group_name"]:
            assert group["group_name"] in page.text
    for absence in api["absences"]:
        assert absence["first_day"] in page.text
    for shift in api["last_shifts"]:
        assert f'data-shift="{shift["id"]}"' in page.text


def test_unknown_or_odd_ids_are_not_found(demo_web: DemoWeb,
                                          signed_in: Callable[[str], TestClient]) -> None:
    client = signed_in("samordnare")
    assert client.get("/staff/E-finns-inte").status_code == 404
    answer = client.get("/api/staff/E-finns-inte")
    assert answer.status_code == 404 and answer.json()["code"] == "not_found"
    assert client.get("/staff/%27%3B--").status_code == 404
    assert client.get("/api/staff/%27%3B--").status_code == 422
    assert client.get("/staff?unit=U-finns-inte").status_code == 404
    assert client.get("/api/staff", params={"q": "\x00"}).status_code == 200


def test_long_lists_come_in_pages_of_200(demo_web: DemoWeb,
                                         signed_in: Callable[[str], TestClient]) -> None:
    client = signed_in("samordnare")
    first = client.get("/api/staff").json()
    assert first["total"] > 200 and first["pages"] == 2 and len(first["employees"]) == 200
    second = client.get("/api/staff?page=2").json()
    ids = [row["id"] for row in first["employees"] + second["employees"]]
    assert len(ids) == len(set(ids)) == first["total"]
    assert ROW.findall(client.get("/staff?unit=alla&page=2").text) == \
        [row["id"] for row in second["employees"]]
    sheet = load_workbook(io.BytesIO(
        client.get("/staff?unit=alla&format=xlsx").content)).active
    assert sheet is not None
    exported = [r[0] for r in sheet.iter_rows(values_only=True)]
    assert set(ids) <= set(exported)
    assert client.get("/api/staff?page=0").status_code == 422
