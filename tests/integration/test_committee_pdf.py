"""The issued PDF read back with pypdf: it opens, has the document block and the sections
with a table of contents, and every key figure in it is the number the key-figure service
gives the committee for the same period and scope (formatted the Swedish way), with small
counts shown as "<5". The XLSX holds the same numbers."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Sequence

import openpyxl
import pytest
from pypdf import PdfReader

from insats.domain.committee_report import (
    SECTION_NEXT_STEPS,
    FigureValue,
    format_count,
    format_value,
    month_label,
)
from insats.domain.disclosure import exposed_entries
from insats.domain.figure_catalogue import TOTAL_KEY, FigureReport
from insats.domain.personnummer import make_identity
from insats.reports.committee_pdf import FIGURE_COLUMNS_PER_TABLE
from insats.services import committee_reports as reports
from insats.services.key_figures import figure_report
from insats.services.uow import UnitOfWork
from tests.builders import a_client, a_decision
from tests.integration.test_action_plans import HEAD
from tests.integration.test_committee_reports import (
    COMMITTEE,
    END,
    NOW,
    START,
    seed_report_world,
)

UowFactory = Callable[[], UnitOfWork]


@pytest.fixture
def issued(uow_factory: UowFactory) -> tuple[UowFactory, str]:
    seed_report_world(uow_factory)
    report = reports.create_report(uow_factory, caller=HEAD, start=START, end=END,
                                   diarienummer="2026.045 VON", now=NOW)
    reports.save_text(uow_factory, caller=HEAD, report_id=report.id,
                      subject=SECTION_NEXT_STEPS, text="- Sänka sjukfrånvaron\n- Färre "
                      "timmar utöver beslut", expected_version=0)
    reports.save_text(uow_factory, caller=HEAD, report_id=report.id,
                      subject="figure:overtime_hours", text="Övertiden följs varje vecka.",
                      expected_version=0)
    reports.issue(uow_factory, caller=HEAD, report_id=report.id, now=NOW)
    return uow_factory, report.id


def _tokens(pdf: bytes) -> tuple[str, list[str]]:
    """The PDF's text, and its lines stripped (table cells come one per line)."""
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages).replace("\u00a0", " ")
    return text, [line.strip() for line in text.splitlines() if line.strip()]


def _contains_run(tokens: Sequence[str], run: Sequence[str]) -> bool:
    width = len(run)
    return any(list(tokens[i:i + width]) == list(run) for i in range(len(tokens) - width + 1))


def _shown(figures: FigureReport, code: str, key: str, unit: str, decimals: int) -> str:
    cell = figures.cell(code, None, key)
    value = FigureValue(None if cell.suppressed else cell.value, cell.suppressed)
    return format_value(value, unit, decimals, with_unit=False).replace("\u00a0", " ")


def test_the_pdf_opens_with_its_document_block_and_sections(
        issued: tuple[UowFactory, str]) -> None:
    world, report_id = issued
    _, pdf = reports.document(world, caller=COMMITTEE, report_id=report_id, number=1,
                              kind="pdf")
    text, tokens = _tokens(pdf)
    for label, value in (("Typ av styrdokument:", "Återrapportering"),
                         ("Beslutande instans:", "Vård- och omsorgsnämnden"),
                         ("Diarienummer:", "2026.045 VON"),
                         ("Period:", "januari–mars 2026"),
                         ("Giltighetstid:", "Tills vidare")):
        assert _contains_run(tokens, [label, value]), label
    assert "Version 1, utfärdad 2026-04-07 av Avdelningschefen" in text
    sections = ["1. Inledning", "2. Bakgrund", "3. Åtgärder", "4. Nyckeltal",
                "5. Fortsatt arbete"]
    for section in ["Innehåll", *sections]:
        assert section in tokens, section
    # the table of contents lists each section before the sections themselves begin
    contents = tokens.index("Innehåll")
    assert all(tokens.index(s) > contents for s in sections)
    assert re.search(r"3\. Åtgärder[\s.]+\d+\n", text)
    assert "• Sänka sjukfrånvaron" in text and "Övertiden följs varje vecka." in text
    assert "Sida 2" in text


