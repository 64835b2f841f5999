"""Decisions (beslut)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any, cast

from sqlalchemy import ColumnElement, and_, or_, select

from insats.db.models.clients import ClientRow
from insats.db.models.decisions import DecisionRow
from insats.db.repositories._base import TableRepository
from insats.domain.common import Money, Period
from insats.domain.decisions import Decision, Insats, LegalBasis


def active_on(day: dt.date) -> ColumnElement[bool]:
    """SQL condition: the decision's half-open period contains ``day``."""
    return and_(
        DecisionRow.valid_from <= day,
        or_(DecisionRow.valid_to.is_(None), DecisionRow.valid_to > day),
    )


def overlapping(period: Period) -> ColumnElement[bool]:
    condition = or_(DecisionRow.valid_to.is_(None), DecisionRow.valid_to > period.start)
    if period.end is None:
        return condition
    return and_(condition, DecisionRow.valid_from < period.end)


class DecisionRepository(TableRepository[Decision, DecisionRow]):
    model = DecisionRow
    label = "Beslutet"

    def to_values(self, entity: Decision) -> dict[str, Any]:
        return {
            "id": entity.id,
            "client_id": entity.client_id,
            "legal_basis": entity.legal_basis,
            "insats": entity.insats,
            "valid_from": entity.period.start,
            "valid_to": entity.period.end,
            "decided_by": entity.decided_by,
            "payer": entity.payer,
            "provider_id": entity.provider_id,
            "decided_on": entity.decided_on,
            "granted_minutes_per_week": entity.granted_minutes_per_week,
            "granted_minutes_total": entity.granted_minutes_total,
            "double_assistance_minutes_per_week": entity.double_assistance_minutes_per_week,
            "basic_needs_minutes_per_week": entity.basic_needs_minutes_per_week,
            "increased_rate": entity.increased_rate,
            "replaces_decision_id": entity.replaces_decision_id,
            "increased_rate_ore": None if entity.increased_rate_per_hour is None
            else entity.increased_rate_per_hour.ore,
            "paid_in_advance": entity.paid_in_advance,
        }

    def to_entity(self, row: DecisionRow) -> Decision:
        return Decision(
            id=row.id,
            client_id=row.client_id,
            legal_basis=row.legal_basis,
            insats=row.insats,
            period=Period(row.valid_from, row.valid_to),
            decided_by=row.decided_by,
            payer=row.payer,
            provider_id=row.provider_id,
            decided_on=row.decided_on,
            granted_minutes_per_week=row.granted_minutes_per_week,
            granted_minutes_total=row.granted_minutes_total,
            double_assistance_minutes_per_week=row.double_assistance_minutes_per_week,
            basic_needs_minutes_per_week=row.basic_needs_minutes_per_week,
            increased_rate=row.increased_rate,
            replaces_decision_id=row.replaces_decision_id,
            increased_rate_per_hour=None if row.increased_rate_ore is None
            else Money(row.increased_rate_ore),
            paid_in_advance=row.paid_in_advance,
        )

    def of_clients(self, client_ids: Collection[str], *, period: Period | None = None,
                   legal_basis: LegalBasis | None = None,
                   insats: Insats | None = None) -> list[Decision]:
        """The clients' decisions; only those overlapping ``period``, of ``legal_basis``
        and of ``insats`` when given. Read as plain rows for the reports that read many
        (no version is remembered: read a decision with ``get`` before changing it)."""
        conditions: list[ColumnElement[bool]] = [DecisionRow.client_id.in_(list(client_ids))]
        if period is not None:
            conditions.append(overlapping(period))
        if legal_basis is not None:
            conditions.append(DecisionRow.legal_basis == legal_basis)
        if insats is not None:
            conditions.append(DecisionRow.insats == insats)
        rows = self.session.execute(
            select(*DecisionRow.__table__.c)
            .where(*conditions)
            .order_by(DecisionRow.client_id, DecisionRow.valid_from, DecisionRow.id))
        # a plain row has the mapped row's attribute names, which is all to_entity reads
        return [self.to_entity(cast(DecisionRow, row)) for row in rows]

    def of_client(self, client_id: str) -> list[Decision]:
        return self._list(
            select(DecisionRow)
            .where(DecisionRow.client_id == client_id)
            .order_by(DecisionRow.valid_from, DecisionRow.id)
        )

    def active_for_client(self, client_id: str, on: dt.date) -> list[Decision]:
        return self._list(
            select(DecisionRow)
            .where(DecisionRow.client_id == client_id, active_on(on))
            .order_by(DecisionRow.valid_from, DecisionRow.id)
        )

    def active_in_unit(self, unit_id: str, on: dt.date) -> list[Decision]:
        return self._list(
            select(DecisionRow)
            .join(ClientRow, ClientRow.id == DecisionRow.client_id)
            .where(ClientRow.unit_id == unit_id, active_on(on))
            .order_by(DecisionRow.client_id, DecisionRow.id)
        )

    def overlapping_in_unit(self, unit_id: str, period: Period) -> list[Decision]:
        return self._list(
            select(DecisionRow)
            .join(ClientRow, ClientRow.id == DecisionRow.client_id)
            .where(ClientRow.unit_id == unit_id, overlapping(period))
            .order_by(DecisionRow.client_id, DecisionRow.valid_from, DecisionRow.id)
        )
