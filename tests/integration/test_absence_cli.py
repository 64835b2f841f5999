"""`insats absence report|alerts` as a user runs them, on the small sick-leave department."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from insats.services.uow import UnitOfWork
from tests.sick_leave_world import build_sick_leave_world


def _insats(*args: str, database_url: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "INSATS_DATABASE_URL": database_url, "COLUMNS": "220"}
    env.pop("INSATS_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "insats", *args], capture_output=True,
                          text=True, env=env, cwd=cwd, timeout=300, check=False)


def _world(uow_factory: Callable[[], UnitOfWork]) -> None:
    with uow_factory() as uow:
        build_sick_leave_world(uow)
        uow.commit()


def test_the_report_shows_each_unit_and_the_total_in_swedish(
        database_url: str, uow_factory: Callable[[], UnitOfWork], tmp_path: Path) -> None:
    _world(uow_factory)

    result = _insats("absence", "report", "--month", "2026-10", database_url=database_url,
                     cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Sjukfrånvaro oktober 2026" in out
    for text in ("Assistans Norr", "Maja Chef", "Assistans Söder", "Totalt", "50,0\u00a0%",
                 "791\u00a0kr", "3\u00a0165\u00a0kr"):
        assert text in out, text


def test_one_unit_by_name_and_the_alerts_per_manager(
        database_url: str, uow_factory: Callable[[], UnitOfWork], tmp_path: Path) -> None:
    _world(uow_factory)

    report = _insats("absence", "report", "--unit", "Söder", "--month", "2026-10",
                     database_url=database_url, cwd=tmp_path)
    alerts = _insats("absence", "alerts", "--on", "2026-10-20", database_url=database_url,
                     cwd=tmp_path)

    assert report.returncode == 0, report.stderr
    assert "Assistans Söder" in report.stdout and "Assistans Norr" not in report.stdout
    assert alerts.returncode == 0, alerts.stderr
    out = alerts.stdout
    assert "2 medarbetare i 2 enheter" in out
    for text in ("Assistans Norr – chef: Maja Chef", "Eva Ek", "Upprepad korttidsfrånvaro",
                 "6 sjuktillfällen", "Olof Gran", "Lång sjukfrånvaro", "2026-09-27",
                 "2026-10-04", "2026-10-19", "försenad"):
        assert text in out, text
    with uow_factory() as uow:
        events = uow.audit.between(dt.datetime(2000, 1, 1, tzinfo=dt.UTC),
                                   dt.datetime(2100, 1, 1, tzinfo=dt.UTC))
    assert {(e.username, e.role, e.route) for e in events} == {
        ("cli", "avdelningschef", "insats absence report"),
        ("cli", "avdelningschef", "insats absence alerts")}
    assert {e.object_id for e in events if e.route.endswith("alerts")} == {None, "E1", "E3"}


def test_bad_input_gives_one_swedish_line(
        database_url: str, uow_factory: Callable[[], UnitOfWork], tmp_path: Path) -> None:
    _world(uow_factory)

    month = _insats("absence", "report", "--month", "oktober", database_url=database_url,
                    cwd=tmp_path)
    unit = _insats("absence", "alerts", "--unit", "Finns inte", database_url=database_url,
                   cwd=tmp_path)

    assert month.returncode == 1 and "ÅÅÅÅ-MM" in month.stderr
    assert unit.returncode == 1 and "finns inte" in unit.stderr
    assert "Traceback" not in month.stderr + unit.stderr
