"""`insats pool simulate` as a user runs it, on the small twelve-week department."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

from insats.cli.pool_commands import parse_sizes
from insats.domain.common import DomainError
from insats.services.uow import UnitOfWork
from tests.pool_world import build_pool_world


def _insats(*args: str, database_url: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "INSATS_DATABASE_URL": database_url, "COLUMNS": "220"}
    env.pop("INSATS_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "insats", *args], capture_output=True,
                          text=True, env=env, cwd=cwd, timeout=300, check=False)


@pytest.mark.parametrize(("text", "sizes"), [
    ("0..3", [0, 1, 2, 3]), ("0..40/10", [0, 10, 20, 30, 40]), ("12", [12]),
    ("30, 10,20,10", [10, 20, 30]),
])
def test_pool_sizes_are_read_as_ranges_steps_or_lists(text: str, sizes: list[int]) -> None:
    assert parse_sizes(text) == sizes


@pytest.mark.parametrize("text", ["", "0-20", "20..0", "0..20/0", "a,b", "0..1000"])
def test_bad_pool_sizes_are_refused(text: str) -> None:
    with pytest.raises(DomainError):
        parse_sizes(text)


def test_the_simulation_prints_the_curve_and_writes_the_chart(
        database_url: str, uow_factory: Callable[[], UnitOfWork], tmp_path: Path) -> None:
    with uow_factory() as uow:
        build_pool_world(uow)
        uow.commit()
    chart = tmp_path / "ut" / "pool.svg"

    result = _insats("pool", "simulate", "--sizes", "0..3", "--runs", "200", "--seed", "4",
                     "--on", "2026-04-15", "--policy", "alla", "--chart", str(chart),
                     database_url=database_url, cwd=tmp_path)
    again = _insats("pool", "simulate", "--sizes", "0..3", "--runs", "200", "--seed", "4",
                    "--on", "2026-04-15", "--policy", "alla", database_url=database_url,
                    cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    out = result.stdout
    for text in ("Poolsimulering", "200 simulerade år från 2026-04-01, frö 4",
                 "(12 veckor)", "1 vikarier i poolen", "Vikariepoolen först",
                 "Kollega med ledig avtalstid först", "1 (i dag)", "Lägst förväntad total",
                 "Kontroll mot historiken", "registrerad 52 h", "Kurvan skrevs till"):
        assert text in out, text
    assert ET.parse(chart).getroot().tag == "{http://www.w3.org/2000/svg}svg"
    assert again.stdout.split("Poolsimulering", 1)[1] == \
        out.split("Poolsimulering", 1)[1].replace(f"Kurvan skrevs till {chart}.\n", "")


def test_bad_options_give_one_swedish_line(database_url: str, tmp_path: Path) -> None:
    sizes = _insats("pool", "simulate", "--sizes", "tjugo", database_url=database_url,
                    cwd=tmp_path)
    empty = _insats("pool", "simulate", "--runs", "10", database_url=database_url, cwd=tmp_path)

    assert sizes.returncode == 1 and "--sizes" in sizes.stderr
    assert empty.returncode == 1 and "tidrapporter" in empty.stderr
    assert "Traceback" not in sizes.stderr + empty.stderr
