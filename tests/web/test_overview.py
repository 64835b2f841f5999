"""The overview page and /api/overview: figures equal an independent count from the
database, a unit manager sees their own units only, the committee sees small counts
suppressed, and every text of the new pages has an English translation."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from insats.services.overview import forget_figures
from insats.services.runtime import engine_for
from insats.web import formats
from tests.web.conftest import DemoWeb

pytestmark = pytest.mark.slow

MONTH = ("2026-10-01", "2026-11-01")
ON = "2026-10-31"
COUNTING = ("t.status != 'avvisad' AND t.id NOT IN (SELECT c.corrects_entry_id FROM "
            "time_entries c WHERE c.corrects_entry_id IS NOT NULL)")


def _scalar(demo_web: DemoWeb, sql: str, **params: object) -> int:
    with engine_for(demo_web.url).connect() as connection:
        return int(connection.execute(text(sql), params).scalar() or 0)


def _month_minutes(demo_web: DemoWeb, *, kind: str | None = None,
                   unit_ids: list[str] | None = None) -> int:
    sql = ("SELECT sum(t.worked_minutes) FROM time_entries t JOIN assistance_groups g "
           "ON g.id = t.group_id WHERE t.worked_on >= :start AND t.worked_on < :end AND "
           + COUNTING)
    if kind:
        sql += f" AND t.kind = '{kind}'"
    if unit_ids is not None:
        sql += " AND g.unit_id IN (" + ", ".join(f"'{u}'" for u in unit_ids) + ")"
    return _scalar(demo_web, sql, start=MONTH[0], end=MONTH[1])


def _cell(html: str, table_id: str, row_attr: str, figure: str) -> str:
    table = html[html.index(f'id="{table_id}"'):]
    row = table[table.index(row_attr):]
    row = row[:row.index("</tr>")]
    match = re.search(rf'data-figure="{figure}">([^<]*)<', row)
    assert match, f"no {figure} in {row_attr}"
    return match.group(1)


def test_the_months_figures_equal_an_independent_count_from_the_database(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    forget_figures()
    client = signed_in("avdelningschef")
    page = client.get(f"/?on={ON}")
    assert page.status_code == 200
    api = client.get(f"/api/overview?on={ON}").json()
    month = api["month"]
    assert month["window"]["key"] == "2026-10"

    performed = _month_minutes(demo_web)
    assert performed > 0
    assert month["performed_minutes"] == performed
    assert month["overtime_minutes"] == _month_minutes(demo_web, kind="overtid")
    assert month["extra_minutes"] == _month_minutes(demo_web, kind="mertid")
    clients = _scalar(demo_web, "SELECT count(DISTINCT client_id) FROM decisions WHERE "
                      "valid_from <= :day AND (valid_to IS NULL OR valid_to > :day)", day=ON)
    assert month["clients"] == clients
    staff = _scalar(demo_web, "SELECT count(*) FROM employees WHERE employed_from <= :day "
                    "AND (employed_to IS NULL OR employed_to > :day)", day=ON)
    assert month["employees"] == staff
    # the page shows the same numbers as the API: the month's row of the trend table
    assert _cell(page.text, "month-table", 'data-window="2026-10"', "performed") == (
        formats.hours(performed))
    assert _cell(page.text, "month-table", 'data-window="2026-10"', "clients") == (
        formats.count(clients))
    # and the units add up to the department
    assert sum(u["figures"]["performed_minutes"] for u in api["units"]) == performed
    assert api["units_total"]["performed_minutes"] == performed


def test_twelve_weeks_and_twelve_months_of_trend_end_at_the_reference_day(
        signed_in: Callable[[str], TestClient]) -> None:
    api = signed_in("avdelningschef").get(f"/api/overview?on={ON}").json()
    assert [w["window"]["key"] for w in api["weeks"]][-1] == "2026-W44"
    assert len(api["weeks"]) == 12 and len(api["months"]) == 12
    assert api["months"][0]["window"]["key"] == "2025-11"
    # the default reference day is the last day with performed time, not today
    default = signed_in("avdelningschef").get("/api/overview").json()
    assert default["on"] == default["latest_day"] == ON


def test_a_unit_manager_sees_their_own_units_only(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    forget_figures()
    account = demo_web.accounts["enhetschef"]
    api = signed_in("enhetschef").get(f"/api/overview?on={ON}").json()
    own = sorted(api["unit_ids"])
    assert demo_web.own_unit_id in own and demo_web.other_unit_id not in own
    assert len(own) == len(account.unit_names)
    assert {u["unit_id"] for u in api["units"]} == set(own)
    assert api["month"]["performed_minutes"] == _month_minutes(demo_web, unit_ids=own)
    page = signed_in("enhetschef").get(f"/?on={ON}").text
    assert f'data-unit="{demo_web.other_unit_id}"' not in page
    assert f'data-unit="{demo_web.own_unit_id}"' in page


def test_the_committee_sees_small_counts_as_under_five_and_cannot_subtract_them(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    small = _scalar(demo_web, "SELECT count(*) FROM (SELECT home_unit_id FROM employees "
                    "WHERE employed_from <= :day AND (employed_to IS NULL OR employed_to > "
                    ":day) GROUP BY home_unit_id HAVING count(*) BETWEEN 1 AND 4) s", day=ON)
    assert small >= 1, "the demo has a unit with fewer than five employees"
    client = signed_in("namnd")
    api = client.get(f"/api/overview?on={ON}").json()
    assert api["suppressed"] is True
    for column in ("clients", "employees"):
        values = [u["figures"][column] for u in api["units"]]
        assert not any(v is not None and 0 < v < 5 for v in values)
        hidden = values.count(None)
        assert hidden != 1, f"one hidden {column} could be recovered from the total"
    employees = [u["figures"]["employees"] for u in api["units"]]
    assert employees.count(None) >= 2
    assert api["units_total"]["employees"] is not None
    # the same values on the page, and on each unit's own page
    page = client.get(f"/?on={ON}").text
    assert "&lt;5" in page
    for unit in api["units"]:
        own = client.get(f"/api/units/{unit['unit_id']}?on={ON}").json()
        assert own["month"]["employees"] == unit["figures"]["employees"]
        assert own["clients"] is None and own["groups"] is None


def test_a_bad_reference_day_is_a_swedish_400_not_a_crash(
        signed_in: Callable[[str], TestClient]) -> None:
    client = signed_in("avdelningschef")
    for value in ("2026-13-01", "igår", "0001-01-01", "99999-01-01"):
        page = client.get(f"/?on={value}")
        assert page.status_code == 400
        assert "ÅÅÅÅ-MM-DD" in page.text or "mellan" in page.text
        api = client.get(f"/api/overview?on={value}")
        assert api.status_code == 400 and set(api.json()) == {"code", "message"}


def test_every_text_of_the_new_pages_has_an_english_translation() -> None:
    root = Path(__file__).parents[2] / "src" / "insats" / "web"
    catalogue: dict[str, str] = {}
    for name in ("overview", "units", "clients", "frame"):
        catalogue.update(tomllib.loads((root / "locale" / "en" / f"{name}.toml").read_text()))
    missing = []
    for folder in ("overview", "units", "clients"):
        for template in (root / "templates" / folder).glob("*.html"):
            for found in re.finditer(r'_\("([^"]+)"\)|_\(\'([^\']+)\'\)', template.read_text()):
                source = found.group(1) or found.group(2)
                if source not in catalogue:
                    missing.append(f"{template.name}: {source}")
    assert missing == []


def test_the_english_overview_is_in_english(signed_in: Callable[[str], TestClient]) -> None:
    client = signed_in("avdelningschef")
    client.cookies.set("insats_lang", "en")
    page = client.get(f"/?on={ON}").text
    assert "Performed beyond granted" in page and "Trends as tables" in page
