"""The schedule timeline: exactly the group's shifts of the week, breaches from the
working-time checker on the bars, unit managers kept to their units, the XLSX and the API
agreeing with the page, and Swedish 4xx answers to bad input."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import func, select

from insats.db.models.access import AuditEventRow
from insats.db.models.scheduling import AssistanceGroupRow, PlannedShiftRow
from insats.domain.absence import Absence, AbsenceKind
from insats.domain.calendar import local_date, local_datetime
from insats.domain.common import IsoWeek, Period
from insats.domain.scheduling import PlannedShift, ShiftStatus
from insats.services.runtime import uow_factory_for
from tests.web.access_matrix.schedule import own_group_id
from tests.web.conftest import DemoWeb

pytestmark = pytest.mark.slow

WEEK = IsoWeek(2026, 42)  # 12–18 October 2026, inside the demo's history
BAR = re.compile(r'<rect class="(bar[^"]*)" data-shift="([^"]+)"')
BREACH_ROW = re.compile(r'<tr data-kind="([a-z_]+)" data-shifts="([^"]*)">')


def week_text(week: IsoWeek) -> str:
    return f"{week.year}-W{week.week:02d}"


def bars(html: str) -> dict[str, str]:
    """Shift id → the bar's classes, for the bars of the listed shifts (not context)."""
    return {shift: css for css, shift in BAR.findall(html) if "context" not in css.split()}


def published_shift_ids(demo: DemoWeb, group_id: str, week: IsoWeek) -> list[str]:
    start = local_datetime(week.monday, dt.time())
    end = local_datetime(week.monday + dt.timedelta(days=7), dt.time())
    with uow_factory_for(demo.url)() as uow:
        return list(uow.session.scalars(
            select(PlannedShiftRow.id).where(
                PlannedShiftRow.group_id == group_id, PlannedShiftRow.start_at >= start,
                PlannedShiftRow.start_at < end, PlannedShiftRow.status == ShiftStatus.PUBLISHED)
            .order_by(PlannedShiftRow.start_at, PlannedShiftRow.id)))


def other_units_group(demo: DemoWeb) -> str:
    with uow_factory_for(demo.url)() as uow:
        return str(uow.session.scalars(select(AssistanceGroupRow.id).where(
            AssistanceGroupRow.unit_id == demo.other_unit_id).order_by(
            AssistanceGroupRow.id)).first())


