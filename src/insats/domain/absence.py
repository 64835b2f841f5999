"""Absence: sick leave, care of a sick child (VAB), vacation, parental leave, other."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from insats.domain.common import DomainError, Period
from insats.domain.staff import Employee, EmploymentForm

DAYS_PER_WEEK = 7
WHOLE = 100  # extent percent of a full-day absence


class AbsenceKind(StrEnum):
    SICK = "sjuk"
    CARE_OF_CHILD = "vab"
    VACATION = "semester"
    PARENTAL_LEAVE = "foraldraledig"
    OTHER = "ovrigt"


ABSENCE_LABELS: dict[AbsenceKind, str] = {
    AbsenceKind.SICK: "Sjukfrånvaro",
    AbsenceKind.CARE_OF_CHILD: "Vård av barn",
    AbsenceKind.VACATION: "Semester",
    AbsenceKind.PARENTAL_LEAVE: "Föräldraledighet",
    AbsenceKind.OTHER: "Övrig frånvaro",
}


@dataclass(frozen=True, slots=True)
class Absence:
    """An absence over whole days ``[period.start, period.end)``, at ``extent_percent``."""

    id: str
    employee_id: str
    kind: AbsenceKind
    period: Period
    extent_percent: int = 100
    medical_certificate: bool = False

    def __post_init__(self) -> None:
        if self.period.end is None:
            raise DomainError("absence.open", "Frånvaron behöver ett slutdatum.")
        if self.period.days < 1:
            raise DomainError("absence.empty", "Frånvaron måste omfatta minst en dag.")
        if not 1 <= self.extent_percent <= 100:
            raise DomainError("absence.extent", "Omfattningen ska vara 1–100 %.")

    @property
    def days(self) -> int:
        return self.period.days

    def covers(self, day: dt.date) -> bool:
        return self.period.contains(day)


# --- Sick-leave rate ------------------------------------------------------------------
SICK_LEAVE_RULE_KEY = "sick.employer_period_days"
"""Rule parameter giving the length of the employer period (sjuklöneperioden, dag 1–14)."""


@dataclass(frozen=True, slots=True)
class SickLeaveTally:
    """Contracted and sick minutes of a group of employees over a period.

    ``short_term_sick_minutes`` is the part of ``sick_minutes`` on days 1–N of a sick spell
    (N = ``sick.employer_period_days``); the rest is long-term sick leave.
    """

    contracted_minutes: int
    sick_minutes: int
    short_term_sick_minutes: int

    @property
    def long_term_sick_minutes(self) -> int:
        return self.sick_minutes - self.short_term_sick_minutes

    @property
    def rate(self) -> float | None:
        """Sick minutes / contracted minutes; None when there is no contracted time."""
        if self.contracted_minutes == 0:
            return None
        return self.sick_minutes / self.contracted_minutes

    @property
    def short_term_rate(self) -> float | None:
        if self.contracted_minutes == 0:
            return None
        return self.short_term_sick_minutes / self.contracted_minutes


def tally_sick_leave(
    employees: Iterable[Employee],
    absences: Iterable[Absence],
    period: Period,
    *,
    employer_period_days: int,
) -> SickLeaveTally:
    """Sick leave of ``employees`` over the closed ``period``, the way municipalities report
    it: *sjukfrånvaro i procent av ordinarie arbetstid* — sick-absence time as a share of
    the contracted working time of monthly and fixed-term staff. Sick-pay periods and the
    employer period (dag 1–14) follow Sjuklönelagen (1991:1047), domain-rules.md §5.

    Definition, in calendar days so that no roster is needed:

    - Only monthly paid staff (tillsvidare, visstid) count. Hourly substitutes
      (``EmploymentForm.HOURLY``) have no contracted time and contribute nothing.
    - Contracted (ordinary) time = ``contracted_minutes_per_week`` × the days of ``period``
      on which the employee is employed / 7.
    - Sick time = for each ``SICK`` absence, ``contracted_minutes_per_week`` / 7 × each
      day it covers inside ``period`` and the employment × ``extent_percent`` / 100.
      Overlapping sick absences of one employee count at most 100 % of a day.
    - Short-term sick time = the part on days 1–``employer_period_days`` of a spell,
      counted from the absence's own start date (also when that is before ``period``).
      The relapse rule (7 § 3 st. SjLL) is not applied: each absence is its own spell.
    - Absences of employees not in ``employees`` and other absence kinds are ignored.

    Sums are kept exact in integers (minutes × 7 × 100) and rounded half up once, to whole
    minutes, at the end.

    Args:
        employer_period_days: the rule parameter ``sick.employer_period_days`` in force
            (14: sjuklön dag 1–14, sjukpenning from FK dag 15).
    """
    if period.end is None:
        raise DomainError("period.open", "Sjukfrånvaron räknas över en avslutad period.")
    staff: dict[str, tuple[int, Period]] = {}
    contracted = 0
    for employee in employees:
        if employee.employment_form is EmploymentForm.HOURLY:
            continue
        employed = employee.employed.intersection(period)
        if employed is None:
            continue
        per_week = employee.contracted_minutes_per_week.value
        staff[employee.id] = (per_week, employed)
        contracted += per_week * employed.days * WHOLE

    # per employee and day: [sum of extents, sum of extents within days 1–N of a spell]
    days: dict[tuple[str, dt.date], list[int]] = defaultdict(lambda: [0, 0])
    for absence in absences:
        if absence.kind is not AbsenceKind.SICK or absence.employee_id not in staff:
            continue
        _, employed = staff[absence.employee_id]
        overlap = absence.period.intersection(employed)
        if overlap is None:
            continue
        short_end = absence.period.start + dt.timedelta(days=employer_period_days)
        for day in overlap.iter_days():
            extents = days[(absence.employee_id, day)]
            extents[0] += absence.extent_percent
            if day < short_end:
                extents[1] += absence.extent_percent

    sick = short = 0
    for (employee_id, _), (extent, short_extent) in days.items():
        per_week = staff[employee_id][0]
        day_extent = min(extent, WHOLE)
        sick += per_week * day_extent
        short += per_week * min(short_extent, day_extent)
    return SickLeaveTally(
        contracted_minutes=_round(contracted),
        sick_minutes=_round(sick),
        short_term_sick_minutes=_round(short),
    )


def tally_by_unit(
    employees: Iterable[Employee],
    absences: Iterable[Absence],
    period: Period,
    *,
    employer_period_days: int,
) -> dict[str, SickLeaveTally]:
    """:func:`tally_sick_leave` per ``home_unit_id`` (units without employees are absent).

    Each unit is rounded on its own, so unit figures may not add up to the department's
    tally by a minute or so.
    """
    staff_of: dict[str, list[Employee]] = defaultdict(list)
    for employee in employees:
        staff_of[employee.home_unit_id].append(employee)
    unit_of = {e.id: unit for unit, staff in staff_of.items() for e in staff}
    absences_of: dict[str, list[Absence]] = defaultdict(list)
    for absence in absences:
        unit = unit_of.get(absence.employee_id)
        if unit is not None:
            absences_of[unit].append(absence)
    return {
        unit: tally_sick_leave(
            staff, absences_of[unit], period, employer_period_days=employer_period_days
        )
        for unit, staff in sorted(staff_of.items())
    }


def _round(exact: int) -> int:
    """Minutes × 7 × 100 → whole minutes, half up."""
    scale = DAYS_PER_WEEK * WHOLE
    return (exact + scale // 2) // scale
