"""The `insats` command end to end, as a user runs it (a real process, a real database)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def _insats(*args: str, database_url: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "INSATS_DATABASE_URL": database_url, "COLUMNS": "200"}
    env.pop("INSATS_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "insats", *args],
        capture_output=True, text=True, env=env, cwd=cwd, timeout=600, check=False,
    )


def test_help_lists_every_command(tmp_path: Path) -> None:
    result = _insats("--help", database_url=f"sqlite:///{tmp_path}/x.db", cwd=tmp_path)
    assert result.returncode == 0
    for command in ("db", "demo", "rules", "summary"):
        assert command in result.stdout


def test_summary_before_any_data_fails_with_one_swedish_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/var/insats.db"
    assert _insats("db", "upgrade", database_url=url, cwd=tmp_path).returncode == 0

    result = _insats("summary", database_url=url, cwd=tmp_path)

    assert result.returncode == 1
    assert "ingen avdelning" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


@pytest.mark.slow
def test_main_job_loads_the_demo_once_and_prints_the_summary(
    database_url: str, tmp_path: Path
) -> None:
    upgrade = _insats("db", "upgrade", database_url=database_url, cwd=tmp_path)
    assert upgrade.returncode == 0, upgrade.stderr

    first = _insats("demo", "load", "--if-empty", database_url=database_url, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "Brukare" in first.stdout and "213" in first.stdout
    again = _insats("demo", "load", "--if-empty", database_url=database_url, cwd=tmp_path)
    assert again.returncode == 0 and "laddades inte om" in again.stdout
    refused = _insats("demo", "load", database_url=database_url, cwd=tmp_path)
    assert refused.returncode == 1 and "--replace" in refused.stderr

    result = _insats("summary", "--on", "2026-11-22", database_url=database_url, cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert "Hela avdelningen" in result.stdout
    assert "oktober 2026" in result.stdout
    for unit in ("Personlig assistans", "Korttidshemmet", "Resursenheten", "Övertalighet"):
        assert unit in result.stdout


def test_a_user_corrects_a_rate_from_the_command_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/var/insats.db"
    assert _insats("db", "upgrade", database_url=url, cwd=tmp_path).returncode == 0

    added = _insats("rules", "set", "fk.schablon_per_hour", "--from", "2027-01-01",
                    "--value", "350,25", "--source", "Regeringsbeslut 2026-09",
                    database_url=url, cwd=tmp_path)
    overlapping = _insats("rules", "set", "fk.schablon_per_hour", "--from", "2026-07-01",
                          "--value", "350,25", "--source", "x", database_url=url, cwd=tmp_path)
    listed = _insats("rules", "list", "--key", "fk.schablon", database_url=url, cwd=tmp_path)

    assert added.returncode == 0 and "350,25" in added.stdout, added.stderr
    assert overlapping.returncode == 1 and "överlappande" in overlapping.stderr
    assert "2027-01-01" in listed.stdout and "Regeringsbeslut 2026-09" in listed.stdout
    assert "osäker" in listed.stdout  # the unverified 2026 value stays marked
