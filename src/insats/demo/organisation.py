"""The department, its units and the assistance providers (seed 001, "Organisation").

At scale 1 the department has thirteen units led by eight unit managers: five personal
assistance units, three korttidsvistelse units, korttidstillsyn, stödfamiljer,
kontaktpersoner, the resursenhet and the övertalighetsteam. ``scale`` N repeats the
thirteen units N times (a "cluster" each) under the same department.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from insats.domain.common import Period
from insats.domain.organisation import Department, Unit, UnitKind
from insats.domain.providers import Provider

DEPARTMENT_ID = "AVD01"
MUNICIPALITY_CODE = "1489"
MUNICIPALITY_NAME = "Alingsås"
MUNICIPAL_PROVIDER_ID = "P00"
UNITS_PER_CLUSTER = 13
MANAGERS_PER_CLUSTER = 8


@dataclass(frozen=True, slots=True)
class UnitSpec:
    """One unit of the cluster template: name, kind, places, which of the eight managers."""

    name: str
    kind: UnitKind
    manager_index: int
    places: int | None = None


CLUSTER_UNITS: tuple[UnitSpec, ...] = (
    UnitSpec("Personlig assistans Nolhaga", UnitKind.PERSONAL_ASSISTANCE, 0),
    UnitSpec("Personlig assistans Noltorp", UnitKind.PERSONAL_ASSISTANCE, 1),
    UnitSpec("Personlig assistans Stadsskogen", UnitKind.PERSONAL_ASSISTANCE, 2),
    UnitSpec("Personlig assistans Ängabo", UnitKind.PERSONAL_ASSISTANCE, 3),
    UnitSpec("Personlig assistans Sollebrunn–Gräfsnäs", UnitKind.PERSONAL_ASSISTANCE, 4),
    UnitSpec("Korttidshemmet Mjörnstugan", UnitKind.SHORT_TERM_STAY, 5, places=6),
    UnitSpec("Korttidshemmet Kullingsgården", UnitKind.SHORT_TERM_STAY, 5, places=8),
    UnitSpec("Korttidshemmet Lövekulle", UnitKind.SHORT_TERM_STAY, 6, places=5),
    UnitSpec("Korttidstillsynen Bjärke", UnitKind.SHORT_TERM_SUPERVISION, 6, places=14),
    UnitSpec("Stödfamiljer", UnitKind.SUPPORT_FAMILIES, 7),
    UnitSpec("Kontaktpersoner", UnitKind.CONTACT_PERSONS, 7),
    UnitSpec("Resursenheten (boendestöd, ledsagning, avlösning)", UnitKind.RESOURCE_UNIT, 7),
    UnitSpec("Övertalighetsteamet", UnitKind.SURPLUS_TEAM, 7),
)

# Index into CLUSTER_UNITS by role, used by the other demo modules.
PA_UNIT_INDEXES: tuple[int, ...] = (0, 1, 2, 3, 4)
KTV_UNIT_INDEXES: tuple[int, ...] = (5, 6, 7)
KTS_UNIT_INDEX = 8
SUPPORT_FAMILY_UNIT_INDEX = 9
CONTACT_UNIT_INDEX = 10
RESOURCE_UNIT_INDEX = 11
SURPLUS_UNIT_INDEX = 12


def unit_id(cluster: int, index: int) -> str:
    return f"U{cluster * UNITS_PER_CLUSTER + index + 1:02d}"


def cost_centre(cluster: int, index: int) -> str:
    return f"74{cluster * UNITS_PER_CLUSTER + index + 1:03d}0"


def unit_name(cluster: int, spec: UnitSpec) -> str:
    return spec.name if cluster == 0 else f"{spec.name} {cluster + 1}"


def build_department(head_employee_id: str) -> Department:
    return Department(
        id=DEPARTMENT_ID,
        name="Avdelningen för personlig assistans och stöd",
        municipality_code=MUNICIPALITY_CODE,
        municipality_name=MUNICIPALITY_NAME,
        head_employee_id=head_employee_id,
    )


def build_units(clusters: int, manager_ids: list[list[str]]) -> list[Unit]:
    """The units of every cluster; ``manager_ids[cluster][i]`` is manager i's employee id."""
    units: list[Unit] = []
    for cluster in range(clusters):
        for index, spec in enumerate(CLUSTER_UNITS):
            units.append(Unit(
                id=unit_id(cluster, index),
                department_id=DEPARTMENT_ID,
                name=unit_name(cluster, spec),
                kind=spec.kind,
                cost_centre=cost_centre(cluster, index),
                manager_employee_id=manager_ids[cluster][spec.manager_index],
                places=spec.places,
            ))
    return units


_PRIVATE_PROVIDERS: tuple[tuple[str, int], ...] = (
    # (invented name, relative share of the 50 privately performed SFB cases)
    ("Mjörnens Assistans AB", 14),
    ("Västra Götalands Assistanspartner AB", 11),
    ("Trygga Händer Assistans i Väst AB", 9),
    ("Assistansia Norden AB", 7),
    ("Lerums Omsorgsassistans AB", 5),
    ("Frihetsassistans Sjuhärad AB", 4),  # the provider whose IVO permit lapsed
)
LAPSED_PERMIT_PROVIDER_ID = "P06"
LAPSED_PERMIT_ON = dt.date(2025, 9, 1)


def build_providers(rng: random.Random) -> list[Provider]:
    """The municipal provider (P00) and six invented private companies (P01–P06).

    P06 lost its IVO permit on 2025-09-01: the municipality may not pay it after that
    date and steps in under its basansvar for its clients.
    """
    providers = [Provider(
        id=MUNICIPAL_PROVIDER_ID,
        name="Alingsås kommun, vård- och omsorgsförvaltningen",
        organisation_number="212000-1439",
        is_municipal=True,
    )]
    for number, (name, _share) in enumerate(_PRIVATE_PROVIDERS, start=1):
        provider_id = f"P{number:02d}"
        permit_from = dt.date(rng.randint(2012, 2020), rng.randint(1, 12), 1)
        permit_to = LAPSED_PERMIT_ON if provider_id == LAPSED_PERMIT_PROVIDER_ID else None
        org = f"559{rng.randint(0, 999):03d}-{rng.randint(0, 9999):04d}"
        providers.append(Provider(
            id=provider_id, name=name, organisation_number=org, is_municipal=False,
            ivo_permit=Period(permit_from, permit_to),
        ))
    return providers


def private_provider_weights() -> list[tuple[str, int]]:
    """(provider id, weight) for spreading the privately performed cases."""
    return [(f"P{n:02d}", share) for n, (_name, share) in enumerate(_PRIVATE_PROVIDERS, 1)]
