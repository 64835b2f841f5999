"""A review (``insats.domain.reviews.ReviewReport``) as CSV or as XLSX sheets.

CSV: the findings as lines of one cell, then each table under its title, separated by an
empty line; numbers as people read them (Swedish formats), semicolon-separated (what
Excel with Swedish settings opens). XLSX: a first sheet with the findings and what the
review is based on, then one sheet per table with typed columns and totals.
"""

from __future__ import annotations

import csv
from typing import TextIO

from insats.domain.reviews import CellKind, ReviewReport, format_cell
from insats.interchange.xlsx import Column, ColumnType, Sheet

_TYPES = {CellKind.TEXT: ColumnType.TEXT, CellKind.COUNT: ColumnType.INTEGER,
          CellKind.HOURS: ColumnType.HOURS, CellKind.MONEY: ColumnType.MONEY,
          CellKind.DATE: ColumnType.DATE, CellKind.PERCENT: ColumnType.TEXT}


def write_review_csv(stream: TextIO, report: ReviewReport) -> None:
    writer = csv.writer(stream, delimiter=";", lineterminator="\n")
    writer.writerow([f"{report.title} ({report.period_label}, {report.scope_label})"])
    for finding in report.findings:
        writer.writerow([finding])
    for table in report.tables:
        writer.writerow([])
        writer.writerow([table.title])
        writer.writerow([c.title for c in table.columns])
        for row in table.rows:
            writer.writerow([format_cell(c.kind, v) for c, v in zip(table.columns, row,
                                                                    strict=True)])


def review_sheets(report: ReviewReport) -> list[Sheet]:

    summary = Sheet(
        title="Översyn", columns=(Column("Iakttagelser och underlag", width=110),),
        rows=[[line] for line in (*report.findings, "", "Underlag:", *report.basis)],
        head=(("Översyn", report.title), ("Åtgärd i handlingsplanen", report.action),
              ("Period", report.period_label), ("Avser", report.scope_label)))
    sheets = [summary]
    for table in report.tables:
        columns = tuple(Column(c.title, _TYPES[c.kind]) for c in table.columns)
        rows = [[format_cell(c.kind, v) if c.kind is CellKind.PERCENT else v
                 for c, v in zip(table.columns, row, strict=True)] for row in table.rows]
        sheets.append(Sheet(title=table.title, columns=columns, rows=rows,
                            totals=table.totals))
    return sheets
