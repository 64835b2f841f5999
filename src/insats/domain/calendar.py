"""Swedish local time: timestamps are stored in UTC, rules are computed in Europe/Stockholm.

A night shift that crosses the change to or from summer time is one hour shorter or longer
in real minutes than its wall-clock length; ``worked_minutes`` counts the real minutes.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from insats.domain.common import DomainError, Minutes, Period

STOCKHOLM = ZoneInfo("Europe/Stockholm")
UTC = dt.UTC

SWEDISH_MONTHS = (
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
)
SWEDISH_WEEKDAYS = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")


def require_aware(moment: dt.datetime, field: str = "tidpunkt") -> dt.datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise DomainError("time.naive", f"{field} saknar tidszon.")
    return moment


def local_datetime(day: dt.date, clock: dt.time) -> dt.datetime:
    """A Stockholm wall-clock time as an aware UTC datetime.

    A wall-clock time that does not exist (the hour skipped in spring) moves forward by
    the gap; an ambiguous one (the repeated hour in autumn) takes the first occurrence.
    """
    # fold=0 reads a skipped time with the offset before the change (so 02:30 on the
    # spring-forward night becomes 03:30) and an ambiguous one as its first occurrence.
    local = dt.datetime.combine(day, clock).replace(tzinfo=STOCKHOLM, fold=0)
    return local.astimezone(UTC)


def to_local(moment: dt.datetime) -> dt.datetime:
    return require_aware(moment).astimezone(STOCKHOLM)


def local_date(moment: dt.datetime) -> dt.date:
    return to_local(moment).date()


def worked_minutes(start: dt.datetime, end: dt.datetime) -> Minutes:
    """Real elapsed minutes between two aware instants (DST-safe)."""
    if start.tzinfo is UTC and end.tzinfo is UTC:  # as stored: no conversion needed
        start_utc, end_utc = start, end
    else:
        require_aware(start, "start")
        require_aware(end, "slut")
        # Convert first: Python subtracts and compares datetimes that share one tzinfo
        # object by wall clock, which would count a night across a DST change as 9 or 7
        # hours.
        start_utc, end_utc = start.astimezone(UTC), end.astimezone(UTC)
    if end_utc <= start_utc:
        raise DomainError("time.reversed", "Sluttiden måste vara efter starttiden.")
    return Minutes(int((end_utc - start_utc).total_seconds() // 60))


def shift_bounds(
    day: dt.date, start: dt.time, length: Minutes
) -> tuple[dt.datetime, dt.datetime]:
    """UTC start and end of a shift that starts at ``start`` Stockholm time on ``day``.

    ``length`` is real elapsed time, so a 10-hour night shift ends at 07:00 on the normal
    night, at 08:00 wall-clock on the night summer time starts, and 06:00 when it ends.
    """
    begin = local_datetime(day, start)
    return begin, begin + dt.timedelta(minutes=length.value)


def month_label(year: int, month: int) -> str:
    return f"{SWEDISH_MONTHS[month - 1]} {year}"


def months_in(period: Period) -> list[tuple[int, int]]:
    """(year, month) pairs touched by a closed period."""
    result: list[tuple[int, int]] = []
    year, month = period.start.year, period.start.month
    last_day = period.start if period.end is None else period.end - dt.timedelta(days=1)
    while (year, month) <= (last_day.year, last_day.month):
        result.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return result
