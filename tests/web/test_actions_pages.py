"""The action-plan pages on the demo department: the plan with overdue follow-ups flagged,
a unit manager's scope, an action's targets with the measured value and its history, a
follow-up through the form (CSRF, notice), a stale second post answered with 409, invalid
input with a Swedish message, and the overview's notice of overdue follow-ups.

The demo's "today" is fixed at 2026-11-23 for the pages (the web demo has August to
October 2026), so the measured month is October 2026. Tests write follow-ups to the shared
demo database (they are append-only); each reads the version it posts from the page.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from insats.web.routes import actions as action_routes
from tests.web.conftest import DemoWeb

pytestmark = pytest.mark.slow

TODAY = dt.date(2026, 11, 23)
VERSION = re.compile(r'name="version" value="(\d+)"')


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(action_routes, "_today", lambda: TODAY)


def _version(page: str) -> str:
    found = VERSION.search(page)
    assert found, "no version in the form"
    return found.group(1)


def test_the_plan_lists_every_action_and_flags_overdue_follow_ups(
        signed_in: Callable[[str], TestClient]) -> None:
    page = signed_in("avdelningschef").get("/actions")
    assert page.status_code == 200
    assert "Åtgärdsplan" in page.text and 'href="/actions"' in page.text  # menu item
    for action_id in ("A01", "A13", "A18", "A22"):
        assert f'data-action="{action_id}"' in page.text
    assert re.search(r'data-action="A02" class="flagged"', page.text)  # due 2024-04-01
    assert 'data-action="A19" class="flagged"' in page.text  # due 2026-10-31
    assert 'data-action="A22">' in page.text  # due 2026-11-30: not flagged
    overdue = signed_in("avdelningschef").get("/actions?overdue=1&status=pagar")
    assert 'data-action="A02"' in overdue.text and 'data-action="A22"' not in overdue.text


def test_a_unit_manager_sees_the_department_s_and_their_units_actions_only(
        signed_in: Callable[[str], TestClient]) -> None:
    client = signed_in("enhetschef")
    page = client.get("/actions")
    assert 'data-action="A01"' in page.text and 'data-action="A19"' in page.text
    assert 'data-action="A21"' not in page.text  # the second unit manager's unit
    assert client.get("/actions/A21").status_code == 403
    assert client.get("/actions?unit=U02").status_code == 403
    assert "Skriv en uppföljning" not in client.get("/actions/A02").text  # the head's
    assert "Skriv en uppföljning" in client.get("/actions/A19").text


def test_an_action_shows_targets_measured_value_and_history(
        signed_in: Callable[[str], TestClient]) -> None:
    page = signed_in("avdelningschef").get("/actions/A16")
    assert page.status_code == 200
    assert "Sjukfrånvaro dag 1–14" in page.text and "(2025-10)" in page.text
    assert "(2026-10)" in page.text  # the last whole month, measured
    assert "2025-11-03" in page.text and "2025.245 VON" in page.text
    committee = signed_in("namnd").get("/actions/A16")
    assert committee.status_code == 200 and "Skriv en uppföljning" not in committee.text


def test_a_follow_up_is_saved_and_a_stale_second_post_is_refused(
        signed_in: Callable[[str], TestClient]) -> None:
    client = signed_in("enhetschef")
    version = _version(client.get("/actions/A20").text)
    form = {"csrf_token": client.csrf, "version": version,  # type: ignore[attr-defined]
            "text": "Pass utan tidrapport följs upp varje vecka.", "status": "pagar",
            "follow_up_on": "2030-01-15", "owner_role": "EC", "owner": "enhetschef"}
    saved = client.post("/actions/A20", data=form, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"].endswith("notice=saved")
    page = client.get(saved.headers["location"])
    assert "Uppföljningen är sparad." in page.text
    assert "Pass utan tidrapport följs upp varje vecka." in page.text
    assert "2030-01-15" in page.text
    stale = client.post("/actions/A20", data={**form, "text": "En gång till"},
                        follow_redirects=False)
    assert stale.status_code == 409
    assert "har ändrats av någon annan" in stale.text
    assert "En gång till" in stale.text  # the typed text is kept in the form


def test_invalid_input_is_answered_with_a_message_naming_the_field(
        signed_in: Callable[[str], TestClient]) -> None:
    client = signed_in("avdelningschef")
    page = client.get("/actions/A22").text
    base = {"csrf_token": client.csrf, "version": _version(page),  # type: ignore[attr-defined]
            "owner_role": "EC korttidsvistelse (KTV)", "owner": ""}
    nothing = client.post("/actions/A22", data={**base, "status": "pagar",
                                                "follow_up_on": "2026-11-30"})
    assert nothing.status_code == 400 and "Uppföljning: skriv vad som gjorts" in nothing.text
    past = client.post("/actions/A22", data={**base, "status": "pagar", "text": "x",
                                             "follow_up_on": "2020-01-01"})
    assert past.status_code == 400 and "Uppföljningsdatum: 2020-01-01" in past.text
    target = client.post("/actions/A22/target", data={
        "csrf_token": client.csrf, "figure": "overtime_hours",  # type: ignore[attr-defined]
        "baseline": "tio", "baseline_period": "2025-10", "target": "5",
        "target_on": "2026-12-31"})
    assert target.status_code == 400 and "Utgångsvärde: &#39;tio&#39; är inget tal" in \
        target.text


def test_other_unit_managers_and_readers_cannot_change_an_action(
        signed_in: Callable[[str], TestClient]) -> None:
    for role in ("enhetschef2", "samordnare", "namnd"):
        client = signed_in(role)
        refused = client.post("/actions/A19", data={
            "csrf_token": client.csrf, "version": "1",  # type: ignore[attr-defined]
            "text": "Inte min åtgärd"}, follow_redirects=False)
        assert refused.status_code == 403, role


def test_the_overview_notice_lists_the_owner_s_overdue_follow_ups(
        signed_in: Callable[[str], TestClient]) -> None:
    overview = signed_in("enhetschef").get("/")
    assert 'hx-get="/actions/overdue-notice"' in overview.text
    own = signed_in("enhetschef").get("/actions/overdue-notice")
    assert "Förfallna uppföljningar" in own.text and "/actions/A19" in own.text
    assert "/actions/A21" not in own.text
    head = signed_in("avdelningschef").get("/actions/overdue-notice")
    assert "/actions/A02" in head.text
    nothing = signed_in("samordnare").get("/actions/overdue-notice")
    assert nothing.status_code == 200 and "Förfallna uppföljningar" not in nothing.text


def test_a_unit_manager_adds_an_action_for_their_unit(
        signed_in: Callable[[str], TestClient], demo_web: DemoWeb) -> None:
    client = signed_in("enhetschef")
    form = {"csrf_token": client.csrf, "unit": demo_web.own_unit_id,  # type: ignore[attr-defined]
            "activity": "Minska mötestiden", "measure": "Kortare APT varannan gång",
            "owner_role": "EC", "follow_up_on": "2030-03-31"}
    empty = client.post("/actions", data={**form, "activity": " "})
    assert empty.status_code == 400 and "Aktivitet: fältet får inte vara tomt" in empty.text
    added = client.post("/actions", data=form, follow_redirects=False)
    assert added.status_code == 303 and added.headers["location"].endswith("notice=created")
    page = client.get(added.headers["location"])
    assert "Åtgärden är tillagd i planen." in page.text
    assert "Kortare APT varannan gång" in page.text and "(enhetschef)" in page.text
    second = signed_in("enhetschef2")
    other = second.post("/actions", data={
        **form, "csrf_token": second.csrf})  # type: ignore[attr-defined]
    assert other.status_code == 403
    department = client.post("/actions", data={**form, "unit": ""})
    assert department.status_code == 403  # the department's own actions: the head's
