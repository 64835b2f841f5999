"""Dated rule parameters (table ``rule_parameters``), keyed by (key, valid_from)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from insats.db.models.rules import RuleParameterRow
from insats.db.repositories._base import (
    NotFoundError,
    StaleVersionError,
    TableRepository,
    flush_or_stale,
)
from insats.domain.rules.parameters import RuleBook, RuleParameter


class RuleParameterRepository(TableRepository[RuleParameter, RuleParameterRow]):
    model = RuleParameterRow
    label = "Regelvärdet"

    def key_of(self, entity: RuleParameter) -> Any:
        return (entity.key, entity.valid_from)

    def to_values(self, entity: RuleParameter) -> dict[str, Any]:
        return {
            "key": entity.key,
            "valid_from": entity.valid_from,
            "valid_to": entity.valid_to,
            "value": entity.value,
            "unit": entity.unit,
            "source": entity.source,
            "certainty": entity.certainty,
        }

    def to_entity(self, row: RuleParameterRow) -> RuleParameter:
        return RuleParameter(
            key=row.key,
            valid_from=row.valid_from,
            value=row.value,
            unit=row.unit,
            source=row.source,
            certainty=row.certainty,
            valid_to=row.valid_to,
        )

    def _row(self, key: str, valid_from: dt.date) -> RuleParameterRow | None:
        return self.session.scalars(
            select(RuleParameterRow).where(
                RuleParameterRow.key == key, RuleParameterRow.valid_from == valid_from
            )
        ).first()

    def get(self, key: Any) -> RuleParameter | None:
        """``key`` is the pair ``(parameter key, valid_from)``."""
        row = self._row(*key)
        return None if row is None else self.load(row)

    def version_of(self, key: Any) -> int | None:
        row = self._row(*key)
        return None if row is None else row.version

    def update(self, entity: RuleParameter, *, expected_version: int | None = None) -> int:
        row = self._row(entity.key, entity.valid_from)
        if row is None:
            raise NotFoundError(self.label, f"{entity.key} {entity.valid_from}")
        if expected_version is None:
            expected_version = self._read_versions.get((row.id,))
        if expected_version is not None and row.version != expected_version:
            raise StaleVersionError(self.label, entity.key)
        for name, value in self.to_values(entity).items():
            setattr(row, name, value)
        flush_or_stale(self.session, self.label, entity.key)
        self._remember(row)
        return row.version

    def delete(self, key: Any) -> bool:
        row = self._row(*key)
        if row is None:
            return False
        self.session.delete(row)
        self.session.flush()
        return True

    def all(self) -> list[RuleParameter]:
        return self._list(
            select(RuleParameterRow).order_by(RuleParameterRow.key, RuleParameterRow.valid_from)
        )

    def of_key(self, key: str) -> list[RuleParameter]:
        return self._list(
            select(RuleParameterRow)
            .where(RuleParameterRow.key == key)
            .order_by(RuleParameterRow.valid_from)
        )

    def rule_book(self, *keys: str) -> RuleBook:
        """The rule book of every parameter, or of the parameters of ``keys`` only."""
        if not keys:
            return RuleBook(self.all())
        return RuleBook(self._list(
            select(RuleParameterRow)
            .where(RuleParameterRow.key.in_(keys))
            .order_by(RuleParameterRow.key, RuleParameterRow.valid_from)
        ))
