"""Repositories on SQLite and PostgreSQL: round trips, bulk inserts, versions, immutability."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.exc import IntegrityError, StatementError

from insats.db.base import UTC, NaiveDatetimeError
from insats.db.models.scheduling import PlannedShiftRow
from insats.db.repositories import StaleVersionError
from insats.domain.billing import InvoiceStatus
from insats.domain.common import DomainError, Money, Period
from insats.domain.personnummer import make_identity
from insats.domain.scheduling import ShiftKind, ShiftStatus
from insats.domain.time_reports import TimeEntryStatus, TimeKind
from insats.services.uow import UnitOfWork
from tests.builders import (
    a_budget,
    a_client,
    a_cost_entry,
    a_decision,
    a_department,
    a_group,
    a_membership,
    a_provider,
    a_rule_parameter,
    a_shift,
    a_template,
    a_time_entry,
    a_unit,
    an_absence,
    an_action,
    an_activity,
    an_employee,
    an_hourly_substitute,
    an_invoice,
    an_invoice_line,
    stockholm,
)

UowFactory = Callable[[], UnitOfWork]


def seed(uow: UnitOfWork) -> None:
    """Department D01, unit U01, provider P01, client C0001, employee E0001, group G0001."""
    uow.organisation.add_many([a_department(), a_unit()])
    uow.providers.add(a_provider())
    uow.clients.add(a_client())
    uow.staff.add_many([an_employee(), an_employee(id="E0002", given_name="Omar")])
    uow.scheduling.add_many([a_group(), a_template()])


@pytest.fixture
def seeded(uow_factory: UowFactory) -> UowFactory:
    with uow_factory() as uow:
        seed(uow)
        uow.commit()
    return uow_factory


# (repository attribute, entity, how to read it back)
Case = tuple[str, Any, Callable[[Any, Any], Any]]


def _by_id(repo: Any, entity: Any) -> Any:
    return repo.get(entity.id)


CASES: dict[str, Case] = {
    "department": (
        "organisation",
        a_department(id="D02", head_employee_id="E0001"),
        lambda repo, e: repo.get_department(e.id),
    ),
    "unit": (
        "organisation",
        a_unit(id="U02", name="Korttids Väster", places=8, manager_employee_id="E0001"),
        _by_id,
    ),
    "provider": (
        "providers",
        a_provider(
            id="P02", name="Assistans AB", organisation_number="556677-8899",
            is_municipal=False, ivo_permit=Period(dt.date(2015, 3, 1)), f_tax=False,
        ),
        _by_id,
    ),
    "client": (
        "clients",
        a_client(
            id="C0002", pseudonym="B-0002",
            identity=make_identity(dt.date(1990, 2, 3), 456, samordning=True),
            latitude=57.7089, longitude=11.9746, lives_in_group_home=True,
            deceased_on=dt.date(2026, 2, 1),
        ),
        _by_id,
    ),
    "decision": (
        "decisions",
        a_decision(
            granted_minutes_per_week=None, granted_minutes_total=26 * 60 * 40,
            period=Period(dt.date(2026, 1, 1), dt.date(2026, 7, 1)),
            double_assistance_minutes_per_week=300, basic_needs_minutes_per_week=1500,
            increased_rate=True,
        ),
        _by_id,
    ),
    "employee": (
        "staff",
        an_employee(
            id="E0003", skills=frozenset({"lyft", "epilepsi", "teckenspråk"}),
            employed=Period(dt.date(2024, 5, 1), dt.date(2026, 12, 1)),
        ),
        _by_id,
    ),
    "hourly employee": ("staff", an_hourly_substitute(), _by_id),
    "group": ("scheduling", a_group(id="G0002", client_id=None, breaks_allowed=True),
              lambda repo, e: repo.get_group(e.id)),
    "membership": (
        "scheduling",
        a_membership(period=Period(dt.date(2026, 1, 1), dt.date(2026, 6, 1)), is_regular=False),
        lambda repo, e: repo.memberships.get((e.employee_id, e.group_id, e.period.start)),
    ),
    "template": (
        "scheduling",
        a_template(id="T0002", weekday=5, start=dt.time(21, 30), length_minutes=600,
                   break_minutes=30, positions=2, kind=ShiftKind.ON_CALL,
                   valid=Period(dt.date(2026, 1, 1), dt.date(2026, 4, 1))),
        lambda repo, e: repo.get_template(e.id),
    ),
    "night shift across DST": (
        "scheduling",
        a_shift(
            id="S0002", start=stockholm(2026, 3, 28, 22), end=stockholm(2026, 3, 29, 7),
            kind=ShiftKind.ON_CALL, status=ShiftStatus.PROPOSED, break_minutes=15,
            is_double=True, template_id="T0001",
        ),
        _by_id,
    ),
    "open shift": ("scheduling", a_shift(id="S0003", employee_id=None), _by_id),
    "time entry across DST": (
        "time_reports",
        a_time_entry(
            start=stockholm(2026, 10, 24, 22), end=stockholm(2026, 10, 25, 7),
            kind=TimeKind.OVERTIME, status=TimeEntryStatus.ATTESTED, break_minutes=20,
            is_double=True, at_hospital=True, ob_claimed=False,
            attested_at=dt.datetime(2026, 10, 26, 9, 15, 30, 123456, tzinfo=UTC),
            attested_by="chef.anna", comment="Sjukhusvistelse, natt",
        ),
        _by_id,
    ),
    "absence": ("absences", an_absence(extent_percent=50, medical_certificate=True), _by_id),
    "activity": (
        "activities",
        an_activity(participant_ids=("E0002", "E0001"), substitutes_needed=2),
        _by_id,
    ),
    "cost entry": ("economy", a_cost_entry(amount=Money(-987_654_321_012)), _by_id),
    "budget": (
        "economy", a_budget(amount=Money(12_345_678_901)),
        lambda repo, e: repo.get_budget(e.unit_id, e.year, e.month, e.category),
    ),
    "action": ("actions", an_action(follow_up_on=None, unit_id=None), _by_id),
    "invoice": (
        "billing",
        an_invoice(
            lines=(
                an_invoice_line(),
                an_invoice_line(description="Dubbelassistans", quantity_minutes=None,
                                quantity=-2, amount=Money(-66_200), client_id=None),
            ),
            status=InvoiceStatus.ISSUED, number="2026-0001",
            issued_on=dt.date(2026, 4, 5), due_on=dt.date(2026, 5, 5),
        ),
        _by_id,
    ),
    "rule parameter": (
        "rules",
        a_rule_parameter(valid_to=None),
        lambda repo, e: repo.get((e.key, e.valid_from)),
    ),
}


@pytest.mark.parametrize("method", ["add", "add_many"])
@pytest.mark.parametrize("case", list(CASES))
def test_round_trip(seeded: UowFactory, case: str, method: str) -> None:
    attribute, entity, read = CASES[case]
    with seeded() as uow:
        repo = getattr(uow, attribute)
        if method == "add":
            repo.add(entity)
        else:
            assert repo.add_many([entity]) == 1
        uow.commit()

    with seeded() as uow:
        loaded = read(getattr(uow, attribute), entity)

    assert loaded == entity
    for field in dataclasses.fields(loaded):
        value = getattr(loaded, field.name)
        if isinstance(value, dt.datetime):
            assert value.utcoffset() == dt.timedelta(0)


def test_seeded_entities_round_trip(seeded: UowFactory) -> None:
    with seeded() as uow:
        assert uow.organisation.get_department("D01") == a_department()
        assert uow.organisation.get("U01") == a_unit()
        assert uow.clients.get("C0001") == a_client()
        assert uow.staff.get("E0001") == an_employee()
        assert uow.scheduling.get_group("G0001") == a_group()
        assert uow.clients.get("nope") is None


def test_dst_shift_keeps_real_length_and_utc_instants(seeded: UowFactory) -> None:
    shift = a_shift(id="S0009", start=stockholm(2026, 3, 28, 22), end=stockholm(2026, 3, 29, 7))
    with seeded() as uow:
        uow.scheduling.add(shift)
        uow.commit()
    with seeded() as uow:
        loaded = uow.scheduling.get("S0009")
        row = uow.session.get(PlannedShiftRow, "S0009")
        assert row is not None
        stored = (row.paid_minutes, row.starts_on)
        found = uow.scheduling.shifts_of_group(
            "G0001", stockholm(2026, 3, 28, 21, 59), stockholm(2026, 3, 28, 22, 1)
        )
    assert loaded is not None
    assert loaded.start == dt.datetime(2026, 3, 28, 21, tzinfo=UTC)
    assert loaded.end == dt.datetime(2026, 3, 29, 5, tzinfo=UTC)
    assert loaded.length.value == 8 * 60
    assert stored == (480, dt.date(2026, 3, 28))
    assert [s.id for s in found] == ["S0009"]


def test_naive_datetimes_are_refused(seeded: UowFactory) -> None:
    with seeded() as uow:
        uow.session.add(
            PlannedShiftRow(
                id="S0666", group_id="G0001", start_at=dt.datetime(2026, 3, 2, 7),
                end_at=dt.datetime(2026, 3, 2, 15), starts_on=dt.date(2026, 3, 2),
                kind=ShiftKind.ORDINARY, status=ShiftStatus.PUBLISHED, break_minutes=0,
                paid_minutes=480, is_double=False,
            )
        )
        with pytest.raises(StatementError) as raised:
            uow.session.flush()
    assert isinstance(raised.value.orig, NaiveDatetimeError)


def test_bulk_add_many_and_period_queries(seeded: UowFactory) -> None:
    first = stockholm(2026, 1, 1, 7)
    shifts = [
        a_shift(
            id=f"S{i:06d}", start=first + dt.timedelta(hours=8 * i),
            end=first + dt.timedelta(hours=8 * i + 8), employee_id=("E0001", "E0002")[i % 2],
        )
        for i in range(6000)
    ]
    with seeded() as uow:
        assert uow.scheduling.add_many(shifts) == 6000
        uow.commit()
    with seeded() as uow:
        march = uow.scheduling.shifts_of_group(
            "G0001", stockholm(2026, 3, 1), stockholm(2026, 4, 1)
        )
        mine = uow.scheduling.shifts_of_employee(
            "E0001", stockholm(2026, 3, 1), stockholm(2026, 4, 1)
        )
        by_day = uow.scheduling.shifts_of_unit_on_days("U01", Period.month(2026, 3))
        assert uow.scheduling.get("S005999") == shifts[-1]
        assert uow.scheduling.shifts.count() == 6000
    expected = [s for s in shifts if stockholm(2026, 3, 1) <= s.start < stockholm(2026, 4, 1)]
    assert march == expected
    assert mine == [s for s in expected if s.employee_id == "E0001"]
    assert len(by_day) == 31 * 3


def test_version_increments_on_update(seeded: UowFactory) -> None:
    with seeded() as uow:
        uow.decisions.add(a_decision())
        uow.commit()
    with seeded() as uow:
        assert uow.decisions.version_of("BE0001") == 1
        assert uow.decisions.update(a_decision(granted_minutes_per_week=4000)) == 2
        uow.commit()
    with seeded() as uow:
        assert uow.decisions.version_of("BE0001") == 2
        loaded = uow.decisions.get("BE0001")
        assert loaded is not None and loaded.granted_minutes_per_week == 4000


def test_version_is_set_by_bulk_insert_too(seeded: UowFactory) -> None:
    with seeded() as uow:
        uow.absences.add_many([an_absence()])
        uow.commit()
    with seeded() as uow:
        assert uow.absences.version_of("A0001") == 1
        assert uow.absences.update(an_absence(extent_percent=25)) == 2


def test_expected_version_mismatch_is_refused(seeded: UowFactory) -> None:
    with seeded() as uow:
        uow.actions.add(an_action())
        uow.commit()
    with seeded() as uow, pytest.raises(StaleVersionError) as raised:
        uow.actions.update(an_action(measure="Annat"), expected_version=7)
    assert raised.value.code == "concurrency.stale"


def test_concurrent_update_is_refused(seeded: UowFactory) -> None:
    with seeded() as uow:
        uow.scheduling.add(a_shift())
        uow.commit()
    with seeded() as first, seeded() as second:
        assert first.scheduling.get("S0001") is not None
        assert second.scheduling.get("S0001") is not None
        first.scheduling.update(a_shift(employee_id="E0002"))
        first.commit()
        with pytest.raises(StaleVersionError):
            second.scheduling.update(a_shift(employee_id=None))
    with seeded() as uow:
        loaded = uow.scheduling.get("S0001")
        assert loaded is not None and loaded.employee_id == "E0002"
        assert uow.scheduling.version_of("S0001") == 2


def test_attested_time_entry_is_immutable(seeded: UowFactory) -> None:
    entry = a_time_entry()
    attested = entry.attest(by="chef.anna", at=stockholm(2026, 3, 3, 9))
    with seeded() as uow:
        uow.time_reports.add(entry)
        uow.commit()
    with seeded() as uow:
        assert uow.time_reports.update(attested) == 2
        uow.commit()
    with seeded() as uow:
        with pytest.raises(DomainError) as raised:
            uow.time_reports.update(dataclasses.replace(attested, comment="ändrad"))
        assert raised.value.code == "time.attested_immutable"
        with pytest.raises(DomainError):
            uow.time_reports.delete(attested.id)
        correction = attested.correction(
            new_id="TE0002", start=entry.start, end=stockholm(2026, 3, 2, 16),
            break_minutes=0, reported_on=dt.date(2026, 3, 4),
        )
        uow.time_reports.add(correction)
        uow.commit()
    with seeded() as uow:
        assert uow.time_reports.get("TE0001") == attested
        both = uow.time_reports.of_employee("E0001", stockholm(2026, 3, 1), stockholm(2026, 4, 1))
        assert [e.id for e in both] == ["TE0001", "TE0002"]


def test_draft_invoice_updates_and_issued_invoice_is_immutable(seeded: UowFactory) -> None:
    draft = an_invoice()
    with seeded() as uow:
        uow.billing.add(draft)
        uow.commit()
    extended = draft.with_line(an_invoice_line(description="Extra", amount=Money(100)))
    issued = extended.issue(number="2026-0042", on=dt.date(2026, 4, 1), payment_days=30)
    with seeded() as uow:
        assert uow.billing.update(extended) == 2
        assert uow.billing.update(issued) == 3
        uow.commit()
    with seeded() as uow:
        assert uow.billing.get("F0001") == issued
        assert uow.billing.by_number("2026-0042") == issued
        with pytest.raises(DomainError) as raised:
            uow.billing.update(dataclasses.replace(issued, recipient="Någon annan"))
        assert raised.value.code == "invoice.issued_immutable"
        credit = issued.credit_note(new_id="F0002")
        uow.billing.add(credit)
        uow.commit()
    with seeded() as uow:
        assert uow.billing.credit_notes_of("F0001") == [credit]
        assert uow.billing.get("F0002") == credit


def test_activity_participants_can_be_replaced(seeded: UowFactory) -> None:
    with seeded() as uow:
        uow.activities.add(an_activity(participant_ids=("E0001", "E0002")))
        uow.commit()
    with seeded() as uow:
        uow.activities.update(an_activity(participant_ids=("E0002",)))
        uow.staff.update(an_employee(skills=frozenset({"lyft"})))
        uow.commit()
    with seeded() as uow:
        assert uow.activities.get("AC0001") == an_activity(participant_ids=("E0002",))
        employee = uow.staff.get("E0001")
        assert employee is not None and employee.skills == frozenset({"lyft"})
        found = uow.activities.of_employee("E0002", stockholm(2026, 3, 1), stockholm(2026, 4, 1))
        assert [a.id for a in found] == ["AC0001"]


@pytest.mark.parametrize(
    "write",
    [
        lambda uow: uow.clients.add(a_client(id="C0009", pseudonym="B-0009", unit_id="NOPE")),
        lambda uow: uow.scheduling.add_many([a_shift(id="S0009", group_id="NOPE")]),
        lambda uow: uow.time_reports.add(a_time_entry(employee_id="NOPE")),
        lambda uow: uow.organisation.add(a_unit(id="U09", manager_employee_id="NOPE")),
    ],
    ids=["client-unit", "shift-group-bulk", "entry-employee", "deferred-unit-manager"],
)
def test_foreign_keys_are_enforced(seeded: UowFactory, write: Callable[[UnitOfWork], None]) -> None:
    with seeded() as uow, pytest.raises(IntegrityError):
        write(uow)
        uow.commit()


def test_unique_rule_parameter_key_and_date(seeded: UowFactory) -> None:
    with seeded() as uow, pytest.raises(IntegrityError):
        uow.rules.add_many([a_rule_parameter(), a_rule_parameter(value=1)])
        uow.commit()


def test_uow_rolls_back_without_commit_and_on_error(seeded: UowFactory) -> None:
    with seeded() as uow:
        uow.providers.add(a_provider(id="P09"))
    with pytest.raises(RuntimeError), seeded() as uow:
        uow.providers.add(a_provider(id="P10"))
        uow.session.flush()
        raise RuntimeError("boom")
    with seeded() as uow:
        assert uow.providers.get("P09") is None
        assert uow.providers.get("P10") is None
        assert [p.id for p in uow.providers.all()] == ["P01"]


def test_list_queries(seeded: UowFactory) -> None:
    with seeded() as uow:
        uow.organisation.add(a_unit(id="U02", name="Korttids"))
        uow.clients.add(a_client(id="C0002", pseudonym="B-0002", unit_id="U02"))
        uow.decisions.add_many([
            a_decision(),
            a_decision(id="BE0002", period=Period(dt.date(2025, 1, 1), dt.date(2026, 1, 1))),
            a_decision(id="BE0003", client_id="C0002"),
        ])
        uow.absences.add_many([
            an_absence(),
            an_absence(id="A0002", period=Period(dt.date(2026, 4, 1), dt.date(2026, 4, 3))),
        ])
        uow.economy.add_many([
            a_cost_entry(),
            a_cost_entry(id="K0002", booked_on=dt.date(2026, 4, 1)),
            a_cost_entry(id="K0003", amount=Money(100)),
            a_budget(), a_budget(month=4), a_budget(year=2025),
        ])
        uow.rules.add_many([a_rule_parameter(), a_rule_parameter(
            valid_from=dt.date(2027, 1, 1), valid_to=None, value=34_000)])
        uow.commit()
    with seeded() as uow:
        assert [u.id for u in uow.organisation.units_of_department("D01")] == ["U01", "U02"]
        assert [c.id for c in uow.clients.of_unit("U02")] == ["C0002"]
        assert uow.clients.by_identity(a_client().identity) == a_client()
        active = uow.decisions.active_for_client("C0001", dt.date(2026, 3, 1))
        assert [d.id for d in active] == ["BE0001"]
        assert [d.id for d in uow.decisions.active_in_unit("U01", dt.date(2025, 6, 1))] == [
            "BE0002"
        ]
        march = uow.absences.overlapping(Period.month(2026, 3), unit_id="U01")
        assert [a.id for a in march] == ["A0001"]
        assert [e.id for e in uow.economy.entries_of_month("U01", 2026, 3)] == ["K0001", "K0003"]
        totals = uow.economy.totals_by_category("U01", 2026, 3)
        assert totals == {a_cost_entry().category: Money(a_cost_entry().amount.ore + 100)}
        assert [b.month for b in uow.economy.budgets_of_unit("U01", 2026)] == [3, 4]
        book = uow.rules.rule_book()
        assert book.money("fk.schablon_per_hour", dt.date(2027, 3, 1)) == Money(34_000)
        assert [e.id for e in uow.staff.of_unit("U01", employed_on=dt.date(2026, 1, 1))] == [
            "E0001", "E0002"
        ]
