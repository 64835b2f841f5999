"""The demo's billing contracts give real invoice lines on the demo's own data."""

from __future__ import annotations

import datetime as dt

from insats.demo import generate_department
from insats.demo.contracts import build_contracts
from insats.domain.billing import InvoiceKind
from insats.domain.common import Money
from insats.domain.contracts import Month, check_no_overlap, month_lines


def test_demo_contracts_are_valid_deterministic_and_bill_the_basansvar_episodes() -> None:
    dept = generate_department(start=dt.date(2025, 8, 1), end=dt.date(2025, 11, 1))
    check_no_overlap(dept.contracts)
    assert build_contracts(dept.providers, dept.clients, dept.decisions) == list(dept.contracts)
    kinds = [c.kind for c in dept.contracts]
    assert kinds.count(InvoiceKind.REGION_HSL) == 3
    assert {c.counterparty.reference for c in dept.contracts
            if c.kind is InvoiceKind.MUNICIPALITY_PLACE} == {"kommun 1442"}

    lines = month_lines(dept.contracts, month=Month(2025, 9), entries=dept.time_entries,
                        groups=dept.groups, clients=dept.clients, decisions=dept.decisions,
                        stays=dept.stays)

    basansvar = [c for c in lines if c.kind is InvoiceKind.PROVIDER_BASANSVAR]
    assert len(basansvar) == 3  # the three P06 clients the municipality covered
    assert all(c.line.unit_price == Money.kronor("332,60") and c.line.quantity_minutes
               for c in basansvar)
    assert all(c.counterparty.name == "Frihetsassistans Sjuhärad AB" for c in basansvar)
