"""Employees, with their skills in the child table ``employee_skills``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from insats.db.models.staff import EmployeeRow, EmployeeSkillRow
from insats.db.repositories._base import TableRepository
from insats.domain.common import Money, Period
from insats.domain.staff import Employee


def _ore(amount: Money | None) -> int | None:
    return None if amount is None else amount.ore


def _money(ore: int | None) -> Money | None:
    return None if ore is None else Money(ore)


def employee_of(row: Any, skills: frozenset[str]) -> Employee:
    """The employee of an ``employees`` row: a mapped row, or a plain row of the table's
    columns (whose names are the mapped attributes'), with the skills read apart."""
    return Employee(
        id=row.id,
        given_name=row.given_name,
        family_name=row.family_name,
        home_unit_id=row.home_unit_id,
        position=row.position,
        employment_form=row.employment_form,
        agreement=row.agreement,
        employment_percent=row.employment_percent,
        full_time_minutes_per_week=row.full_time_minutes_per_week,
        employed=Period(row.employed_from, row.employed_to),
        monthly_wage=_money(row.monthly_wage_ore),
        hourly_wage=_money(row.hourly_wage_ore),
        related_client_id=row.related_client_id,
        skills=skills,
        in_substitute_pool=row.in_substitute_pool,
        resides_outside_eea=row.resides_outside_eea,
        outside_eea_approved=row.outside_eea_approved,
    )


class EmployeeRepository(TableRepository[Employee, EmployeeRow]):
    model = EmployeeRow
    label = "Medarbetaren"

    def to_values(self, entity: Employee) -> dict[str, Any]:
        return {
            "id": entity.id,
            "given_name": entity.given_name,
            "family_name": entity.family_name,
            "home_unit_id": entity.home_unit_id,
            "position": entity.position,
            "employment_form": entity.employment_form,
            "agreement": entity.agreement,
            "employment_percent": entity.employment_percent,
            "full_time_minutes_per_week": entity.full_time_minutes_per_week,
            "resides_outside_eea": entity.resides_outside_eea,
            "outside_eea_approved": entity.outside_eea_approved,
            "employed_from": entity.employed.start,
            "employed_to": entity.employed.end,
            "monthly_wage_ore": _ore(entity.monthly_wage),
            "hourly_wage_ore": _ore(entity.hourly_wage),
            "related_client_id": entity.related_client_id,
            "in_substitute_pool": entity.in_substitute_pool,
        }

    def to_entity(self, row: EmployeeRow) -> Employee:
        return employee_of(row, frozenset(skill.skill for skill in row.skill_rows))

    def build_row(self, entity: Employee) -> EmployeeRow:
        row = EmployeeRow(**self.to_values(entity))
        row.skill_rows = [EmployeeSkillRow(skill=skill) for skill in sorted(entity.skills)]
        return row

    def child_rows(
        self, entities: Sequence[Employee]
    ) -> list[tuple[type[Any], list[dict[str, Any]]]]:
        skills = [
            {"employee_id": entity.id, "skill": skill}
            for entity in entities
            for skill in sorted(entity.skills)
        ]
        return [(EmployeeSkillRow, skills)]

    def replace_children(self, row: EmployeeRow, entity: Employee) -> None:
        if {skill.skill for skill in row.skill_rows} != set(entity.skills):
            row.skill_rows = [EmployeeSkillRow(skill=skill) for skill in sorted(entity.skills)]

    def of_unit(self, unit_id: str, *, employed_on: dt.date | None = None) -> list[Employee]:
        statement = select(EmployeeRow).where(EmployeeRow.home_unit_id == unit_id)
        if employed_on is not None:
            statement = statement.where(
                and_(
                    EmployeeRow.employed_from <= employed_on,
                    or_(EmployeeRow.employed_to.is_(None), EmployeeRow.employed_to > employed_on),
                )
            )
        return self._list(statement.order_by(EmployeeRow.family_name, EmployeeRow.id))

    def employed_during(self, period: Period) -> list[Employee]:
        """Employees employed on at least one day of ``period`` (skills loaded in one query)."""
        statement = (
            select(EmployeeRow)
            .options(selectinload(EmployeeRow.skill_rows))
            .where(or_(EmployeeRow.employed_to.is_(None), EmployeeRow.employed_to > period.start))
        )
        if period.end is not None:
            statement = statement.where(EmployeeRow.employed_from < period.end)
        return self._list(statement.order_by(EmployeeRow.id))

    def substitute_pool(self) -> list[Employee]:
        return self._list(
            select(EmployeeRow)
            .where(EmployeeRow.in_substitute_pool.is_(True))
            .order_by(EmployeeRow.id)
        )

    def all(self) -> list[Employee]:
        return self._list(select(EmployeeRow).order_by(EmployeeRow.id))
