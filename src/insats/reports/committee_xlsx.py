"""The committee report as XLSX: the same content as the PDF, for those who work on in a
spreadsheet.

Sheets: "Rapport" (the document block and the written sections), "Åtgärder" (the action
table), "Nyckeltal" (one row per figure, one column per month, the whole period and the
comment) and, when the report has count tables, "Antal". Values are numbers with a number
format (Excel and LibreOffice with Swedish settings show ``1 234,5``); a suppressed count
is the text "<5" and a missing value is empty. The workbook's dates and the zip entries'
times are the content's issue time, so the same content gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from insats.domain.committee_report import (
    SECTION_BACKGROUND,
    SECTION_INTRODUCTION,
    SECTION_NEXT_STEPS,
    SECTION_TITLES,
    SUPPRESSED_TEXT,
    FigureValue,
    ReportContent,
    month_label,
    suppress_note,
)

PREVIEW_TIME = dt.datetime(2000, 1, 1)
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_HEAD_FILL = PatternFill("solid", start_color="DDE4EE", end_color="DDE4EE")
_WRAP = Alignment(wrap_text=True, vertical="top")
_MODIFIED = re.compile(r'<dcterms:modified xsi:type="dcterms:W3CDTF">[^<Z]*Z?')


def committee_xlsx(content: ReportContent) -> bytes:
    """The workbook as bytes."""
    workbook = Workbook()
    report = workbook.active
    assert report is not None
    report.title = "Rapport"
    _report_sheet(report, content)
    _actions_sheet(workbook.create_sheet("Åtgärder"), content)
    _figures_sheet(workbook.create_sheet("Nyckeltal"), content)
    if content.count_tables:
        _counts_sheet(workbook.create_sheet("Antal"), content)
    at = _naive_utc(content.generated_at) if content.generated_at else PREVIEW_TIME
    workbook.properties.creator = "Insats"
    workbook.properties.title = content.header.title
    workbook.properties.created = at
    workbook.properties.modified = at
    workbook.properties.lastModifiedBy = content.issued_by or None
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _fixed_zip_times(buffer.getvalue(), at)


def _naive_utc(at: dt.datetime) -> dt.datetime:
    return at.astimezone(dt.UTC).replace(tzinfo=None, microsecond=0)


def _fixed_zip_times(data: bytes, at: dt.datetime) -> bytes:
    """The same archive with every entry dated ``at``, and ``at`` as the modification time
    in docProps/core.xml (openpyxl writes the clock's time there when saving)."""
    stamp = (max(at.year, 1980), at.month, at.day, at.hour, at.minute, at.second)
    modified = f"<dcterms:modified xsi:type=\"dcterms:W3CDTF\">{at.isoformat()}Z"
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            payload = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                payload = _MODIFIED.sub(modified, payload.decode("utf-8")).encode("utf-8")
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, payload)
    return out.getvalue()


def _head(sheet: Worksheet, row: int, titles: Sequence[str]) -> None:
    for column, title in enumerate(titles, start=1):
        cell = sheet.cell(row=row, column=column, value=title)
        cell.font = _BOLD
        cell.fill = _HEAD_FILL
        cell.alignment = _WRAP


