"""`insats report committee`: a preview written as PDF and XLSX, and --issue storing a
version whose documents are the files written."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import Result
from pypdf import PdfReader

from insats.services import committee_reports as reports
from insats.services.runtime import uow_factory_for
from tests.integration.test_action_plans import HEAD
from tests.integration.test_committee_reports import seed_report_world


def test_preview_then_issue(cli: Callable[..., Result], database_url: str,
                            tmp_path: Path) -> None:
    factory = uow_factory_for(database_url)
    seed_report_world(factory)
    pdf, xlsx = tmp_path / "rapport.pdf", tmp_path / "rapport.xlsx"
    result = cli("report", "committee", "--period", "2026-01..2026-03", "--out", str(pdf),
                 "--xlsx", str(xlsx))
    assert result.exit_code == 0, result.output
    assert "Förhandsgranskning" in result.output and "januari–mars 2026" in result.output
    text = "\n".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "förhandsgranskning" in text and "4. Nyckeltal" in text
    assert xlsx.read_bytes().startswith(b"PK")

    result = cli("report", "committee", "--period", "2026-01..2026-03", "--out", str(pdf),
                 "--issue")
    assert result.exit_code == 0, result.output
    assert "Version 1 utfärdad" in result.output
    listed = reports.list_reports(factory, caller=HEAD)
    assert [(s.issued, s.report.period_start.isoformat()) for s in listed] == [
        (1, "2026-01-01")]  # the preview's draft was reused
    _, stored = reports.document(factory, caller=HEAD, report_id=listed[0].report.id,
                                 number=1, kind="pdf")
    assert pdf.read_bytes() == stored


def test_a_bad_period_is_one_swedish_line(cli: Callable[..., Result], tmp_path: Path) -> None:
    result = cli("report", "committee", "--period", "2026-10..2026-01", "--out",
                 str(tmp_path / "x.pdf"))
    assert result.exit_code != 0
    assert isinstance(result.exception, Exception)
    assert "den sista månaden är före den första" in str(result.exception)
