"""A small department with twelve weeks of cover history for the pool-simulation tests.

Reported time runs from Wednesday 7 January to 31 March 2026, so with "today" in April
the history is exactly twelve whole weeks ending 1 April. Every Wednesday of week ``n``:
E0001 works 8 h of their own shifts (not cover), the pool substitute P1 8 h (pool),
C1 — a monthly employee of another unit — 4 h (a colleague's free contracted hours),
the part-timer E0005 2 h mertid, and on the Saturday E0002 1 h overtime. Besides: a
rejected overtime entry, an attested pool entry of 6 h corrected to 5 h, an unstaffed
published shift of 6 h, and an unstaffed shift that was only proposed.

Recorded over the twelve weeks: pool 12 × 480 + 300 = 6 060 min, colleague 2 880,
mertid 1 440, overtime 720, uncovered 360.
"""

from __future__ import annotations

import datetime as dt

from insats.domain.absence import AbsenceKind
from insats.domain.common import Money, Period
from insats.domain.scheduling import ShiftStatus
from insats.domain.time_reports import TimeEntry, TimeEntryStatus, TimeKind
from insats.services.rules import add_missing_bundled_parameters
from insats.services.uow import UnitOfWork
from tests.builders import (
    a_client,
    a_department,
    a_group,
    a_membership,
    a_provider,
    a_shift,
    a_time_entry,
    a_unit,
    an_absence,
    an_employee,
    an_hourly_substitute,
    stockholm,
)

FIRST = dt.date(2026, 1, 7)
WEEKS = 12
TODAY = dt.date(2026, 4, 15)
RECORDED = {"vikariepool": 6060, "kollega": 2880, "mertid": 1440, "overtid": 720,
            "otackt": 360}


def _entry(id: str, employee: str, day: dt.date, hour: int, hours: float,
           kind: TimeKind = TimeKind.ORDINARY, **extra: object) -> TimeEntry:
    start = stockholm(day.year, day.month, day.day, hour)
    return a_time_entry(id=id, employee_id=employee, start=start,
                        end=start + dt.timedelta(hours=hours), kind=kind, reported_on=day,
                        **extra)


def build_pool_world(uow: UnitOfWork) -> None:
    """Store the department (bundled rule parameters included); the caller commits."""
    add_missing_bundled_parameters(uow)
    uow.organisation.add_many([a_department(), a_unit(),
                               a_unit(id="U02", name="Korttids", cost_centre="4102")])
    uow.providers.add(a_provider())
    uow.clients.add(a_client())
    since = Period(dt.date(2025, 1, 1))
    uow.staff.add_many([
        *(an_employee(id=f"E000{n}", employment_percent=100,
                      monthly_wage=Money.kronor(30_000)) for n in range(1, 5)),
        an_employee(id="E0005", employment_percent=75, monthly_wage=Money.kronor(22_500)),
        an_employee(id="C1", home_unit_id="U02", employment_percent=100,
                    monthly_wage=Money.kronor(30_000)),
        an_hourly_substitute(id="P1"),
    ])
    uow.scheduling.add_many([a_group(), a_group(id="G2", unit_id="U02", client_id=None,
                                                name="Korttids")])
    uow.scheduling.add_many([
        *(a_membership(employee_id=f"E000{n}", period=since) for n in range(1, 6)),
        a_membership(employee_id="C1", group_id="G2", period=since),
        a_membership(employee_id="P1", period=since, is_regular=False),
    ])
    entries: list[TimeEntry] = []
    for n in range(WEEKS):
        day = FIRST + dt.timedelta(weeks=n)
        entries += [
            _entry(f"O{n}", "E0001", day, 7, 8),
            _entry(f"P{n}", "P1", day, 15, 8),
            _entry(f"C{n}", "C1", day, 9, 4),
            _entry(f"M{n}", "E0005", day, 18, 2, TimeKind.EXTRA),
            _entry(f"V{n}", "E0002", day + dt.timedelta(days=3), 10, 1, TimeKind.OVERTIME),
        ]
    original = _entry("PX", "P1", FIRST + dt.timedelta(days=1), 7, 6,
                      status=TimeEntryStatus.ATTESTED, attested_by="chef",
                      attested_at=stockholm(2026, 2, 1, 9))
    entries += [
        _entry("R1", "E0003", FIRST, 20, 3, TimeKind.OVERTIME, status=TimeEntryStatus.REJECTED),
        original,
        original.correction(new_id="PY", start=original.start,
                            end=original.start + dt.timedelta(hours=5), break_minutes=0,
                            reported_on=FIRST + dt.timedelta(days=2)),
    ]
    uow.time_reports.add_many(entries)
    open_day = FIRST + dt.timedelta(weeks=5)
    uow.scheduling.add_many([
        a_shift(id="S1", employee_id=None, start=stockholm(2026, 2, 11, 7),
                end=stockholm(2026, 2, 11, 13)),
        a_shift(id="S2", employee_id=None, start=stockholm(2026, 2, 12, 7),
                end=stockholm(2026, 2, 12, 13), status=ShiftStatus.PROPOSED),
        a_shift(id="S3", employee_id=None, start=stockholm(2026, 2, 13, 7),
                end=stockholm(2026, 2, 13, 13), status=ShiftStatus.CANCELLED),
    ])
    assert open_day == dt.date(2026, 2, 11)
    uow.absences.add_many([
        an_absence(id=f"A{n}", employee_id=f"E000{1 + n % 4}",
                   kind=AbsenceKind.SICK if n % 3 else AbsenceKind.CARE_OF_CHILD,
                   period=Period(FIRST + dt.timedelta(days=9 * n),
                                 FIRST + dt.timedelta(days=9 * n + 1 + n % 4)))
        for n in range(9)
    ])
