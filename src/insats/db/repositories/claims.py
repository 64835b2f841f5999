"""FK's invoices for the municipality's share of the first 20 hours a week."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from insats.db.models.claims import MunicipalShareChargeRow
from insats.db.repositories._base import TableRepository
from insats.domain.fk_claims import MunicipalShareCharge


class MunicipalShareRepository(TableRepository[MunicipalShareCharge, MunicipalShareChargeRow]):
    model = MunicipalShareChargeRow
    label = "FK:s faktura"

    def to_values(self, entity: MunicipalShareCharge) -> dict[str, Any]:
        return {"id": entity.id, "client_id": entity.client_id, "month": entity.month,
                "amount_ore": entity.amount_ore, "reference": entity.reference,
                "recorded_on": entity.recorded_on}

    def to_entity(self, row: MunicipalShareChargeRow) -> MunicipalShareCharge:
        return MunicipalShareCharge(row.id, row.client_id, row.month, row.amount_ore,
                                    row.reference, row.recorded_on)

    def of_month(self, month: dt.date) -> dict[str, MunicipalShareCharge]:
        """Recorded charges of the month by client id."""
        rows = self._list(select(MunicipalShareChargeRow).where(
            MunicipalShareChargeRow.month == month))
        return {charge.client_id: charge for charge in rows}
