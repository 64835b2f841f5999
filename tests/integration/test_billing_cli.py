"""`insats billing …` end to end in a real process (SQLite and PostgreSQL)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from openpyxl import load_workbook

from insats.services.uow import UnitOfWork
from tests.integration.test_billing_service import store


def _insats(*args: str, database_url: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "INSATS_DATABASE_URL": database_url, "COLUMNS": "300"}
    env.pop("INSATS_DEBUG", None)
    done = subprocess.run([sys.executable, "-m", "insats", "billing", *args],
                          capture_output=True, text=True, env=env, cwd=cwd, timeout=120,
                          check=False)
    done.stdout = done.stdout.replace("\u00a0", " ")
    return done


def test_draft_issue_credit_and_export_from_the_command_line(
        database_url: str, uow_factory: Callable[[], UnitOfWork], tmp_path: Path) -> None:
    store(uow_factory)

    contracts = _insats("contracts", "list", database_url=database_url, cwd=tmp_path)
    assert contracts.returncode == 0, contracts.stderr
    assert "Vårgårda kommun" in contracts.stdout and "4 150,00 kr/dygn" in contracts.stdout

    drafted = _insats("invoices", "draft", "--month", "2026-10", "--kind", "plats",
                      database_url=database_url, cwd=tmp_path)
    assert drafted.returncode == 0, drafted.stderr
    assert "Nya utkast: 1" in drafted.stdout and "12 450,00 kr" in drafted.stdout
    draft_id = re.search(r"(F[0-9a-f]{12})", drafted.stdout).group(1)  # type: ignore[union-attr]

    issued = _insats("invoices", "issue", draft_id, "--on", "2026-11-05",
                     database_url=database_url, cwd=tmp_path)
    assert issued.returncode == 0, issued.stderr
    assert "Faktura 2026-00001 utfärdad till Vårgårda kommun" in issued.stdout

    shown = _insats("invoices", "show", "2026-00001", database_url=database_url, cwd=tmp_path)
    assert shown.returncode == 0 and "Korttidsvistelse" in shown.stdout
    assert "2026-12-05" in shown.stdout

    out = tmp_path / "faktura.xlsx"
    exported = _insats("invoices", "export", "2026-00001", "--out", str(out),
                       database_url=database_url, cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    assert load_workbook(out)["2026-00001"]["B1"].value == "2026-00001"

    credited = _insats("invoices", "credit", "2026-00001", "--on", "2026-11-10",
                       database_url=database_url, cwd=tmp_path)
    assert credited.returncode == 0 and "2026-00002" in credited.stdout
    listed = _insats("invoices", "list", "--month", "2026-10", "--status", "utfardad",
                     database_url=database_url, cwd=tmp_path)
    assert "(kredit)" in listed.stdout and "-12 450,00 kr" in listed.stdout

    again = _insats("invoices", "credit", "2026-00001", database_url=database_url, cwd=tmp_path)
    assert again.returncode == 1 and "redan krediterad" in again.stderr
    assert "Traceback" not in again.stderr
    bad = _insats("invoices", "draft", "--month", "oktober", database_url=database_url,
                  cwd=tmp_path)
    assert bad.returncode == 1 and "ÅÅÅÅ-MM" in bad.stderr
