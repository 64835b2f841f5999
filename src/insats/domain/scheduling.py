"""Assistance groups, schedule structures (shift templates) and planned shifts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from insats.domain.calendar import require_aware, worked_minutes
from insats.domain.common import DomainError, Minutes, Period


class ShiftKind(StrEnum):
    ORDINARY = "ordinarie"
    ON_CALL = "jour"  # jour: at the workplace, ready to work
    STAND_BY = "beredskap"  # beredskap: reachable, not at the workplace


class ShiftStatus(StrEnum):
    PROPOSED = "forslag"
    PUBLISHED = "publicerat"
    CANCELLED = "installt"


@dataclass(frozen=True, slots=True)
class AssistanceGroup:
    """A client's team of assistants (assistansgrupp), or a unit's staff group.

    ``client_id`` is None for a korttidsvistelse or korttidstillsyn group that serves many.
    ``breaks_allowed``: whether staff can take scheduled breaks (korttids, fritid); in a
    client's home the assistant usually cannot leave and the break is paid time.
    """

    id: str
    unit_id: str
    name: str
    client_id: str | None = None
    breaks_allowed: bool = False


@dataclass(frozen=True, slots=True)
class GroupMembership:
    employee_id: str
    group_id: str
    period: Period
    is_regular: bool = True  # ordinary member, not a co-planned or pool substitute


@dataclass(frozen=True, slots=True)
class ShiftTemplate:
    """One line of a schedule structure: a shift that recurs on a weekday.

    ``positions`` above 1 means double staffing (e.g. double assistance).
    """

    id: str
    group_id: str
    name: str
    weekday: int  # 0 = Monday
    start: dt.time
    length_minutes: int
    valid: Period
    positions: int = 1
    break_minutes: int = 0
    kind: ShiftKind = ShiftKind.ORDINARY

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise DomainError("template.weekday", "Veckodag ska vara 0 (måndag) till 6 (söndag).")
        if not 0 < self.length_minutes <= 24 * 60:
            raise DomainError(
                "template.length", "Ett pass måste vara mellan 1 minut och 24 timmar."
            )
        if not 0 <= self.break_minutes < self.length_minutes:
            raise DomainError("template.break", "Rasten måste vara kortare än passet.")
        if self.positions < 1:
            raise DomainError("template.positions", "Ett pass behöver minst en bemanning.")


@dataclass(frozen=True, slots=True)
class PlannedShift:
    """A shift in a schedule; times are aware and stored in UTC.

    ``employee_id`` None is an open (unstaffed) shift. ``is_double`` marks the second
    assistant under a double-assistance allotment.
    """

    id: str
    group_id: str
    start: dt.datetime
    end: dt.datetime
    employee_id: str | None = None
    kind: ShiftKind = ShiftKind.ORDINARY
    status: ShiftStatus = ShiftStatus.PUBLISHED
    break_minutes: int = 0
    is_double: bool = False
    template_id: str | None = None

    def __post_init__(self) -> None:
        require_aware(self.start, "passets start")
        require_aware(self.end, "passets slut")
        length = worked_minutes(self.start, self.end)
        if not 0 <= self.break_minutes < length.value:
            raise DomainError("shift.break", "Rasten måste vara kortare än passet.")

    @property
    def length(self) -> Minutes:
        return worked_minutes(self.start, self.end)

    @property
    def paid_minutes(self) -> Minutes:
        return Minutes(self.length.value - self.break_minutes)

    def overlaps(self, other: PlannedShift) -> bool:
        return self.start < other.end and other.start < self.end
