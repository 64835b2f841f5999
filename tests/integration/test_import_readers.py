"""Reading CSV and XLSX files (files on disk, no database)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from insats.interchange.errors import ErrorCollector, FileProblem
from insats.interchange.readers import open_table


def rows_of(path: Path, **options: str) -> tuple[list[str], list[tuple[int, list[object]]],
                                                 ErrorCollector]:
    errors = ErrorCollector(path.name)
    table = open_table(path, errors, **options)  # type: ignore[arg-type]
    return table.header, [(n, list(cells)) for n, cells in table.rows], errors


def test_comma_delimited_with_quoted_decimal_commas_and_a_multiline_field(tmp_path: Path
                                                                          ) -> None:
    path = tmp_path / "tid.csv"
    path.write_text('Anställd,Timmar,Kommentar\r\nE1,"7,5",kort\r\n\r\n'
                    'E2, 8 ,"två\r\nrader"\r\nE3,6,sist', encoding="utf-8")

    header, rows, errors = rows_of(path)

    assert header == ["Anställd", "Timmar", "Kommentar"] and not errors
    assert rows == [(2, ["E1", "7,5", "kort"]), (4, ["E2", "8", "två\r\nrader"]),
                    (6, ["E3", "6", "sist"])]


def test_a_bad_byte_late_in_a_large_file_names_its_row(tmp_path: Path) -> None:
    path = tmp_path / "stor.csv"
    lines = ["Anställd;Kommentar"] + [f"E{n};rad {n}" for n in range(2, 60_001)]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    at = data.index(b"rad 45000")
    path.write_bytes(data[:at] + "Söder".encode("cp1252") + data[at:])

    _, rows, errors = rows_of(path)

    assert [(e.row, e.message[:31]) for e in errors.errors] == [
        (45_000, "Raden är inte giltig UTF-8 (byt")]
    assert rows[-1] == (44_999, ["E44999", "rad 44999"])


def test_files_that_cannot_be_read_at_all(tmp_path: Path) -> None:
    empty = tmp_path / "tom.csv"
    empty.write_bytes(b"")
    old = tmp_path / "gammal.xls"
    old.write_bytes(b"\xd0\xcf")
    not_xlsx = tmp_path / "fel.xlsx"
    not_xlsx.write_text("ingen zip")
    with pytest.raises(FileProblem, match="tom eller saknar rubrikrad"):
        rows_of(empty)
    with pytest.raises(FileProblem, match=r"formatet \.xls stöds inte"):
        rows_of(old)
    with pytest.raises(FileProblem, match="går inte att läsa som en Excel-fil"):
        rows_of(not_xlsx)
    with pytest.raises(FileProblem, match="finns inte"):
        rows_of(tmp_path / "saknas.csv")
    with pytest.raises(FileProblem, match="stöds inte; spara filen som CSV UTF-8"):
        rows_of(empty, encoding="utf-16")


def test_xlsx_rows_keep_their_types_and_skip_empty_rows(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Anställd", "Rast (min)", "Kommentar"])
    sheet.append([" E1 ", 30, None])
    sheet.append([None, None, None])
    sheet.append(["E2", 15.0, "ok"])
    path = tmp_path / "tid.xlsx"
    book.save(path)

    header, rows, _ = rows_of(path)

    assert header == ["Anställd", "Rast (min)", "Kommentar"]
    assert rows == [(2, ["E1", 30, ""]), (4, ["E2", 15.0, "ok"])]
