"""The department and its units."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from insats.db.models.organisation import DepartmentRow, UnitRow
from insats.db.repositories._base import TableRepository, add_in_runs, part_for
from insats.domain.organisation import Department, Unit


class DepartmentTable(TableRepository[Department, DepartmentRow]):
    model = DepartmentRow
    label = "Avdelningen"

    def to_values(self, entity: Department) -> dict[str, Any]:
        return {
            "id": entity.id,
            "name": entity.name,
            "municipality_code": entity.municipality_code,
            "municipality_name": entity.municipality_name,
            "head_employee_id": entity.head_employee_id,
        }

    def to_entity(self, row: DepartmentRow) -> Department:
        return Department(
            id=row.id,
            name=row.name,
            municipality_code=row.municipality_code,
            municipality_name=row.municipality_name,
            head_employee_id=row.head_employee_id,
        )


class UnitTable(TableRepository[Unit, UnitRow]):
    model = UnitRow
    label = "Enheten"

    def to_values(self, entity: Unit) -> dict[str, Any]:
        return {
            "id": entity.id,
            "department_id": entity.department_id,
            "name": entity.name,
            "kind": entity.kind,
            "cost_centre": entity.cost_centre,
            "manager_employee_id": entity.manager_employee_id,
            "places": entity.places,
        }

    def to_entity(self, row: UnitRow) -> Unit:
        return Unit(
            id=row.id,
            department_id=row.department_id,
            name=row.name,
            kind=row.kind,
            cost_centre=row.cost_centre,
            manager_employee_id=row.manager_employee_id,
            places=row.places,
        )


class OrganisationRepository:
    """Departments and units; ``get`` and the list methods return units."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.department_table = DepartmentTable(session)
        self.unit_table = UnitTable(session)
        self._parts: dict[type[Any], TableRepository[Any, Any]] = {
            Department: self.department_table,
            Unit: self.unit_table,
        }

    def add(self, entity: Department | Unit) -> None:
        part_for(self._parts, entity).add(entity)

    def add_many(self, entities: Iterable[Department | Unit]) -> int:
        return add_in_runs(self._parts, entities)

    def update(self, entity: Department | Unit) -> None:
        part_for(self._parts, entity).update(entity)

    def get(self, unit_id: str) -> Unit | None:
        return self.unit_table.get(unit_id)

    def get_department(self, department_id: str) -> Department | None:
        return self.department_table.get(department_id)

    def departments(self) -> list[Department]:
        return self.department_table._list(select(DepartmentRow).order_by(DepartmentRow.id))

    def units(self) -> list[Unit]:
        """Every unit by id, read as plain rows (most pages read them all to find the
        viewer's scope; units carry no version to remember)."""
        assert not self.unit_table.versioned
        rows = self.session.execute(select(
            UnitRow.id, UnitRow.department_id, UnitRow.name, UnitRow.kind, UnitRow.cost_centre,
            UnitRow.manager_employee_id, UnitRow.places).order_by(UnitRow.id))
        # a plain row has the mapped row's attribute names, which is all to_entity reads
        return [self.unit_table.to_entity(cast(UnitRow, row)) for row in rows]

    def units_of_department(self, department_id: str) -> list[Unit]:
        return self.unit_table._list(
            select(UnitRow).where(UnitRow.department_id == department_id).order_by(UnitRow.id)
        )
