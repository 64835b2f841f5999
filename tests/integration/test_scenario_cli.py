"""`insats scenarios` on the small hand-built department of the service tests: the table
with its based-on lines, csv, user-given numbers and Swedish errors."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from insats.domain.common import DomainError
from insats.services.uow import UnitOfWork
from tests.integration.test_scenarios_service import _store

ON = ("--year", "2026", "--on", "2026-11-22")


def _seed(uow_factory: Callable[[], UnitOfWork]) -> None:
    with uow_factory() as uow:
        _store(uow)
        uow.commit()


def test_the_table_and_its_basis(cli: Callable[..., Any],
                                 uow_factory: Callable[[], UnitOfWork]) -> None:
    _seed(uow_factory)
    result = cli("scenarios", *ON)
    assert result.exit_code == 0, (result.output, result.exception)
    assert "Färre och kortare APT- och verksamhetsmöten" in result.output
    assert "Underlag: Uppsagda lokaler" in result.output
    assert "4\u00a0949\u00a0kr" in result.output  # the meetings' saving, 494 900 öre
    assert "Summa" in result.output and "12/3" in result.output


def test_csv_with_given_numbers(cli: Callable[..., Any],
                                uow_factory: Callable[[], UnitOfWork]) -> None:
    _seed(uow_factory)
    result = cli("scenarios", *ON, "--format", "csv", "--training-small-group", "1",
                 "--training-large-group", "2", "--school-taxi-share", "50",
                 "--premises", "Alingsåshem", "--unit", "U02", "--break-minutes", "45")
    assert result.exit_code == 0, (result.output, result.exception)
    rows = list(csv.DictReader(io.StringIO(result.output), delimiter=";"))
    savings = {row["scenario"]: int(row["besparing_kr_per_ar"]) for row in rows}
    # training: one of the three participants (E2) is U02's, a third of 24 000 kr
    assert savings == {"moten": 0, "utbildning": 8_000, "raster": 1_512, "skolskjuts": 0,
                       "lokaler": 1_152_000}
    assert "angivet av användaren" in rows[2]["underlag"]


def test_bad_input_is_refused_in_swedish(cli: Callable[..., Any],
                                         uow_factory: Callable[[], UnitOfWork]) -> None:
    _seed(uow_factory)
    for args, message in ((("--format", "xml"), "--format ska vara table eller csv"),
                          (("--meeting-interval-weeks", "0"), "Mötesintervallet"),
                          (("--school-taxi-share", "mycket"), "procent"),
                          (("--year", "2031"), "inga bokförda månader")):
        result = cli("scenarios", "--on", "2026-11-22", *args)
        assert isinstance(result.exception, DomainError), (args, result.output)
        assert message in str(result.exception.message), args
