"""Kill test: `insats import time` killed with SIGKILL at random moments (seeded) leaves
either nothing or everything of the import, on SQLite and on PostgreSQL. Runs
bench/kill_import.py itself with a few kills on a small file."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import POSTGRES_URL_VARIABLE, _server_url

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite",
                                     pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_an_import_killed_at_random_moments_is_never_partial(backend: str) -> None:
    arguments = [sys.executable, str(ROOT / "bench" / "kill_import.py"), "--kills", "4",
                 "--rows", "2000", "--seed", "3", "--backends", backend]
    if backend == "postgresql":
        arguments += ["--postgres", _server_url()]
    environment = {k: v for k, v in os.environ.items() if k != POSTGRES_URL_VARIABLE}
    result = subprocess.run(arguments, cwd=ROOT, env=environment, capture_output=True,
                            text=True, timeout=900, check=False)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    summary = re.search(r"K kills: (\d+), partial imports: (\d+)", result.stdout)
    assert summary is not None, result.stdout[-3000:]
    kills, partial = int(summary.group(1)), int(summary.group(2))
    assert partial == 0
    assert kills >= 1, "at least one import was really killed"
    row = re.search(rf"\| {backend} \| 2000 \| [\d.]+ \| 4 \| (\d+) \| \d+ \| (\d+) "
                    r"\| (\d+) \| 0 \|", result.stdout)
    assert row is not None, result.stdout[-3000:]
    assert int(row.group(2)) + int(row.group(3)) == 4, "each attempt left nothing or all"
