"""Billing contracts (avtal): agreed prices per period."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select

from insats.db.models.contracts import BillingContractRow
from insats.db.repositories._base import TableRepository
from insats.domain.billing import InvoiceKind
from insats.domain.common import Money, Period
from insats.domain.contracts import BillingContract, Counterparty


class BillingContractRepository(TableRepository[BillingContract, BillingContractRow]):
    model = BillingContractRow
    label = "Avtalet"

    def to_values(self, entity: BillingContract) -> dict[str, Any]:
        return {
            "id": entity.id,
            "kind": entity.kind,
            "counterparty_name": entity.counterparty.name,
            "organisation_number": entity.counterparty.organisation_number,
            "municipality_code": entity.counterparty.municipality_code,
            "price_ore": entity.price.ore,
            "valid_from": entity.valid.start,
            "valid_to": entity.valid.end,
            "reason": entity.reason,
            "payment_days": entity.payment_days,
            "provider_id": entity.provider_id,
            "client_id": entity.client_id,
            "unit_id": entity.unit_id,
            "hsl_minutes_per_week": entity.hsl_minutes_per_week,
        }

    def to_entity(self, row: BillingContractRow) -> BillingContract:
        return BillingContract(
            id=row.id,
            kind=row.kind,
            counterparty=Counterparty(
                name=row.counterparty_name,
                organisation_number=row.organisation_number,
                municipality_code=row.municipality_code,
            ),
            price=Money(row.price_ore),
            valid=Period(row.valid_from, row.valid_to),
            reason=row.reason,
            payment_days=row.payment_days,
            provider_id=row.provider_id,
            client_id=row.client_id,
            unit_id=row.unit_id,
            hsl_minutes_per_week=row.hsl_minutes_per_week,
        )

    def all(self, *, kind: InvoiceKind | None = None) -> list[BillingContract]:
        statement = select(BillingContractRow)
        if kind is not None:
            statement = statement.where(BillingContractRow.kind == kind)
        return self._list(statement.order_by(BillingContractRow.valid_from,
                                             BillingContractRow.id))

    def overlapping(self, period: Period) -> list[BillingContract]:
        """Contracts valid on some day of ``period`` (a closed period)."""
        statement = select(BillingContractRow).where(
            or_(BillingContractRow.valid_to.is_(None),
                BillingContractRow.valid_to > period.start))
        if period.end is not None:
            statement = statement.where(BillingContractRow.valid_from < period.end)
        return self._list(statement.order_by(BillingContractRow.id))
