"""Absence cover from the database (both backends): the ranked list for an absence, booking
with its reason and kind, a concurrent booking refused, the access log and the summary.

Monday 2 March 2026. E1 (unit U01, group G0001) is off sick; the pool substitute E9 has
unit U02 as home (central scheduling: cover crosses units); E2 is a full-timer of U01 who
already works the evening before until 23:00 (8 h of rest: never proposed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from insats.db.repositories import cover as cover_rows
from insats.db.repositories._base import NotFoundError, StaleVersionError
from insats.domain.access import AccessDenied, Caller, Role, Viewer
from insats.domain.common import DomainError, Money, Period
from insats.domain.cover import CoverKind, CoverReason
from insats.domain.scheduling import PlannedShift
from insats.services.cover import book_cover, cover_options, cover_summary, open_absences
from insats.services.rules import add_missing_bundled_parameters
from insats.services.uow import UnitOfWork
from tests.builders import (
    a_client,
    a_department,
    a_group,
    a_provider,
    a_unit,
    an_absence,
    an_employee,
    an_hourly_substitute,
    stockholm,
)

HEAD = Caller(Viewer("a1", "chef", "Avdelningschef", Role.DEPARTMENT_HEAD), route="test")
SCHEDULER = Caller(Viewer("a4", "sam", "Samordnare", Role.SCHEDULER), route="test")
MANAGER_U01 = Caller(Viewer("a2", "ec1", "Enhetschef 1", Role.UNIT_MANAGER,
                            frozenset({"U01"})), route="test")
MANAGER_U02 = Caller(Viewer("a3", "ec2", "Enhetschef 2", Role.UNIT_MANAGER,
                            frozenset({"U02"})), route="test")


@pytest.fixture
def world(uow_factory: Callable[[], UnitOfWork]) -> Callable[[], UnitOfWork]:
    return seed_cover_world(uow_factory)


def seed_cover_world(uow_factory: Callable[[], UnitOfWork]) -> Callable[[], UnitOfWork]:
    """The world of the module docstring (used by the CLI test too)."""
    with uow_factory() as uow:
        add_missing_bundled_parameters(uow)
        uow.organisation.add_many([a_department(), a_unit(id="U01"),
                                   a_unit(id="U02", name="Enhet två")])
        uow.providers.add(a_provider())
        uow.clients.add_many([a_client()])
        uow.staff.add_many([
            an_employee(id="E1"),
            an_employee(id="E2", employment_percent=100, monthly_wage=Money.kronor(30_000)),
            an_hourly_substitute(id="E9", home_unit_id="U02"),
        ])
        uow.scheduling.add_many([
            a_group(),
            PlannedShift("S1", "G0001", stockholm(2026, 3, 2, 7), stockholm(2026, 3, 2, 15),
                         employee_id="E1"),
            PlannedShift("S0", "G0001", stockholm(2026, 3, 1, 15), stockholm(2026, 3, 1, 23),
                         employee_id="E2"),
        ])
        uow.absences.add_many([an_absence(id="A1", employee_id="E1",
                                          period=Period(dt.date(2026, 3, 2),
                                                        dt.date(2026, 3, 3)))])
        uow.commit()
    return uow_factory


def test_the_absence_lists_its_shift_with_the_pool_substitute_from_another_unit(
        world: Callable[[], UnitOfWork]) -> None:
    view = cover_options(world, caller=SCHEDULER, absence_id="A1")

    assert [c.shift.id for c in view.shifts] == ["S1"]
    proposal = view.shifts[0].proposal
    assert [(o.employee_id, o.kind) for o in proposal.options] == [("E9", CoverKind.POOL)]
    # 172,50 kr × 8 h + 40 % PO
    assert proposal.options[0].cost_ore == 138_000 + 55_200
    assert {e.employee_id for e in proposal.excluded} == {"E2"}
    assert view.shifts[0].suggested_reason is CoverReason.SICK


def test_booking_assigns_the_shift_records_reason_and_kind_and_is_logged(
        world: Callable[[], UnitOfWork]) -> None:
    version = cover_options(world, caller=SCHEDULER, shift_id="S1").shifts[0].version

    booking = book_cover(world, caller=SCHEDULER, shift_id="S1", employee_id="E9",
                         reason=CoverReason.MEETING, expected_version=version,
                         absence_id="A1")

    with world() as uow:
        shift = uow.scheduling.get("S1")
        stored = cover_rows.bookings_of_shift(uow.session, "S1")
        events = uow.audit.between(dt.datetime(2000, 1, 1, tzinfo=dt.UTC),
                                   dt.datetime(2100, 1, 1, tzinfo=dt.UTC))
    assert shift is not None and shift.employee_id == "E9"
    assert [(b.employee_id, b.previous_employee_id, b.reason, b.kind, b.paid_minutes,
             b.unit_id, b.absence_id) for b in stored] == [
        ("E9", "E1", CoverReason.MEETING, CoverKind.POOL, 480, "U01", "A1")]
    assert booking.booked_by == "sam"
    assert ("update", "cover_booking", booking.id) in {
        (e.action, e.object_kind, e.object_id) for e in events}

    summary = cover_summary(world, caller=HEAD, month=dt.date(2026, 3, 1))
    assert [(r.label, r.minutes) for r in summary.by_reason] == [("Möte", 480)]
    assert summary.meeting_and_training_minutes == 480
    assert cover_summary(world, caller=MANAGER_U02, month=dt.date(2026, 3, 1)).by_reason == []


def test_a_second_booking_with_the_old_version_is_refused(
        world: Callable[[], UnitOfWork]) -> None:
    version = cover_options(world, caller=SCHEDULER, shift_id="S1").shifts[0].version
    book_cover(world, caller=SCHEDULER, shift_id="S1", employee_id="E9",
               reason=CoverReason.SICK, expected_version=version)

    with pytest.raises(StaleVersionError, match="bokats eller ändrats av någon annan"):
        book_cover(world, caller=HEAD, shift_id="S1", employee_id="E9",
                   reason=CoverReason.SICK, expected_version=version)
    with world() as uow:
        assert len(cover_rows.bookings_of_shift(uow.session, "S1")) == 1


def test_a_rule_breaking_candidate_or_unknown_absence_cannot_be_booked(
        world: Callable[[], UnitOfWork]) -> None:
    version = cover_options(world, caller=SCHEDULER, shift_id="S1").shifts[0].version
    with pytest.raises(DomainError, match="dygnsvila"):
        book_cover(world, caller=SCHEDULER, shift_id="S1", employee_id="E2",
                   reason=CoverReason.SICK, expected_version=version)
    with pytest.raises(NotFoundError):
        book_cover(world, caller=SCHEDULER, shift_id="S1", employee_id="E9",
                   reason=CoverReason.SICK, expected_version=version, absence_id="NOPE")
    with world() as uow:
        assert cover_rows.bookings_of_shift(uow.session, "S1") == []


def test_unit_managers_read_their_own_units_and_never_book(
        world: Callable[[], UnitOfWork]) -> None:
    assert cover_options(world, caller=MANAGER_U01, absence_id="A1").shifts
    with pytest.raises(AccessDenied):
        cover_options(world, caller=MANAGER_U02, absence_id="A1")
    with pytest.raises(AccessDenied):
        book_cover(world, caller=MANAGER_U01, shift_id="S1", employee_id="E9",
                   reason=CoverReason.SICK, expected_version=1)


def test_open_absences_are_those_with_shifts_in_the_callers_units(
        world: Callable[[], UnitOfWork]) -> None:
    found = open_absences(world, caller=MANAGER_U01, today=dt.date(2026, 3, 1))
    assert [a.absence.id for a in found] == ["A1"]
    assert open_absences(world, caller=MANAGER_U02, today=dt.date(2026, 3, 1)) == []
