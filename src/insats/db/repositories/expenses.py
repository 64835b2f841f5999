"""Expense claims, petty-cash cards and the cards' purchases."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from insats.db.models.expenses import CardPurchaseRow, ExpenseClaimRow, PettyCashCardRow
from insats.db.repositories._base import TableRepository, add_in_runs, part_for
from insats.domain.common import DomainError, Money, Period
from insats.domain.expenses import CardPurchase, ClaimStatus, ExpenseClaim, PettyCashCard


class ExpenseClaimTable(TableRepository[ExpenseClaim, ExpenseClaimRow]):
    model = ExpenseClaimRow
    label = "Utlägget"

    def to_values(self, entity: ExpenseClaim) -> dict[str, Any]:
        return {
            "id": entity.id, "employee_id": entity.employee_id, "unit_id": entity.unit_id,
            "cost_centre": entity.cost_centre, "spent_on": entity.spent_on,
            "amount_ore": entity.amount.ore, "description": entity.description,
            "receipt_reference": entity.receipt_reference, "created_by": entity.created_by,
            "created_at": entity.created_at, "status": entity.status,
            "submitted_at": entity.submitted_at, "decided_by": entity.decided_by,
            "decided_at": entity.decided_at, "reason": entity.reason,
        }

    def to_entity(self, row: ExpenseClaimRow) -> ExpenseClaim:
        return ExpenseClaim(
            id=row.id, employee_id=row.employee_id, unit_id=row.unit_id,
            cost_centre=row.cost_centre, spent_on=row.spent_on, amount=Money(row.amount_ore),
            description=row.description, receipt_reference=row.receipt_reference,
            created_by=row.created_by, created_at=row.created_at, status=row.status,
            submitted_at=row.submitted_at, decided_by=row.decided_by,
            decided_at=row.decided_at, reason=row.reason)

    def check_editable(self, row: ExpenseClaimRow) -> None:
        """An approved or rejected claim never changes (corrections are new claims)."""
        if row.status in (ClaimStatus.APPROVED, ClaimStatus.REJECTED):
            raise DomainError("expense.decided", f"Utlägg {row.id} är {row.status.value} "
                              "och kan inte ändras.")


class PettyCashCardTable(TableRepository[PettyCashCard, PettyCashCardRow]):
    model = PettyCashCardRow
    label = "Handkassekortet"

    def to_values(self, entity: PettyCashCard) -> dict[str, Any]:
        return {"id": entity.id, "unit_id": entity.unit_id,
                "holder_employee_id": entity.holder_employee_id, "label": entity.label,
                "issued_on": entity.issued_on, "closed_on": entity.closed_on}

    def to_entity(self, row: PettyCashCardRow) -> PettyCashCard:
        return PettyCashCard(id=row.id, unit_id=row.unit_id,
                             holder_employee_id=row.holder_employee_id, label=row.label,
                             issued_on=row.issued_on, closed_on=row.closed_on)


class CardPurchaseTable(TableRepository[CardPurchase, CardPurchaseRow]):
    model = CardPurchaseRow
    label = "Kortköpet"

    def to_values(self, entity: CardPurchase) -> dict[str, Any]:
        return {"id": entity.id, "card_id": entity.card_id, "bought_on": entity.bought_on,
                "amount_ore": entity.amount.ore, "merchant": entity.merchant,
                "text": entity.text, "cost_entry_id": entity.cost_entry_id}

    def to_entity(self, row: CardPurchaseRow) -> CardPurchase:
        return CardPurchase(id=row.id, card_id=row.card_id, bought_on=row.bought_on,
                            amount=Money(row.amount_ore), merchant=row.merchant, text=row.text,
                            cost_entry_id=row.cost_entry_id)


class ExpenseRepository:
    """Expense claims (``get``, ``update`` with optimistic versions), cards and purchases."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.claims = ExpenseClaimTable(session)
        self.cards = PettyCashCardTable(session)
        self.purchases = CardPurchaseTable(session)
        self._parts: dict[type[Any], TableRepository[Any, Any]] = {
            ExpenseClaim: self.claims, PettyCashCard: self.cards, CardPurchase: self.purchases}

    def add(self, entity: ExpenseClaim | PettyCashCard | CardPurchase) -> None:
        part_for(self._parts, entity).add(entity)

    def add_many(self, entities: Iterable[ExpenseClaim | PettyCashCard | CardPurchase]) -> int:
        return add_in_runs(self._parts, entities)

    def get(self, claim_id: str) -> ExpenseClaim | None:
        return self.claims.get(claim_id)

    def update(self, claim: ExpenseClaim, *, expected_version: int | None = None) -> int | None:
        return self.claims.update(claim, expected_version=expected_version)

    def version_of(self, claim_id: str) -> int | None:
        return self.claims.version_of(claim_id)

    def claims_of_units(self, unit_ids: Collection[str], *,
                        statuses: Collection[ClaimStatus] | None = None,
                        period: Period | None = None) -> list[ExpenseClaim]:
        """The units' claims (of ``statuses``, spent in ``period``), oldest first."""
        if not unit_ids:
            return []
        statement = select(ExpenseClaimRow).where(ExpenseClaimRow.unit_id.in_(sorted(unit_ids)))
        if statuses is not None:
            statement = statement.where(ExpenseClaimRow.status.in_(sorted(statuses)))
        if period is not None:
            statement = statement.where(ExpenseClaimRow.spent_on >= period.start)
            if period.end is not None:
                statement = statement.where(ExpenseClaimRow.spent_on < period.end)
        return self.claims._list(statement.order_by(ExpenseClaimRow.spent_on,
                                                    ExpenseClaimRow.id))

    def claims_created_by(self, username: str, limit: int = 200) -> list[ExpenseClaim]:
        """The claims an account registered, newest first."""
        return self.claims._list(
            select(ExpenseClaimRow).where(ExpenseClaimRow.created_by == username)
            .order_by(ExpenseClaimRow.created_at.desc(), ExpenseClaimRow.id.desc())
            .limit(limit))

    def cards_of_units(self, unit_ids: Collection[str]) -> list[PettyCashCard]:
        if not unit_ids:
            return []
        return self.cards._list(select(PettyCashCardRow)
                                .where(PettyCashCardRow.unit_id.in_(sorted(unit_ids)))
                                .order_by(PettyCashCardRow.unit_id, PettyCashCardRow.id))

    def purchases_of_cards(self, card_ids: Collection[str],
                           period: Period | None = None) -> list[CardPurchase]:
        if not card_ids:
            return []
        statement = select(CardPurchaseRow).where(CardPurchaseRow.card_id.in_(sorted(card_ids)))
        if period is not None:
            statement = statement.where(CardPurchaseRow.bought_on >= period.start)
            if period.end is not None:
                statement = statement.where(CardPurchaseRow.bought_on < period.end)
        return self.purchases._list(statement.order_by(CardPurchaseRow.bought_on,
                                                       CardPurchaseRow.id))