def _widths(sheet: Worksheet, widths: Sequence[float]) -> None:
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def _report_sheet(sheet: Worksheet, content: ReportContent) -> None:
    h = content.header
    sheet["A1"] = h.title
    sheet["A1"].font = _TITLE
    rows: list[tuple[str, str]] = [
        ("Typ av styrdokument", h.document_type), ("Beslutande instans", h.deciding_body),
        ("Diarienummer", h.diarienummer), ("Gäller för", h.applies_to),
        ("Period", h.period_label), ("Giltighetstid", h.validity),
        ("Dokumentansvarig", h.responsible), ("Version", content.version_line),
    ]
    line = 3
    for label, value in rows:
        sheet.cell(row=line, column=1, value=label).font = _BOLD
        sheet.cell(row=line, column=2, value=value)
        line += 1
    line += 1
    for number, subject in ((1, SECTION_INTRODUCTION), (2, SECTION_BACKGROUND),
                            (5, SECTION_NEXT_STEPS)):
        sheet.cell(row=line, column=1, value=f"{number}. {SECTION_TITLES[subject]}").font = _BOLD
        text = content.section(subject)
        cell = sheet.cell(row=line, column=2, value=text)
        cell.alignment = _WRAP
        sheet.row_dimensions[line].height = max(15, 15 * (text.count("\n") + 1 + len(text) // 90))
        line += 1
    _widths(sheet, [24, 100])


def _actions_sheet(sheet: Worksheet, content: ReportContent) -> None:
    _head(sheet, 1, ["Id", "Aktivitet", "Åtgärd", "Status", "Ansvarig", "Uppföljning",
                     "Kommentar", "Mål"])
    for row, a in enumerate(content.actions, start=2):
        values: list[Any] = [a.id, a.activity, a.measure, a.status, a.owner, a.follow_up_on,
                             a.comment or a.latest_follow_up, a.targets]
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=column, value=value)
            cell.alignment = _WRAP
            if isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    _widths(sheet, [8, 30, 36, 12, 22, 13, 60, 50])


def _figure_cell(sheet: Worksheet, row: int, column: int, value: FigureValue,
                 decimals: int) -> None:
    if value.suppressed:
        cell = sheet.cell(row=row, column=column, value=SUPPRESSED_TEXT)
        cell.alignment = Alignment(horizontal="right")
        return
    if value.value is None:
        return
    number: int | float = (int(value.value) if value.value == value.value.to_integral_value()
                           else float(value.value))
    cell = sheet.cell(row=row, column=column, value=number)
    cell.number_format = "#,##0" if decimals == 0 else "#,##0." + "0" * decimals


def _figures_sheet(sheet: Worksheet, content: ReportContent) -> None:
    months = [month_label(key) for key in content.months]
    _head(sheet, 1, ["Kod", "Nyckeltal", "Enhet", "Grupp", *months, "Hela perioden",
                     "Kommentar"])
    for row, figure in enumerate(content.figures, start=2):
        for column, text in enumerate((figure.code, figure.name, figure.unit, figure.group),
                                      start=1):
            sheet.cell(row=row, column=column, value=text)
        for offset, value in enumerate(figure.values):
            _figure_cell(sheet, row, 5 + offset, value, figure.decimals)
        total_column = 5 + len(months)
        _figure_cell(sheet, row, total_column, figure.total, figure.decimals)
        sheet.cell(row=row, column=total_column).font = _BOLD
        sheet.cell(row=row, column=total_column + 1, value=figure.comment).alignment = _WRAP
    sheet.freeze_panes = "C2"
    _widths(sheet, [24, 32, 7, 14, *([11] * len(months)), 14, 60])


def _counts_sheet(sheet: Worksheet, content: ReportContent) -> None:
    line = 1
    for table in content.count_tables:
        sheet.cell(row=line, column=1, value=table.title).font = _TITLE
        line += 1
        _head(sheet, line, ["Enhet", *table.column_labels, "Totalt"])
        line += 1
        rows = [*zip(table.row_labels, table.cells, table.row_totals, strict=True),
                ("Totalt", table.column_totals, table.grand_total)]
        for label, cells, total in rows:
            sheet.cell(row=line, column=1, value=label).font = _BOLD if label == "Totalt" \
                else Font()
            for column, count in enumerate([*cells, total], start=2):
                value: Any = SUPPRESSED_TEXT if count is None else count
                cell = sheet.cell(row=line, column=column, value=value)
                cell.alignment = Alignment(horizontal="right")
            line += 1
        sheet.cell(row=line, column=1, value=table.note or suppress_note(content.count_tables))
        line += 2
    _widths(sheet, [30, *([10] * 14)])
