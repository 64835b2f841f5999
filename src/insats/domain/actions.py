"""Action-plan actions (åtgärder) with status, owner and follow-up date, the key figures
each is tied to (baseline, target, date) and their follow-up notes over time.

Rules (docs/action-plans.md):

- status moves between planned, ongoing, done and paused; an action that has started is
  never "planned" again (it is paused instead), and a done action can only be reopened
  as ongoing (:func:`check_transition`);
- an action is overdue when it is planned or ongoing and its follow-up date has passed
  (:meth:`Action.overdue_on`); done and paused actions are never overdue;
- a target names a key figure (``insats.domain.figure_catalogue.FigureCode``), its
  baseline in a period, the value to reach and by when; the direction (lower or higher is
  better) follows from target against baseline, and :meth:`ActionTarget.progress` tells
  how far a current value has come;
- follow-up notes are appended, never rewritten (the table refuses UPDATE and DELETE).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from insats.domain.common import DomainError
from insats.domain.figure_catalogue import DEFINITIONS, FigureCode, definition


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

OPEN_STATUSES = frozenset({ActionStatus.PLANNED, ActionStatus.ONGOING})
"""Statuses whose follow-up date is watched (overdue when passed)."""

_TRANSITIONS: dict[ActionStatus, frozenset[ActionStatus]] = {
    ActionStatus.PLANNED: frozenset({ActionStatus.ONGOING, ActionStatus.PAUSED,
                                     ActionStatus.DONE}),
    ActionStatus.ONGOING: frozenset({ActionStatus.PAUSED, ActionStatus.DONE}),
    ActionStatus.PAUSED: frozenset({ActionStatus.ONGOING, ActionStatus.DONE,
                                    ActionStatus.PLANNED}),
    ActionStatus.DONE: frozenset({ActionStatus.ONGOING}),
}

TEXT_LIMIT = 2000
"""Longest follow-up note, activity or measure (characters)."""

FIGURE_CODES = frozenset(code.value for code in FigureCode)
_PERIOD = re.compile(r"(\d{4})(?:-(0[1-9]|1[0-2]))?")


def parse_status(text: str) -> ActionStatus:
    """A status from its code or Swedish label, any case ("pagar", "Pågår", "klar").

    Raises:
        DomainError: ``action.status`` naming the field and the allowed values.
    """
    wanted = text.strip().casefold()
    for status, label in ACTION_STATUS_LABELS.items():
        if wanted in (status.value, label.casefold()):
            return status
    allowed = ", ".join(label.lower() for label in ACTION_STATUS_LABELS.values())
    raise DomainError("action.status", f"Status: {text!r} är ingen status ({allowed}).")


def check_transition(old: ActionStatus, new: ActionStatus) -> None:
    """Refuse a status change the plan does not allow (unchanged status is allowed)."""
    if new == old or new in _TRANSITIONS[old]:
        return
    if old is ActionStatus.DONE:
        message = "Status: en klar åtgärd kan bara öppnas igen som pågående."
    else:
        message = ("Status: en påbörjad åtgärd blir inte planerad igen; "
                   "pausa den i stället.")
    raise DomainError("action.status", message)


def check_text(text: str, field: str, *, required: bool = True) -> str:
    """The text stripped, or a DomainError naming ``field`` when empty or too long."""
    stripped = text.strip()
    if required and not stripped:
        raise DomainError("action.text", f"{field}: fältet får inte vara tomt.")
    if len(stripped) > TEXT_LIMIT:
        raise DomainError("action.text",
                          f"{field}: högst {TEXT_LIMIT} tecken ({len(stripped)} angivna).")
    return stripped


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
    unit_id: str | None = None  # None: an action of the whole department
    owner_username: str | None = None  # the account whose overdue follow-ups these are

    def __post_init__(self) -> None:
        if not self.activity.strip():
            raise DomainError("action.activity", "Åtgärden behöver en aktivitet.")

    def overdue_on(self, day: dt.date) -> bool:
        return (
            self.status in OPEN_STATUSES
            and self.follow_up_on is not None
            and self.follow_up_on < day
        )

    def days_overdue(self, day: dt.date) -> int:
        """Days since the follow-up date, 0 when not overdue."""
        if not self.overdue_on(day):
            return 0
        assert self.follow_up_on is not None
        return (day - self.follow_up_on).days


class Direction(StrEnum):
    LOWER = "lower"  # the figure should go down (overtime, sick leave, cost)
    HIGHER = "higher"  # the figure should go up (revenue billed)


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

    def __post_init__(self) -> None:
        if self.figure_code not in FIGURE_CODES:
            raise DomainError("action.figure",
                              f"Nyckeltal: {self.figure_code!r} är inget känt nyckeltal.")
        if not _PERIOD.fullmatch(self.baseline_period):
            raise DomainError("action.baseline_period",
                              f"Utgångsperiod: {self.baseline_period!r} ska skrivas ÅÅÅÅ "
                              "eller ÅÅÅÅ-MM.")
        if self.target == self.baseline:
            raise DomainError("action.target",
                              "Målvärde: ska skilja sig från utgångsvärdet.")
        if self.target_on <= self.baseline_end:
            raise DomainError("action.target_on",
                              "Måldatum: ska ligga efter utgångsperioden.")

    @property
    def baseline_end(self) -> dt.date:
        """The last day of the baseline period."""
        found = _PERIOD.fullmatch(self.baseline_period)
        assert found is not None
        year = int(found[1])
        if found[2] is None:
            return dt.date(year, 12, 31)
        month = int(found[2])
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        return following - dt.timedelta(days=1)

    @property
    def direction(self) -> Direction:
        return Direction.LOWER if self.target < self.baseline else Direction.HIGHER

    def progress(self, current: Decimal) -> Decimal:
        """How far ``current`` has come from the baseline towards the target: 0 at the
        baseline, 1 at the target, negative when it moved the wrong way, above 1 when it
        went beyond (rounded to two decimals)."""
        share = (current - self.baseline) / (self.target - self.baseline)
        return share.quantize(Decimal("0.01"))

    def reached(self, current: Decimal) -> bool:
        if self.direction is Direction.LOWER:
            return current <= self.target
        return current >= self.target


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


def change_note(before: Action, after: Action) -> str:
    """The note written when status, follow-up date or owner change without a text of
    their own ("" when nothing a follow-up records changed)."""
    parts = []
    if after.status != before.status:
        parts.append(f"Status ändrad: {ACTION_STATUS_LABELS[before.status]} → "
                     f"{ACTION_STATUS_LABELS[after.status]}.")
    if after.follow_up_on != before.follow_up_on:
        shown = after.follow_up_on.isoformat() if after.follow_up_on else "inget datum"
        parts.append(f"Nästa uppföljning: {shown}.")
    if (after.owner_role, after.owner_username) != (before.owner_role, before.owner_username):
        who = after.owner_role + (f" ({after.owner_username})" if after.owner_username else "")
        parts.append(f"Ansvarig: {who}.")
    return " ".join(parts)


def figure_label(code: str) -> str:
    """The figure's Swedish name (``figure_catalogue.DEFINITIONS``)."""
    return definition(FigureCode(code)).name if code in FIGURE_CODES else code


def figure_unit(code: str) -> str:
    """What the figure is measured in: kr, tim, %, kr/brukare, ..."""
    return definition(FigureCode(code)).unit.value if code in FIGURE_CODES else ""


def figure_decimals(code: str) -> int:
    return definition(FigureCode(code)).decimals if code in FIGURE_CODES else 0


def parse_figure(text: str) -> FigureCode:
    """A figure from its code or its Swedish name (any case).

    Raises:
        DomainError: ``action.figure`` naming the field.
    """
    wanted = text.strip().casefold()
    for figure in DEFINITIONS:
        if wanted in (figure.code.value, figure.name.casefold()):
            return figure.code
    raise DomainError("action.figure", f"Nyckeltal: {text!r} är inget känt nyckeltal.")
