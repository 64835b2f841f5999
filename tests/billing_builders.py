"""Builders for billing tests: contracts, stays and a tiny world with a private provider.

The world: our unit U01 (personal assistance) and korttidshem U02; private provider P06
whose client C0001 (B-0001, group G0001 in U01) the municipality covered under basansvar;
C0002 (B-0002) from municipality 1442 who stays at U02; C0003 (B-0003, ours) with HSL.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from insats.domain.billing import InvoiceKind
from insats.domain.common import Money, Period
from insats.domain.contracts import BillingContract, Counterparty
from insats.domain.organisation import UnitKind
from insats.domain.personnummer import make_identity
from insats.domain.stays import ClientStay, StayKind
from insats.domain.time_reports import TimeEntry, TimeEntryStatus
from tests.builders import (
    a_client,
    a_decision,
    a_department,
    a_group,
    a_provider,
    a_time_entry,
    a_unit,
    an_employee,
    stockholm,
)

PROVIDER = Counterparty("Frihetsassistans Sjuhärad AB", organisation_number="559123-4567")
VARGARDA = Counterparty("Vårgårda kommun", municipality_code="1442")
REGION = Counterparty("Västra Götalandsregionen", organisation_number="232100-0131")


def a_basansvar_contract(**overrides: Any) -> BillingContract:
    values: dict[str, Any] = {
        "id": "K0001",
        "kind": InvoiceKind.PROVIDER_BASANSVAR,
        "counterparty": PROVIDER,
        "price": Money.kronor("340,50"),
        "valid": Period(dt.date(2026, 9, 20), dt.date(2026, 11, 1)),
        "reason": "Anordnarens IVO-tillstånd upphörde; kommunen tog över (basansvar)",
        "provider_id": "P06",
    }
    return BillingContract(**{**values, **overrides})


def a_place_contract(**overrides: Any) -> BillingContract:
    values: dict[str, Any] = {
        "id": "K0002",
        "kind": InvoiceKind.MUNICIPALITY_PLACE,
        "counterparty": VARGARDA,
        "price": Money.kronor("4 150,00"),
        "valid": Period(dt.date(2026, 1, 1), dt.date(2027, 1, 1)),
        "reason": "Köpt plats korttidsvistelse enligt avtal",
        "unit_id": "U02",
    }
    return BillingContract(**{**values, **overrides})


def an_hsl_contract(**overrides: Any) -> BillingContract:
    values: dict[str, Any] = {
        "id": "K0003",
        "kind": InvoiceKind.REGION_HSL,
        "counterparty": REGION,
        "price": Money.kronor("395,00"),
        "valid": Period(dt.date(2026, 1, 1)),
        "reason": "Delegerad sondmatning och läkemedel",
        "client_id": "C0003",
        "hsl_minutes_per_week": 210,
    }
    return BillingContract(**{**values, **overrides})


def a_stay(**overrides: Any) -> ClientStay:
    values: dict[str, Any] = {
        "id": "ST0001",
        "client_id": "C0002",
        "kind": StayKind.SHORT_TERM_STAY,
        "start": stockholm(2026, 10, 30, 15),
        "end": stockholm(2026, 11, 2, 10),
        "unit_id": "U02",
    }
    return ClientStay(**{**values, **overrides})


def an_attested_entry(**overrides: Any) -> TimeEntry:
    values: dict[str, Any] = {
        "status": TimeEntryStatus.ATTESTED,
        "attested_at": stockholm(2026, 11, 3, 9),
        "attested_by": "E0001",
    }
    return a_time_entry(**{**values, **overrides})


def billing_world() -> list[Any]:
    """Parents for billing tests, in insertable order."""
    return [
        a_department(),
        a_unit(),
        a_unit(id="U02", name="Korttidshemmet Mjörnstugan", kind=UnitKind.SHORT_TERM_STAY,
               cost_centre="740060", places=6),
        a_provider(),
        a_provider(id="P06", name=PROVIDER.name, organisation_number="559123-4567",
                   is_municipal=False, ivo_permit=Period(dt.date(2015, 1, 1),
                                                         dt.date(2026, 9, 20))),
        a_client(),
        a_client(id="C0002", pseudonym="B-0002", unit_id="U02", home_municipality_code="1442",
                 identity=make_identity(dt.date(2012, 3, 4), 982)),
        a_client(id="C0003", pseudonym="B-0003", identity=make_identity(dt.date(1970, 5, 6), 984)),
        an_employee(),
        a_decision(provider_id="P06"),
        a_group(name="Basansvar B-0001 (tillfällig insats)"),
    ]
