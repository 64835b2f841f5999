"""The fast bulk path (db/bulk.py) stores exactly what the ORM path stores, byte for byte."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine, text

from insats.services.uow import UnitOfWork
from tests.builders import a_shift, a_time_entry, an_absence, stockholm
from tests.integration.test_repositories import seed

UowFactory = Callable[[], UnitOfWork]

# (table, repository attribute, entity built with a given id). The two shifts of a case
# are stored at the same time, so they are open (no employee): two published shifts of one
# employee at once are refused by the database (insats.db.shift_guards).
CASES: dict[str, tuple[str, str, Callable[[str], Any]]] = {
    "night shift across the spring DST change": (
        "planned_shifts", "scheduling",
        lambda i: a_shift(id=i, start=stockholm(2026, 3, 28, 22),
                          end=stockholm(2026, 3, 28, 22) + dt.timedelta(hours=9),
                          employee_id=None),
    ),
    "shift starting after midnight Stockholm time": (
        "planned_shifts", "scheduling",
        lambda i: a_shift(id=i, start=stockholm(2026, 10, 25, 0, 30),
                          end=stockholm(2026, 10, 25, 8), break_minutes=30,
                          employee_id=None),
    ),
    "time entry in the repeated autumn hour": (
        "time_entries", "time_reports",
        lambda i: a_time_entry(id=i, start=stockholm(2026, 10, 24, 22),
                               end=stockholm(2026, 10, 24, 22) + dt.timedelta(hours=10)),
    ),
    "absence with dates": ("absences", "absences", lambda i: an_absence(id=i)),
}


def _stored(engine: Engine, table: str) -> list[tuple[Any, ...]]:
    with engine.connect() as connection:
        rows = connection.execute(text(f"SELECT * FROM {table} ORDER BY id")).mappings().all()
    return [tuple(value for key, value in row.items() if key != "id") for row in rows]


@pytest.mark.parametrize("case", list(CASES))
def test_bulk_path_stores_what_the_orm_path_stores(
    uow_factory: UowFactory, engine: Engine, case: str
) -> None:
    table, attribute, build = CASES[case]
    with uow_factory() as uow:
        seed(uow)
        getattr(uow, attribute).add(build("A1"))
        getattr(uow, attribute).add_many([build("B1")])
        uow.commit()

    by_orm, by_bulk = _stored(engine, table)

    assert by_bulk == by_orm
    with uow_factory() as uow:
        loaded = getattr(uow, attribute).get("B1")
    assert loaded == build("B1")
    assert dataclasses.replace(loaded, id="A1") == build("A1")
