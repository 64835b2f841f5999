"""Action-plan actions (åtgärder) with status, owner and follow-up date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from insats.domain.common import DomainError


class ActionStatus(StrEnum):
    PLANNED = "planerad"
    ONGOING = "pagar"
    DONE = "klar"
    PAUSED = "pausad"


ACTION_STATUS_LABELS: dict[ActionStatus, str] = {
    ActionStatus.PLANNED: "Planerad",
    ActionStatus.ONGOING: "Pågår",
    ActionStatus.DONE: "Klar",
    ActionStatus.PAUSED: "Pausad",
}


@dataclass(frozen=True, slots=True)
class Action:
    id: str
    department_id: str
    activity: str
    measure: str
    status: ActionStatus
    owner_role: str
    follow_up_on: dt.date | None
    follow_up_text: str = ""
    unit_id: str | None = None

    def __post_init__(self) -> None:
        if not self.activity.strip():
            raise DomainError("action.activity", "Åtgärden behöver en aktivitet.")

    def overdue_on(self, day: dt.date) -> bool:
        return (
            self.status not in (ActionStatus.DONE, ActionStatus.PAUSED)
            and self.follow_up_on is not None
            and self.follow_up_on < day
        )
