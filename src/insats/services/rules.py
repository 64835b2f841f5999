"""Use cases for the dated rule parameters (rates and limits)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from insats.domain.common import DomainError
from insats.domain.rules import RuleBook, RuleParameter, bundled_parameters
from insats.services.uow import UnitOfWork


def add_missing_bundled_parameters(uow: UnitOfWork) -> int:
    """Insert the shipped parameters that the database does not have yet.

    Values a user has entered or corrected (same key and valid_from) are left as they are.
    Returns how many were added. The caller commits.
    """
    stored = {(p.key, p.valid_from) for p in uow.rules.all()}
    missing = [p for p in bundled_parameters() if (p.key, p.valid_from) not in stored]
    return uow.rules.add_many(missing)


def list_parameters(
    uow_factory: Callable[[], UnitOfWork], *, key_prefix: str = ""
) -> list[RuleParameter]:
    """Stored rule parameters whose key starts with ``key_prefix``, by key and date."""
    with uow_factory() as uow:
        return [p for p in uow.rules.all() if p.key.startswith(key_prefix)]


def set_parameter(uow_factory: Callable[[], UnitOfWork], parameter: RuleParameter) -> bool:
    """Add a dated value, or correct the one with the same key and valid_from.

    The key's values must still not overlap in time (checked before commit). Returns True
    when an existing value was corrected, False when a new one was added.

    Raises:
        DomainError: ``rule.overlap`` when the periods would overlap; ``rule.unit`` when the
            unit differs from the key's stored values.
    """
    with uow_factory() as uow:
        stored = uow.rules.of_key(parameter.key)
        units = {p.unit for p in stored}
        if units and units != {parameter.unit}:
            raise DomainError(
                "rule.unit",
                f"Parametern {parameter.key} anges i {', '.join(sorted(units))}, "
                f"inte {parameter.unit}.",
            )
        others = [p for p in stored if p.valid_from != parameter.valid_from]
        RuleBook([*others, parameter])  # refuses overlapping periods
        corrected = len(others) != len(stored)
        if corrected:
            uow.rules.update(parameter)
        else:
            uow.rules.add(parameter)
        uow.commit()
    return corrected


def rule_value(uow_factory: Callable[[], UnitOfWork], key: str, on: dt.date) -> int:
    """The stored value of a dated rule parameter on a day (its unit's integer form)."""
    with uow_factory() as uow:
        return uow.rules.rule_book(key).parameter(key, on).value
