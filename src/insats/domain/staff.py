"""Employees: employment form, agreement, degree, wage, and the anhörigvårdare link."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from insats.domain.common import DomainError, Minutes, Money, Period


class EmploymentForm(StrEnum):
    PERMANENT = "tillsvidare"  # monthly paid, until further notice
    FIXED_TERM = "visstid"  # fixed term, e.g. PAN tied to one client
    HOURLY = "timvikarie"  # hourly substitute with no guaranteed hours


class Agreement(StrEnum):
    AB = "AB"
    AB_BILAGA_J = "AB_bilaga_J"
    PAN = "PAN"


class Position(StrEnum):
    ASSISTANT = "personlig_assistent"
    CARER_RELATIVE = "anhorigvardare"
    CARE_WORKER = "stodassistent"  # korttidsvistelse, korttidstillsyn, resursenhet
    UNIT_MANAGER = "enhetschef"
    DEPARTMENT_HEAD = "avdelningschef"
    SCHEDULER = "samordnare"
    METHOD_DEVELOPER = "metodutvecklare"
    SECRETARY = "kontaktsekreterare"
    CONTROLLER = "ekonom"


POSITION_LABELS: dict[Position, str] = {
    Position.ASSISTANT: "Personlig assistent",
    Position.CARER_RELATIVE: "Anhörigvårdare",
    Position.CARE_WORKER: "Stödassistent",
    Position.UNIT_MANAGER: "Enhetschef",
    Position.DEPARTMENT_HEAD: "Avdelningschef",
    Position.SCHEDULER: "Samordnare",
    Position.METHOD_DEVELOPER: "Metodutvecklare",
    Position.SECRETARY: "Kontaktsekreterare",
    Position.CONTROLLER: "Ekonom",
}

FULL_PERCENT = 100


@dataclass(frozen=True, slots=True)
class Employee:
    """A member of staff.

    Attributes:
        employment_percent: tjänstgöringsgrad 0–100 (0 for an hourly substitute).
        full_time_minutes_per_week: the agreement's full-time week (e.g. 40 h = 2400).
        monthly_wage: for monthly paid staff; hourly_wage for hourly paid.
        related_client_id: for an anhörigvårdare, the client they are related to and may
            work for (PAN: OB and jour are included in the hourly wage).
        resides_outside_eea: lives outside the EES; FK then pays for their time only when
            särskilda skäl are approved (``outside_eea_approved``; 51 kap. 16 § SFB, since
            2013-07-01, domain-rules §1.7).
    """

    id: str
    given_name: str
    family_name: str
    home_unit_id: str
    position: Position
    employment_form: EmploymentForm
    agreement: Agreement
    employment_percent: int
    full_time_minutes_per_week: int
    employed: Period
    monthly_wage: Money | None = None
    hourly_wage: Money | None = None
    related_client_id: str | None = None
    skills: frozenset[str] = field(default_factory=frozenset)
    in_substitute_pool: bool = False
    resides_outside_eea: bool = False
    outside_eea_approved: bool = False

    def __post_init__(self) -> None:
        if not 0 <= self.employment_percent <= FULL_PERCENT:
            raise DomainError(
                "employee.percent", "Tjänstgöringsgraden måste vara mellan 0 och 100 %."
            )
        if self.employment_form is EmploymentForm.HOURLY:
            if self.hourly_wage is None:
                raise DomainError("employee.wage", "En timvikarie måste ha en timlön.")
            if self.employment_percent != 0:
                raise DomainError(
                    "employee.percent", "En timvikarie har ingen tjänstgöringsgrad."
                )
        elif self.monthly_wage is None and self.hourly_wage is None:
            raise DomainError("employee.wage", "Anställningen saknar lön.")
        if self.position is Position.CARER_RELATIVE:
            if self.related_client_id is None:
                raise DomainError(
                    "employee.relative", "En anhörigvårdare måste kopplas till sin brukare."
                )
            if self.agreement is not Agreement.PAN:
                raise DomainError("employee.relative", "Anhörigvårdare anställs enligt PAN.")

    @property
    def display_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def is_relative_carer(self) -> bool:
        return self.position is Position.CARER_RELATIVE

    @property
    def fte(self) -> float:
        """Full-time equivalents (årsarbetare by degree)."""
        return self.employment_percent / FULL_PERCENT

    @property
    def contracted_minutes_per_week(self) -> Minutes:
        return Minutes(self.full_time_minutes_per_week * self.employment_percent // FULL_PERCENT)

    def employed_on(self, day: dt.date) -> bool:
        return self.employed.contains(day)

    def hourly_cost(self, social_fee_permille: int) -> int | None:
        """The hourly rate plus social fees, in öre; None without a wage."""
        if self.hourly_wage is None and self.monthly_wage is None:
            return None
        return self.hourly_rate().ore * (1000 + social_fee_permille) // 1000

    def hourly_rate(self) -> Money:
        """timlön = månadslön × 12 / (52 × veckoarbetstid) for monthly paid (domain-rules §4.3);
        the weekly hours are the full-time week, since the monthly wage is the full-time wage
        scaled by degree."""
        if self.hourly_wage is not None:
            return self.hourly_wage
        assert self.monthly_wage is not None
        full_time_monthly = self.monthly_wage.times(FULL_PERCENT / max(self.employment_percent, 1))
        weekly_hours = self.full_time_minutes_per_week / 60
        return full_time_monthly.times(12 / (52 * weekly_hours))
