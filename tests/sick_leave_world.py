"""A small department for sick-leave tests: two units with their managers, six one-day
sick occasions for Eva Ek (E1) in 2026, a 90-day spell for Olof Gran (E3) from 20 September
2026, VAB for E2 and a short spell for an hourly substitute (E9)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from insats.domain.absence import Absence, AbsenceKind
from insats.domain.common import Money, Period
from insats.domain.staff import Employee
from insats.services.rules import add_missing_bundled_parameters
from insats.services.uow import UnitOfWork
from tests.builders import a_department, a_unit, an_absence, an_employee, an_hourly_substitute

OCCASIONS_E1 = [dt.date(2026, m, d) for m, d in ((1, 12), (2, 16), (4, 13), (6, 15), (8, 17),
                                                  (10, 5))]


def sick(id: str, employee: str, start: dt.date, days: int, **extra: object) -> Absence:
    return an_absence(id=id, employee_id=employee,
                      period=Period(start, start + dt.timedelta(days=days)), **extra)


def full_time(id: str, unit: str, **extra: object) -> Employee:
    return an_employee(id=id, home_unit_id=unit, employment_percent=100,
                       monthly_wage=Money.kronor(30_000), **extra)


def build_sick_leave_world(uow: UnitOfWork) -> None:
    """Store the department (bundled rule parameters included); the caller commits."""
    add_missing_bundled_parameters(uow)
    uow.organisation.add(a_department())
    units = [a_unit(id="U01", name="Assistans Norr", manager_employee_id="M1"),
             a_unit(id="U02", name="Assistans Söder", cost_centre="4102",
                    manager_employee_id="M2")]
    uow.organisation.add_many([replace(u, manager_employee_id=None) for u in units])
    uow.staff.add_many([
        full_time("E1", "U01", given_name="Eva", family_name="Ek"),
        an_employee(id="E2", home_unit_id="U01", employment_percent=75,
                    monthly_wage=Money.kronor(22_500)),
        an_hourly_substitute(id="E9", home_unit_id="U01"),
        full_time("E3", "U02", given_name="Olof", family_name="Gran"),
        full_time("M1", "U01", given_name="Maja", family_name="Chef"),
        full_time("M2", "U02", given_name="Nils", family_name="Chef"),
    ])
    for unit in units:
        uow.organisation.update(unit)
    uow.absences.add_many([
        *(sick(f"A1-{n}", "E1", day, 1) for n, day in enumerate(OCCASIONS_E1)),
        sick("A2", "E2", dt.date(2026, 10, 6), 2, kind=AbsenceKind.CARE_OF_CHILD),
        sick("A3", "E3", dt.date(2026, 9, 20), 90),  # day 14 = 3 Oct, day 30 = 19 Oct
        sick("A9", "E9", dt.date(2026, 10, 1), 10),  # hourly: not in the rates
    ])