def test_every_figure_in_the_pdf_is_the_service_s_number_for_the_committee(
        issued: tuple[UowFactory, str]) -> None:
    world, report_id = issued
    version = reports.issued_version(world, caller=COMMITTEE, report_id=report_id, number=1)
    content = version.content
    _, pdf = reports.document(world, caller=COMMITTEE, report_id=report_id, number=1,
                              kind="pdf")
    _, tokens = _tokens(pdf)
    figures = figure_report(world, caller=COMMITTEE, start=START, end=END)
    assert figures.months == content.months
    checked = 0
    for _, rows in content.figure_groups:
        for start in range(0, len(rows), FIGURE_COLUMNS_PER_TABLE):
            chunk = rows[start:start + FIGURE_COLUMNS_PER_TABLE]
            for key, label in [*((m, month_label(m)) for m in figures.months),
                               (TOTAL_KEY, "Hela perioden")]:
                run = [label, *(_shown(figures, r.code, key, r.unit, r.decimals)
                                for r in chunk)]
                assert _contains_run(tokens, run), run
                checked += len(chunk)
    assert checked == len(figures.definitions) * (len(figures.months) + 1)


def test_small_counts_are_shown_as_under_five(issued: tuple[UowFactory, str]) -> None:
    world, report_id = issued
    content = reports.issued_version(world, caller=HEAD, report_id=report_id,
                                     number=1).content
    clients = content.count_tables[0]
    assert clients.row_labels == ("Personlig assistans Norr",)  # two clients in U01
    assert set(clients.cells[0]) == {None} and set(clients.column_totals) == {None}
    # six client-months over three hidden months: no single month can be worked out
    assert clients.row_totals == (6,) and clients.grand_total == 6
    _, pdf = reports.document(world, caller=HEAD, report_id=report_id, number=1, kind="pdf")
    _, tokens = _tokens(pdf)
    assert _contains_run(tokens, ["Personlig assistans Norr", "<5", "<5", "<5", "6"])
    assert any(v.suppressed for row in content.figures for v in row.values)


def test_the_xlsx_has_the_same_numbers(issued: tuple[UowFactory, str]) -> None:
    world, report_id = issued
    content = reports.issued_version(world, caller=HEAD, report_id=report_id,
                                     number=1).content
    _, data = reports.document(world, caller=HEAD, report_id=report_id, number=1, kind="xlsx")
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Rapport", "Åtgärder", "Nyckeltal", "Antal"]
    sheet = book["Nyckeltal"]
    by_code = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    for figure in content.figures:
        cells = by_code[figure.code][4:4 + len(content.months) + 1]
        for cell, value in zip(cells, (*figure.values, figure.total), strict=True):
            if value.suppressed:
                assert cell == "<5"
            elif value.value is None:
                assert cell is None
            else:
                assert cell == pytest.approx(float(value.value))
    actions = [row[0] for row in book["Åtgärder"].iter_rows(min_row=2, values_only=True)]
    assert actions == [a.id for a in content.actions]



def test_no_hidden_client_count_can_be_worked_out_from_the_totals(
        uow_factory: UowFactory) -> None:
    """U01 has two clients, U02 seven: the column totals (nine) would give U01's two back,
    so more cells are hidden, and none of the hidden counts is determined by the rest."""
    seed_report_world(uow_factory)
    with uow_factory() as uow:
        for number in range(3, 10):
            uow.clients.add(a_client(id=f"C{number:04d}", pseudonym=f"B-{number:04d}",
                                     unit_id="U02",
                                     identity=make_identity(dt.date(1980, 1, number),
                                                            100 + number)))
            uow.decisions.add(a_decision(id=f"BE{number:04d}", client_id=f"C{number:04d}"))
        uow.commit()
    report = reports.create_report(uow_factory, caller=HEAD, start=START, end=END, now=NOW)
    version = reports.issue(uow_factory, caller=HEAD, report_id=report.id, now=NOW)
    table = version.content.count_tables[0]
    assert table.row_labels == ("Personlig assistans Norr", "Personlig assistans Söder")
    rows, columns = len(table.cells), len(table.column_labels)
    hidden = {(i, j) for i, row in enumerate(table.cells) for j, c in enumerate(row)
              if c is None}
    hidden |= {(i, columns) for i, c in enumerate(table.row_totals) if c is None}
    hidden |= {(rows, j) for j, c in enumerate(table.column_totals) if c is None}
    if table.grand_total is None:
        hidden.add((rows, columns))
    assert {(0, j) for j in range(columns)} <= hidden  # the counts of two
    assert exposed_entries(hidden, rows, columns) == set()
    _, pdf = reports.document(uow_factory, caller=HEAD, report_id=report.id, number=1,
                              kind="pdf")
    _, tokens = _tokens(pdf)
    shown_row = [table.row_labels[1], *(format_count(c) for c in table.cells[1]),
                 format_count(table.row_totals[1])]
    assert _contains_run(tokens, shown_row)
