"""unit_headlines on a small hand-built dataset with exact expected figures.

Sick leave is sick time as a share of contracted time (see
``insats.domain.absence.tally_sick_leave``): March 2026 has 31 days, full time is
2400 min/week, so a full-timer's contracted month is 2400 × 31 / 7 min.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from insats.db.repositories.summary import UnitHeadline, unit_headlines
from insats.domain.absence import AbsenceKind
from insats.domain.common import Period
from insats.domain.decisions import DecidedBy, Insats, LegalBasis, Payer
from insats.domain.organisation import UnitKind
from insats.domain.rules import bundled_parameters
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
    uow.providers.add_many([
        a_provider(),  # P01, municipal (egen regi)
        a_provider(id="P02", name="Assistans AB", organisation_number="556677-8899",
                   is_municipal=False),
    ])
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
        a_decision(id="D2", client_id="C2", granted_minutes_per_week=1200,
                   provider_id="P02"),
        a_decision(id="D2b", client_id="C2", insats=Insats.RELIEF_SERVICE,
                   granted_minutes_per_week=300, provider_id="P02", **lss),
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
        an_employee(id="E6", employment_percent=100,
                    employed=Period(dt.date(2026, 3, 16))),  # starts mid-month
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
        # spell 20 Feb – 12 Mar: day 14 = 5 Mar, so 1–5 Mar short-term, 6–12 Mar long-term
        an_absence(id="A4", employee_id="E5",
                   period=Period(dt.date(2026, 2, 20), dt.date(2026, 3, 13))),
        an_absence(id="A5", employee_id="E3",  # hourly substitute: not counted
                   period=Period(dt.date(2026, 3, 2), dt.date(2026, 3, 9))),
        an_absence(id="A6", employee_id="E1",  # February: not counted
                   period=Period(dt.date(2026, 2, 2), dt.date(2026, 2, 9))),
    ])
    uow.rules.add_many([p for p in bundled_parameters()
                        if p.key == "sick.employer_period_days"])
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
            own_clients=1, own_granted_minutes_per_week=3600,  # D2, D2b are private (P02)
            employees=3, fte=1.75,  # E1, E2, E3 on 15 March; E6 starts 16 March
            performed_minutes=480 + 450, overtime_minutes=450, extra_minutes=0,
            # E1 2400 × 31/7 + E2 1800 × 31/7 = 18600; E6 2400 × 16/7 = 5485.71;
            # total 24085.71 → 24086 (E3 hourly and E4, gone since February, add nothing)
            contracted_minutes=24086,
            # E1 1 day × 2400/7 + E2 2 days × 1800/7 × 50 % = (2400 + 1800)/7 = 600,
            # all within days 1–14 of their spells
            sick_minutes=600, short_term_sick_minutes=600,
        ),
        UnitHeadline(
            unit_id="U02", unit_name="Korttids Väster", unit_kind=UnitKind.SHORT_TERM_STAY,
            clients_with_decision=1, granted_minutes_per_week=0,
            own_clients=1, own_granted_minutes_per_week=0,  # D3 grants no weekly minutes
            employees=1, fte=0.5,
            performed_minutes=480, overtime_minutes=0, extra_minutes=480,
            # E5 1200 × 31/7 = 5314.29 → 5314; sick 1–12 Mar: 1200 × 12/7 = 2057.14 → 2057,
            # short-term 1–5 Mar: 1200 × 5/7 = 857.14 → 857
            contracted_minutes=5314, sick_minutes=2057, short_term_sick_minutes=857,
        ),
        UnitHeadline(
            unit_id="U03", unit_name="Tom enhet", unit_kind=UnitKind.CONTACT_PERSONS,
            clients_with_decision=0, granted_minutes_per_week=0,
            own_clients=0, own_granted_minutes_per_week=0,
            employees=0, fte=0.0,
            performed_minutes=0, overtime_minutes=0, extra_minutes=0,
            contracted_minutes=0, sick_minutes=0, short_term_sick_minutes=0,
        ),
    ]
    assert headlines[0].sick_leave_rate == pytest.approx(600 / 24086)
    assert headlines[1].sick_leave_rate == pytest.approx(2057 / 5314)
    assert headlines[2].sick_leave_rate is None


def test_unit_headlines_with_another_employer_period(
    uow_factory: Callable[[], UnitOfWork],
) -> None:
    with uow_factory() as uow:
        build_dataset(uow)
        uow.commit()
    with uow_factory() as uow:
        headlines = unit_headlines(uow.session, on=ON, month=MONTH, employer_period_days=3)
    # E5's spell began 20 Feb, so days 1–3 are all in February: nothing short-term in March.
    assert [(h.sick_minutes, h.short_term_sick_minutes) for h in headlines] == [
        (600, 600), (2057, 0), (0, 0),
    ]


def test_unit_headlines_on_empty_database(uow_factory: Callable[[], UnitOfWork]) -> None:
    with uow_factory() as uow:
        assert unit_headlines(uow.session, on=ON, month=MONTH) == []
