"""Client stays (sjukhus, korttidsvistelse, skola, daglig verksamhet)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from sqlalchemy import select

from insats.db.models.stays import ClientStayRow
from insats.db.repositories._base import TableRepository
from insats.domain.stays import ClientStay


class ClientStayRepository(TableRepository[ClientStay, ClientStayRow]):
    model = ClientStayRow
    label = "Vistelsen"

    def to_values(self, entity: ClientStay) -> dict[str, Any]:
        return {
            "id": entity.id,
            "client_id": entity.client_id,
            "kind": entity.kind,
            "start_at": entity.start,
            "end_at": entity.end,
            "special_reasons": entity.special_reasons,
            "approved_until": entity.approved_until,
            "reason": entity.reason,
            "unit_id": entity.unit_id,
        }

    def to_entity(self, row: ClientStayRow) -> ClientStay:
        return ClientStay(
            id=row.id,
            client_id=row.client_id,
            kind=row.kind,
            start=row.start_at,
            end=row.end_at,
            special_reasons=row.special_reasons,
            approved_until=row.approved_until,
            reason=row.reason,
            unit_id=row.unit_id,
        )

    def overlapping(self, start: dt.datetime, end: dt.datetime, *,
                    client_ids: Collection[str] | None = None) -> list[ClientStay]:
        """Stays sharing some time with ``[start, end)``, optionally for some clients."""
        statement = select(ClientStayRow).where(
            ClientStayRow.start_at < end, ClientStayRow.end_at > start)
        if client_ids is not None:
            statement = statement.where(ClientStayRow.client_id.in_(list(client_ids)))
        return self._list(statement.order_by(ClientStayRow.client_id, ClientStayRow.start_at))

    def all(self) -> list[ClientStay]:
        return self._list(select(ClientStayRow).order_by(ClientStayRow.id))

    def at_units(self, unit_ids: Collection[str], start: dt.datetime, end: dt.datetime,
                 ) -> list[ClientStay]:
        """Stays at the units sharing some time with ``[start, end)``."""
        statement = select(ClientStayRow).where(
            ClientStayRow.unit_id.in_(list(unit_ids)), ClientStayRow.start_at < end,
            ClientStayRow.end_at > start)
        return self._list(statement.order_by(ClientStayRow.unit_id, ClientStayRow.start_at,
                                             ClientStayRow.id))
