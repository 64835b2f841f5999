"""Absence: sick leave, care of a sick child (VAB), vacation, parental leave, other."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from insats.domain.common import DomainError, Period


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
