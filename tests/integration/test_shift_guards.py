"""The database refuses overlapping published shifts of one employee (migration 0014), on
SQLite and PostgreSQL, also when two schedulers write at the same instant on their own
connections.

Shifts on Monday 2 March 2026 (Stockholm): S1 07:00–15:00 for E0001 is published; the
others are written against it.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import text

from insats.db.repositories.scheduling import ShiftTable
from insats.db.shift_guards import ShiftOverlapError
from insats.domain.common import DomainError
from insats.domain.cover import CoverReason
from insats.domain.scheduling import AssistanceGroup, PlannedShift, ShiftStatus
from insats.services.cover import book_cover, cover_options
from insats.services.uow import UnitOfWork
from tests.builders import (
    a_client,
    a_department,
    a_group,
    a_provider,
    a_shift,
    a_unit,
    an_employee,
    stockholm,
)
from tests.callers import SCHEDULER
from tests.integration.test_cover_service import seed_cover_world

UowFactory = Callable[[], UnitOfWork]
S1 = a_shift(id="S1")


@pytest.fixture
def world(uow_factory: UowFactory) -> UowFactory:
    with uow_factory() as uow:
        uow.organisation.add_many([a_department(), a_unit()])
        uow.providers.add(a_provider())
        uow.clients.add(a_client())
        uow.staff.add_many([an_employee(), an_employee(id="E0002")])
        uow.scheduling.add_many([a_group(), a_group(id="G0002", client_id=None, name="Korttids")])
        uow.scheduling.add(S1)
        uow.commit()
    return uow_factory


def _shifts(uow_factory: UowFactory) -> list[tuple[str, str | None, str]]:
    with uow_factory() as uow:
        rows = uow.session.execute(text(
            "SELECT id, employee_id, status FROM planned_shifts ORDER BY id")).all()
    return [(r[0], r[1], r[2]) for r in rows]


def test_an_overlapping_published_shift_is_refused_with_a_swedish_message(
        world: UowFactory) -> None:
    late = a_shift(id="S2", group_id="G0002", start=stockholm(2026, 3, 2, 14),
                   end=stockholm(2026, 3, 2, 22))
    with world() as uow, pytest.raises(ShiftOverlapError) as refused:
        uow.scheduling.add(late)
    assert refused.value.code == "shift.overlap"
    assert refused.value.message.startswith(
        "Medarbetaren E0001 har redan ett pass som överlappar passet 2026-03-02 14:00–22:00.")
    assert _shifts(world) == [("S1", "E0001", "publicerat")]


@pytest.mark.parametrize("shift", [
    # ends when S1 starts / starts when S1 ends: half-open ranges touch, no overlap
    a_shift(id="S2", start=stockholm(2026, 3, 1, 23), end=stockholm(2026, 3, 2, 7)),
    a_shift(id="S2", start=stockholm(2026, 3, 2, 15), end=stockholm(2026, 3, 2, 23)),
    # another employee, an open shift, a cancelled shift and a planning proposal
    a_shift(id="S2", employee_id="E0002"),
    a_shift(id="S2", employee_id=None),
    a_shift(id="S2", status=ShiftStatus.CANCELLED),
    a_shift(id="S2", status=ShiftStatus.PROPOSED),
], ids=["ends-at-start", "starts-at-end", "other-employee", "open", "cancelled", "proposed"])
def test_shifts_that_do_not_count_or_only_touch_are_allowed(
        world: UowFactory, shift: PlannedShift) -> None:
    with world() as uow:
        uow.scheduling.add(shift)
        uow.commit()
    assert len(_shifts(world)) == 2


def test_moving_assigning_or_publishing_into_an_overlap_is_refused(world: UowFactory) -> None:
    with world() as uow:
        uow.scheduling.add_many([
            a_shift(id="S2", employee_id=None, start=stockholm(2026, 3, 2, 12),
                    end=stockholm(2026, 3, 2, 20)),
            a_shift(id="S3", start=stockholm(2026, 3, 2, 16), end=stockholm(2026, 3, 2, 22)),
            a_shift(id="S4", status=ShiftStatus.CANCELLED),
        ])
        uow.commit()
    changes = [
        a_shift(id="S2", employee_id="E0001", start=stockholm(2026, 3, 2, 12),
                end=stockholm(2026, 3, 2, 20)),  # assigning an open shift
        a_shift(id="S3", start=stockholm(2026, 3, 2, 14), end=stockholm(2026, 3, 2, 22)),
        a_shift(id="S4", status=ShiftStatus.PUBLISHED),  # reinstating a cancelled one
    ]
    for change in changes:
        with world() as uow, pytest.raises(ShiftOverlapError, match="E0001 har redan"):
            uow.scheduling.update(change)
    assert _shifts(world) == [("S1", "E0001", "publicerat"), ("S2", None, "publicerat"),
                              ("S3", "E0001", "publicerat"), ("S4", "E0001", "installt")]


def test_a_bulk_insert_with_an_overlap_writes_nothing(world: UowFactory) -> None:
    batch = [a_shift(id="S2", employee_id="E0002"),
             a_shift(id="S3", start=stockholm(2026, 3, 2, 8), end=stockholm(2026, 3, 2, 9))]
    with world() as uow, pytest.raises(ShiftOverlapError, match="har redan ett pass") as refused:
        on_postgres = uow.session.get_bind().dialect.name == "postgresql"
        uow.scheduling.add_many(batch)
        uow.commit()
    # PostgreSQL's refusal names the employee; SQLite's trigger message cannot
    assert refused.value.message.startswith(
        "Medarbetaren E0001 har" if on_postgres else "Medarbetaren har")
    assert [s[0] for s in _shifts(world)] == ["S1"]


# --- two schedulers at the same instant ---------------------------------------------------
def race(workers: list[Callable[[], Any]]) -> list[Any]:
    """Run each worker on its own thread (and so its own connection); returns what each
    returned or raised."""
    outcomes: list[Any] = [None] * len(workers)

    def run(index: int) -> None:
        try:
            outcomes[index] = workers[index]()
        except Exception as error:  # the outcome is what the test compares
            outcomes[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(workers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.parametrize("clients", [2, 4])
def test_concurrent_inserts_of_overlapping_shifts_let_exactly_one_through(
        world: UowFactory, clients: int) -> None:
    """C writers, each in its own transaction on its own connection, start together (a
    barrier) and insert an overlapping shift for E0002: one is stored, the rest refused."""
    with world() as uow:
        if uow.session.get_bind().dialect.name == "sqlite":  # writers serialised, readers not
            assert uow.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    barrier = threading.Barrier(clients)

    def book(index: int) -> str:
        with world() as uow:
            uow.session.execute(text("SELECT 1"))  # connection checked out before the race
            barrier.wait(timeout=30)
            uow.scheduling.add(a_shift(id=f"R{index}", employee_id="E0002",
                                       start=stockholm(2026, 3, 3, 7, index),
                                       end=stockholm(2026, 3, 3, 15)))
            uow.commit()
        return f"R{index}"

    outcomes = race([functools.partial(book, i) for i in range(clients)])

    stored = [s[0] for s in _shifts(world) if s[1] == "E0002"]
    assert len(stored) == 1 and stored[0] in outcomes
    refused = [o for o in outcomes if isinstance(o, Exception)]
    assert len(refused) == clients - 1
    assert all(isinstance(o, ShiftOverlapError) for o in refused), refused


@pytest.fixture
def cover_world(uow_factory: UowFactory) -> UowFactory:
    """The cover test's world (S1 of the absent E1 on 2 March 07–15) plus an open shift S2
    (09–17) in a second group: the pool substitute E9 could take either, not both."""
    world = seed_cover_world(uow_factory)
    with world() as uow:
        uow.scheduling.add_many([
            AssistanceGroup("G0002", "U01", "Korttids", None),
            PlannedShift("S2", "G0002", stockholm(2026, 3, 2, 9), stockholm(2026, 3, 2, 17)),
        ])
        uow.commit()
    return world


def test_two_schedulers_booking_one_substitute_for_overlapping_shifts_at_once(
        cover_world: UowFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two schedulers book the pool substitute E9, one for S1 and one for S2, at the same
    instant. On PostgreSQL a barrier just before the write makes both pass every check in
    Python (each sees E9 free) before either writes, so only the database can refuse. On
    SQLite the booking takes the single write lock early (the access log is written while
    reading), so the barrier is at the start and the second booking waits for the first.
    Either way one booking goes through and the other is refused with nothing written."""
    versions = {s: cover_options(cover_world, caller=SCHEDULER, shift_id=s).shifts[0].version
                for s in ("S1", "S2")}
    with cover_world() as uow:
        on_postgres = uow.session.get_bind().dialect.name == "postgresql"
    barrier = threading.Barrier(2)
    if on_postgres:
        original = ShiftTable.update

        def update_after_both_checked(self: ShiftTable, entity: PlannedShift,
                                      **kwargs: Any) -> int | None:
            barrier.wait(timeout=30)
            return original(self, entity, **kwargs)

        monkeypatch.setattr(ShiftTable, "update", update_after_both_checked)

    def book(shift_id: str) -> str:
        if not on_postgres:
            barrier.wait(timeout=30)
        return book_cover(cover_world, caller=SCHEDULER, shift_id=shift_id, employee_id="E9",
                          reason=CoverReason.SICK, expected_version=versions[shift_id]).shift_id

    outcomes = race([lambda: book("S1"), lambda: book("S2")])

    booked = [o for o in outcomes if isinstance(o, str)]
    refused = [o for o in outcomes if isinstance(o, Exception)]
    assert len(booked) == 1 and len(refused) == 1, outcomes
    if on_postgres:
        assert isinstance(refused[0], ShiftOverlapError)
        assert "E9 har redan ett pass som överlappar" in refused[0].message
    else:  # the second booking read E9's new shift: refused by the check in Python
        assert isinstance(refused[0], DomainError), refused
    with cover_world() as uow:
        e9 = uow.session.execute(text(
            "SELECT id FROM planned_shifts WHERE employee_id = 'E9'")).scalars().all()
        bookings = uow.session.execute(text(
            "SELECT shift_id FROM cover_bookings")).scalars().all()
    assert e9 == booked and bookings == booked
