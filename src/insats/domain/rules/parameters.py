"""Rates, limits and thresholds as dated data with valid_from, valid_to and a source.

Values that change every year (schablonbelopp, OB amounts, lowest wages) and limits set
by law or agreement are never literals in code: they are ``RuleParameter`` rows, shipped
in ``data/parameters.toml``, loaded into the database, and corrected there by users.
"""

from __future__ import annotations

import datetime as dt
import itertools
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources

from insats.domain.common import DomainError, Minutes, Money


class Certainty(StrEnum):
    CONFIRMED = "confirmed"
    SECONDARY = "secondary"
    UNCERTAIN = "uncertain"


class ParameterUnit(StrEnum):
    ORE = "ore"
    MINUTES = "minutes"
    PERMILLE = "permille"
    COUNT = "count"
    DAYS = "days"
    YEARS = "years"


@dataclass(frozen=True, slots=True)
class RuleParameter:
    """One value of a rule parameter for ``[valid_from, valid_to)``."""

    key: str
    valid_from: dt.date
    value: int
    unit: ParameterUnit
    source: str
    certainty: Certainty
    valid_to: dt.date | None = None

    def __post_init__(self) -> None:
        if self.valid_to is not None and self.valid_to <= self.valid_from:
            raise DomainError(
                "rule.period",
                f"Parametern {self.key}: giltig till ({self.valid_to}) måste vara efter "
                f"giltig från ({self.valid_from}).",
            )
        if not self.source.strip():
            raise DomainError("rule.source", f"Parametern {self.key} saknar källa.")

    def applies_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)


class RuleBook:
    """Looks up the parameter value in force on a date."""

    def __init__(self, parameters: Iterable[RuleParameter]) -> None:
        self._by_key: dict[str, list[RuleParameter]] = {}
        for parameter in parameters:
            self._by_key.setdefault(parameter.key, []).append(parameter)
        for key, values in self._by_key.items():
            values.sort(key=lambda p: p.valid_from)
            for earlier, later in itertools.pairwise(values):
                if earlier.valid_to is None or earlier.valid_to > later.valid_from:
                    raise DomainError(
                        "rule.overlap",
                        f"Parametern {key} har överlappande giltighet "
                        f"({earlier.valid_from} och {later.valid_from}).",
                    )

    def keys(self) -> list[str]:
        return sorted(self._by_key)

    def parameter_set(self) -> frozenset[RuleParameter]:
        """Every value of the book: two books with equal sets give equal answers."""
        return frozenset(p for values in self._by_key.values() for p in values)

    def parameter(self, key: str, on: dt.date) -> RuleParameter:
        for parameter in self._by_key.get(key, []):
            if parameter.applies_on(on):
                return parameter
        raise DomainError(
            "rule.missing", f"Regelvärdet {key} saknas för {on.isoformat()}; lägg in det."
        )

    def money(self, key: str, on: dt.date) -> Money:
        return Money(self._value(key, on, ParameterUnit.ORE))

    def minutes(self, key: str, on: dt.date) -> Minutes:
        return Minutes(self._value(key, on, ParameterUnit.MINUTES))

    def permille(self, key: str, on: dt.date) -> int:
        return self._value(key, on, ParameterUnit.PERMILLE)

    def number(self, key: str, on: dt.date) -> int:
        parameter = self.parameter(key, on)
        return parameter.value

    def _value(self, key: str, on: dt.date, unit: ParameterUnit) -> int:
        parameter = self.parameter(key, on)
        if parameter.unit is not unit:
            raise DomainError(
                "rule.unit", f"Parametern {key} har enheten {parameter.unit}, inte {unit}."
            )
        return parameter.value


def bundled_parameters() -> list[RuleParameter]:
    """The parameters shipped with Insats (from domain-rules.md), as a starting point."""
    text = resources.files("insats.domain.rules").joinpath("data/parameters.toml").read_text(
        encoding="utf-8"
    )
    rows = tomllib.loads(text)["parameter"]
    return [
        RuleParameter(
            key=row["key"],
            valid_from=row["valid_from"],
            valid_to=row.get("valid_to"),
            value=int(row["value"]),
            unit=ParameterUnit(row["unit"]),
            source=row["source"],
            certainty=Certainty(row["certainty"]),
        )
        for row in rows
    ]


def parse_parameter_value(unit: ParameterUnit, text: str) -> int:
    """Read a value as a person writes it: kronor (``340,50``) for öre, ``h:mm`` or whole
    minutes for minutes, percent (``112`` or ``12,5``) for per mille, whole numbers otherwise.
    """
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "")
    for suffix in ("kr", "h", "%", "st", "dagar", "år"):
        cleaned = cleaned.removesuffix(suffix)
    try:
        if unit is ParameterUnit.ORE:
            return Money.kronor(cleaned).ore
        if unit is ParameterUnit.MINUTES:
            if ":" in cleaned:
                hours, _, minutes = cleaned.partition(":")
                if len(minutes) != 2:
                    raise ValueError(text)
                return int(hours) * 60 + int(minutes)
            return int(cleaned)
        if unit is ParameterUnit.PERMILLE:
            whole, _, decimal = cleaned.replace(".", ",").partition(",")
            if len(decimal) > 1:
                raise ValueError(text)
            return int(whole) * 10 + (int(decimal) if decimal else 0)
        return int(cleaned)
    except (ValueError, DomainError):
        raise DomainError(
            "rule.value", f"{text!r} är inget giltigt värde i enheten {UNIT_LABELS[unit]}."
        ) from None


def format_parameter_value(unit: ParameterUnit, value: int) -> str:
    """The inverse of :func:`parse_parameter_value`, in Swedish notation."""
    if unit is ParameterUnit.ORE:
        return Money(value).format_sv()
    if unit is ParameterUnit.MINUTES:
        return Minutes(value).format_hours() + "\u00a0h"
    if unit is ParameterUnit.PERMILLE:
        whole, tenth = divmod(value, 10)
        return f"{whole},{tenth}\u00a0%" if tenth else f"{whole}\u00a0%"
    return f"{value}\u00a0{UNIT_LABELS[unit]}"


UNIT_LABELS: dict[ParameterUnit, str] = {
    ParameterUnit.ORE: "kronor",
    ParameterUnit.MINUTES: "timmar:minuter",
    ParameterUnit.PERMILLE: "procent",
    ParameterUnit.COUNT: "st",
    ParameterUnit.DAYS: "dagar",
    ParameterUnit.YEARS: "år",
}
