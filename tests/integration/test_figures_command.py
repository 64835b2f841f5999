"""`insats figures` on the hand-built world of tests/figures_world.py."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from openpyxl import load_workbook

from insats.domain.common import DomainError
from insats.services.overview import forget_figures
from insats.services.uow import UnitOfWork
from tests.figures_world import build_figures_world


@pytest.fixture
def world(uow_factory: Callable[[], UnitOfWork]) -> None:
    forget_figures()
    with uow_factory() as uow:
        build_figures_world(uow)
        uow.commit()


def text(result: Result) -> str:
    assert result.exit_code == 0, (result.output, result.exception)
    return result.output.replace("\u00a0", " ")


def test_a_unit_as_a_table(world: None, cli: Callable[..., Result]) -> None:
    out = text(cli("figures", "--unit", "U01", "--period", "2026-09..2026-10",
                   "--as-of", "2026-11-15"))
    assert "Nyckeltal Assistans Norr, 2026-09..2026-10" in out
    lines = {line.split("│")[1].strip(): line for line in out.splitlines() if "│" in line}
    assert "90 000" in lines["Utfall, nettokostnad"]
    assert "184 000" in lines["Utfall, nettokostnad"]
    assert "26,7 %" in lines["Sjukfrånvaro dag 1–14"]
    assert "N28006" in lines["Kostnad personlig assistans exkl. ersättning från FK"]


def test_csv_and_xlsx(world: None, cli: Callable[..., Result], tmp_path: Path) -> None:
    out = text(cli("figures", "--year", "2026", "--format", "csv", "--as-of", "2026-11-15"))
    header, *rows = out.splitlines()
    assert header.split(";")[-3:] == ["2026-11", "2026-12", "total"]
    outcome = next(r for r in rows if r.startswith("Assistans Norr;U01;outcome_kr;"))
    assert outcome.split(";")[14:16] == ["90000,00", "94000,00"]  # September, October
    target = tmp_path / "nyckeltal.xlsx"
    text(cli("figures", "--period", "2026-09..2026-10", "--format", "xlsx", "--out",
             str(target)))
    book = load_workbook(target)
    assert book.sheetnames == ["Kronor", "Timmar", "Andelar och antal"]
    sheet = book["Kronor"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    outcome_row = next(r for r in rows if r[0] == "Assistans Norr"
                       and r[1] == "Utfall, nettokostnad")
    assert outcome_row[5:8] == [90000, 94000, 184000]


def test_wrong_period(world: None, cli: Callable[..., Result]) -> None:
    result = cli("figures", "--period", "2026-10..2026-09")
    assert isinstance(result.exception, DomainError)
    result = cli("figures")
    assert isinstance(result.exception, DomainError)
