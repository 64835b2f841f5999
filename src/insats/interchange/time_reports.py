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


_BOOLEANS = {"ja": True, "nej": False, "Ja": True, "Nej": False, "JA": True, "NEJ": False,
             "1": True, "0": False, "x": True, "X": True}
_new_tuple = tuple.__new__
_from_iso_date = dt.date.fromisoformat


def read_time_rows(
    table: SourceTable, columns: dict[str, int], refs: References, tag: str,
    errors: ErrorCollector, *, on_chunk: Callable[[list[TimeRecord]], None] | None = None,
    chunk_size: int = 20_000,
) -> list[TimeRecord]:
    """Every valid row of ``table``; every invalid one adds its errors to ``errors``.

    ``on_chunk``, if given, receives the valid records in chunks of ``chunk_size`` as they
    are read, until the first error (so a caller can start writing while reading goes
    on); the records after the last full chunk are only in the returned list.
    """
    if "Slut" not in columns and "Timmar" not in columns:
        errors.add(1, "Slut", "Kolumnen saknas i filen: ange Slut eller Timmar.")
    if errors:
        return []
    # a column the file lacks reads the extra empty cell appended to every row
    width = len(table.header)
    at = {name: columns.get(name, width) for name in (
        "Id", "Brukare", "Datum", "Slut", "Timmar", "Rast (min)", "Typ", "Rapporterad",
        "Dubbelbemanning", "Sjukhus", "OB", "Kommentar", "Attesterad av", "Attesterad")}
    id_at, employee_at, group_at, client_at = at["Id"], columns["Anställd"], columns[
        "Grupp"], at["Brukare"]
    day_at = columns.get("Datum")
    start_at, end_at, hours_at, break_at = columns["Start"], columns.get("Slut"), at[
        "Timmar"], at["Rast (min)"]
    kind_at, reported_at, double_at, hospital_at = at["Typ"], at["Rapporterad"], at[
        "Dubbelbemanning"], at["Sjukhus"]
    ob_at, comment_at, attested_by_at, attested_at_at = at["OB"], at["Kommentar"], at[
        "Attesterad av"], at["Attesterad"]
    full = width + 1
    padding = [""] * full
    employees, groups = refs.employees, refs.groups
    client_of = refs.client
    ordinary, reported = TimeKind.ORDINARY, TimeEntryStatus.REPORTED
    booleans = _BOOLEANS
    seen_ids: dict[str, int] = {}
    records: list[TimeRecord] = []
    append = records.append
    add_error = errors.add
    new_tuple, from_iso_date = _new_tuple, _from_iso_date
    timedelta = dt.timedelta
    handed_on = 0

    for row_no, cells in table.rows:
        if len(cells) != full:
            cells = [*cells, *padding][:full] if len(cells) < full else [*cells[:width], ""]
        problems: list[tuple[str, str]] = []
        employee_id = cells[employee_at]
        if employee_id.__class__ is not str:
            employee_id = values.text(employee_id)
        if employee_id not in employees:
            problems.append(("Anställd", f"Okänd anställd {employee_id!r}." if employee_id
                             else "Värde saknas."))
        group_id = cells[group_at]
        if group_id.__class__ is not str:
            group_id = values.text(group_id)
        group_client: str | None = None
        if group_id in groups:
            group_client = groups[group_id]
        else:
            problems.append(("Grupp", f"Okänd grupp {group_id!r}." if group_id
                             else "Värde saknas."))
        client_id = group_client
        raw_client = cells[client_at]
        if raw_client != "":
            try:
                client_id = client_of(raw_client if raw_client.__class__ is str
                                      else values.text(raw_client))
            except CellError as error:
                problems.append(("Brukare", error.message))
            else:
                if group_client is not None and client_id != group_client:
                    problems.append(("Brukare", f"Brukaren hör inte till grupp {group_id}."))
        span: tuple[dt.date, dt.datetime, dt.datetime | None] | None
        raw_start = cells[start_at]
        raw_end = "" if end_at is None else cells[end_at]
        if day_at is None and raw_start.__class__ is str and raw_end.__class__ is str and (
                raw_start and raw_end):
            # the usual case: two timestamps
            try:
                span = (*local_and_utc(raw_start), local_and_utc(raw_end)[1])
            except CellError:
                span = read_span(cells, day_at, start_at, end_at, problems)
        else:
            span = read_span(cells, day_at, start_at, end_at, problems)
        break_minutes = 0
        raw = cells[break_at]
        if raw != "":
            if raw.__class__ is str and raw.isdigit():
                break_minutes = int(raw)
            else:
                try:
                    break_minutes = values.whole_minutes(raw)
                except CellError as error:
                    problems.append(("Rast (min)", error.message))
        hours: int | None = None
        raw_hours = cells[hours_at]
        if raw_hours != "":
            try:
                hours = values.hours_as_minutes(raw_hours)
            except CellError as error:
                problems.append(("Timmar", error.message))
        kind = ordinary
        raw = cells[kind_at]
        if raw != "":
            kind = TIME_KINDS.get(raw)  # type: ignore[assignment]
            if kind is None:
                try:
                    kind = values.choice(raw, TIME_KINDS, "tidtyp")
                except CellError as error:
                    problems.append(("Typ", error.message))
        reported_on = None
        raw = cells[reported_at]
        if raw != "":
            try:
                reported_on = from_iso_date(raw) if raw.__class__ is str else values.date(raw)
            except (ValueError, CellError):
                try:
                    reported_on = values.date(raw)
                except CellError as error:
                    problems.append(("Rapporterad", error.message))
        is_double = at_hospital = False
        ob_claimed = True
        raw = cells[double_at]
        if raw != "":
            is_double = _flag(raw, booleans, "Dubbelbemanning", problems, False)
        raw = cells[hospital_at]
        if raw != "":
            at_hospital = _flag(raw, booleans, "Sjukhus", problems, False)
        raw = cells[ob_at]
        if raw != "":
            ob_claimed = _flag(raw, booleans, "OB", problems, True)
        status, attested_at, attested_by = reported, None, None
        raw_by, raw_attested = cells[attested_by_at], cells[attested_at_at]
        if raw_by.__class__ is not str:
            raw_by = values.text(raw_by)
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

        start = end = day = None
        if span is not None:
            day, start, end = span
            if end is None and hours is not None:
                end = start + timedelta(minutes=hours + break_minutes)
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
                    worked = length - break_minutes
                    problems.append((
                        "Timmar",
                        f"{values.text(raw_hours)} h stämmer inte med Start, Slut och Rast "
                        f"({worked // 60}:{worked % 60:02d}).",
                    ))

        external = cells[id_at]
        if external.__class__ is not str:
            external = values.text(external)
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
        comment = cells[comment_at]
        if on_chunk is not None and len(records) - handed_on >= chunk_size:
            if errors.total:
                on_chunk = None
            else:
                on_chunk(records[handed_on:])
                handed_on = len(records)
        append(new_tuple(TimeRecord, (
            record_id, row_no, employee_id, group_id, client_id, start, end, day,
            break_minutes, kind, is_double, at_hospital, ob_claimed, reported_on,
            comment if comment.__class__ is str else values.text(comment), status,
            attested_at, attested_by,
        )))
    return records


def _flag(raw: object, booleans: dict[str, bool], column: str,
          problems: list[tuple[str, str]], default: bool) -> bool:
    flag = booleans.get(raw) if isinstance(raw, str) else None
    if flag is not None:
        return flag
    try:
        return values.boolean(raw)
    except CellError as error:
        problems.append((column, error.message))
        return default
