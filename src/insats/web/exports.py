"""Every list page can be downloaded as Excel: ``?format=xlsx`` answers with a workbook of
the same rows, written by ``insats.interchange.xlsx``."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any

from fastapi.responses import Response

from insats.interchange.xlsx import Column, Sheet, write_workbook

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def wants_xlsx(format: str | None) -> bool:
    return (format or "").lower() == "xlsx"


def xlsx_response(filename: str, title: str, columns: Sequence[Column],
                  rows: Sequence[Sequence[Any]], *,
                  head: Sequence[tuple[str, Any]] = (), totals: bool = False) -> Response:
    return workbook_response(filename, [Sheet(title=title, columns=tuple(columns),
                                              rows=list(rows), head=tuple(head),
                                              totals=totals)])


def workbook_response(filename: str, sheets: Sequence[Sheet]) -> Response:
    """A download of a workbook of several sheets."""
    buffer = io.BytesIO()
    write_workbook(buffer, list(sheets))
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", filename).strip("-") or "export"
    return Response(buffer.getvalue(), media_type=XLSX_TYPE, headers={
        "Content-Disposition": f'attachment; filename="{safe}.xlsx"',
        "Cache-Control": "no-store",
    })
