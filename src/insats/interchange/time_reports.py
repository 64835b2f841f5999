"""Time report rows (tidrapporter) → ``TimeRecord``s, with every row error collected.

Rules checked per row (the same as ``insats.domain.time_reports.TimeEntry`` and
``insats.domain.calendar.worked_minutes``): the end is after the start, the break is
shorter than the row, an attested row names its attestant and time; besides, a row is at
most 24 hours, the employee and group exist, and a client given must be the group's own.
Overlaps and stored rows are checked afterwards (``overlaps``, the import service).

Rows become plain ``TimeRecord`` tuples rather than ``TimeEntry`` objects: a million-row
file is read at tens of thousands of rows a second, and the checks above are exactly the
entity's (see tests/unit/interchange/test_time_rows.py, which compares the two).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import NamedTuple

from insats.domain.time_reports import TimeEntryStatus, TimeKind
from insats.interchange import values
from insats.interchange.errors import CellError, ErrorCollector
from insats.interchange.keys import natural_id, stable_id
from insats.interchange.moments import local_and_utc, read_span
from insats.interchange.readers import SourceTable
from insats.interchange.references import References

MAX_ROW_MINUTES = 24 * 60
TIME_KINDS: dict[str, TimeKind] = {
    **{kind.value: kind for kind in TimeKind},
    "övertid": TimeKind.OVERTIME,
    "ord": TimeKind.ORDINARY,
    "ordinarie tid": TimeKind.ORDINARY,
}


class TimeRecord(NamedTuple):
    """A checked time row; ``start``/``end`` are aware UTC, ``worked_on`` the Stockholm day."""

    id: str
    row: int
    employee_id: str
    group_id: str
    client_id: str | None
    start: dt.datetime
    end: dt.datetime
    worked_on: dt.date
    break_minutes: int
    kind: TimeKind
    is_double: bool
    at_hospital: bool
    ob_claimed: bool
    reported_on: dt.date | None
    comment: str
    status: TimeEntryStatus
    attested_at: dt.datetime | None
    attested_by: str | None

    @property
    def worked_minutes(self) -> int:
        return int((self.end - self.start).total_seconds()) // 60 - self.break_minutes

    def comparable(self) -> tuple[object, ...]:
        """The stored fields, for telling an unchanged row from a changed one."""
        return (self.employee_id, self.group_id, self.client_id, self.start, self.end,
                self.break_minutes, self.kind, self.is_double, self.at_hospital,
                self.ob_claimed, self.reported_on, self.comment, self.status,
                self.attested_at, self.attested_by)


Progress = Callable[[int], None]


def read_time_rows(
    table: SourceTable, columns: dict[str, int], refs: References, tag: str,
    errors: ErrorCollector,
) -> list[TimeRecord]:
    """Every valid row of ``table``; every invalid one adds its errors to ``errors``."""
    if "Slut" not in columns and "Timmar" not in columns:
        errors.add(1, "Slut", "Kolumnen saknas i filen: ange Slut eller Timmar.")
    if errors:
        return []
    at = columns.get
    id_at, employee_at, group_at = at("Id"), columns["Anställd"], columns["Grupp"]
    client_at, day_at, start_at, end_at = at("Brukare"), at("Datum"), columns["Start"], at("Slut")
    hours_at, break_at, kind_at, reported_at = at("Timmar"), at("Rast (min)"), at("Typ"), at(
        "Rapporterad")
    double_at, hospital_at, ob_at, comment_at = at("Dubbelbemanning"), at("Sjukhus"), at(
        "OB"), at("Kommentar")
    attested_by_at, attested_at_at = at("Attesterad av"), at("Attesterad")
    employees, groups = refs.employees, refs.groups
    ordinary, reported = TimeKind.ORDINARY, TimeEntryStatus.REPORTED
    seen_ids: dict[str, int] = {}
    records: list[TimeRecord] = []
    append = records.append
    add_error = errors.add

    for row_no, cells in table.rows:
        width = len(cells)

        def cell(index: int | None, cells: object = cells, width: int = width) -> object:
            if index is None or index >= width:
                return ""
            value = cells[index]  # type: ignore[index]
            return value.strip() if isinstance(value, str) else value

        problems: list[tuple[str, str]] = []
        employee_id = values.text(cell(employee_at))
        if not employee_id:
            problems.append(("Anställd", "Värde saknas."))
        elif employee_id not in employees:
            problems.append(("Anställd", f"Okänd anställd {employee_id!r}."))
        group_id = values.text(cell(group_at))
        group_client: str | None = None
        if not group_id:
            problems.append(("Grupp", "Värde saknas."))
        elif group_id not in groups:
            problems.append(("Grupp", f"Okänd grupp {group_id!r}."))
        else:
            group_client = groups[group_id]
        client_id = group_client
        raw_client = values.text(cell(client_at))
        if raw_client:
            try:
                client_id = refs.client(raw_client)
            except CellError as error:
                problems.append(("Brukare", error.message))
            else:
                if group_client is not None and client_id != group_client:
                    problems.append(("Brukare", f"Brukaren hör inte till grupp {group_id}."))
        span = read_span(cells, day_at, start_at, end_at, problems)
        break_minutes = 0
        raw_break = cell(break_at)
        if raw_break != "":
            try:
                break_minutes = values.whole_minutes(raw_break)
            except CellError as error:
                problems.append(("Rast (min)", error.message))
        hours: int | None = None
        raw_hours = cell(hours_at)
        if raw_hours != "":
            try:
                hours = values.hours_as_minutes(raw_hours)
            except CellError as error:
                problems.append(("Timmar", error.message))
        kind = ordinary
        raw_kind = cell(kind_at)
        if raw_kind != "":
            try:
                kind = values.choice(raw_kind, TIME_KINDS, "tidtyp")
            except CellError as error:
                problems.append(("Typ", error.message))
        reported_on = None
        raw_reported = cell(reported_at)
        if raw_reported != "":
            try:
                reported_on = values.date(raw_reported)
            except CellError as error:
                problems.append(("Rapporterad", error.message))
        flags = [False, False, True]
        for position, (name, index) in enumerate(
            (("Dubbelbemanning", double_at), ("Sjukhus", hospital_at), ("OB", ob_at))
        ):
            raw_flag = cell(index)
            if raw_flag != "":
                try:
                    flags[position] = values.boolean(raw_flag)
                except CellError as error:
                    problems.append((name, error.message))
        status, attested_at, attested_by = reported, None, None
        raw_by, raw_attested = values.text(cell(attested_by_at)), cell(attested_at_at)
        if raw_by or raw_attested != "":
            if not raw_by or raw_attested == "":
                problems.append(("Attesterad av" if not raw_by else "Attesterad",
                                 "En attesterad rad måste ha attestant och tidpunkt."))
            else:
                try:
                    attested_at = local_and_utc(raw_attested)[1]
                    status, attested_by = TimeEntryStatus.ATTESTED, raw_by
                except CellError as error:
                    problems.append(("Attesterad", error.message))

        start = end = None
        day = None
        if span is not None:
            day, start, end = span
            if end is None and hours is not None:
                end = start + dt.timedelta(minutes=hours + break_minutes)
            if end is None:
                problems.append(("Slut", "Värde saknas (ange Slut eller Timmar)."))
            else:
                length = int((end - start).total_seconds()) // 60
                if length <= 0:
                    problems.append(("Slut", "Sluttiden måste vara efter starttiden."))
                elif length > MAX_ROW_MINUTES:
                    problems.append(("Slut", "En tidrad kan inte vara längre än 24 timmar."))
                elif break_minutes >= length:
                    problems.append(("Rast (min)", "Rasten måste vara kortare än arbetspasset."))
                elif hours is not None and length - break_minutes != hours:
                    problems.append((
                        "Timmar",
                        f"{values.text(raw_hours)} h stämmer inte med Start, Slut och Rast "
                        f"({(length - break_minutes) // 60}:{(length - break_minutes) % 60:02d}).",
                    ))

        external = values.text(cell(id_at))
        if external:
            record_id = stable_id(tag, external)
        elif start is not None:
            record_id = natural_id(tag, employee_id, start.isoformat())
        else:
            record_id = ""
        if record_id:
            first = seen_ids.setdefault(record_id, row_no)
            if first != row_no:
                what = f"Id {external!r}" if external else "Samma anställd och start"
                problems.append(("Id" if external else "Start",
                                 f"{what} finns redan på rad {first}."))
        if problems:
            for column, message in problems:
                add_error(row_no, column, message)
            continue
        assert start is not None and end is not None and day is not None
        append(TimeRecord(
            record_id, row_no, employee_id, group_id, client_id, start, end, day,
            break_minutes, kind, flags[0], flags[1], flags[2], reported_on,
            values.text(cell(comment_at)), status, attested_at, attested_by,
        ))
    return records
