"""Clients (brukare); the identity number is stored as its canonical 12-digit form."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from insats.db.models.clients import ClientRow
from insats.db.repositories._base import TableRepository
from insats.domain.clients import Client
from insats.domain.personnummer import PersonalIdentity


class ClientRepository(TableRepository[Client, ClientRow]):
    model = ClientRow
    label = "Brukaren"

    def to_values(self, entity: Client) -> dict[str, Any]:
        return {
            "id": entity.id,
            "pseudonym": entity.pseudonym,
            "identity_number": entity.identity.digits,
            "identity_kind": entity.identity.kind,
            "given_name": entity.given_name,
            "family_name": entity.family_name,
            "unit_id": entity.unit_id,
            "home_municipality_code": entity.home_municipality_code,
            "address": entity.address,
            "latitude": entity.latitude,
            "longitude": entity.longitude,
            "lives_in_group_home": entity.lives_in_group_home,
            "deceased_on": entity.deceased_on,
        }

    def to_entity(self, row: ClientRow) -> Client:
        return Client(
            id=row.id,
            pseudonym=row.pseudonym,
            identity=PersonalIdentity(row.identity_number, row.identity_kind),
            given_name=row.given_name,
            family_name=row.family_name,
            unit_id=row.unit_id,
            home_municipality_code=row.home_municipality_code,
            address=row.address,
            latitude=row.latitude,
            longitude=row.longitude,
            lives_in_group_home=row.lives_in_group_home,
            deceased_on=row.deceased_on,
        )

    def of_unit(self, unit_id: str) -> list[Client]:
        return self._list(
            select(ClientRow).where(ClientRow.unit_id == unit_id).order_by(ClientRow.pseudonym)
        )

    def by_identity(self, identity: PersonalIdentity) -> Client | None:
        row = self.session.scalars(
            select(ClientRow).where(ClientRow.identity_number == identity.digits)
        ).first()
        return None if row is None else self.load(row)

    def by_pseudonym(self, pseudonym: str) -> Client | None:
        row = self.session.scalars(
            select(ClientRow).where(ClientRow.pseudonym == pseudonym)
        ).first()
        return None if row is None else self.load(row)

    def all(self) -> list[Client]:
        return self._list(select(ClientRow).order_by(ClientRow.id))
