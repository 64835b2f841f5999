"""The reviews there are, and running one for a caller."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from insats.domain.access import Caller
from insats.domain.reviews import ReviewName, ReviewReport, review_name
from insats.services import (
    review_density,
    review_double_decisions,
    review_expenses,
    review_premises,
    review_resource_unit,
    review_surplus,
    review_taxi,
    review_visits,
)
from insats.services.reviews import ReviewSpec, prepare_request
from insats.services.runtime import UowFactory

SPECS: dict[ReviewName, ReviewSpec] = {spec.name: spec for spec in (
    review_taxi.SPEC,
    review_visits.SPEC,
    review_surplus.SPEC,
    review_resource_unit.SPEC,
    review_double_decisions.SPEC,
    review_premises.SPEC,
    review_expenses.SPEC,
    review_density.SPEC,
)}


def available_reviews(caller: Caller) -> list[ReviewName]:
    """The reviews the caller's role may run, in the action plan's order."""
    return [name for name in ReviewName
            if name in SPECS and caller.viewer.can(SPECS[name].capability)]


def run_review(uow_factory: UowFactory, *, caller: Caller, name: str, start: dt.date,
               end: dt.date, unit_ids: Sequence[str] | None = None,
               today: dt.date | None = None) -> ReviewReport:
    """The review called ``name`` over the months ``[start, end)`` for the caller's units
    (or ``unit_ids`` of them)."""
    chosen = review_name(name, [n for n in ReviewName if n in SPECS])
    spec = SPECS[chosen]
    request = prepare_request(uow_factory, caller=caller, spec=spec, start=start, end=end,
                              unit_ids=unit_ids, today=today)
    return spec.run(uow_factory, caller, request)
