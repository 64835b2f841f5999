"""Running a review (``insats.domain.reviews``): what each review needs to be run, and the
checks every review shares (the review exists, the caller's role may run it, the units
asked for are in the caller's scope)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from insats.domain.access import AccessDenied, Caller, Capability
from insats.domain.common import DomainError, Period
from insats.domain.organisation import Unit
from insats.domain.reviews import ReviewName, ReviewReport
from insats.services.runtime import UowFactory
from insats.services.scope import visible_units


@dataclass(frozen=True, slots=True)
class ReviewRequest:
    """What a review is asked for: the months ``[start, end)`` and the units (all the
    caller sees when ``unit_ids`` is None), as of ``today``."""

    start: dt.date
    end: dt.date
    units: tuple[Unit, ...]
    today: dt.date

    @property
    def period(self) -> Period:
        return Period(self.start, self.end)

    @property
    def unit_ids(self) -> frozenset[str]:
        return frozenset(u.id for u in self.units)

    def scope_label(self, all_units: int) -> str:
        if len(self.units) == all_units:
            return "Hela avdelningen"
        return ", ".join(u.name for u in self.units)


@dataclass(frozen=True, slots=True)
class ReviewSpec:
    name: ReviewName
    capability: Capability
    run: Callable[[UowFactory, Caller, ReviewRequest], ReviewReport]


def prepare_request(uow_factory: UowFactory, *, caller: Caller, spec: ReviewSpec,
                    start: dt.date, end: dt.date, unit_ids: Sequence[str] | None = None,
                    today: dt.date | None = None) -> ReviewRequest:
    caller.viewer.require(spec.capability)
    if end <= start:
        raise DomainError("review.period", "Perioden måste sluta efter att den börjar.")
    with uow_factory() as uow:
        units = visible_units(uow, caller)
        known = {u.id for u in uow.organisation.units()}
    if unit_ids:
        missing = [u for u in unit_ids if u not in known]
        if missing:
            raise DomainError("review.unit", f"Enheten {missing[0]} finns inte.")
        seen = {u.id for u in units}
        if any(u not in seen for u in unit_ids):
            raise AccessDenied("Enheten ingår inte i din behörighet.")
        units = [u for u in units if u.id in set(unit_ids)]
    return ReviewRequest(start, end, tuple(units), today or dt.date.today())
