"""The department (avdelning) and its units (enheter)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from insats.domain.common import DomainError


class UnitKind(StrEnum):
    """What a unit does; decides which rules and reports apply."""

    PERSONAL_ASSISTANCE = "personlig_assistans"
    SHORT_TERM_STAY = "korttidsvistelse"
    SHORT_TERM_SUPERVISION = "korttidstillsyn"
    RESOURCE_UNIT = "resursenhet"
    SUPPORT_FAMILIES = "stodfamiljer"
    CONTACT_PERSONS = "kontaktpersoner"
    SURPLUS_TEAM = "overtalighetsteam"


UNIT_KIND_LABELS: dict[UnitKind, str] = {
    UnitKind.PERSONAL_ASSISTANCE: "Personlig assistans",
    UnitKind.SHORT_TERM_STAY: "Korttidsvistelse",
    UnitKind.SHORT_TERM_SUPERVISION: "Korttidstillsyn",
    UnitKind.RESOURCE_UNIT: "Resursenhet",
    UnitKind.SUPPORT_FAMILIES: "Stödfamiljer",
    UnitKind.CONTACT_PERSONS: "Kontaktpersoner",
    UnitKind.SURPLUS_TEAM: "Övertalighetsteam",
}


@dataclass(frozen=True, slots=True)
class Department:
    id: str
    name: str
    municipality_code: str
    municipality_name: str
    head_employee_id: str | None = None

    def __post_init__(self) -> None:
        if not (len(self.municipality_code) == 4 and self.municipality_code.isdigit()):
            raise DomainError(
                "department.municipality_code",
                f"Kommunkoden {self.municipality_code!r} ska vara fyra siffror (SCB).",
            )


@dataclass(frozen=True, slots=True)
class Unit:
    id: str
    department_id: str
    name: str
    kind: UnitKind
    cost_centre: str
    manager_employee_id: str | None = None
    places: int | None = None  # beds or places, for korttidsvistelse and korttidstillsyn

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise DomainError("unit.name", "Enheten måste ha ett namn.")
        if self.places is not None and self.places < 0:
            raise DomainError("unit.places", "Antal platser kan inte vara negativt.")
