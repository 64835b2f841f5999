"""Schedule rows (planned shifts) → ``PlannedShift`` objects, with every row error collected."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from insats.domain.common import DomainError
from insats.domain.scheduling import PlannedShift, ShiftKind, ShiftStatus
from insats.interchange import values
from insats.interchange.errors import CellError, ErrorCollector
from insats.interchange.keys import natural_id, stable_id
from insats.interchange.moments import read_span
from insats.interchange.readers import SourceTable
from insats.interchange.references import References

MAX_SHIFT_MINUTES = 24 * 60
SHIFT_KINDS: dict[str, ShiftKind] = {kind.value: kind for kind in ShiftKind}
SHIFT_STATUSES: dict[str, ShiftStatus] = {
    **{status.value: status for status in ShiftStatus},
    "förslag": ShiftStatus.PROPOSED,
    "inställt": ShiftStatus.CANCELLED,
}


def read_shift_rows(
    table: SourceTable, columns: dict[str, int], refs: References, tag: str,
    errors: ErrorCollector,
) -> list[tuple[int, PlannedShift]]:
    """(row number, shift) for every valid row; errors for every invalid one."""
    if errors:
        return []
    seen: dict[str, int] = {}
    shifts: list[tuple[int, PlannedShift]] = []
    for row_no, cells in table.rows:
        problems: list[tuple[str, str]] = []
        shift = _shift(cells, columns, refs, tag, problems)
        if shift is not None:
            first = seen.setdefault(shift.id, row_no)
            if first != row_no:
                problems.append(("Id" if "Id" in columns and values.cell(cells, columns, "Id")
                                 else "Start", f"Samma pass finns redan på rad {first}."))
        for column, message in problems:
            errors.add(row_no, column, message)
        if not problems and shift is not None:
            shifts.append((row_no, shift))
    return shifts


def _shift(
    cells: Sequence[Any], columns: dict[str, int], refs: References, tag: str,
    problems: list[tuple[str, str]],
) -> PlannedShift | None:
    group_id = values.text(values.cell(cells, columns, "Grupp"))
    if not group_id:
        problems.append(("Grupp", "Värde saknas."))
    elif group_id not in refs.groups:
        problems.append(("Grupp", f"Okänd grupp {group_id!r}."))
    employee_id = values.text(values.cell(cells, columns, "Anställd")) or None
    if employee_id is not None and employee_id not in refs.employees:
        problems.append(("Anställd", f"Okänd anställd {employee_id!r}."))
    span = read_span(cells, columns.get("Datum"), columns["Start"], columns["Slut"], problems)
    options: dict[str, Any] = {}
    for name, key, read in (
        ("Rast (min)", "break_minutes", values.whole_minutes),
        ("Typ", "kind", lambda v: values.choice(v, SHIFT_KINDS, "passtyp")),
        ("Status", "status", lambda v: values.choice(v, SHIFT_STATUSES, "status")),
        ("Dubbelbemanning", "is_double", values.boolean),
    ):
        raw = values.cell(cells, columns, name)
        if raw != "":
            try:
                options[key] = read(raw)
            except CellError as error:
                problems.append((name, error.message))
    if span is None:
        return None
    _, start, end = span
    if end is None:
        problems.append(("Slut", "Värde saknas."))
        return None
    if (end - start).total_seconds() > MAX_SHIFT_MINUTES * 60:
        problems.append(("Slut", "Ett pass kan inte vara längre än 24 timmar."))
    if problems:
        return None
    external = values.text(values.cell(cells, columns, "Id"))
    shift_id = stable_id(tag, external) if external else natural_id(
        tag, group_id, employee_id or "", start.isoformat())
    try:
        return PlannedShift(id=shift_id, group_id=group_id, start=start, end=end,
                            employee_id=employee_id, **options)
    except DomainError as error:
        column = "Rast (min)" if error.code == "shift.break" else "Slut"
        problems.append((column, error.message))
        return None
