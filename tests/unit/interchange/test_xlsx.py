"""The generic XLSX writer, read back with openpyxl (in memory)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from insats.domain.common import Minutes, Money
from insats.interchange.xlsx import Column, ColumnType, Sheet, safe_title, write_workbook

COLUMNS = (
    Column("Brukare"),
    Column("Pass", ColumnType.INTEGER),
    Column("Timmar", ColumnType.HOURS),
    Column("Belopp", ColumnType.MONEY),
    Column("Dag", ColumnType.DATE),
)


def written(*sheets: Sheet):  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    write_workbook(buffer, list(sheets))
    buffer.seek(0)
    return load_workbook(buffer)


def test_typed_cells_header_totals_and_frozen_panes() -> None:
    sheet = Sheet(
        title="Timmar oktober 2026",
        columns=COLUMNS,
        rows=[("B-0001", 2, 930, Money(527_775), dt.date(2026, 10, 1)),
              ("B-0002", 1, Minutes(45), 1, None)],
        totals=True,
    )
    ws = written(sheet)["Timmar oktober 2026"]

    assert [c.value for c in ws[1]] == ["Brukare", "Pass", "Timmar", "Belopp", "Dag"]
    assert ws[1][0].font.bold
    assert ws.freeze_panes == "A2"
    assert [c.value for c in ws[2]][:4] == ["B-0001", 2, 15.5, 5277.75]
    assert ws["E2"].value.date() == dt.date(2026, 10, 1)
    assert ws["E2"].number_format == "yyyy-mm-dd"
    assert ws["D2"].number_format == '#,##0.00 "kr"'
    assert ws["C2"].number_format == "#,##0.00"
    assert ws["C3"].value == 0.75 and ws["D3"].value == 0.01 and ws["E3"].value is None
    # totals from minutes and öre: 975 min = 16,25 h; 527 776 öre
    assert [c.value for c in ws[4]][:4] == ["Summa", 3, 16.25, 5277.76]
    assert ws.column_dimensions["A"].width >= len("Brukare")


def test_head_lines_come_above_the_table() -> None:
    sheet = Sheet(title="Faktura", columns=COLUMNS[:2], rows=[("B-0001", 1)],
                  head=(("Fakturanummer", "2026-00001"), ("Att betala", Money(150_050)),
                        ("Förfallodatum", dt.date(2026, 12, 5))))
    ws = written(sheet)["Faktura"]
    assert ws["A1"].value == "Fakturanummer" and ws["B1"].value == "2026-00001"
    assert ws["B2"].value == 1500.5 and ws["B2"].number_format == '#,##0.00 "kr"'
    assert ws["A5"].value == "Brukare"  # after the head and an empty line
    assert ws.freeze_panes == "A6"


def test_titles_are_made_valid_and_mistakes_are_refused() -> None:
    assert safe_title("Faktura 2026/00001: [utkast]") == "Faktura 2026-00001- -utkast-"
    assert len(safe_title("x" * 40)) == 31
    with pytest.raises(ValueError, match="at least one sheet"):
        write_workbook(io.BytesIO(), [])
    with pytest.raises(ValueError, match="row"):
        write_workbook(io.BytesIO(), [Sheet("A", COLUMNS, rows=[("B-0001",)])])
    with pytest.raises(TypeError):
        write_workbook(io.BytesIO(), [Sheet("A", (Column("Dag", ColumnType.DATE),),
                                            rows=[("2026-10-01",)])])
