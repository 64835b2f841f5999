"""A small department for the key-figure tests, with every fact chosen so that each
figure can be worked out by hand (tests/integration/test_key_figures_service.py).

U01 "Assistans Norr" (personal assistance): clients C1 and C2 with municipal SFB
decisions of 7 and 14 hours a week, C3 with a private provider's decision; staff E1 (full
time, 30 000 kr), E2 (75 %, 22 500 kr) and the hourly substitute E9. U02 "Korttids
Solgläntan" (short-term stay): one client C4 and one cost. September and October 2026.
"""

from __future__ import annotations

import datetime as dt

from insats.domain.activities import ActivityKind
from insats.domain.common import Money, Period
from insats.domain.decisions import DecidedBy, Insats, LegalBasis, Payer
from insats.domain.economy import AccountCategory as Cat
from insats.domain.organisation import UnitKind
from insats.domain.personnummer import make_identity
from insats.domain.time_reports import TimeKind
from insats.services.rules import add_missing_bundled_parameters
from insats.services.uow import UnitOfWork
from tests.builders import (
    a_budget,
    a_client,
    a_cost_entry,
    a_decision,
    a_department,
    a_group,
    a_provider,
    a_shift,
    a_time_entry,
    a_unit,
    an_absence,
    an_activity,
    an_employee,
    an_hourly_substitute,
    stockholm,
)

TODAY = dt.date(2026, 11, 15)
START, END = dt.date(2026, 9, 1), dt.date(2026, 11, 1)


def _entry(n: int, employee: str, client: str, month: int, day: int, hours: int,
           kind: TimeKind = TimeKind.ORDINARY) -> object:
    group = {"C1": "G1", "C2": "G2"}[client]
    return a_time_entry(id=f"TE{n:03d}", employee_id=employee, group_id=group,
                        client_id=client, start=stockholm(2026, month, day, 8),
                        end=stockholm(2026, month, day, 8 + hours), kind=kind,
                        reported_on=dt.date(2026, month, day))


def _booked(n: int, unit: str, category: Cat, day: dt.date, kronor: int) -> object:
    return a_cost_entry(id=f"K{n:03d}", unit_id=unit, cost_centre="4101", category=category,
                        booked_on=day, amount=Money.kronor(kronor), description="Test")


def build_figures_world(uow: UnitOfWork) -> None:
    """Store the department; the caller commits."""
    add_missing_bundled_parameters(uow)
    uow.organisation.add(a_department())
    uow.organisation.add_many([
        a_unit(id="U01", name="Assistans Norr"),
        a_unit(id="U02", name="Korttids Solgläntan", kind=UnitKind.SHORT_TERM_STAY,
               cost_centre="4102")])
    uow.providers.add_many([a_provider(id="P01"),
                            a_provider(id="P02", name="Privat assistans AB",
                                       organisation_number="556000-0001",
                                       is_municipal=False)])
    uow.clients.add_many([
        a_client(id=f"C{n}", pseudonym=f"B-000{n}", unit_id=unit,
                 identity=make_identity(dt.date(1980 + n, 1, 1), 100 + n))
        for n, unit in ((1, "U01"), (2, "U01"), (3, "U01"), (4, "U02"))])
    uow.decisions.add_many([
        a_decision(id="BE1", client_id="C1", granted_minutes_per_week=7 * 60),
        a_decision(id="BE2", client_id="C2", granted_minutes_per_week=14 * 60),
        a_decision(id="BE3", client_id="C3", provider_id="P02", granted_minutes_per_week=600),
        a_decision(id="BE4", client_id="C4", legal_basis=LegalBasis.LSS,
                   insats=Insats.SHORT_TERM_STAY, decided_by=DecidedBy.MUNICIPALITY,
                   payer=Payer.MUNICIPALITY, granted_minutes_per_week=None),
    ])
    uow.staff.add_many([
        an_employee(id="E1", employment_percent=100, monthly_wage=Money.kronor(30_000)),
        an_employee(id="E2", employment_percent=75, monthly_wage=Money.kronor(22_500)),
        an_hourly_substitute(id="E9"),
    ])
    uow.scheduling.add_many([a_group(id="G1", client_id="C1", name="Grupp B-0001"),
                             a_group(id="G2", client_id="C2", name="Grupp B-0002")])
    # a published shift with no time report: 6 hours of FK revenue at risk in September
    uow.scheduling.add(a_shift(id="S1", group_id="G1", employee_id="E2",
                               start=stockholm(2026, 9, 20, 8), end=stockholm(2026, 9, 20, 14)))
    uow.time_reports.add_many([
        # September: C1 40 h by E1 (3 × 8) and E2 (2 × 8); C2 20 h by E2
        *(_entry(n, "E1", "C1", 9, day, 8) for n, day in ((1, 7), (2, 9), (3, 11))),
        *(_entry(n, "E2", "C1", 9, day, 8) for n, day in ((4, 8), (5, 10))),
        *(_entry(n, "E2", "C2", 9, day, 10) for n, day in ((6, 14), (7, 15))),
        # October: C1 16 h by E1 and E2; C2 8 h by the substitute E9 and 2 h overtime by E1
        _entry(8, "E1", "C1", 10, 5, 8), _entry(9, "E2", "C1", 10, 6, 8),
        _entry(10, "E9", "C2", 10, 7, 8), _entry(11, "E1", "C2", 10, 7, 2, TimeKind.OVERTIME),
    ])
    # E1 sick 1–20 September: days 1–14 short, days 15–20 long
    uow.absences.add(an_absence(id="A1", employee_id="E1",
                                period=Period(dt.date(2026, 9, 1), dt.date(2026, 9, 21))))
    uow.activities.add(an_activity(id="AC1", kind=ActivityKind.WORKPLACE_MEETING,
                                   start=stockholm(2026, 9, 10, 13), duration_minutes=120,
                                   participant_ids=("E1", "E2")))
    sep, oct_ = dt.date(2026, 9, 30), dt.date(2026, 10, 31)
    uow.economy.add_many([
        _booked(1, "U01", Cat.WAGES, dt.date(2026, 3, 31), 640_000),  # January–August
        _booked(2, "U01", Cat.WAGES, sep, 100_000),
        _booked(3, "U01", Cat.SOCIAL_FEES, sep, 40_000),
        _booked(4, "U01", Cat.PREMISES, sep, 10_000),
        _booked(5, "U01", Cat.FK_REVENUE, sep, 60_000),
        _booked(6, "U01", Cat.WAGES, oct_, 100_000),
        _booked(7, "U01", Cat.SOCIAL_FEES, oct_, 40_000),
        _booked(8, "U01", Cat.OVERTIME, oct_, 5_000),
        _booked(9, "U01", Cat.SUBSTITUTES, oct_, 2_000),
        _booked(10, "U01", Cat.FK_REVENUE, oct_, 50_000),
        _booked(11, "U01", Cat.SALES_REVENUE, oct_, 3_000),
        _booked(12, "U02", Cat.WAGES, sep, 10_000),
        *(a_budget(unit_id="U01", month=m, category=c, amount=Money.kronor(k))
          for m in range(1, 13) for c, k in ((Cat.WAGES, 90_000), (Cat.FK_REVENUE, 10_000))),
    ])
