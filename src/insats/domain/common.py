"""Value types shared by every feature: minutes, money, periods, ISO weeks, errors.

Money is held as integer öre and durations as integer minutes so that sums are exact.
Periods are half-open date ranges ``[start, end)``; an end of ``None`` means open-ended.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NewType

ClientId = NewType("ClientId", str)
UnitId = NewType("UnitId", str)
EmployeeId = NewType("EmployeeId", str)
DecisionId = NewType("DecisionId", str)
GroupId = NewType("GroupId", str)

MINUTES_PER_HOUR = 60
ORE_PER_KRONA = 100


class DomainError(Exception):
    """A broken business rule, with a stable code and a Swedish message for the user."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return f"{self.message} [{self.code}]"


@dataclass(frozen=True, order=True, slots=True)
class Minutes:
    """A duration in whole minutes."""

    value: int

    @classmethod
    def hours(cls, hours: int | float) -> Minutes:
        return cls(round(hours * MINUTES_PER_HOUR))

    @property
    def as_hours(self) -> float:
        return self.value / MINUTES_PER_HOUR

    def __add__(self, other: Minutes) -> Minutes:
        return Minutes(self.value + other.value)

    def __sub__(self, other: Minutes) -> Minutes:
        return Minutes(self.value - other.value)

    def __mul__(self, factor: int) -> Minutes:
        if not isinstance(factor, int):
            raise TypeError("Minutes may only be multiplied by an int")
        return Minutes(self.value * factor)

    def __neg__(self) -> Minutes:
        return Minutes(-self.value)

    def __bool__(self) -> bool:
        return self.value != 0

    def format_hours(self) -> str:
        """Swedish h:mm, e.g. ``37:30`` or ``-1:05``."""
        sign = "-" if self.value < 0 else ""
        hours, minutes = divmod(abs(self.value), MINUTES_PER_HOUR)
        return f"{sign}{hours}:{minutes:02d}"


@dataclass(frozen=True, order=True, slots=True)
class Money:
    """An amount in whole öre (1/100 krona)."""

    ore: int

    @classmethod
    def kronor(cls, amount: int | float | str) -> Money:
        """Build from kronor; strings may use a Swedish decimal comma."""
        if isinstance(amount, str):
            text = amount.replace("\u00a0", "").replace(" ", "").replace(",", ".")
            whole, _, frac = text.partition(".")
            negative = whole.startswith("-")
            whole_digits = whole.lstrip("-+") or "0"
            frac = (frac + "00")[:2] if frac else "00"
            if not (whole_digits.isdigit() and frac.isdigit()):
                raise DomainError("money.invalid", f"Ogiltigt belopp: {amount!r}")
            ore = int(whole_digits) * ORE_PER_KRONA + int(frac)
            return cls(-ore if negative else ore)
        return cls(round(amount * ORE_PER_KRONA))

    @property
    def as_kronor(self) -> float:
        return self.ore / ORE_PER_KRONA

    def __add__(self, other: Money) -> Money:
        return Money(self.ore + other.ore)

    def __sub__(self, other: Money) -> Money:
        return Money(self.ore - other.ore)

    def __neg__(self) -> Money:
        return Money(-self.ore)

    def __bool__(self) -> bool:
        return self.ore != 0

    def times(self, factor: int | float) -> Money:
        """Multiply and round half away from zero to whole öre."""
        product = self.ore * factor
        rounded = int(abs(product) + 0.5)
        return Money(rounded if product >= 0 else -rounded)

    def per_hour_for(self, minutes: Minutes) -> Money:
        """This hourly rate applied to a duration, rounded to whole öre."""
        return self.times(minutes.value / MINUTES_PER_HOUR)

    def format_sv(self) -> str:
        """Swedish format with non-breaking thousands separator: ``1 234,50 kr``."""
        sign = "-" if self.ore < 0 else ""
        kronor, ore = divmod(abs(self.ore), ORE_PER_KRONA)
        grouped = f"{kronor:,}".replace(",", "\u00a0")
        return f"{sign}{grouped},{ore:02d}\u00a0kr"


def money_sum(amounts: Iterator[Money] | list[Money]) -> Money:
    return Money(sum(a.ore for a in amounts))


def minutes_sum(durations: Iterator[Minutes] | list[Minutes]) -> Minutes:
    return Minutes(sum(d.value for d in durations))


@dataclass(frozen=True, slots=True)
class Period:
    """A half-open range of dates ``[start, end)``; ``end`` None means open-ended."""

    start: dt.date
    end: dt.date | None = None

    def __post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            raise DomainError(
                "period.reversed",
                f"Perioden slutar ({self.end}) före den börjar ({self.start}).",
            )

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        start = dt.date(year, month, 1)
        end = dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)
        return cls(start, end)

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year + 1, 1, 1))

    @property
    def days(self) -> int:
        if self.end is None:
            raise DomainError("period.open", "En öppen period har inget antal dagar.")
        return (self.end - self.start).days

    def contains(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)

    def overlaps(self, other: Period) -> bool:
        starts_before_other_ends = other.end is None or self.start < other.end
        other_starts_before_self_ends = self.end is None or other.start < self.end
        return starts_before_other_ends and other_starts_before_self_ends

    def intersection(self, other: Period) -> Period | None:
        if not self.overlaps(other):
            return None
        start = max(self.start, other.start)
        ends = [e for e in (self.end, other.end) if e is not None]
        return Period(start, min(ends) if ends else None)

    def iter_days(self) -> Iterator[dt.date]:
        day = self.start
        for _ in range(self.days):
            yield day
            day += dt.timedelta(days=1)

    def months_apart_at_most(self, months: int) -> bool:
        """True when the period is no longer than ``months`` calendar months."""
        if self.end is None:
            return False
        limit = add_months(self.start, months)
        return self.end <= limit


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the month's last day."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last = Period.month(year, month).days
    return dt.date(year, month, min(day.day, last))


@dataclass(frozen=True, order=True, slots=True)
class IsoWeek:
    """An ISO 8601 week, shown in Swedish as ``v. 47 2026``."""

    year: int
    week: int

    def __post_init__(self) -> None:
        weeks_in_year = dt.date(self.year, 12, 28).isocalendar().week
        if not 1 <= self.week <= weeks_in_year:
            raise DomainError(
                "week.invalid", f"Vecka {self.week} finns inte år {self.year}."
            )

    @classmethod
    def of(cls, day: dt.date) -> IsoWeek:
        iso = day.isocalendar()
        return cls(iso.year, iso.week)

    @property
    def monday(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.week, 1)

    @property
    def period(self) -> Period:
        return Period(self.monday, self.monday + dt.timedelta(days=7))

    def next(self) -> IsoWeek:
        return IsoWeek.of(self.monday + dt.timedelta(days=7))

    def label(self) -> str:
        return f"v. {self.week} {self.year}"
