"""Cell values as municipal exports write them: Swedish booleans, decimal commas, dates.

Each function takes a cell (a string from CSV, or a native value from XLSX: datetime,
date, time, int, float, bool) and returns a plain value or raises ``CellError`` with a
Swedish reason. Empty cells are handled by the caller. Local wall-clock times are
Europe/Stockholm and become aware UTC instants: a time in the hour skipped in spring
moves forward by the gap, an ambiguous one in autumn takes the first occurrence (as
``insats.domain.calendar.local_datetime``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from insats.domain.calendar import STOCKHOLM
from insats.domain.common import Money
from insats.interchange.errors import CellError

UTC = dt.UTC

TRUE_WORDS = frozenset({"ja", "j", "x", "1", "sant", "true", "yes", "y"})
FALSE_WORDS = frozenset({"nej", "n", "0", "falskt", "false", "no", "-"})
_CLOCK = re.compile(r"^(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?$")
_HOURS_MINUTES = re.compile(r"^(\d+):(\d{2})$")


def cell(cells: Sequence[Any], columns: dict[str, int], name: str) -> Any:
    """The value of the named column in a row (stripped text), or "" when the row is
    shorter or the file lacks the column."""
    index = columns.get(name)
    if index is None or index >= len(cells):
        return ""
    value = cells[index]
    return value.strip() if isinstance(value, str) else value


def text(value: Any) -> str:
    """A cell as trimmed text; whole floats from XLSX lose their ``.0``."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = text(value).lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(f"{text(value)!r} är inget ja/nej-värde (skriv ja eller nej).")


def whole_minutes(value: Any) -> int:
    """A non-negative whole number of minutes, e.g. a break."""
    if isinstance(value, bool):
        raise CellError("Ange antal minuter som ett heltal.")
    if isinstance(value, int):
        minutes = value
    elif isinstance(value, float) and value.is_integer():
        minutes = int(value)
    else:
        try:
            minutes = int(text(value))
        except ValueError:
            raise CellError(f"{text(value)!r} är inget heltal minuter.") from None
    if minutes < 0:
        raise CellError("Antalet minuter kan inte vara negativt.")
    return minutes


def hours_as_minutes(value: Any) -> int:
    """Hours with a decimal comma or point (``7,5``, ``37.5``) or as h:mm (``7:30``)."""
    if isinstance(value, bool):
        raise CellError("Ange timmar som ett tal, t.ex. 7,5.")
    if isinstance(value, int | float):
        amount = Decimal(str(value))
    else:
        raw = text(value).replace("\u00a0", "").replace(" ", "")
        clock = _HOURS_MINUTES.match(raw)
        if clock:
            hours, minutes = int(clock.group(1)), int(clock.group(2))
            if minutes >= 60:
                raise CellError(f"{raw!r}: minuterna måste vara under 60.")
            return hours * 60 + minutes
        try:
            amount = Decimal(raw.replace(",", "."))
        except InvalidOperation:
            raise CellError(
                f"{text(value)!r} är inget antal timmar (t.ex. 7,5 eller 7:30)."
            ) from None
    if not amount.is_finite() or amount < 0:
        raise CellError(f"{text(value)!r} är inget antal timmar (t.ex. 7,5 eller 7:30).")
    return int((amount * 60).to_integral_value())


def money(value: Any) -> Money:
    """Kronor with a decimal comma (``363,44``) or point; XLSX numbers as they are."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Money(int((Decimal(str(value)) * 100).to_integral_value()))
    raw = text(value).replace("kr", "").strip()
    try:
        amount = Decimal(raw.replace("\u00a0", "").replace(" ", "").replace(",", "."))
    except InvalidOperation:
        raise CellError(f"{text(value)!r} är inget belopp i kronor (t.ex. 363,44).") from None
    if not amount.is_finite():
        raise CellError(f"{text(value)!r} är inget belopp i kronor (t.ex. 363,44).")
    return Money(int((amount * 100).to_integral_value()))


def date(value: Any) -> dt.date:
    """A date: ``2026-03-02`` (ISO), also ``20260302``; XLSX dates as they are."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raw = text(value)
    try:
        return dt.date.fromisoformat(raw[:10] if len(raw) > 10 and raw[10] in " T" else raw)
    except ValueError:
        raise CellError(f"{raw!r} är inget datum (ÅÅÅÅ-MM-DD).") from None


def clock(value: Any) -> dt.time:
    """A time of day: ``07:00``, ``7:00``, ``07.00`` or ``07:00:00``."""
    if isinstance(value, dt.datetime):
        return value.time()
    if isinstance(value, dt.time):
        return value
    if isinstance(value, float) and 0 <= value < 1:  # Excel stores a time as a day fraction
        seconds = round(value * 86400)
        return dt.time(seconds // 3600 % 24, seconds // 60 % 60)
    raw = text(value)
    match = _CLOCK.match(raw)
    if match:
        hours, minutes = int(match.group(1)), int(match.group(2))
        if hours < 24 and minutes < 60:
            return dt.time(hours, minutes)
        if hours == 24 and minutes == 0:
            return dt.time(0, 0)
    raise CellError(f"{raw!r} är inget klockslag (TT:MM).")


def local_moment(value: Any) -> dt.datetime:
    """A date and time; a naive one is Stockholm wall-clock time. Returns an aware UTC time."""
    if isinstance(value, dt.datetime):
        moment = value
    else:
        raw = text(value)
        try:
            moment = dt.datetime.fromisoformat(raw)
        except ValueError:
            raise CellError(
                f"{raw!r} är ingen tidpunkt (ÅÅÅÅ-MM-DD TT:MM)."
            ) from None
        if len(raw) <= 10:
            raise CellError(f"{raw!r} saknar klockslag (ÅÅÅÅ-MM-DD TT:MM).")
    if moment.tzinfo is None:
        return moment.replace(tzinfo=STOCKHOLM).astimezone(UTC)
    return moment.astimezone(UTC)


def stockholm_instant(day: dt.date, time_of_day: dt.time) -> dt.datetime:
    """The aware UTC instant of a Stockholm wall-clock time on ``day``."""
    return dt.datetime.combine(day, time_of_day, tzinfo=STOCKHOLM).astimezone(UTC)


def choice(value: Any, options: dict[str, Any], what: str) -> Any:
    """One of ``options`` (keys lower case, e.g. Swedish words and stored codes)."""
    word = text(value).lower()
    try:
        return options[word]
    except KeyError:
        allowed = ", ".join(sorted({key for key in options if key.isascii()} or options))
        raise CellError(f"{text(value)!r} är ingen giltig {what} ({allowed}).") from None
