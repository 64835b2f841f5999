"""`insats plan …` end to end in a real process on the small hand-built department."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from insats.services.uow import UnitOfWork
from tests.integration.test_planning_service import store_small_department


def _insats(*args: str, database_url: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "INSATS_DATABASE_URL": database_url, "COLUMNS": "200"}
    env.pop("INSATS_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "insats", *args],
        capture_output=True, text=True, env=env, cwd=cwd, timeout=300, check=False,
    )


@pytest.mark.slow  # five processes and a solve: about 12 s
def test_plan_show_list_and_publish_once(
    database_url: str, uow_factory: Callable[[], UnitOfWork], tmp_path: Path
) -> None:
    store_small_department(uow_factory)

    planned = _insats("plan", "--unit", "Personlig assistans Norr", "--from", "2026-12-07",
                      "--weeks", "1", "--time-limit", "2", "--seed", "3", "--workers", "1",
                      database_url=database_url, cwd=tmp_path)

    assert planned.returncode == 0, planned.stderr
    out = planned.stdout
    for text in ("Beviljade timmar", "Timmar över beviljat", "Obemannade timmar",
                 "Assistenter per brukare", "Mertid", "Övertid", "Assistansgrupp B-0001"):
        assert text in out
    assert re.search(r"Regelbrott\s*│\s*0\s*│", out)
    run_id = re.search(r"Planering (P[0-9a-f]{8})", out).group(1)  # type: ignore[union-attr]

    listed = _insats("plan", "list", database_url=database_url, cwd=tmp_path)
    assert listed.returncode == 0 and run_id in listed.stdout
    shown = _insats("plan", "show", run_id, database_url=database_url, cwd=tmp_path)
    assert shown.returncode == 0 and "Klar" in shown.stdout

    published = _insats("plan", "publish", run_id, database_url=database_url, cwd=tmp_path)
    assert published.returncode == 0, published.stderr
    assert "Publicerade" in published.stdout
    again = _insats("plan", "publish", run_id, database_url=database_url, cwd=tmp_path)
    assert again.returncode == 1
    assert "redan" in again.stderr and "Traceback" not in again.stderr


def test_plan_errors_are_one_swedish_line(
    database_url: str, uow_factory: Callable[[], UnitOfWork], tmp_path: Path
) -> None:
    store_small_department(uow_factory)

    tuesday = _insats("plan", "--unit", "U01", "--from", "2026-12-08", "--time-limit", "1",
                      database_url=database_url, cwd=tmp_path)
    assert tuesday.returncode == 1 and "måndag" in tuesday.stderr
    unknown = _insats("plan", "--unit", "Ingenstans", "--from", "2026-12-07",
                      database_url=database_url, cwd=tmp_path)
    assert unknown.returncode == 1 and "finns inte" in unknown.stderr
    absence = _insats("plan", "replan", "--absence", "A404", database_url=database_url,
                      cwd=tmp_path)
    assert absence.returncode == 1 and "Frånvaron A404 finns inte" in absence.stderr
    for result in (tuesday, unknown, absence):
        assert "Traceback" not in result.stderr + result.stdout
