"""Callers for service tests, one per role, and a unit manager of given units; and a
runner for a review over fixed months."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from insats.domain.access import Caller, Role, Viewer
from insats.domain.reviews import ReviewReport
from insats.services.review_catalogue import run_review
from insats.services.uow import UnitOfWork

HEAD = Caller(Viewer("a1", "chef", "Avdelningschef", Role.DEPARTMENT_HEAD), route="test")
CONTROLLER = Caller(Viewer("a2", "eko", "Ekonom", Role.CONTROLLER), route="test")
SCHEDULER = Caller(Viewer("a3", "sam", "Samordnare", Role.SCHEDULER), route="test")


def manager_of(*unit_ids: str, username: str = "ec1") -> Caller:
    """An enhetschef whose own units are ``unit_ids``."""
    return Caller(Viewer(f"m-{username}", username, "Enhetschef", Role.UNIT_MANAGER,
                         frozenset(unit_ids)), route="test")


ReviewRun = Callable[..., ReviewReport]


def review_runner(name: str, start: dt.date, end: dt.date,
                  today: dt.date | None = None) -> ReviewRun:
    """``run(world, caller=HEAD, units=None)`` runs review ``name`` over ``[start, end)``."""
    def run(world: Callable[[], UnitOfWork], caller: Caller = HEAD,
            units: list[str] | None = None) -> ReviewReport:
        return run_review(world, caller=caller, name=name, start=start, end=end,
                          unit_ids=units, today=today)
    return run
