"""Start and end of a shift or time row: full timestamps, or a day plus clock times."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from insats.domain.calendar import STOCKHOLM
from insats.interchange import values
from insats.interchange.errors import CellError

UTC = dt.UTC
_from_iso = dt.datetime.fromisoformat


# UTC offset of Stockholm by "YYYY-MM-DD HH" (the offset is constant within an hour, also
# in the hour skipped or repeated at a DST change, read as calendar.local_datetime does).
_OFFSETS: dict[str, dt.timedelta] = {}
_OFFSET_CACHE_LIMIT = 500_000


# Timestamps already read, by their text: a file repeats the same few start and end times
# of each day for every employee, so most cells are found here.
_MOMENTS: dict[str, tuple[dt.date, dt.datetime]] = {}
_MOMENT_CACHE_LIMIT = 200_000


def local_and_utc(value: Any) -> tuple[dt.date, dt.datetime]:
    """(Stockholm date, aware UTC instant) of a full timestamp cell."""
    found = _MOMENTS.get(value) if value.__class__ is str else None
    if found is not None:
        return found
    read = _local_and_utc(value)
    if value.__class__ is str:
        if len(_MOMENTS) >= _MOMENT_CACHE_LIMIT:
            _MOMENTS.clear()
        _MOMENTS[value] = read
    return read


def _local_and_utc(value: Any) -> tuple[dt.date, dt.datetime]:
    if isinstance(value, str) and len(value) > 10:
        try:
            moment = _from_iso(value)
        except ValueError:
            moment = None
        if moment is not None and moment.tzinfo is None:
            # the hot path: a naive ISO timestamp is Stockholm wall-clock time
            if value[10] in " T" and value[4] == "-" and value[7] == "-":
                hour = value[:13]
                offset = _OFFSETS.get(hour)
                if offset is None:
                    if len(_OFFSETS) > _OFFSET_CACHE_LIMIT:
                        _OFFSETS.clear()
                    offset = moment.replace(tzinfo=STOCKHOLM).utcoffset() or dt.timedelta()
                    _OFFSETS[hour] = offset
                return moment.date(), moment.replace(tzinfo=UTC) - offset
            return moment.date(), moment.replace(tzinfo=STOCKHOLM).astimezone(UTC)
    instant = values.local_moment(value)
    return instant.astimezone(STOCKHOLM).date(), instant


def read_span(
    cells: Sequence[Any], day_at: int | None, start_at: int, end_at: int | None,
    problems: list[tuple[str, str]],
) -> tuple[dt.date, dt.datetime, dt.datetime | None] | None:
    """(local start date, start, end or None) from a row; problems are (column, reason).

    With a day column, start and end are clock times on that day and an end at or before
    the start is on the next day. Returns None when the start cannot be read.
    """
    if day_at is not None and _cell(cells, day_at) != "":
        try:
            day = values.date(cells[day_at])
        except CellError as error:
            problems.append(("Datum", error.message))
            return None
        try:
            start_clock = values.clock(cells[start_at])
        except CellError as error:
            problems.append(("Start", error.message))
            return None
        start = values.stockholm_instant(day, start_clock)
        end = None
        if end_at is not None and _cell(cells, end_at) != "":
            try:
                end_clock = values.clock(cells[end_at])
            except CellError as error:
                problems.append(("Slut", error.message))
                return None
            end_day = day if end_clock > start_clock else day + dt.timedelta(days=1)
            end = values.stockholm_instant(end_day, end_clock)
        return day, start, end
    raw_start = _cell(cells, start_at)
    if raw_start == "":
        problems.append(("Start", "Värde saknas."))
        return None
    try:
        day, start = local_and_utc(raw_start)
    except CellError as error:
        problems.append(("Start", error.message))
        return None
    end = None
    if end_at is not None:
        raw_end = _cell(cells, end_at)
        if raw_end != "":
            try:
                end = local_and_utc(raw_end)[1]
            except CellError as error:
                problems.append(("Slut", error.message))
                return None
    return day, start, end


def _cell(cells: Sequence[Any], index: int) -> Any:
    value = cells[index] if index < len(cells) else ""
    return value.strip() if isinstance(value, str) else value
