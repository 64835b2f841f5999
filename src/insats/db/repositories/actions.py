"""Action-plan actions (åtgärder), the key-figure targets tied to them and their follow-up
notes.

``ActionRepository`` reads and writes actions itself (``get``, ``update``, ...) and the
other two tables through ``targets`` and ``follow_ups``; ``add_many`` takes any mix of the
three. Follow-ups are append-only: the repository refuses to change one, and the
database's triggers refuse an UPDATE or DELETE that gets past it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from insats.db.models.actions import ActionFollowUpRow, ActionRow, ActionTargetRow
from insats.db.repositories._base import TableRepository, add_in_runs, part_for
from insats.domain.actions import (
    OPEN_STATUSES,
    Action,
    ActionFollowUp,
    ActionTarget,
)
from insats.domain.common import DomainError


def _plain(value: Decimal) -> Decimal:
    """A stored NUMERIC without its trailing zeros ("12.5000" → 12.5, "3.0000" → 3)."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


class ActionTargetTable(TableRepository[ActionTarget, ActionTargetRow]):
    model = ActionTargetRow
    label = "Målet"

    def to_values(self, entity: ActionTarget) -> dict[str, Any]:
        return {
            "id": entity.id,
            "action_id": entity.action_id,
            "figure_code": entity.figure_code,
            "unit_id": entity.unit_id,
            "baseline": entity.baseline,
            "baseline_period": entity.baseline_period,
            "target": entity.target,
            "target_on": entity.target_on,
        }

    def to_entity(self, row: ActionTargetRow) -> ActionTarget:
        return ActionTarget(
            id=row.id,
            action_id=row.action_id,
            figure_code=row.figure_code,
            baseline=_plain(row.baseline),
            baseline_period=row.baseline_period,
            target=_plain(row.target),
            target_on=row.target_on,
            unit_id=row.unit_id,
        )

    def of_actions(self, action_ids: Sequence[str]) -> list[ActionTarget]:
        if not action_ids:
            return []
        return self._list(
            select(ActionTargetRow)
            .where(ActionTargetRow.action_id.in_(list(action_ids)))
            .order_by(ActionTargetRow.action_id, ActionTargetRow.id)
        )


class ActionFollowUpTable(TableRepository[ActionFollowUp, ActionFollowUpRow]):
    model = ActionFollowUpRow
    label = "Uppföljningen"

    def to_values(self, entity: ActionFollowUp) -> dict[str, Any]:
        return {
            "id": entity.id,
            "action_id": entity.action_id,
            "written_on": entity.written_on,
            "written_at": entity.written_at,
            "author": entity.author,
            "status": entity.status,
            "text": entity.text,
            "next_follow_up_on": entity.next_follow_up_on,
        }

    def to_entity(self, row: ActionFollowUpRow) -> ActionFollowUp:
        return ActionFollowUp(
            id=row.id,
            action_id=row.action_id,
            written_on=row.written_on,
            written_at=row.written_at,
            author=row.author,
            status=row.status,
            text=row.text,
            next_follow_up_on=row.next_follow_up_on,
        )

    def check_editable(self, row: ActionFollowUpRow) -> None:
        raise DomainError("action.follow_up_fixed",
                          "En uppföljning ändras inte i efterhand; skriv en ny uppföljning.")

    def of_action(self, action_id: str) -> list[ActionFollowUp]:
        """The notes of one action, oldest first."""
        return self._list(
            select(ActionFollowUpRow)
            .where(ActionFollowUpRow.action_id == action_id)
            .order_by(ActionFollowUpRow.written_at, ActionFollowUpRow.id)
        )

    def latest_of(self, action_ids: Sequence[str]) -> dict[str, ActionFollowUp]:
        """The newest note of each action that has one."""
        latest: dict[str, ActionFollowUp] = {}
        if not action_ids:
            return latest
        rows = self.session.scalars(
            select(ActionFollowUpRow)
            .where(ActionFollowUpRow.action_id.in_(list(action_ids)))
            .order_by(ActionFollowUpRow.written_at, ActionFollowUpRow.id)
        )
        for row in rows:
            latest[row.action_id] = self.to_entity(row)
        return latest


class ActionTable(TableRepository[Action, ActionRow]):
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

    def last_change(self, row: ActionRow) -> tuple[str | None, dt.datetime | None]:
        """Every save of an action writes a follow-up note: its author and time."""
        found = self.session.execute(
            select(ActionFollowUpRow.author, ActionFollowUpRow.written_at)
            .where(ActionFollowUpRow.action_id == row.id)
            .order_by(ActionFollowUpRow.written_at.desc(), ActionFollowUpRow.id.desc())
            .limit(1)).first()
        return (None, None) if found is None else (found[0], found[1])


class ActionRepository:
    """Actions, their targets and their follow-up notes; ``get`` returns an action."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.actions = ActionTable(session)
        self.targets = ActionTargetTable(session)
        self.follow_ups = ActionFollowUpTable(session)
        self._parts: dict[type[Any], TableRepository[Any, Any]] = {
            Action: self.actions,
            ActionTarget: self.targets,
            ActionFollowUp: self.follow_ups,
        }

    # --- writing -------------------------------------------------------------------
    def add(self, entity: Action | ActionTarget | ActionFollowUp) -> None:
        part_for(self._parts, entity).add(entity)

    def add_many(self, entities: Iterable[Action | ActionTarget | ActionFollowUp]) -> int:
        return add_in_runs(self._parts, entities)

    def update(self, entity: Action | ActionTarget, *,
               expected_version: int | None = None) -> int | None:
        updated: int | None = part_for(self._parts, entity).update(
            entity, expected_version=expected_version)
        return updated

    def touch(self, action_id: str, *, expected_version: int) -> int:
        """A save that leaves the action's fields as they are (a note only) still takes a
        new version, so it too is refused when based on an old one."""
        return self.actions.touch(action_id, expected_version=expected_version)

    # --- reading -------------------------------------------------------------------
    def get(self, action_id: str) -> Action | None:
        return self.actions.get(action_id)

    def version_of(self, action_id: str) -> int | None:
        return self.actions.version_of(action_id)

    def count(self) -> int:
        return self.actions.count()

    def of_department(self, department_id: str) -> list[Action]:
        return self.actions._list(
            select(ActionRow)
            .where(ActionRow.department_id == department_id)
            .order_by(ActionRow.id)
        )

    def all(self) -> list[Action]:
        return self.actions._list(select(ActionRow).order_by(ActionRow.id))

    def of_unit(self, unit_id: str) -> list[Action]:
        return self.actions._list(
            select(ActionRow).where(ActionRow.unit_id == unit_id).order_by(ActionRow.id)
        )

    def overdue(self, on: dt.date) -> list[Action]:
        return self.actions._list(
            select(ActionRow)
            .where(
                ActionRow.status.in_(list(OPEN_STATUSES)),
                ActionRow.follow_up_on < on,
            )
            .order_by(ActionRow.follow_up_on, ActionRow.id)
        )

    def ids(self) -> list[str]:
        return list(self.session.scalars(select(ActionRow.id).order_by(ActionRow.id)))
