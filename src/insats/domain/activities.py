"""Meetings and training (APT, verksamhetsmöten, utbildning) that take staff off the floor."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from insats.domain.calendar import require_aware
from insats.domain.common import DomainError, Minutes


class ActivityKind(StrEnum):
    WORKPLACE_MEETING = "apt"
    OPERATIONS_MEETING = "verksamhetsmote"
    TRAINING = "utbildning"
    STAFF_DAY = "medarbetardag"


@dataclass(frozen=True, slots=True)
class Activity:
    """A meeting or training; participants who were on shift need a substitute."""

    id: str
    unit_id: str
    kind: ActivityKind
    title: str
    start: dt.datetime
    duration_minutes: int
    participant_ids: tuple[str, ...] = ()
    substitutes_needed: int = 0

    def __post_init__(self) -> None:
        require_aware(self.start, "start")
        if self.duration_minutes <= 0:
            raise DomainError("activity.duration", "Aktivitetens längd måste vara positiv.")
        if self.substitutes_needed < 0:
            raise DomainError("activity.substitutes", "Antal vikarier kan inte vara negativt.")

    @property
    def participant_minutes(self) -> Minutes:
        return Minutes(self.duration_minutes * len(self.participant_ids))
