"""`insats cover` as a user runs it: the ranked list for an absence, then a booking."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from insats.services.uow import UnitOfWork
from tests.integration.test_cover_service import seed_cover_world


def _insats(*args: str, database_url: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "INSATS_DATABASE_URL": database_url, "COLUMNS": "250"}
    env.pop("INSATS_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "insats", *args], capture_output=True,
                          text=True, env=env, cwd=cwd, timeout=120, check=False)


def test_cover_lists_then_books_and_refuses_a_rule_breaker(
        database_url: str, uow_factory: Callable[[], UnitOfWork], tmp_path: Path) -> None:
    seed_cover_world(uow_factory)

    listed = _insats("cover", "A1", database_url=database_url, cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert "Sjukfrånvaro" in listed.stdout
    assert "Vikariepool" in listed.stdout and "1\u00a0932\u00a0kr" in listed.stdout
    assert "Ej möjliga" in listed.stdout and "dygnsvila" in listed.stdout

    refused = _insats("cover", "A1", "--book", "E2", database_url=database_url, cwd=tmp_path)
    assert refused.returncode == 1
    assert "kan inte ta passet" in refused.stderr

    booked = _insats("cover", "S1", "--book", "E9", "--reason", "möte",
                     database_url=database_url, cwd=tmp_path)
    assert booked.returncode == 0, booked.stderr
    assert "Bokat: E9 tar passet S1" in booked.stdout and "orsak möte" in booked.stdout
    with uow_factory() as uow:
        shift = uow.scheduling.get("S1")
    assert shift is not None and shift.employee_id == "E9"
