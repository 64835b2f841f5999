"""Action-plan actions (åtgärder) with status, owner and follow-up date, the key figures
each is tied to (baseline, target, date) and their follow-up notes over time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
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
    owner_username: str | None = None  # the account whose overdue follow-ups these are

    def __post_init__(self) -> None:
        if not self.activity.strip():
            raise DomainError("action.activity", "Åtgärden behöver en aktivitet.")

    def overdue_on(self, day: dt.date) -> bool:
        return (
            self.status not in (ActionStatus.DONE, ActionStatus.PAUSED)
            and self.follow_up_on is not None
            and self.follow_up_on < day
        )


@dataclass(frozen=True, slots=True)
class ActionTarget:
    """A key figure (``figure_code``, see ``insats.domain.figure_catalogue``) that an action
    should move, for a unit or the whole department (``unit_id`` None): its value in
    ``baseline_period`` ("2025" or "2025-10") and the value to reach by ``target_on``."""

    id: str
    action_id: str
    figure_code: str
    baseline: Decimal
    baseline_period: str
    target: Decimal
    target_on: dt.date
    unit_id: str | None = None


@dataclass(frozen=True, slots=True)
class ActionFollowUp:
    """One follow-up of an action: what was done or found, the status after it and the
    next follow-up date. Follow-ups are kept in order and never rewritten."""

    id: str
    action_id: str
    written_on: dt.date
    written_at: dt.datetime
    author: str
    status: ActionStatus
    text: str
    next_follow_up_on: dt.date | None = None

    def __post_init__(self) -> None:
        if not self.text.strip():
            raise DomainError("action.follow_up", "Uppföljningen behöver en text.")
