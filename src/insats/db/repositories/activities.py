"""Meetings and training, with ordered participants."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from insats.db.models.activities import ActivityParticipantRow, ActivityRow
from insats.db.repositories._base import TableRepository
from insats.domain.activities import Activity


def _participants(entity: Activity) -> list[ActivityParticipantRow]:
    return [
        ActivityParticipantRow(employee_id=employee_id, position=index)
        for index, employee_id in enumerate(entity.participant_ids)
    ]


class ActivityRepository(TableRepository[Activity, ActivityRow]):
    model = ActivityRow
    label = "Aktiviteten"

    def to_values(self, entity: Activity) -> dict[str, Any]:
        return {
            "id": entity.id,
            "unit_id": entity.unit_id,
            "kind": entity.kind,
            "title": entity.title,
            "start_at": entity.start,
            "duration_minutes": entity.duration_minutes,
            "substitutes_needed": entity.substitutes_needed,
        }

    def to_entity(self, row: ActivityRow) -> Activity:
        return Activity(
            id=row.id,
            unit_id=row.unit_id,
            kind=row.kind,
            title=row.title,
            start=row.start_at,
            duration_minutes=row.duration_minutes,
            participant_ids=tuple(p.employee_id for p in row.participant_rows),
            substitutes_needed=row.substitutes_needed,
        )

    def build_row(self, entity: Activity) -> ActivityRow:
        row = ActivityRow(**self.to_values(entity))
        row.participant_rows = _participants(entity)
        return row

    def child_rows(
        self, entities: Sequence[Activity]
    ) -> list[tuple[type[Any], list[dict[str, Any]]]]:
        participants = [
            {"activity_id": entity.id, "employee_id": employee_id, "position": index}
            for entity in entities
            for index, employee_id in enumerate(entity.participant_ids)
        ]
        return [(ActivityParticipantRow, participants)]

    def replace_children(self, row: ActivityRow, entity: Activity) -> None:
        current = tuple(p.employee_id for p in row.participant_rows)
        if current != entity.participant_ids:
            row.participant_rows = []
            self.session.flush()
            row.participant_rows = _participants(entity)

    def of_unit(self, unit_id: str, start: dt.datetime, end: dt.datetime) -> list[Activity]:
        return self._list(
            select(ActivityRow)
            .where(
                ActivityRow.unit_id == unit_id,
                ActivityRow.start_at >= start,
                ActivityRow.start_at < end,
            )
            .order_by(ActivityRow.start_at, ActivityRow.id)
        )

    def of_employee(self, employee_id: str, start: dt.datetime, end: dt.datetime) -> list[Activity]:
        return self._list(
            select(ActivityRow)
            .join(ActivityParticipantRow, ActivityParticipantRow.activity_id == ActivityRow.id)
            .where(
                ActivityParticipantRow.employee_id == employee_id,
                ActivityRow.start_at >= start,
                ActivityRow.start_at < end,
            )
            .order_by(ActivityRow.start_at, ActivityRow.id)
        )
