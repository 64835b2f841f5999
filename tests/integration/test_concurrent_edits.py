"""C clients × N attempts saving the same action at once, each on its own connection
(bench/concurrent_edits.py's races, small): with versions no update is lost; the same race
without the version check loses exactly the saves it overwrote, so the count is real. The
same for C schedulers booking overlapping shifts for one employee: one per round gets
through, and without the database's guard every one does (double bookings counted)."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
from sqlalchemy import Engine, text

from insats.db.shift_guards import guard_statements, unguard_statements
from insats.services.uow import UnitOfWork

CLIENTS, ATTEMPTS = 4, 5


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    path = Path(__file__).parents[2] / "bench" / "concurrent_edits.py"
    spec = importlib.util.spec_from_file_location("concurrent_edits", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("clients", [2, CLIENTS])
def test_no_update_is_lost_and_each_round_has_one_winner(
        bench: ModuleType, uow_factory: Callable[[], UnitOfWork], clients: int) -> None:
    bench.seed(uow_factory)

    tally = bench.race_edits(uow_factory, clients=clients, attempts=ATTEMPTS)

    assert (tally.successes, tally.refusals, tally.errors) == (
        ATTEMPTS, ATTEMPTS * (clients - 1), 0)
    assert tally.lost_updates == 0
    assert tally.final_version == 1 + ATTEMPTS
    with uow_factory() as uow:
        action = uow.actions.get(bench.ACTION_ID)
    assert action is not None and len(action.measure.split()) == ATTEMPTS


def test_without_the_version_check_the_same_race_loses_updates(
        bench: ModuleType, uow_factory: Callable[[], UnitOfWork]) -> None:
    bench.seed(uow_factory)

    tally = bench.race_edits(uow_factory, clients=CLIENTS, attempts=ATTEMPTS, guarded=False)

    assert tally.successes == CLIENTS * ATTEMPTS
    assert tally.lost_updates == ATTEMPTS * (CLIENTS - 1)  # one save survives each round


def test_overlapping_bookings_at_the_same_instant_leave_no_double_booking(
        bench: ModuleType, uow_factory: Callable[[], UnitOfWork]) -> None:
    bench.seed(uow_factory)

    tally = bench.race_bookings(uow_factory, clients=CLIENTS, rounds=ATTEMPTS)

    assert (tally.successes, tally.refusals, tally.errors) == (
        ATTEMPTS, ATTEMPTS * (CLIENTS - 1), 0)
    assert tally.double_bookings == 0


def test_without_the_database_guard_the_same_race_double_books(
        bench: ModuleType, uow_factory: Callable[[], UnitOfWork], engine: Engine) -> None:
    bench.seed(uow_factory)
    dialect = engine.dialect.name
    with engine.begin() as connection:
        for statement in unguard_statements(dialect):
            connection.execute(text(statement))
    try:
        tally = bench.race_bookings(uow_factory, clients=CLIENTS, rounds=ATTEMPTS)
    finally:
        with engine.begin() as connection:
            connection.execute(text("DELETE FROM planned_shifts"))
            for statement in guard_statements(dialect):
                connection.execute(text(statement))

    assert tally.successes == CLIENTS * ATTEMPTS
    # every pair of a round's C shifts overlaps: C·(C−1)/2 pairs a round
    assert tally.double_bookings == ATTEMPTS * CLIENTS * (CLIENTS - 1) // 2
