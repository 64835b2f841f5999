"""The committee report's PDF and XLSX from a built content, without a database: the same
content gives the same bytes, the text survives extraction (å ä ö – − •), and charts get
round axes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import openpyxl
import pytest
from pypdf import PdfReader

from insats.reports.committee_pdf import committee_pdf
from insats.reports.committee_xlsx import committee_xlsx
from insats.reports.pdf_charts import month_axis_labels, nice_axis
from tests.committee_report_builders import sample_content

ISSUED_AT = dt.datetime(2026, 11, 5, 9, 0, tzinfo=dt.UTC)


def _text(pdf: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def test_the_same_content_gives_the_same_documents() -> None:
    content = sample_content().as_issued(number=2, at=ISSUED_AT, by="Anna Berg")
    assert committee_pdf(content) == committee_pdf(content)
    assert committee_xlsx(content) == committee_xlsx(content)
    later = dataclasses.replace(content, generated_at=ISSUED_AT + dt.timedelta(days=1))
    assert committee_pdf(later) != committee_pdf(content)
    metadata = PdfReader(io.BytesIO(committee_pdf(content))).metadata
    assert metadata is not None and metadata["/CreationDate"].startswith("D:20261105090000")


def test_swedish_text_and_small_counts_survive_extraction() -> None:
    text = _text(committee_pdf(sample_content())).replace("\u00a0", " ")
    for expected in ("Återrapportering av handlingsplaner", "Sjukfrånvaro dag 1–14",
                     "−12 345", "• Sänka sjukfrånvaron − 1 %", "<5", "Förhandsgranskning",
                     "Innehåll", "Hela perioden", "8,4"):
        assert expected in text, expected


def test_the_workbook_has_the_report_s_sheets_and_typed_numbers() -> None:
    content = sample_content()
    book = openpyxl.load_workbook(io.BytesIO(committee_xlsx(content)))
    assert book.sheetnames == ["Rapport", "Åtgärder", "Nyckeltal", "Antal"]
    rows = list(book["Nyckeltal"].iter_rows(min_row=2, values_only=True))
    overtime = next(r for r in rows if r[0] == "overtime_hours")
    assert overtime[4:6] == (1200, 1165) and overtime[14] == 10425
    assert next(r for r in rows if r[0] == "clients_new")[4] == "<5"


@pytest.mark.parametrize(("values", "axis"), [
    ([0.0, 1200.0], (0.0, 1500.0, 500.0)),
    ([8.4, 6.6], (0.0, 10.0, 2.5)),
    ([-123450.0, -12345.0], (-150000.0, 0.0, 50000.0)),
    ([], (0.0, 1.0, 0.25)),
])
def test_chart_axes_are_round(values: list[float], axis: tuple[float, float, float]) -> None:
    assert nice_axis(values) == pytest.approx(axis)


def test_month_labels_carry_the_year_only_across_years() -> None:
    assert month_axis_labels(["2026-01", "2026-02"]) == ["jan", "feb"]
    assert month_axis_labels(["2025-11", "2025-12", "2026-01"]) == ["nov 25", "dec", "jan 26"]
