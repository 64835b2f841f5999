"""Sick leave and VAB: short and long spells, frequent absentees, a few long-term cases.

Calibrated to about 8–10 % of contracted time for care staff: most people have three to
five short spells a year (one to seven days) and the odd medium one (8–30 days); about
one in ten is frequently absent (six or more occasions in twelve months, the municipal
trigger for a rehabilitation talk); about one in ten has a long spell of 61–180 days,
some at half extent. A third of the staff also have VAB days. Vacation is not modelled.
"""

from __future__ import annotations

import datetime as dt
import math
import random

from insats.domain.absence import Absence, AbsenceKind
from insats.domain.common import Period
from insats.domain.staff import Employee, EmploymentForm, Position

CARE_POSITIONS = frozenset({Position.ASSISTANT, Position.CARER_RELATIVE, Position.CARE_WORKER})


def _short_length(rng: random.Random) -> int:
    return rng.choices((1, 2, 3, 4, 5, 6, 7), weights=(30, 25, 20, 9, 7, 5, 4))[0]


def build_absences(rng: random.Random, employees: list[Employee], start: dt.date,
                   as_of: dt.date) -> list[Absence]:
    """Absences from ``start`` until ``as_of`` (a spell may run past it)."""
    absences: list[Absence] = []
    horizon = (as_of - start).days
    if horizon <= 0:
        return absences
    years = horizon / 365
    for employee in employees:
        if employee.employment_form is EmploymentForm.HOURLY:
            continue
        if employee.position not in CARE_POSITIONS and rng.random() < 0.5:
            continue
        profile = rng.random()
        frequent = profile < 0.10
        long_term = 0.10 <= profile < 0.20
        spells: list[tuple[int, int, AbsenceKind, int]] = []  # offset, days, kind, extent
        if long_term:
            length = rng.randint(61, 180)
            offset = rng.randint(0, max(0, horizon - 30))
            spells.append((offset, length, AbsenceKind.SICK, rng.choice((100, 100, 100, 50))))
        rate = 10.0 if frequent else 5.5
        for _ in range(_poisson(rng, rate * years)):
            spells.append((rng.randint(0, horizon - 1), _short_length(rng), AbsenceKind.SICK,
                           100))
        for _ in range(_poisson(rng, 0.6 * years)):
            spells.append((rng.randint(0, horizon - 1), rng.randint(8, 30), AbsenceKind.SICK,
                           100))
        if rng.random() < 0.35:
            for _ in range(_poisson(rng, 3.0 * years)):
                spells.append((rng.randint(0, horizon - 1), rng.randint(1, 3),
                               AbsenceKind.CARE_OF_CHILD, 100))
        spells.sort()
        free_from = -1
        for offset, length, kind, extent in spells:
            if offset <= free_from:
                continue
            first = start + dt.timedelta(days=offset)
            period = Period(first, first + dt.timedelta(days=length))
            absences.append(Absence(
                id="", employee_id=employee.id, kind=kind, period=period,
                extent_percent=extent,
                medical_certificate=kind is AbsenceKind.SICK and length > 7,
            ))
            free_from = offset + length + 1
    absences.sort(key=lambda a: (a.period.start, a.employee_id))
    return [Absence(id=f"F{n:05d}", employee_id=a.employee_id, kind=a.kind, period=a.period,
                    extent_percent=a.extent_percent, medical_certificate=a.medical_certificate)
            for n, a in enumerate(absences, start=1)]


def _poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method; fine for the small means used here."""
    if mean <= 0:
        return 0
    limit = math.exp(-mean)
    count, product = 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count
