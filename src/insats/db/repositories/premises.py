"""Premises, the units using them and their recorded use."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from insats.db.models.premises import PremisesRow, PremisesUnitRow, PremisesUseRow
from insats.db.repositories._base import TableRepository, add_in_runs, part_for
from insats.domain.premises import Premises, PremisesUse


class PremisesTable(TableRepository[Premises, PremisesRow]):
    model = PremisesRow
    label = "Lokalen"

    def to_values(self, entity: Premises) -> dict[str, Any]:
        return {
            "id": entity.id, "name": entity.name, "address": entity.address,
            "district": entity.district, "area_m2": entity.area_m2,
            "rent_unit_id": entity.rent_unit_id, "rent_text": entity.rent_text,
            "available_minutes_per_week": entity.available_minutes_per_week,
        }

    def to_entity(self, row: PremisesRow) -> Premises:
        return Premises(
            id=row.id, name=row.name, address=row.address, district=row.district,
            area_m2=row.area_m2, rent_unit_id=row.rent_unit_id, rent_text=row.rent_text,
            available_minutes_per_week=row.available_minutes_per_week)

    def child_rows(self, entities: Sequence[Premises]) -> list[tuple[type[Any],
                                                                      list[dict[str, Any]]]]:
        return [(PremisesUnitRow, [{"premises_id": p.id, "unit_id": u}
                                   for p in entities for u in dict.fromkeys(p.unit_ids)])]

    def add(self, entity: Premises) -> None:
        super().add(entity)
        for unit_id in dict.fromkeys(entity.unit_ids):
            self.session.add(PremisesUnitRow(premises_id=entity.id, unit_id=unit_id))
        self.session.flush()


class PremisesUseTable(TableRepository[PremisesUse, PremisesUseRow]):
    model = PremisesUseRow
    label = "Nyttjandet"

    def to_values(self, entity: PremisesUse) -> dict[str, Any]:
        return {"id": entity.id, "premises_id": entity.premises_id, "unit_id": entity.unit_id,
                "start": entity.start, "end": entity.end, "purpose": entity.purpose}

    def to_entity(self, row: PremisesUseRow) -> PremisesUse:
        return PremisesUse(id=row.id, premises_id=row.premises_id, unit_id=row.unit_id,
                           start=row.start, end=row.end, purpose=row.purpose)


class PremisesRepository:
    """Premises (with the units using them) and their use."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.premises = PremisesTable(session)
        self.uses = PremisesUseTable(session)
        self._parts: dict[type[Any], TableRepository[Any, Any]] = {
            Premises: self.premises, PremisesUse: self.uses}

    def add(self, entity: Premises | PremisesUse) -> None:
        part_for(self._parts, entity).add(entity)

    def add_many(self, entities: Iterable[Premises | PremisesUse]) -> int:
        return add_in_runs(self._parts, entities)

    def of_units(self, unit_ids: Collection[str]) -> list[Premises]:
        """The premises whose rent one of the units pays or that one of them uses, by id."""
        if not unit_ids:
            return []
        wanted = sorted(unit_ids)
        used = select(PremisesUnitRow.premises_id).where(PremisesUnitRow.unit_id.in_(wanted))
        found = self.premises._list(select(PremisesRow).where(or_(
            PremisesRow.rent_unit_id.in_(wanted), PremisesRow.id.in_(used)))
            .order_by(PremisesRow.id))
        units: dict[str, list[str]] = {}
        for premises_id, unit_id in self.session.execute(
                select(PremisesUnitRow.premises_id, PremisesUnitRow.unit_id)
                .where(PremisesUnitRow.premises_id.in_([p.id for p in found]))
                .order_by(PremisesUnitRow.premises_id, PremisesUnitRow.unit_id)):
            units.setdefault(premises_id, []).append(unit_id)
        return [dataclasses.replace(p, unit_ids=tuple(units.get(p.id, ()))) for p in found]

    def uses_of(self, premises_ids: Collection[str], start: dt.datetime,
                end: dt.datetime) -> list[PremisesUse]:
        """The uses of the premises that touch ``[start, end)``, by start."""
        if not premises_ids:
            return []
        return self.uses._list(
            select(PremisesUseRow).where(PremisesUseRow.premises_id.in_(sorted(premises_ids)),
                                         PremisesUseRow.start < end, PremisesUseRow.end > start)
            .order_by(PremisesUseRow.premises_id, PremisesUseRow.start, PremisesUseRow.id))
