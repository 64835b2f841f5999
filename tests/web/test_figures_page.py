"""The key figures page: the table agrees with the service, a unit manager is kept to
their units, the committee sees the suppression note, and the XLSX download."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from insats.cli.local_caller import cli_caller
from insats.domain.figure_catalogue import TOTAL_KEY, FigureCode, definition, format_cell
from insats.services.key_figures import figure_report
from insats.services.runtime import uow_factory_for
from tests.web.conftest import DemoWeb

pytestmark = pytest.mark.slow
PERIOD = "2026-09..2026-10"


def row_cells(html: str, code: FigureCode) -> list[str]:
    found = re.search(rf'<tr data-figure="{code.value}">(.*?)</tr>', html, re.S)
    assert found, code
    return [c.strip() for c in re.findall(r'<td class="num">(.*?)</td>', found.group(1))]


def test_the_table_shows_every_figure_as_the_service_computes_it(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    page = signed_in("avdelningschef").get(f"/figures?period={PERIOD}")
    assert page.status_code == 200
    assert len(re.findall(r'<tr data-figure="', page.text)) == len(FigureCode)
    assert "N28006" in page.text
    report = figure_report(uow_factory_for(demo_web.url), caller=cli_caller("test"),
                           start=dt.date(2026, 9, 1), end=dt.date(2026, 11, 1),
                           today=dt.date.today())
    for code in (FigureCode.OUTCOME, FigureCode.PERFORMED_HOURS, FigureCode.SICK_RATE_SHORT):
        expected = [format_cell(definition(code), report.cell(code, None, key))
                    for key in ("2026-09", "2026-10", TOTAL_KEY)]
        assert row_cells(page.text, code) == expected


def test_a_unit_manager_sees_only_their_units(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    client = signed_in("enhetschef")
    assert client.get(f"/figures?period={PERIOD}&unit={demo_web.other_unit_id}"
                      ).status_code == 403
    own = client.get(f"/figures?period={PERIOD}&unit={demo_web.own_unit_id}")
    assert own.status_code == 200
    assert "Summa mina enheter" in client.get(f"/figures?period={PERIOD}").text


def test_the_committee_is_told_what_is_hidden(
        signed_in: Callable[[str], TestClient]) -> None:
    page = signed_in("namnd").get(f"/figures?period={PERIOD}")
    assert page.status_code == 200
    assert "x = dolt" in page.text


def test_a_wrong_period_is_a_swedish_error(signed_in: Callable[[str], TestClient]) -> None:
    page = signed_in("avdelningschef").get("/figures?period=2026-13")
    assert page.status_code == 400
    assert "ÅÅÅÅ-MM" in page.text


def test_xlsx(signed_in: Callable[[str], TestClient]) -> None:
    response = signed_in("ekonom").get(f"/figures?period={PERIOD}&format=xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Kronor", "Timmar", "Andelar och antal"]
