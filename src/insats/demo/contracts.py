"""Billing contracts of the demo department (domain-rules §2, §8; issue 3).

- Basansvar: the municipality stepped in for Frihetsassistans Sjuhärad AB (P06) when its
  IVO permit lapsed on 2025-09-01, charging the provider per hour performed. The price
  follows the schablon of the year, so 2026 is a new contract row.
- Köpta platser: Vårgårda (1442) buys korttidsvistelse places for its residents at our
  korttidshem, per dygn, one contract per placement; a price change on 2026-01-01.
- HSL: the region pays for delegated health-care tasks (sondmatning, läkemedel,
  andningsvård) that assistants perform for three clients, as an agreed time per week.

Deterministic: no randomness; clients are chosen in id order.
"""

from __future__ import annotations

import datetime as dt

from insats.demo import organisation as org
from insats.demo.clients import OTHER_MUNICIPALITY_CODE
from insats.domain.billing import InvoiceKind
from insats.domain.clients import Client
from insats.domain.common import Money, Period
from insats.domain.contracts import BillingContract, Counterparty
from insats.domain.decisions import Decision, Insats, LegalBasis
from insats.domain.providers import Provider

NEW_YEAR_2026 = dt.date(2026, 1, 1)
BASANSVAR_PRICES = (  # kr/h: the schablon of the year (2025 preliminary, see parameters.toml)
    (Period(org.LAPSED_PERMIT_ON, NEW_YEAR_2026), "332,60"),
    (Period(NEW_YEAR_2026, dt.date(2026, 7, 1)), "340,50"),
)
PLACE_PRICES = (  # kr/dygn
    (Period(dt.date(2025, 1, 1), NEW_YEAR_2026), "4 150,00"),
    (Period(NEW_YEAR_2026), "4 290,00"),
)
REGION = Counterparty("Västra Götalandsregionen", organisation_number="232100-0131")
HSL_TASKS = (
    ("Delegerad sondmatning och läkemedelsgivning", 210),
    ("Delegerad andningsvård (sugning, syrgas)", 300),
    ("Delegerad läkemedelsgivning", 120),
)
HSL_PRICE = "395,00"
HSL_FROM = dt.date(2025, 3, 1)


def build_contracts(providers: list[Provider] | tuple[Provider, ...],
                    clients: list[Client] | tuple[Client, ...],
                    decisions: list[Decision] | tuple[Decision, ...]) -> list[BillingContract]:
    counter = 0

    def next_id() -> str:
        nonlocal counter
        counter += 1
        return f"AV{counter:04d}"

    contracts: list[BillingContract] = []
    lapsed = next(p for p in providers if p.id == org.LAPSED_PERMIT_PROVIDER_ID)
    for valid, price in BASANSVAR_PRICES:
        contracts.append(BillingContract(
            id=next_id(), kind=InvoiceKind.PROVIDER_BASANSVAR,
            counterparty=Counterparty(lapsed.name,
                                      organisation_number=lapsed.organisation_number),
            price=Money.kronor(price), valid=valid, payment_days=30,
            reason=("IVO-tillståndet upphörde 2025-09-01; kommunen utför assistansen under "
                    "sitt basansvar tills brukarna valt ny anordnare"),
            provider_id=lapsed.id))
    buyer = Counterparty("Vårgårda kommun", municipality_code=OTHER_MUNICIPALITY_CODE)
    for client in sorted(clients, key=lambda c: c.id):
        if client.home_municipality_code != OTHER_MUNICIPALITY_CODE:
            continue
        for valid, price in PLACE_PRICES:
            contracts.append(BillingContract(
                id=next_id(), kind=InvoiceKind.MUNICIPALITY_PLACE, counterparty=buyer,
                price=Money.kronor(price), valid=valid, payment_days=30,
                reason=f"Köpt plats korttidsvistelse för {client.pseudonym} (placeringsavtal)",
                client_id=client.id, unit_id=client.unit_id))
    municipal_sfb = sorted({d.client_id for d in decisions
                            if d.legal_basis is LegalBasis.SFB
                            and d.insats is Insats.PERSONAL_ASSISTANCE
                            and d.provider_id == org.MUNICIPAL_PROVIDER_ID})
    for client_id, (task, minutes) in zip(municipal_sfb, HSL_TASKS, strict=False):
        contracts.append(BillingContract(
            id=next_id(), kind=InvoiceKind.REGION_HSL, counterparty=REGION,
            price=Money.kronor(HSL_PRICE), valid=Period(HSL_FROM), payment_days=30,
            reason=f"{task} enligt överenskommelse med regionen",
            client_id=client_id, hsl_minutes_per_week=minutes))
    return contracts
