"""The schedule timeline (page and API), with the demo facts its rows need: a group of
``enhetschef``'s unit, and an employee of that unit who does not work in a group of
``enhetschef2``'s units (so ``enhetschef2`` must be refused)."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from insats.db.repositories import rosters
from insats.services.runtime import uow_factory_for
from insats.services.staff import works_in_since
from tests.web.access_matrix import Rule

SCHEDULE_ROLES = frozenset({"avdelningschef", "enhetschef", "enhetschef2", "samordnare"})


@cache
def _facts(url: str, own_unit_id: str) -> tuple[str, str]:
    """(a group of the unit with published shifts, an employee of the unit outside the
    other unit manager's scope), looked up once per demo database."""
    with uow_factory_for(url)() as uow:
        other = uow.accounts.by_username("enhetschef2")
        assert other is not None
        groups = rosters.groups_of_units(uow.session, [own_unit_id])
        far = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
        group = next(g for g in groups if rosters.latest_shift_start(uow.session, far,
                                                                     group_id=g.id))
        elsewhere = rosters.employees_working_in_units(
            uow.session, other.unit_ids - {own_unit_id}, works_in_since(dt.date.today()))
        employee = next(e for e in uow.staff.of_unit(own_unit_id)
                        if e.id not in elsewhere)
    return group.id, employee.id


def own_group_id(demo: Any) -> str:
    return _facts(demo.url, demo.own_unit_id)[0]


def own_employee_id(demo: Any) -> str:
    return _facts(demo.url, demo.own_unit_id)[1]


# Without a query each unit manager gets their own unit's first group, so both may call
# these; the refusal of another unit's group or employee is in tests/web/test_schedule.py
# (the matrix fills in path parameters only).
RULES = [
    Rule("GET", "/schedule", SCHEDULE_ROLES),
    Rule("GET", "/schedule", SCHEDULE_ROLES, query="?weeks=4&format=xlsx"),
    Rule("GET", "/api/schedule", SCHEDULE_ROLES, query="?weeks=4"),
]
