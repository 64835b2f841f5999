"""The console the commands print to, and writing a command's result as CSV or XLSX."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from rich.console import Console

from insats.domain.common import DomainError
from insats.interchange.xlsx import Sheet, write_workbook


def make_console() -> Console:
    """A rich console; piped or captured output gets 200 columns instead of 80, so tables
    are not squeezed (COLUMNS, when set, still wins)."""
    console = Console()
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console = Console(width=200)
    return console


def write_export(output_format: str, out: Path | None, *, csv: Callable[[TextIO], None],
                 sheets: Callable[[], Sequence[Sheet]], what: str,
                 console: Console) -> bool:
    """Write ``--format csv`` (to ``out``, or standard output without it) or ``xlsx``
    (``out`` required); False for any other format (the caller prints a table).
    ``what`` names the result in the confirmation, e.g. "nyckeltalen"."""
    if output_format == "csv":
        if out is None:
            csv(sys.stdout)
            return True
        with out.open("w", encoding="utf-8-sig", newline="") as stream:
            csv(stream)
    elif output_format == "xlsx":
        if out is None:
            raise DomainError("export.out", "Ange --out FIL.xlsx för xlsx.")
        write_workbook(out, list(sheets()))
    else:
        return False
    console.print(f"Skrev {what} till {out}.")
    return True
