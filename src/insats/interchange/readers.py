"""CSV and XLSX files as a header and numbered rows of cells.

CSV: UTF-8 with or without a byte-order mark, or an encoding the user names (e.g. cp1252
for an old Excel export). The delimiter is found from the header line (semicolon, as
Swedish Excel writes, comma or tab) unless given. A line that is not valid in the encoding
is reported with its row number and a hint, and reading stops there.

XLSX: the first sheet, or a named one, read with openpyxl in read-only mode; cells keep
their types (dates, numbers). Row numbers are the sheet's own.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from insats.interchange.errors import ErrorCollector, FileProblem

# Called with the bytes (CSV) or rows (XLSX) read so far.
ReadProgress = Callable[[int], None]
PROGRESS_EVERY = 20_000
BLOCK_BYTES = 1 << 20
DELIMITERS = (";", ",", "\t")
UTF8_HINT = "Spara filen som CSV UTF-8 eller ange teckenkodningen, t.ex. --encoding cp1252."


@dataclass
class SourceTable:
    """An opened file: its header and an iterator of (row number, cells).

    Cells are lists: text stripped of surrounding spaces, empty cells ``""``, XLSX values
    keep their type (numbers, dates). ``size`` is the total for progress: bytes for CSV,
    rows for XLSX. Rows whose cells are all empty are skipped.
    """

    file_name: str
    header: list[str]
    rows: Iterator[tuple[int, Sequence[Any]]]
    size: int
    unit: str  # "byte" or "rad"


def open_table(
    path: Path,
    errors: ErrorCollector,
    *,
    sheet: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    progress: ReadProgress | None = None,
) -> SourceTable:
    """Open a CSV or XLSX file (by its suffix).

    Raises:
        FileProblem: the file is missing, empty, not a spreadsheet, or has no such sheet.
    """
    if not path.is_file():
        raise FileProblem(f"Filen {path} finns inte.")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _open_xlsx(path, errors, sheet, progress)
    if suffix in (".xls", ".ods"):
        raise FileProblem(
            f"{path.name}: formatet {suffix} stöds inte; spara som .xlsx eller CSV UTF-8."
        )
    return _open_csv(path, errors, encoding, delimiter, progress)


# -- CSV ---------------------------------------------------------------------------------
def _open_csv(
    path: Path,
    errors: ErrorCollector,
    encoding: str | None,
    delimiter: str | None,
    progress: ReadProgress | None,
) -> SourceTable:
    name = path.name
    chosen = _checked_encoding(encoding)
    handle: BinaryIO = path.open("rb")
    first = handle.readline()
    if first.startswith(b"\xef\xbb\xbf"):
        first = first[3:]
        if chosen in ("utf-8", "utf8"):
            chosen = "utf-8"
    try:
        header_line = first.decode(chosen)
    except UnicodeDecodeError:
        handle.close()
        errors.add(1, "", f"Rubrikraden är inte giltig {_label(chosen)}. {UTF8_HINT}")
        return SourceTable(name, [], iter(()), 0, "byte")
    if not header_line.strip():
        handle.close()
        raise FileProblem(f"{name}: filen är tom eller saknar rubrikrad.")
    sep = delimiter or _sniff_delimiter(header_line)
    header = [cell.strip() for cell in next(csv.reader([header_line], delimiter=sep))]
    size = os.path.getsize(path)
    lines = _decoded_lines(handle, chosen, errors, len(first), progress)
    return SourceTable(name, header, _csv_rows(lines, sep), size, "byte")


def _checked_encoding(encoding: str | None) -> str:
    if encoding is None:
        return "utf-8"
    import codecs

    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise FileProblem(f"Okänd teckenkodning {encoding!r} (t.ex. utf-8 eller cp1252).") from None
    if name.startswith(("utf-16", "utf-32")):
        raise FileProblem(f"Teckenkodningen {encoding} stöds inte; spara filen som CSV UTF-8.")
    return name


def _label(encoding: str) -> str:
    return "UTF-8" if encoding.replace("_", "-") in ("utf-8", "utf8") else encoding


def _sniff_delimiter(header_line: str) -> str:
    counts = {sep: header_line.count(sep) for sep in DELIMITERS}
    best = max(DELIMITERS, key=lambda sep: counts[sep])
    return best if counts[best] else ";"


def _decoded_lines(
    handle: BinaryIO,
    encoding: str,
    errors: ErrorCollector,
    consumed: int,
    progress: ReadProgress | None,
) -> Iterator[str]:
    """The text lines after the header, decoded a block of whole lines at a time.

    Blocks are cut after a newline byte, which is safe for UTF-8 and the single-byte
    encodings (cp1252, latin-1). The first undecodable line is reported with its number
    and stops reading.
    """
    line_no = 2
    carry = b""
    with handle:
        while True:
            block = handle.read(BLOCK_BYTES)
            data = carry + block
            if not data:
                break
            cut = data.rfind(b"\n") + 1 if block else len(data)
            if cut == 0:  # no newline yet: read on
                carry = data
                continue
            chunk, carry = data[:cut], data[cut:]
            try:
                text = chunk.decode(encoding)
            except UnicodeDecodeError as error:
                # the lines before the bad one are read (and checked) as usual
                line_start = chunk.rfind(b"\n", 0, error.start) + 1
                yield from io.StringIO(chunk[:line_start].decode(encoding), newline="")
                errors.add(
                    line_no + chunk.count(b"\n", 0, error.start), "",
                    f"Raden är inte giltig {_label(encoding)} (byte "
                    f"{error.start - line_start + 1} på raden). {UTF8_HINT}",
                )
                return
            line_no += chunk.count(b"\n")
            consumed += len(chunk)
            yield from io.StringIO(text, newline="")
            if progress is not None:
                progress(consumed)


def _csv_rows(lines: Iterator[str], sep: str) -> Iterator[tuple[int, Sequence[Any]]]:
    reader = csv.reader(lines, delimiter=sep)
    strip = str.strip
    before = 0
    for cells in reader:
        # a quoted field may span lines: the row starts at the first line it used;
        # the reader's lines start at the file's line 2
        row_no = before + 2
        before = reader.line_num
        if any(cells):
            yield row_no, list(map(strip, cells))


# -- XLSX --------------------------------------------------------------------------------
def _open_xlsx(
    path: Path, errors: ErrorCollector, sheet: str | None, progress: ReadProgress | None
) -> SourceTable:
    from zipfile import BadZipFile

    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (BadZipFile, OSError, KeyError, ValueError):
        raise FileProblem(f"{path.name} går inte att läsa som en Excel-fil (.xlsx).") from None
    if sheet is None:
        worksheet = book.worksheets[0]
    elif sheet in book.sheetnames:
        worksheet = book[sheet]
    else:
        names = ", ".join(book.sheetnames)
        book.close()
        raise FileProblem(f"{path.name} har inget blad som heter {sheet!r} (finns: {names}).")
    rows = worksheet.iter_rows(values_only=True)
    header_cells = next(rows, None)
    if header_cells is None:
        book.close()
        raise FileProblem(f"{path.name}: bladet är tomt eller saknar rubrikrad.")
    header = ["" if cell is None else str(cell).strip() for cell in header_cells]
    size = worksheet.max_row or 0

    def numbered() -> Iterator[tuple[int, Sequence[Any]]]:
        try:
            for row_no, cells in enumerate(rows, start=2):
                if progress is not None and row_no % PROGRESS_EVERY == 0:
                    progress(row_no)
                values = ["" if cell is None else cell.strip() if isinstance(cell, str)
                          else cell for cell in cells]
                if any(value != "" for value in values):
                    yield row_no, values
            if progress is not None:
                progress(size)
        finally:
            book.close()

    return SourceTable(path.name, header, numbered(), size, "rad")
