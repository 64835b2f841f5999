"""The scenario page on the demo department: the form, the results with their
"Underlag", user-given numbers, choosing premises, Swedish errors for bad input, unit
managers kept to their own units, and an English translation of every text."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import DemoWeb

pytestmark = pytest.mark.slow

SAVING = re.compile(r'id="scenario-(\w+)".*?<strong>([^<]+)</strong>', re.DOTALL)


def _savings(html: str) -> dict[str, str]:
    return dict(SAVING.findall(html))


def test_the_page_shows_every_scenario_with_its_basis(
        signed_in: Callable[[str], TestClient]) -> None:
    page = signed_in("avdelningschef").get("/scenarios?year=2026")
    assert page.status_code == 200
    assert set(_savings(page.text)) == {"moten", "utbildning", "raster", "skolskjuts",
                                        "lokaler"}
    assert page.text.count("<summary>Underlag</summary>") == 5
    assert "pay.social_fee_rate" in page.text and "Summa besparing per år" in page.text
    assert 'href="/scenarios"' in page.text  # the menu line


def test_given_numbers_change_the_result(signed_in: Callable[[str], TestClient]) -> None:
    client = signed_in("ekonom")
    default = _savings(client.get("/scenarios?year=2026").text)
    same = _savings(client.get("/scenarios?year=2026&meeting_interval_weeks=6"
                               "&meeting_minutes=180").text)
    assert same["moten"].startswith("0") and default["moten"] != same["moten"]
    page = client.get("/scenarios?year=2026&premises_chosen=1&school_taxi_share=0")
    assert page.status_code == 200
    assert _savings(page.text)["lokaler"].startswith("0")
    assert _savings(page.text)["skolskjuts"].startswith("0")
    assert "angivet av användaren" in page.text


@pytest.mark.parametrize("query", ["year=20x6", "year=2026&meeting_minutes=-5",
                                   "year=2026&meeting_interval_weeks=0",
                                   "year=2026&school_taxi_share=150",
                                   "year=2026&training_cost_per_hour=abc"])
def test_bad_numbers_get_a_swedish_message(query: str,
                                           signed_in: Callable[[str], TestClient]) -> None:
    page = signed_in("avdelningschef").get(f"/scenarios?{query}")
    assert page.status_code == 400
    assert 'role="alert"' in page.text


def test_a_unit_manager_sees_their_own_units_only(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    own = signed_in("enhetschef").get(f"/scenarios?year=2026&unit={demo_web.own_unit_id}")
    assert own.status_code == 200
    assert signed_in("enhetschef2").get(
        f"/scenarios?year=2026&unit={demo_web.own_unit_id}").status_code == 403
    assert signed_in("samordnare").get("/scenarios").status_code == 403


def test_every_text_of_the_page_has_an_english_translation() -> None:
    root = Path(__file__).parents[2] / "src" / "insats" / "web"
    catalogue: dict[str, str] = {}
    for toml in (root / "locale" / "en").glob("*.toml"):
        catalogue.update(tomllib.loads(toml.read_text()))
    template = (root / "templates" / "scenarios" / "page.html").read_text()
    texts = [a or b for a, b in re.findall(r'_\("([^"]+)"\)|_\(\'([^\']+)\'\)', template)]
    assert texts and [t for t in texts if t not in catalogue] == []
