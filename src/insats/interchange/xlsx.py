"""A small, general XLSX writer: typed columns, Swedish number formats, header, totals.

Usage::

    from insats.interchange.xlsx import Column, ColumnType, Sheet, write_workbook

    sheet = Sheet(
        title="Timmar oktober 2026",
        columns=(Column("Brukare"), Column("Timmar", ColumnType.HOURS),
                 Column("Belopp", ColumnType.MONEY), Column("Dag", ColumnType.DATE)),
        rows=[("B-0042", 630, 345_000, dt.date(2026, 10, 1))],
        head=(("Enhet", "PA Nolhaga"),),   # optional label/value lines above the table
        totals=True,                       # a "Summa" row under numeric columns
    )
    write_workbook("ut.xlsx", [sheet])     # a path, or a binary stream such as BytesIO

Cell values by column type (None leaves the cell empty):

- ``TEXT``: any value, written as ``str``.
- ``INTEGER``: ``int``.
- ``HOURS``: whole minutes (``int`` or ``Minutes``), written as decimal hours (630 → 10,5)
  with two decimals.
- ``MONEY``: öre (``int`` or ``Money``), written as kronor with two decimals and " kr".
- ``DATE``: ``datetime.date``, shown as ``ÅÅÅÅ-MM-DD``.

Number formats are stored the Excel way (``#,##0.00``); Excel and LibreOffice with Swedish
settings show them as ``1 234,50``. The header row is bold with the panes frozen below it,
column widths follow the content (or ``Column.width``), and a totals row sums the INTEGER,
HOURS and MONEY columns exactly (from minutes and öre, not from rounded floats).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, BinaryIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from insats.domain.common import Minutes, Money

MAX_TITLE = 31
_FORBIDDEN_IN_TITLE = set('[]:*?/\\')
_MIN_WIDTH, _MAX_WIDTH = 8, 70
_HEADER_FILL = PatternFill("solid", start_color="DDE4EE", end_color="DDE4EE")


class ColumnType(StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    HOURS = "hours"
    MONEY = "money"
    DATE = "date"


NUMBER_FORMATS: dict[ColumnType, str] = {
    ColumnType.TEXT: "@",
    ColumnType.INTEGER: "#,##0",
    ColumnType.HOURS: "#,##0.00",
    ColumnType.MONEY: '#,##0.00 "kr"',
    ColumnType.DATE: "yyyy-mm-dd",
}
_SUMMABLE = frozenset({ColumnType.INTEGER, ColumnType.HOURS, ColumnType.MONEY})


@dataclass(frozen=True, slots=True)
class Column:
    """A column: its header (Swedish), type and optional width in characters."""

    title: str
    type: ColumnType = ColumnType.TEXT
    width: float | None = None


@dataclass(frozen=True, slots=True)
class Sheet:
    """One worksheet.

    Attributes:
        title: the tab name (cut to 31 characters, characters Excel forbids replaced).
        columns: the table's columns.
        rows: one sequence of cell values per row, in column order.
        head: optional (label, value) lines written above the table, e.g. an invoice head;
            values are written as they are (str, int, float, date, Money as kronor).
        totals: add a totals row that sums INTEGER, HOURS and MONEY columns.
        totals_label: the text in the first column of the totals row.
    """

    title: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[Any]] = ()
    head: Sequence[tuple[str, Any]] = ()
    totals: bool = False
    totals_label: str = "Summa"


def safe_title(title: str) -> str:
    cleaned = "".join("-" if ch in _FORBIDDEN_IN_TITLE else ch for ch in title).strip()
    return (cleaned or "Blad")[:MAX_TITLE]


def _minutes(value: Any) -> int:
    return value.value if isinstance(value, Minutes) else int(value)


def _ore(value: Any) -> int:
    return value.ore if isinstance(value, Money) else int(value)


def cell_value(kind: ColumnType, value: Any) -> Any:
    """The value written to a cell of a column of type ``kind``."""
    if value is None:
        return None
    if kind is ColumnType.TEXT:
        return str(value)
    if kind is ColumnType.INTEGER:
        return int(value)
    if kind is ColumnType.HOURS:
        return _minutes(value) / 60
    if kind is ColumnType.MONEY:
        return _ore(value) / 100
    if kind is ColumnType.DATE:
        if isinstance(value, dt.datetime):
            raise TypeError("DATE columns take dates; convert times to a local date first")
        if not isinstance(value, dt.date):
            raise TypeError(f"DATE column got {type(value).__name__}")
        return value
    raise ValueError(kind)


def _display_length(kind: ColumnType, value: Any) -> int:
    if value is None:
        return 0
    if kind is ColumnType.DATE:
        return 10
    if kind in (ColumnType.HOURS, ColumnType.MONEY):
        return len(f"{cell_value(kind, value):,.2f}") + (3 if kind is ColumnType.MONEY else 0)
    return len(str(value))


def _total(kind: ColumnType, values: list[Any]) -> Any:
    present = [v for v in values if v is not None]
    if kind is ColumnType.HOURS:
        return sum(_minutes(v) for v in present) / 60
    if kind is ColumnType.MONEY:
        return sum(_ore(v) for v in present) / 100
    return sum(int(v) for v in present)


def _head_value(value: Any) -> Any:
    if isinstance(value, Money):
        return value.ore / 100
    return value


def _write_sheet(ws: Worksheet, sheet: Sheet) -> None:
    widths = [max(_MIN_WIDTH, len(column.title) + 2) for column in sheet.columns]
    row_no = 1
    bold = Font(bold=True)
    for label, value in sheet.head:
        ws.cell(row=row_no, column=1, value=label).font = bold
        cell = ws.cell(row=row_no, column=2, value=_head_value(value))
        if isinstance(value, Money):
            cell.number_format = NUMBER_FORMATS[ColumnType.MONEY]
        elif isinstance(value, dt.date):
            cell.number_format = NUMBER_FORMATS[ColumnType.DATE]
        widths[0] = max(widths[0], len(label) + 2)
        row_no += 1
    if sheet.head:
        row_no += 1  # one empty line between the head and the table
    header_row = row_no
    for index, column in enumerate(sheet.columns, start=1):
        cell = ws.cell(row=header_row, column=index, value=column.title)
        cell.font = bold
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    for values in sheet.rows:
        row_no += 1
        if len(values) != len(sheet.columns):
            raise ValueError(f"row {row_no} has {len(values)} values for "
                             f"{len(sheet.columns)} columns")
        for index, (column, value) in enumerate(zip(sheet.columns, values, strict=True)):
            cell = ws.cell(row=row_no, column=index + 1, value=cell_value(column.type, value))
            cell.number_format = NUMBER_FORMATS[column.type]
            widths[index] = max(widths[index], _display_length(column.type, value) + 2)
    if sheet.totals:
        row_no += 1
        ws.cell(row=row_no, column=1, value=sheet.totals_label).font = bold
        for index, column in enumerate(sheet.columns):
            if column.type not in _SUMMABLE or index == 0:
                continue
            total = _total(column.type, [r[index] for r in sheet.rows])
            cell = ws.cell(row=row_no, column=index + 1, value=total)
            cell.number_format = NUMBER_FORMATS[column.type]
            cell.font = bold
    for index, column in enumerate(sheet.columns):
        width = column.width if column.width is not None else min(widths[index], _MAX_WIDTH)
        ws.column_dimensions[get_column_letter(index + 1)].width = width
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)


def write_workbook(target: str | Path | BinaryIO, sheets: Sequence[Sheet]) -> None:
    """Write ``sheets`` to an XLSX file at ``target`` (a path or a writable binary stream).

    Raises:
        ValueError: no sheets, two sheets with the same title, or a row of the wrong length.
        TypeError: a value that does not fit its column type.
    """
    if not sheets:
        raise ValueError("a workbook needs at least one sheet")
    titles = [safe_title(s.title) for s in sheets]
    if len(set(titles)) != len(titles):
        raise ValueError("sheet titles must be unique")
    workbook = Workbook()
    default = workbook.active
    if default is not None:
        workbook.remove(default)
    for sheet, title in zip(sheets, titles, strict=True):
        _write_sheet(workbook.create_sheet(title=title), sheet)
    if isinstance(target, str | Path):
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        workbook.save(str(target))
    else:
        workbook.save(target)
