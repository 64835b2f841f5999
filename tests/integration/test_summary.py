"""unit_headlines on a small hand-built dataset with exact expected figures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from insats.db.repositories.summary import UnitHeadline, unit_headlines
from insats.domain.absence import AbsenceKind
from insats.domain.common import Period
from insats.domain.decisions import DecidedBy, Insats, LegalBasis, Payer
from insats.domain.organisation import UnitKind
from insats.domain.scheduling import ShiftStatus
from insats.domain.time_reports import TimeEntryStatus, TimeKind
from insats.services.uow import UnitOfWork
from tests.builders import (
    a_client,
    a_decision,
    a_department,
    a_group,
    a_provider,
    a_shift,
    a_time_entry,
    a_unit,
    an_absence,
    an_employee,
    an_hourly_substitute,
    stockholm,
)

ON = dt.date(2026, 3, 15)
MONTH = (2026, 3)


def _shift(id: str, group: str, employee: str, start: dt.datetime, hours: float,
           **extra: object) -> object:
    return a_shift(id=id, group_id=group, employee_id=employee, start=start,
                   end=start + dt.timedelta(hours=hours), **extra)


def build_dataset(uow: UnitOfWork) -> None:
    uow.organisation.add_many([
        a_department(),
        a_unit(id="U01", name="Assistans Norr"),
        a_unit(id="U02", name="Korttids Väster", kind=UnitKind.SHORT_TERM_STAY, places=6),
        a_unit(id="U03", name="Tom enhet", kind=UnitKind.CONTACT_PERSONS),
    ])
    uow.providers.add(a_provider())
    uow.clients.add_many([
        a_client(id="C1", pseudonym="B-1"),
        a_client(id="C2", pseudonym="B-2"),
        a_client(id="C3", pseudonym="B-3", unit_id="U02"),
        a_client(id="C4", pseudonym="B-4", unit_id="U03"),  # no active decision
    ])
    lss = {"legal_basis": LegalBasis.LSS, "decided_by": DecidedBy.MUNICIPALITY,
           "payer": Payer.MUNICIPALITY}
    uow.decisions.add_many([
        a_decision(id="D1", client_id="C1", granted_minutes_per_week=3600),
        a_decision(id="D1old", client_id="C1", granted_minutes_per_week=1000,
                   period=Period(dt.date(2025, 1, 1), dt.date(2026, 1, 1))),
        a_decision(id="D2", client_id="C2", granted_minutes_per_week=1200),
        a_decision(id="D2b", client_id="C2", insats=Insats.RELIEF_SERVICE,
                   granted_minutes_per_week=300, **lss),
        a_decision(id="D3", client_id="C3", insats=Insats.SHORT_TERM_STAY,
                   granted_minutes_per_week=None, **lss),
        a_decision(id="D4", client_id="C4", insats=Insats.CONTACT_PERSON,
                   granted_minutes_per_week=None,
                   period=Period(dt.date(2026, 4, 1)), **lss),
    ])
    uow.staff.add_many([
        an_employee(id="E1", employment_percent=100),
        an_employee(id="E2", employment_percent=75),
        an_hourly_substitute(id="E3"),
        an_employee(id="E4", employment_percent=100,
                    employed=Period(dt.date(2020, 1, 1), dt.date(2026, 2, 1))),
        an_employee(id="E5", home_unit_id="U02", employment_percent=50),
    ])
    uow.scheduling.add_many([
        a_group(id="G1", unit_id="U01", client_id="C1"),
        a_group(id="G2", unit_id="U02", client_id=None),
    ])
    uow.scheduling.add_many([
        _shift("S1", "G1", "E1", stockholm(2026, 3, 2, 7), 8),  # 480, E1 sick 100 %
        _shift("S2", "G1", "E2", stockholm(2026, 3, 3, 7), 8, break_minutes=30),  # 450, 50 %
        _shift("S3", "G1", "E1", stockholm(2026, 3, 10, 7), 8,
               status=ShiftStatus.CANCELLED),  # not counted
        _shift("S4", "G1", "E1", stockholm(2026, 3, 31, 22), 9),  # 540, starts in March
        _shift("S5", "G1", "E2", stockholm(2026, 3, 1, 0, 30), 6),  # 360, 28 Feb in UTC
        _shift("S6", "G1", "E2", stockholm(2026, 2, 28, 23), 1),  # February: not counted
        _shift("S7", "G1", "E1", stockholm(2026, 4, 1, 7), 8),  # April: not counted
        _shift("S8", "G2", "E5", stockholm(2026, 3, 5, 8), 8),  # 480
    ])
    uow.absences.add_many([
        an_absence(id="A1", employee_id="E1",
                   period=Period(dt.date(2026, 3, 2), dt.date(2026, 3, 3))),
        an_absence(id="A2", employee_id="E2", extent_percent=50,
                   period=Period(dt.date(2026, 3, 3), dt.date(2026, 3, 5))),
        an_absence(id="A3", employee_id="E2", kind=AbsenceKind.VACATION,
                   period=Period(dt.date(2026, 3, 1), dt.date(2026, 3, 2))),
    ])
    uow.time_reports.add_many([
        a_time_entry(id="T1", employee_id="E1", group_id="G1", client_id="C1",
                     start=stockholm(2026, 3, 2, 7), end=stockholm(2026, 3, 2, 15)),  # 480
        a_time_entry(id="T2", employee_id="E2", group_id="G1", client_id="C1",
                     kind=TimeKind.OVERTIME,
                     start=stockholm(2026, 3, 3, 7), end=stockholm(2026, 3, 3, 15),
                     break_minutes=30, status=TimeEntryStatus.ATTESTED,
                     attested_at=stockholm(2026, 3, 4, 9), attested_by="chef"),  # 450
        a_time_entry(id="T3", employee_id="E1", group_id="G1", client_id="C1",
                     kind=TimeKind.OVERTIME,
                     status=TimeEntryStatus.REJECTED,
                     start=stockholm(2026, 3, 4, 7), end=stockholm(2026, 3, 4, 9)),
        a_time_entry(id="T4", employee_id="E1", group_id="G1", client_id="C1",
                     start=stockholm(2026, 4, 1, 7), end=stockholm(2026, 4, 1, 9)),
        a_time_entry(id="T5", employee_id="E5", group_id="G2", client_id=None,
                     kind=TimeKind.EXTRA,
                     start=stockholm(2026, 3, 5, 8), end=stockholm(2026, 3, 5, 16)),  # 480
    ])


def test_unit_headlines(uow_factory: Callable[[], UnitOfWork]) -> None:
    with uow_factory() as uow:
        build_dataset(uow)
        uow.commit()
    with uow_factory() as uow:
        headlines = unit_headlines(uow.session, on=ON, month=MONTH)

    assert headlines == [
        UnitHeadline(
            unit_id="U01", unit_name="Assistans Norr", unit_kind=UnitKind.PERSONAL_ASSISTANCE,
            clients_with_decision=2, granted_minutes_per_week=3600 + 1200 + 300,
            employees=3, fte=1.75,
            performed_minutes=480 + 450, overtime_minutes=450,
            scheduled_minutes=480 + 450 + 540 + 360, sick_minutes=480 + 225,
        ),
        UnitHeadline(
            unit_id="U02", unit_name="Korttids Väster", unit_kind=UnitKind.SHORT_TERM_STAY,
            clients_with_decision=1, granted_minutes_per_week=0,
            employees=1, fte=0.5,
            performed_minutes=480, overtime_minutes=0,
            scheduled_minutes=480, sick_minutes=0,
        ),
        UnitHeadline(
            unit_id="U03", unit_name="Tom enhet", unit_kind=UnitKind.CONTACT_PERSONS,
            clients_with_decision=0, granted_minutes_per_week=0,
            employees=0, fte=0.0,
            performed_minutes=0, overtime_minutes=0,
            scheduled_minutes=0, sick_minutes=0,
        ),
    ]
    assert headlines[0].sick_leave_rate == pytest.approx(705 / 1830)
    assert headlines[2].sick_leave_rate == 0.0


def test_unit_headlines_on_empty_database(uow_factory: Callable[[], UnitOfWork]) -> None:
    with uow_factory() as uow:
        assert unit_headlines(uow.session, on=ON, month=MONTH) == []
