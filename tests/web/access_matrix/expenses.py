"""Expense claims (/expenses) and the premises and expenses reviews.

The page is for the roles with ``VIEW_EXPENSES`` (not the committee). Registering is
tried with an empty form (refused by validation, so the shared demo stays as it is);
approve and reject are tried on an approved claim of ``enhetschef``'s unit: those
allowed reach the service, which refuses to change a decided claim; ``enhetschef2`` is
refused by scope, the roles without ``APPROVE_EXPENSES`` at the route. The reviews need
money (``VIEW_MONEY``)."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import select

from insats.db.models.expenses import ExpenseClaimRow
from insats.domain.expenses import ClaimStatus
from insats.services.runtime import uow_factory_for
from tests.web.access_matrix import Rule

VIEW_ROLES = frozenset({"avdelningschef", "enhetschef", "enhetschef2", "samordnare",
                        "ekonom"})
CLAIM_ROLES = frozenset({"avdelningschef", "enhetschef", "enhetschef2", "samordnare"})
APPROVE_ROLES = frozenset({"avdelningschef", "enhetschef"})
MONEY_ROLES = frozenset({"avdelningschef", "enhetschef", "enhetschef2", "ekonom"})


@cache
def approved_claim_of(url: str, unit_id: str) -> str:
    with uow_factory_for(url)() as uow:
        found = uow.session.scalars(
            select(ExpenseClaimRow.id).where(ExpenseClaimRow.unit_id == unit_id,
                                             ExpenseClaimRow.status == ClaimStatus.APPROVED)
            .order_by(ExpenseClaimRow.id).limit(1)).first()
    assert found is not None
    return found


def own_approved_claim(demo: Any) -> dict[str, str]:
    return {"claim_id": approved_claim_of(demo.url, demo.own_unit_id)}


RULES = [
    Rule("GET", "/expenses", VIEW_ROLES),
    Rule("POST", "/expenses", CLAIM_ROLES, body=lambda d: {"amount": "x"},
         refused_by_validation=True),
    Rule("POST", "/expenses/{claim_id}/approve", APPROVE_ROLES, params=own_approved_claim,
         body=lambda d: {"version": "1"}, refused_by_validation=True),
    Rule("POST", "/expenses/{claim_id}/reject", APPROVE_ROLES, params=own_approved_claim,
         body=lambda d: {"reason": "Kvitto saknas", "version": "1"},
         refused_by_validation=True),
]
for _name in ("premises", "expenses"):
    RULES += [
        Rule("GET", "/reviews/{name}", MONEY_ROLES, params=lambda d, n=_name: {"name": n}),
        Rule("GET", "/reviews/{name}", MONEY_ROLES, params=lambda d, n=_name: {"name": n},
             query="?period=2026-09..2026-10&format=xlsx"),
    ]
