"""Use cases for the dated rule parameters (rates and limits)."""

from __future__ import annotations

from insats.domain.rules import bundled_parameters
from insats.services.uow import UnitOfWork


def add_missing_bundled_parameters(uow: UnitOfWork) -> int:
    """Insert the shipped parameters that the database does not have yet.

    Values a user has entered or corrected (same key and valid_from) are left as they are.
    Returns how many were added. The caller commits.
    """
    stored = {(p.key, p.valid_from) for p in uow.rules.all()}
    missing = [p for p in bundled_parameters() if (p.key, p.valid_from) not in stored]
    return uow.rules.add_many(missing)
