"""The reviews the action plan names (seed 001's "Åtgärdsplan"), as findings and tables.

Every review answers in the same shape, a :class:`ReviewReport`: what it found (Swedish
sentences), one or more tables with typed columns, and what it is based on. The command
line (``insats review NAME``), the web pages (``/reviews/NAME``) and the exports (CSV,
XLSX) show any review the same way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from insats.domain.common import DomainError, Period
from insats.domain.formatting import NBSP, format_hours, format_kronor, format_number


class ReviewName(StrEnum):
    DENSITY = "density"
    DOUBLE_DECISIONS = "double-decisions"
    VISITS = "visits"
    RESOURCE_UNIT = "resource-unit"
    SURPLUS = "surplus"
    TAXI = "taxi"
    PREMISES = "premises"
    EXPENSES = "expenses"


REVIEW_TITLES: dict[ReviewName, str] = {
    ReviewName.DENSITY: "Bemanningstäthet i korttidsvistelse och korttidstillsyn",
    ReviewName.DOUBLE_DECISIONS: "Dubbla beslut",
    ReviewName.VISITS: "Hemtjänstliknande assistans",
    ReviewName.RESOURCE_UNIT: "Resursenhetens uppdrag",
    ReviewName.SURPLUS: "Övertalig personal",
    ReviewName.TAXI: "Taxiresor mellan skola och korttidstillsyn",
    ReviewName.PREMISES: "Lokaler",
    ReviewName.EXPENSES: "Utlägg i stället för handkassekort",
}

REVIEW_ACTIONS: dict[ReviewName, str] = {
    ReviewName.DENSITY: "Se över bemanningstäthet",
    ReviewName.DOUBLE_DECISIONS: "Översyn av dubbla beslut",
    ReviewName.VISITS: "Optimera organisering av ej omfattande beviljade assistansbeslut i "
                       "hemtjänstliknande form",
    ReviewName.RESOURCE_UNIT: "Översyn av resursenhetens uppdrag",
    ReviewName.SURPLUS: "Ej ha övertalig personal",
    ReviewName.TAXI: "Taxiresor från skola",
    ReviewName.PREMISES: "Översyn av lokaler",
    ReviewName.EXPENSES: "Avveckla handkassakorten",
}


class CellKind(StrEnum):
    TEXT = "text"
    COUNT = "count"  # int
    HOURS = "hours"  # int minutes
    MONEY = "money"  # int öre
    PERCENT = "percent"  # Decimal, 12.5 = 12,5 %
    DATE = "date"  # datetime.date


@dataclass(frozen=True, slots=True)
class ReviewColumn:
    title: str
    kind: CellKind = CellKind.TEXT


@dataclass(frozen=True, slots=True)
class ReviewTable:
    """A table of a review; ``totals`` adds a sum row under the count, hour and money
    columns when shown or exported."""

    title: str
    columns: tuple[ReviewColumn, ...]
    rows: tuple[tuple[object, ...], ...]
    totals: bool = False

    def __post_init__(self) -> None:
        for number, row in enumerate(self.rows, start=1):
            if len(row) != len(self.columns):
                raise DomainError("review.row", f"Tabellen {self.title}: rad {number} har "
                                  f"{len(row)} värden men {len(self.columns)} kolumner.")

    def column_total(self, index: int) -> int | None:
        """The sum of a count, hour or money column (None for the others)."""
        if self.columns[index].kind not in (CellKind.COUNT, CellKind.HOURS, CellKind.MONEY):
            return None
        return sum(int(row[index]) for row in self.rows  # type: ignore[call-overload]
                   if row[index] is not None)


@dataclass(frozen=True, slots=True)
class ReviewReport:
    name: ReviewName
    period: Period
    scope_label: str
    findings: tuple[str, ...]
    tables: tuple[ReviewTable, ...]
    basis: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        return REVIEW_TITLES[self.name]

    @property
    def action(self) -> str:
        return REVIEW_ACTIONS[self.name]

    @property
    def period_label(self) -> str:
        assert self.period.end is not None
        last = self.period.end - dt.timedelta(days=1)
        return f"{self.period.start:%Y-%m}..{last:%Y-%m}"


def review_name(text: str, available: list[ReviewName]) -> ReviewName:
    """The review called ``text``, among those that exist; a Swedish error otherwise."""
    try:
        name = ReviewName(text.strip())
    except ValueError:
        name = None
    if name is None or name not in available:
        raise DomainError("review.unknown", f"Det finns ingen översyn som heter {text!r}; "
                          f"välj bland {', '.join(n.value for n in available)}.")
    return name


def format_cell(kind: CellKind, value: object) -> str:
    """A cell as people read it: ``1 234``, ``12,5 h``, ``1 234 kr``, ``8,4 %``; None as an
    en dash."""
    if value is None:
        return "–"
    if kind is CellKind.COUNT:
        return format_number(int(value))  # type: ignore[call-overload]
    if kind is CellKind.HOURS:
        return format_hours(int(value), 1)  # type: ignore[call-overload]
    if kind is CellKind.MONEY:
        return format_kronor(int(value))  # type: ignore[call-overload]
    if kind is CellKind.PERCENT:
        return f"{format_number(float(value), 1)}{NBSP}%"  # type: ignore[arg-type]
    if kind is CellKind.DATE and isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
