"""Expense claims: drafted, submitted, approved or rejected with a reason, then frozen;
the category of a card purchase read from its text."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from insats.domain.common import DomainError, Money
from insats.domain.expenses import (
    CardPurchase,
    ClaimStatus,
    ExpenseClaim,
    claimable,
    purchase_category,
)

AT = dt.datetime(2026, 10, 5, 12, tzinfo=dt.UTC)


def a_claim(**overrides: object) -> ExpenseClaim:
    values: dict[str, object] = {
        "id": "UT1", "employee_id": "E0001", "unit_id": "U01", "cost_centre": "4101",
        "spent_on": dt.date(2026, 10, 3), "amount": Money(245_50),
        "description": "Bio med brukare", "receipt_reference": "KV-1", "created_by": "ec1",
        "created_at": AT}
    return ExpenseClaim(**{**values, **overrides})  # type: ignore[arg-type]


def test_a_claim_goes_from_draft_to_a_decision_and_then_never_changes() -> None:
    draft = a_claim()
    assert draft.status is ClaimStatus.DRAFT
    submitted = draft.submit(at=AT)
    assert submitted.status is ClaimStatus.SUBMITTED and submitted.submitted_at == AT
    approved = submitted.approve(by="ec1", at=AT)
    assert (approved.status, approved.decided_by) == (ClaimStatus.APPROVED, "ec1")
    with pytest.raises(DomainError, match="attesterad och kan inte ändras"):
        approved.reject(by="ec1", at=AT, reason="Fel")
    with pytest.raises(DomainError, match="kan inte ändras"):
        approved.submit(at=AT)
    rejected = submitted.reject(by="ec1", at=AT, reason="  Kvitto saknas ")
    assert rejected.reason == "Kvitto saknas"
    with pytest.raises(DomainError, match="kan inte ändras"):
        rejected.approve(by="ec1", at=AT)


def test_rules_of_a_claim() -> None:
    with pytest.raises(DomainError, match="inte inskickat"):
        a_claim().approve(by="ec1", at=AT)
    with pytest.raises(DomainError, match="Ange varför"):
        a_claim().submit(at=AT).reject(by="ec1", at=AT, reason=" ")
    with pytest.raises(DomainError, match="större än noll"):
        a_claim(amount=Money(0))
    with pytest.raises(DomainError, match="kvittots referens"):
        a_claim(receipt_reference="").submit(at=AT)
    with pytest.raises(DomainError, match="redan inskickat"):
        a_claim().submit(at=AT).submit(at=AT)
    assert a_claim(receipt_reference="").status is ClaimStatus.DRAFT  # a draft may lack it


def test_the_category_of_a_purchase_is_the_activity_in_brackets() -> None:
    purchase = CardPurchase(id="KK1", card_id="HK1", bought_on=dt.date(2026, 3, 3),
                            amount=Money(120_00), merchant="Bio Palladium",
                            text="Handkassekort: medföljande aktivitet (bio)")
    assert purchase.category == "bio" and claimable(purchase)
    other = replace(purchase, text="Förbrukningsmaterial")
    assert purchase_category(other.text) == "övrigt" and not claimable(other)
    assert purchase_category("Lunch (Café) ") == "café"
