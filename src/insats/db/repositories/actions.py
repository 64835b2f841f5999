"""Action-plan actions (åtgärder)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from insats.db.models.actions import ActionRow
from insats.db.repositories._base import TableRepository
from insats.domain.actions import Action, ActionStatus


class ActionRepository(TableRepository[Action, ActionRow]):
    model = ActionRow
    label = "Åtgärden"

    def to_values(self, entity: Action) -> dict[str, Any]:
        return {
            "id": entity.id,
            "department_id": entity.department_id,
            "activity": entity.activity,
            "measure": entity.measure,
            "status": entity.status,
            "owner_role": entity.owner_role,
            "follow_up_on": entity.follow_up_on,
            "follow_up_text": entity.follow_up_text,
            "unit_id": entity.unit_id,
            "owner_username": entity.owner_username,
        }

    def to_entity(self, row: ActionRow) -> Action:
        return Action(
            id=row.id,
            department_id=row.department_id,
            activity=row.activity,
            measure=row.measure,
            status=row.status,
            owner_role=row.owner_role,
            follow_up_on=row.follow_up_on,
            follow_up_text=row.follow_up_text,
            unit_id=row.unit_id,
            owner_username=row.owner_username,
        )

    def of_department(self, department_id: str) -> list[Action]:
        return self._list(
            select(ActionRow)
            .where(ActionRow.department_id == department_id)
            .order_by(ActionRow.id)
        )

    def of_unit(self, unit_id: str) -> list[Action]:
        return self._list(
            select(ActionRow).where(ActionRow.unit_id == unit_id).order_by(ActionRow.id)
        )

    def overdue(self, on: dt.date) -> list[Action]:
        return self._list(
            select(ActionRow)
            .where(
                ActionRow.status.in_([ActionStatus.PLANNED, ActionStatus.ONGOING]),
                ActionRow.follow_up_on < on,
            )
            .order_by(ActionRow.follow_up_on, ActionRow.id)
        )
