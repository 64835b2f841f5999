"""Overlapping stretches of one employee's time: within a file and against stored rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from insats.domain.calendar import STOCKHOLM

# (employee id, start, end, file row number or 0 for a stored row, id)
Stretch = tuple[str, dt.datetime, dt.datetime, int, str]


def find_overlaps(stretches: Iterable[Stretch]) -> list[tuple[int, str]]:
    """(file row, Swedish reason) for each file row that overlaps another stretch.

    Stretches are half-open: one ending at 15:00 and the next starting at 15:00 do not
    overlap. Each overlapping pair is reported once, on the later file row.
    """
    by_employee: dict[str, list[tuple[dt.datetime, dt.datetime, int, str]]] = {}
    for employee_id, start, end, row, ident in stretches:
        by_employee.setdefault(employee_id, []).append((start, end, row, ident))
    found: list[tuple[int, str]] = []
    for employee_id, items in by_employee.items():
        items.sort()
        latest = items[0]
        for item in items[1:]:
            if item[0] < latest[1] and (item[2] or latest[2]):
                found.append(_describe(employee_id, item, latest))
            if item[1] > latest[1]:
                latest = item
    found.sort()
    return found


def _describe(
    employee_id: str,
    item: tuple[dt.datetime, dt.datetime, int, str],
    other: tuple[dt.datetime, dt.datetime, int, str],
) -> tuple[int, str]:
    if item[2] == 0:  # the stored one starts later: report on the file row
        item, other = other, item
    if other[2]:
        return item[2], f"Överlappar rad {other[2]} för anställd {employee_id}."
    return item[2], (
        f"Överlappar redan sparad tid för anställd {employee_id} "
        f"({_local(other[0])}–{_local(other[1])})."
    )


def _local(moment: dt.datetime) -> str:
    return moment.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M")