def test_the_timeline_shows_exactly_the_groups_shifts_of_the_week(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    group = own_group_id(demo_web)
    expected = published_shift_ids(demo_web, group, WEEK)
    assert expected, "the demo group has shifts that week"
    page = signed_in("samordnare").get(f"/schedule?group={group}&week={week_text(WEEK)}")
    assert page.status_code == 200
    assert 'class="timeline' in page.text
    shown = bars(page.text)
    assert sorted(shown) == sorted(expected)
    listed = re.findall(r'<tr data-shift="([^"]+)"', page.text)
    assert listed == expected  # the shift list, in time order
    with uow_factory_for(demo_web.url)() as uow:
        open_ids = {s.id for s in uow.scheduling.shifts_of_group(
            group, local_datetime(WEEK.monday, dt.time()),
            local_datetime(WEEK.monday + dt.timedelta(days=7), dt.time()))
            if s.employee_id is None}
    assert {s for s, css in shown.items() if "open" in css.split()} == open_ids


def _plant(demo: DemoWeb, group_id: str, week: IsoWeek, prefix: str,
           with_absence: bool = False) -> tuple[str, list[str]]:
    """Two shifts 8 hours apart (07–15, 23–07) for a member of the group on the week's
    Monday, in a week with no other shifts; optionally an absence on its Wednesday."""
    monday = week.monday
    with uow_factory_for(demo.url)() as uow:
        member = uow.scheduling.members_of_group(group_id)[0].employee_id
        ids = [f"{prefix}-1", f"{prefix}-2"]
        uow.scheduling.add(PlannedShift(ids[0], group_id, local_datetime(monday, dt.time(7)),
                                        local_datetime(monday, dt.time(15)), employee_id=member))
        uow.scheduling.add(PlannedShift(
            ids[1], group_id, local_datetime(monday, dt.time(23)),
            local_datetime(monday + dt.timedelta(days=1), dt.time(7)), employee_id=member))
        if with_absence:
            uow.absences.add(Absence(f"{prefix}-A", member, AbsenceKind.SICK,
                                     Period(monday + dt.timedelta(days=2),
                                            monday + dt.timedelta(days=4))))
        uow.commit()
    return member, ids


def test_a_planted_short_daily_rest_is_highlighted_with_its_rule(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    week = IsoWeek(2026, 28)  # before the demo's history: only the planted shifts
    group = own_group_id(demo_web)
    member, ids = _plant(demo_web, group, week, "T-REST")
    client = signed_in("samordnare")
    page = client.get(f"/schedule?group={group}&week={week_text(week)}")
    assert page.status_code == 200
    shown = bars(page.text)
    assert set(shown) == set(ids)
    assert all("breach" in shown[i].split() for i in ids)
    rows = BREACH_ROW.findall(page.text)
    assert rows == [("daily_rest", " ".join(ids))]
    assert "För kort dygnsvila" in page.text
    with uow_factory_for(demo_web.url)() as uow:
        rule = uow.rules.rule_book().parameter("worktime.daily_rest_min", week.monday)
    assert rule.value == 660
    assert rule.source in page.text.replace("&amp;", "&")
    assert "som längst 8\u00a0h sammanhängande vila" in page.text
    # the bar's hover text names the rule
    title = re.search(rf'data-shift="{ids[0]}"[^>]*><title>([^<]+)</title>', page.text)
    assert title and "För kort dygnsvila" in title.group(1)
    api = client.get(f"/api/schedule?group={group}&week={week_text(week)}").json()
    assert [(b["kind"], b["employee_id"], b["shift_ids"], b["measured_minutes"],
             b["limit_minutes"]) for b in api["breaches"]] == [
        ("daily_rest", member, ids, 480, 660)]
    assert {s["id"]: s["breach_kinds"] for s in api["shifts"]} == {
        ids[0]: ["daily_rest"], ids[1]: ["daily_rest"]}
    # the employee's own timeline shows it too
    own = client.get(f"/schedule?employee={member}&week={week_text(week)}")
    assert set(bars(own.text)) == set(ids) and BREACH_ROW.findall(own.text) == rows


def test_absences_are_shown_and_their_reading_is_logged(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    week = IsoWeek(2026, 26)
    group = own_group_id(demo_web)
    member, _ = _plant(demo_web, group, week, "T-ABS", with_absence=True)

    def logged() -> int:
        with uow_factory_for(demo_web.url)() as uow:
            return int(uow.session.scalar(select(func.count()).select_from(AuditEventRow).where(
                AuditEventRow.object_kind == "absence", AuditEventRow.object_id == member)) or 0)

    before = logged()
    page = signed_in("enhetschef").get(f"/schedule?group={group}&week={week_text(week)}")
    assert page.status_code == 200
    # Wednesday and Thursday: x from 2 × 1440, two days wide, without the kind of absence
    assert re.search(r'<rect class="absence" x="2880" y="0" width="2880"', page.text)
    assert "Sjukfrånvaro" not in page.text
    assert logged() == before + 1


def test_a_unit_manager_cannot_see_another_units_schedule(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    client = signed_in("enhetschef")
    foreign = other_units_group(demo_web)
    assert client.get(f"/schedule?group={own_group_id(demo_web)}").status_code == 200
    assert client.get(f"/schedule?group={foreign}").status_code == 403
    assert client.get(f"/schedule?unit={demo_web.other_unit_id}").status_code == 403
    api = client.get(f"/api/schedule?group={foreign}")
    assert api.status_code == 403 and api.json()["code"] == "access.denied"
    with uow_factory_for(demo_web.url)() as uow:
        foreign_staff = [e.id for e in uow.staff.of_unit(demo_web.other_unit_id)]
        works_here = set(uow.session.scalars(
            select(PlannedShiftRow.employee_id).join(
                AssistanceGroupRow, AssistanceGroupRow.id == PlannedShiftRow.group_id)
            .where(AssistanceGroupRow.unit_id == demo_web.own_unit_id)))
    stranger = next(e for e in foreign_staff if e not in works_here)
    assert client.get(f"/schedule?employee={stranger}").status_code == 403
    assert signed_in("enhetschef2").get(
        f"/schedule?group={own_group_id(demo_web)}").status_code == 403
    assert signed_in("samordnare").get(f"/schedule?group={foreign}").status_code == 200


def test_the_xlsx_lists_the_same_shifts_as_the_page(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    group = own_group_id(demo_web)
    client = signed_in("samordnare")
    query = f"group={group}&week={week_text(WEEK)}&weeks=4"
    page = client.get(f"/schedule?{query}")
    download = client.get(f"/schedule?{query}&format=xlsx")
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(download.content)).active
    assert sheet is not None
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = next(i for i, r in enumerate(rows) if r and r[0] == "Datum")
    id_column = rows[header].index("Pass-id")
    body = [r for r in rows[header + 1:] if r[id_column]]
    listed = re.findall(r'<tr data-shift="([^"]+)"', page.text)
    assert [r[id_column] for r in body] == listed
    api = client.get(f"/api/schedule?{query}").json()
    paid = {s["id"]: s["paid_minutes"] for s in api["shifts"]}
    hours_column = rows[header].index("Betald tid")
    assert all(abs(float(r[hours_column]) - paid[r[id_column]] / 60) < 0.006 for r in body)


def test_the_api_equals_the_page(demo_web: DemoWeb,
                                 signed_in: Callable[[str], TestClient]) -> None:
    client = signed_in("avdelningschef")
    for query in (f"group={own_group_id(demo_web)}&week={week_text(WEEK)}&weeks=4",
                  f"unit={demo_web.own_unit_id}&week={week_text(WEEK)}"):
        page = client.get(f"/schedule?{query}")
        api = client.get(f"/api/schedule?{query}").json()
        assert [s["id"] for s in api["shifts"]] == re.findall(r'<tr data-shift="([^"]+)"',
                                                             page.text)
        assert sorted(s["id"] for s in api["shifts"]) == sorted(bars(page.text))
        assert [(b["kind"], " ".join(b["shift_ids"])) for b in api["breaches"]] == \
            BREACH_ROW.findall(page.text)
        assert f'value="{api["week"]}"' in page.text


def test_the_default_is_the_latest_week_with_shifts_up_to_today(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    group = own_group_id(demo_web)
    with uow_factory_for(demo_web.url)() as uow:
        latest = uow.session.scalar(select(func.max(PlannedShiftRow.start_at)).where(
            PlannedShiftRow.group_id == group,
            PlannedShiftRow.start_at < local_datetime(dt.date.today() + dt.timedelta(days=1),
                                                      dt.time())))
    assert latest is not None
    expected = IsoWeek.of(local_date(latest))
    client = signed_in("samordnare")
    one = client.get(f"/api/schedule?group={group}").json()
    assert one["week"] == week_text(expected)
    four = client.get(f"/api/schedule?group={group}&weeks=4").json()
    assert IsoWeek.of(dt.date.fromisoformat(four["last_day"])) == expected


def test_bad_input_gets_a_swedish_4xx(demo_web: DemoWeb,
                                      signed_in: Callable[[str], TestClient]) -> None:
    client = signed_in("samordnare")
    for url, status, code in (
            ("/api/schedule?week=2026-W99", 400, "week.invalid"),
            ("/api/schedule?week=vecka", 422, "request.invalid"),
            ("/api/schedule?weeks=3", 400, "weeks.invalid"),
            ("/api/schedule?weeks=x", 422, "request.invalid"),
            ("/api/schedule?group=G-finns-inte", 404, "not_found"),
            ("/api/schedule?employee=E-finns-inte", 404, "not_found"),
            ("/api/schedule?group=%00%27", 422, "request.invalid")):
        answer = client.get(url)
        assert answer.status_code == status, url
        assert answer.json()["code"] == code and answer.json()["message"], url
    page = client.get("/schedule?week=2026-W99")
    assert page.status_code == 400
    assert "Vecka 99 finns inte år 2026." in page.text and 'class="timeline' in page.text
    assert client.get("/schedule?group=nej%00").status_code == 404
    assert client.get("/schedule?weeks=2").status_code == 400


def test_an_htmx_request_gets_the_content_only(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    answer = signed_in("samordnare").get(
        f"/schedule?group={own_group_id(demo_web)}&week={week_text(WEEK)}",
        headers={"HX-Request": "true", "HX-Target": "main"})
    assert answer.status_code == 200
    assert "<html" not in answer.text and 'class="timeline' in answer.text


def test_no_inline_styles_or_scripts(demo_web: DemoWeb,
                                     signed_in: Callable[[str], TestClient]) -> None:
    page = signed_in("samordnare").get(f"/schedule?weeks=4&group={own_group_id(demo_web)}")
    assert "style=" not in page.text and "<script>" not in page.text
