"""Assistance providers (anordnare)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from insats.db.models.providers import ProviderRow
from insats.db.repositories._base import TableRepository
from insats.domain.common import Period
from insats.domain.providers import Provider


class ProviderRepository(TableRepository[Provider, ProviderRow]):
    model = ProviderRow
    label = "Anordnaren"

    def to_values(self, entity: Provider) -> dict[str, Any]:
        permit = entity.ivo_permit
        return {
            "id": entity.id,
            "name": entity.name,
            "organisation_number": entity.organisation_number,
            "is_municipal": entity.is_municipal,
            "ivo_permit_from": None if permit is None else permit.start,
            "ivo_permit_to": None if permit is None else permit.end,
            "f_tax": entity.f_tax,
            "employer_registered": entity.employer_registered,
        }

    def to_entity(self, row: ProviderRow) -> Provider:
        permit = None
        if row.ivo_permit_from is not None:
            permit = Period(row.ivo_permit_from, row.ivo_permit_to)
        return Provider(
            id=row.id,
            name=row.name,
            organisation_number=row.organisation_number,
            is_municipal=row.is_municipal,
            ivo_permit=permit,
            f_tax=row.f_tax,
            employer_registered=row.employer_registered,
        )

    def all(self) -> list[Provider]:
        return self._list(select(ProviderRow).order_by(ProviderRow.name, ProviderRow.id))
