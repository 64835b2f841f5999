"""The key-figure report (``insats.domain.figure_catalogue.FigureReport``) as CSV and
XLSX: one line per scope and figure, a column per month and one for the whole period.

XLSX has a sheet per kind of value so that the cells are numbers: amounts in kronor,
hours, and the rest (percent, per client, counts, kr per inhabitant) as Swedish text. A
cell hidden for the committee is empty in XLSX and ``x`` in CSV; without basis it is
empty in both.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, TextIO

from insats.domain.figure_catalogue import (
    SUPPRESSED_MARK,
    TOTAL_KEY,
    FigureDefinition,
    FigureReport,
    FigureUnit,
    format_cell,
    period_label,
)
from insats.interchange.xlsx import Column, ColumnType, Sheet

TOTAL_LABEL = "Hela perioden"
_KINDS: tuple[tuple[str, ColumnType, frozenset[FigureUnit]], ...] = (
    ("Kronor", ColumnType.MONEY, frozenset({FigureUnit.KRONOR, FigureUnit.KRONOR_PER_CLIENT,
                                            FigureUnit.KRONOR_PER_HOUR,
                                            FigureUnit.KRONOR_PER_INHABITANT})),
    ("Timmar", ColumnType.HOURS, frozenset({FigureUnit.HOURS})),
    ("Andelar och antal", ColumnType.TEXT, frozenset({FigureUnit.PERCENT, FigureUnit.COUNT,
                                                      FigureUnit.PER_CLIENT})),
)


def _csv_value(value: Decimal | None) -> str:
    return "" if value is None else str(value).replace(".", ",")


def write_figures_csv(stream: TextIO, report: FigureReport) -> None:
    """Semicolon-separated with decimal commas; ``stream`` opened with ``newline=""``."""
    writer = csv.writer(stream, delimiter=";", lineterminator="\r\n")
    writer.writerow(["omfattning", "enhet_id", "kod", "nyckeltal", "matt", "kolada_id",
                     *report.months, TOTAL_KEY])
    for scope in report.scopes:
        for definition in report.definitions:
            cells = [report.cell(definition.code, scope.unit_id, key)
                     for key in report.period_keys]
            writer.writerow([
                scope.label, scope.unit_id or "", definition.code.value, definition.name,
                definition.unit.value, definition.kolada_id or "",
                *[SUPPRESSED_MARK if c.suppressed else _csv_value(c.value) for c in cells]])


def _typed(kind: ColumnType, definition: FigureDefinition, report: FigureReport,
           unit_id: str | None, key: str) -> Any:
    cell = report.cell(definition.code, unit_id, key)
    if cell.value is None:
        return None
    if kind is ColumnType.MONEY:
        return int((cell.value * 100).to_integral_value())
    if kind is ColumnType.HOURS:
        return int((cell.value * 60).to_integral_value())
    return format_cell(definition, cell)


def figure_sheets(report: FigureReport, head: Sequence[tuple[str, Any]] = ()) -> list[Sheet]:
    """The sheets of an XLSX export of ``report``."""
    sheets = []
    note = ("Tom cell", "dold för nämnden (färre än 5) eller utan underlag"
            if report.suppressed else "utan underlag")
    for title, kind, units in _KINDS:
        columns = [Column("Omfattning"), Column("Nyckeltal"), Column("Mått"),
                   Column("Kolada-id"), Column("Kod"),
                   *(Column(m, kind) for m in report.months), Column(TOTAL_LABEL, kind)]
        rows = [[scope.label, d.name, d.unit.value, d.kolada_id or "", d.code.value,
                 *(_typed(kind, d, report, scope.unit_id, k) for k in report.period_keys)]
                for scope in report.scopes for d in report.definitions if d.unit in units]
        sheets.append(Sheet(title=title, columns=columns, rows=rows,
                            head=(("Nyckeltal", period_label(report.start, report.end)),
                                  *head, note)))
    return sheets
