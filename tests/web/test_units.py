"""The units list and a unit's page: scope, export, the same figures in page and API."""

from __future__ import annotations

import io
from collections.abc import Callable

import openpyxl
import pytest
from fastapi.testclient import TestClient

from insats.web import formats
from tests.web.conftest import DemoWeb

pytestmark = pytest.mark.slow

ON = "2026-10-31"


def test_a_unit_manager_lists_only_their_own_units(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    client = signed_in("enhetschef")
    api = client.get(f"/api/units?on={ON}").json()
    names = {u["name"] for u in api["units"]}
    assert names == set(demo_web.accounts["enhetschef"].unit_names)
    assert demo_web.other_unit_id not in {u["id"] for u in api["units"]}
    page = client.get(f"/units?on={ON}").text
    assert f'data-unit="{demo_web.own_unit_id}"' in page
    assert f'data-unit="{demo_web.other_unit_id}"' not in page
    everyone = signed_in("avdelningschef").get(f"/api/units?on={ON}").json()
    assert len(everyone["units"]) > len(api["units"])


def test_another_units_page_is_refused_and_an_unknown_unit_is_not_found(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    client = signed_in("enhetschef")
    assert client.get(f"/units/{demo_web.other_unit_id}").status_code == 403
    refused = client.get(f"/api/units/{demo_web.other_unit_id}")
    assert refused.status_code == 403 and refused.json()["code"] == "access.denied"
    assert client.get("/units/U-finns-inte").status_code == 404
    assert client.get("/api/units/%20%00").status_code == 404


def test_the_unit_page_and_the_api_show_the_same_figures(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    client = signed_in("avdelningschef")
    unit = demo_web.own_unit_id
    api = client.get(f"/api/units/{unit}?on={ON}").json()
    page = client.get(f"/units/{unit}?on={ON}").text
    month = api["months"][-1]
    assert month["window"]["key"] == "2026-10" and month["performed_minutes"] > 0
    row = page[page.index('data-window="2026-10"'):]
    assert formats.hours(month["performed_minutes"]) in row[:row.index("</tr>")]
    listed = client.get(f"/api/units?on={ON}").json()
    same = next(u for u in listed["units"] if u["id"] == unit)
    assert same["month"] == month
    # the unit's clients with names for the department head
    assert api["clients"] and all(c["name"] for c in api["clients"])


def test_the_controller_sees_the_units_clients_without_names(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    api = signed_in("ekonom").get(f"/api/units/{demo_web.own_unit_id}?on={ON}").json()
    assert api["clients"] and all(c["name"] is None for c in api["clients"])
    named = signed_in("avdelningschef").get(f"/api/units/{demo_web.own_unit_id}?on={ON}")
    page = signed_in("ekonom").get(f"/units/{demo_web.own_unit_id}?on={ON}").text
    for c in named.json()["clients"]:
        assert c["name"] not in page
        assert c["pseudonym"] in page


def test_the_excel_export_has_the_listed_units(
        signed_in: Callable[[str], TestClient]) -> None:
    client = signed_in("avdelningschef")
    listed = client.get(f"/api/units?on={ON}&q=personlig").json()["units"]
    assert listed
    response = client.get(f"/units?on={ON}&q=personlig&format=xlsx")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = [r for r in sheet.iter_rows(values_only=True)]
    header = next(i for i, r in enumerate(rows) if r and r[0] == "Enhet")
    codes = [r[1] for r in rows[header + 1:] if r and r[1]]
    assert codes == [u["id"] for u in listed]
    performed = rows[header].index("Utfört")
    first = rows[header + 1]
    assert round(float(first[performed]) * 60) == listed[0]["month"]["performed_minutes"]


def test_the_filters_narrow_the_list(signed_in: Callable[[str], TestClient]) -> None:
    client = signed_in("avdelningschef")
    short = client.get("/api/units?kind=korttidsvistelse").json()["units"]
    assert short and all(u["kind"] == "korttidsvistelse" for u in short)
    none = client.get("/api/units?q=finns-inte-alls").json()
    assert none["units"] == []
    assert client.get("/units?q=finns-inte-alls").status_code == 200
