"""Assistance groups, memberships, shift templates and planned shifts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from insats.db.models.scheduling import (
    AssistanceGroupRow,
    GroupMembershipRow,
    PlannedShiftRow,
    ShiftTemplateRow,
)
from insats.db.repositories._base import TableRepository, add_in_runs, part_for
from insats.db.shift_guards import refusing_overlaps
from insats.domain.calendar import local_date
from insats.domain.common import Period
from insats.domain.scheduling import (
    AssistanceGroup,
    GroupMembership,
    PlannedShift,
    ShiftTemplate,
)


class GroupTable(TableRepository[AssistanceGroup, AssistanceGroupRow]):
    model = AssistanceGroupRow
    label = "Gruppen"

    def to_values(self, entity: AssistanceGroup) -> dict[str, Any]:
        return {
            "id": entity.id,
            "unit_id": entity.unit_id,
            "name": entity.name,
            "client_id": entity.client_id,
            "breaks_allowed": entity.breaks_allowed,
        }

    def to_entity(self, row: AssistanceGroupRow) -> AssistanceGroup:
        return AssistanceGroup(
            id=row.id,
            unit_id=row.unit_id,
            name=row.name,
            client_id=row.client_id,
            breaks_allowed=row.breaks_allowed,
        )


class MembershipTable(TableRepository[GroupMembership, GroupMembershipRow]):
    model = GroupMembershipRow
    label = "Gruppmedlemskapet"

    def key_of(self, entity: GroupMembership) -> Any:
        return (entity.employee_id, entity.group_id, entity.period.start)

    def to_values(self, entity: GroupMembership) -> dict[str, Any]:
        return {
            "employee_id": entity.employee_id,
            "group_id": entity.group_id,
            "valid_from": entity.period.start,
            "valid_to": entity.period.end,
            "is_regular": entity.is_regular,
        }

    def to_entity(self, row: GroupMembershipRow) -> GroupMembership:
        return GroupMembership(
            employee_id=row.employee_id,
            group_id=row.group_id,
            period=Period(row.valid_from, row.valid_to),
            is_regular=row.is_regular,
        )


class TemplateTable(TableRepository[ShiftTemplate, ShiftTemplateRow]):
    model = ShiftTemplateRow
    label = "Passmallen"

    def to_values(self, entity: ShiftTemplate) -> dict[str, Any]:
        return {
            "id": entity.id,
            "group_id": entity.group_id,
            "name": entity.name,
            "weekday": entity.weekday,
            "start_time": entity.start,
            "length_minutes": entity.length_minutes,
            "valid_from": entity.valid.start,
            "valid_to": entity.valid.end,
            "positions": entity.positions,
            "break_minutes": entity.break_minutes,
            "kind": entity.kind,
        }

    def to_entity(self, row: ShiftTemplateRow) -> ShiftTemplate:
        return ShiftTemplate(
            id=row.id,
            group_id=row.group_id,
            name=row.name,
            weekday=row.weekday,
            start=row.start_time,
            length_minutes=row.length_minutes,
            valid=Period(row.valid_from, row.valid_to),
            positions=row.positions,
            break_minutes=row.break_minutes,
            kind=row.kind,
        )


class ShiftTable(TableRepository[PlannedShift, PlannedShiftRow]):
    model = PlannedShiftRow
    label = "Passet"
    audit_kind = "planned_shift"

    def to_values(self, entity: PlannedShift) -> dict[str, Any]:
        return {
            "id": entity.id,
            "group_id": entity.group_id,
            "start_at": entity.start,
            "end_at": entity.end,
            "starts_on": local_date(entity.start),
            "employee_id": entity.employee_id,
            "kind": entity.kind,
            "status": entity.status,
            "break_minutes": entity.break_minutes,
            "paid_minutes": entity.paid_minutes.value,
            "is_double": entity.is_double,
            "template_id": entity.template_id,
        }

    def to_entity(self, row: PlannedShiftRow) -> PlannedShift:
        return PlannedShift(
            id=row.id,
            group_id=row.group_id,
            start=row.start_at,
            end=row.end_at,
            employee_id=row.employee_id,
            kind=row.kind,
            status=row.status,
            break_minutes=row.break_minutes,
            is_double=row.is_double,
            template_id=row.template_id,
        )

    # The database refuses overlapping published shifts of one employee (db.shift_guards);
    # each write names the refused shift in a Swedish ShiftOverlapError.
    def add(self, entity: PlannedShift) -> None:
        with refusing_overlaps(entity.employee_id, entity.start, entity.end):
            super().add(entity)

    def add_many(self, entities: Iterable[PlannedShift]) -> int:
        with refusing_overlaps():
            return super().add_many(entities)

    def update(self, entity: PlannedShift, *, expected_version: int | None = None) -> int | None:
        with refusing_overlaps(entity.employee_id, entity.start, entity.end):
            return super().update(entity, expected_version=expected_version)


class SchedulingRepository:
    """Groups, memberships, templates and shifts; ``get`` returns a planned shift.

    Period queries on shifts select shifts that *start* in ``[start, end)`` (UTC instants).
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self.groups = GroupTable(session)
        self.memberships = MembershipTable(session)
        self.templates = TemplateTable(session)
        self.shifts = ShiftTable(session)
        self._parts: dict[type[Any], TableRepository[Any, Any]] = {
            AssistanceGroup: self.groups,
            GroupMembership: self.memberships,
            ShiftTemplate: self.templates,
            PlannedShift: self.shifts,
        }

    def add(self, entity: AssistanceGroup | GroupMembership | ShiftTemplate | PlannedShift) -> None:
        part_for(self._parts, entity).add(entity)

    def add_many(self, entities: Iterable[Any]) -> int:
        return add_in_runs(self._parts, entities)

    def update(self, entity: Any, *, expected_version: int | None = None) -> int | None:
        updated: int | None = part_for(self._parts, entity).update(
            entity, expected_version=expected_version
        )
        return updated

    def get(self, shift_id: str) -> PlannedShift | None:
        return self.shifts.get(shift_id)

    def version_of(self, shift_id: str) -> int | None:
        return self.shifts.version_of(shift_id)

    def get_group(self, group_id: str) -> AssistanceGroup | None:
        return self.groups.get(group_id)

    def get_template(self, template_id: str) -> ShiftTemplate | None:
        return self.templates.get(template_id)

    def groups_of_unit(self, unit_id: str) -> list[AssistanceGroup]:
        return self.groups._list(
            select(AssistanceGroupRow)
            .where(AssistanceGroupRow.unit_id == unit_id)
            .order_by(AssistanceGroupRow.id)
        )

    def group_of_client(self, client_id: str) -> AssistanceGroup | None:
        row = self.session.scalars(
            select(AssistanceGroupRow).where(AssistanceGroupRow.client_id == client_id)
        ).first()
        return None if row is None else self.groups.load(row)

    def members_of_group(
        self, group_id: str, *, on: dt.date | None = None
    ) -> list[GroupMembership]:
        statement = select(GroupMembershipRow).where(GroupMembershipRow.group_id == group_id)
        if on is not None:
            statement = statement.where(
                GroupMembershipRow.valid_from <= on,
                or_(GroupMembershipRow.valid_to.is_(None), GroupMembershipRow.valid_to > on),
            )
        return self.memberships._list(
            statement.order_by(GroupMembershipRow.employee_id, GroupMembershipRow.valid_from)
        )

    def templates_of_group(self, group_id: str) -> list[ShiftTemplate]:
        return self.templates._list(
            select(ShiftTemplateRow)
            .where(ShiftTemplateRow.group_id == group_id)
            .order_by(ShiftTemplateRow.weekday, ShiftTemplateRow.start_time, ShiftTemplateRow.id)
        )

    def shifts_of_group(
        self, group_id: str, start: dt.datetime, end: dt.datetime
    ) -> list[PlannedShift]:
        return self.shifts._list(
            select(PlannedShiftRow)
            .where(
                PlannedShiftRow.group_id == group_id,
                and_(PlannedShiftRow.start_at >= start, PlannedShiftRow.start_at < end),
            )
            .order_by(PlannedShiftRow.start_at, PlannedShiftRow.id)
        )

    def shifts_of_employee(
        self, employee_id: str, start: dt.datetime, end: dt.datetime
    ) -> list[PlannedShift]:
        return self.shifts._list(
            select(PlannedShiftRow)
            .where(
                PlannedShiftRow.employee_id == employee_id,
                PlannedShiftRow.start_at >= start,
                PlannedShiftRow.start_at < end,
            )
            .order_by(PlannedShiftRow.start_at, PlannedShiftRow.id)
        )

    def shifts_of_unit_on_days(self, unit_id: str, days: Period) -> list[PlannedShift]:
        """Shifts of the unit's groups starting on Stockholm dates in ``days``."""
        statement = (
            select(PlannedShiftRow)
            .join(AssistanceGroupRow, AssistanceGroupRow.id == PlannedShiftRow.group_id)
            .where(AssistanceGroupRow.unit_id == unit_id, PlannedShiftRow.starts_on >= days.start)
        )
        if days.end is not None:
            statement = statement.where(PlannedShiftRow.starts_on < days.end)
        return self.shifts._list(statement.order_by(PlannedShiftRow.start_at, PlannedShiftRow.id))
