"""`insats import …` as a user runs it: an error table and exit 1, or a summary."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from insats.services.uow import UnitOfWork
from tests.integration.test_import_service import GOOD_TIME, TIME_HEADER, seed_world, write_csv


def _insats(*args: str, database_url: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "INSATS_DATABASE_URL": database_url, "COLUMNS": "200"}
    env.pop("INSATS_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "insats", *args],
        capture_output=True, text=True, env=env, cwd=cwd, timeout=600, check=False,
    )


def test_import_time_prints_errors_as_a_table_then_imports_a_good_file(
    database_url: str, uow_factory: Callable[[], UnitOfWork], tmp_path: Path
) -> None:
    seed_world(uow_factory)
    bad_rows = [*GOOD_TIME, ["T9", "E0404", "G0001", "", "2026-03-09 07:00", "igår", "0",
                             "", "", "", "", ""]]
    bad = write_csv(tmp_path / "fel.csv", TIME_HEADER, bad_rows)

    failed = _insats("import", "time", str(bad), database_url=database_url, cwd=tmp_path)

    assert failed.returncode == 1
    for word in ("Fil", "Rad", "Kolumn", "Fel", "fel.csv", "Okänd anställd 'E0404'.",
                 "Ingenting importerades", "2 fel"):
        assert word in failed.stdout, failed.stdout
    assert "Traceback" not in failed.stdout + failed.stderr

    good = write_csv(tmp_path / "tid.csv", TIME_HEADER, GOOD_TIME)
    dry = _insats("import", "time", str(good), "--dry-run", "--source", "Tidsystemet",
                  database_url=database_url, cwd=tmp_path)
    assert dry.returncode == 0 and "Provkörning" in dry.stdout
    done = _insats("import", "time", str(good), "--source", "Tidsystemet",
                   database_url=database_url, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Import klar" in done.stdout and "Nya" in done.stdout and "3" in done.stdout
    again = _insats("import", "time", str(good), "--source", "Tidsystemet",
                    database_url=database_url, cwd=tmp_path)
    assert "Oförändrade" in again.stdout
    listed = _insats("import", "list", database_url=database_url, cwd=tmp_path)
    assert listed.returncode == 0 and "tid.csv" in listed.stdout and "Tidsystemet" in listed.stdout


def test_a_missing_file_is_one_swedish_line(database_url: str, tmp_path: Path) -> None:
    result = _insats("import", "decisions", str(tmp_path / "saknas.csv"),
                     database_url=database_url, cwd=tmp_path)
    assert result.returncode != 0
    assert "Traceback" not in result.stdout + result.stderr
