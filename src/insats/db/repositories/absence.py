"""Absences (sjukfrånvaro, vab, semester, ...)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from insats.db.models.absence import AbsenceRow
from insats.db.models.staff import EmployeeRow
from insats.db.repositories._base import TableRepository
from insats.domain.absence import Absence, AbsenceKind
from insats.domain.common import Period


class AbsenceRepository(TableRepository[Absence, AbsenceRow]):
    model = AbsenceRow
    label = "Frånvaron"
    audit_kind = "absence"

    def to_values(self, entity: Absence) -> dict[str, Any]:
        return {
            "id": entity.id,
            "employee_id": entity.employee_id,
            "kind": entity.kind,
            "valid_from": entity.period.start,
            "valid_to": entity.period.end,
            "extent_percent": entity.extent_percent,
            "medical_certificate": entity.medical_certificate,
        }

    def to_entity(self, row: AbsenceRow) -> Absence:
        return Absence(
            id=row.id,
            employee_id=row.employee_id,
            kind=row.kind,
            period=Period(row.valid_from, row.valid_to),
            extent_percent=row.extent_percent,
            medical_certificate=row.medical_certificate,
        )

    def of_employee(self, employee_id: str) -> list[Absence]:
        return self._list(
            select(AbsenceRow)
            .where(AbsenceRow.employee_id == employee_id)
            .order_by(AbsenceRow.valid_from, AbsenceRow.id)
        )

    def overlapping(
        self, period: Period, *, unit_id: str | None = None, kind: AbsenceKind | None = None
    ) -> list[Absence]:
        """Absences sharing at least one day with ``period``, optionally for one home unit
        and of one kind."""
        statement = select(AbsenceRow).where(AbsenceRow.valid_to > period.start)
        if kind is not None:
            statement = statement.where(AbsenceRow.kind == kind)
        if period.end is not None:
            statement = statement.where(AbsenceRow.valid_from < period.end)
        if unit_id is not None:
            statement = statement.join(
                EmployeeRow, EmployeeRow.id == AbsenceRow.employee_id
            ).where(EmployeeRow.home_unit_id == unit_id)
        return self._list(statement.order_by(AbsenceRow.valid_from, AbsenceRow.id))
