"""The action plan (issue 7): actions per department and unit, their key-figure targets
and follow-up notes, status changes and overdue follow-ups.

Who may do what:

- Reading (``action_plan``, ``action_detail``, ``overdue_follow_ups``): ``VIEW_ACTIONS``
  (every role). A unit-scoped viewer (enhetschef) sees the department's own actions and
  those of their units, not other units' actions.
- Changing (``update_action``, ``add_follow_up``, ``set_target``): ``EDIT_ACTIONS``
  (avdelningschef, enhetschef). An enhetschef may change an action of their own units, or
  one whose owner (``owner_username``) they are.

Every change takes the version of the action the caller read; when someone else changed
the action since, the change is refused with a Swedish ``StaleVersionError`` and nothing
is written. A change of status, follow-up date or owner, and every note, is appended to the
action's follow-up history (append-only) in the same transaction. Actions are not client
data, so reads are not written to the access log; each note names its author.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from insats.db.repositories._base import NotFoundError
from insats.domain.access import AccessDenied, Caller, Capability, Viewer
from insats.domain.actions import (
    ACTION_STATUS_LABELS,
    Action,
    ActionFollowUp,
    ActionStatus,
    ActionTarget,
    change_note,
    check_text,
    check_transition,
    figure_decimals,
    figure_label,
    figure_unit,
)
from insats.domain.calendar import local_date
from insats.domain.common import DomainError, add_months
from insats.domain.figure_catalogue import FigureCode, month_key
from insats.domain.organisation import Unit
from insats.services.key_figures import figure_report
from insats.services.runtime import UowFactory
from insats.services.scope import visible_units
from insats.services.uow import UnitOfWork

DEPARTMENT_LEVEL = "avdelningen"
"""The ``unit_id`` filter value for the department's own actions (no unit)."""
OWNER_ROLE_LIMIT = 100


@dataclass(frozen=True, slots=True)
class TargetView:
    target: ActionTarget
    version: int
    unit_name: str | None
    current: Decimal | None = None  # the figure's latest measured value, when known
    current_period: str | None = None

    @property
    def label(self) -> str:
        return figure_label(self.target.figure_code)

    @property
    def unit(self) -> str:
        return figure_unit(self.target.figure_code)

    @property
    def decimals(self) -> int:
        return figure_decimals(self.target.figure_code)

    @property
    def progress(self) -> Decimal | None:
        return None if self.current is None else self.target.progress(self.current)

    @property
    def reached(self) -> bool | None:
        return None if self.current is None else self.target.reached(self.current)


@dataclass(frozen=True, slots=True)
class PlanItem:
    """One action as a caller sees it on a given day."""

    action: Action
    version: int
    unit_name: str | None
    on: dt.date
    targets: tuple[TargetView, ...]
    latest: ActionFollowUp | None
    can_edit: bool

    @property
    def status_label(self) -> str:
        return ACTION_STATUS_LABELS[self.action.status]

    @property
    def overdue(self) -> bool:
        return self.action.overdue_on(self.on)

    @property
    def days_overdue(self) -> int:
        return self.action.days_overdue(self.on)


@dataclass(frozen=True, slots=True)
class ActionPlan:
    on: dt.date
    items: list[PlanItem]
    units: list[Unit]  # the units the caller may filter by

    @property
    def overdue(self) -> int:
        return sum(1 for item in self.items if item.overdue)


@dataclass(frozen=True, slots=True)
class ActionDetail:
    item: PlanItem
    follow_ups: list[ActionFollowUp]  # oldest first
    measured: bool  # whether the targets show measured values


# --- who sees and edits what ---------------------------------------------------------
def sees_action(viewer: Viewer, action: Action) -> bool:
    return (viewer.department_wide or action.unit_id is None
            or action.unit_id in viewer.unit_ids or action.owner_username == viewer.username)


def may_edit(viewer: Viewer, action: Action) -> bool:
    if not viewer.can(Capability.EDIT_ACTIONS):
        return False
    return (viewer.department_wide or action.owner_username == viewer.username
            or (action.unit_id is not None and action.unit_id in viewer.unit_ids))


def _action_in_scope(uow: UnitOfWork, viewer: Viewer, action_id: str, *,
                     edit: bool = False) -> Action:
    action = uow.actions.get(action_id)
    if action is None:
        raise NotFoundError("Åtgärden", action_id)
    if not sees_action(viewer, action):
        raise AccessDenied("Åtgärden hör till en enhet utanför din behörighet.")
    if edit and not may_edit(viewer, action):
        raise AccessDenied("Du kan bara ändra åtgärder för dina egna enheter eller som du "
                           "är ansvarig för.")
    return action


# --- reading ---------------------------------------------------------------------------
def action_plan(uow_factory: UowFactory, *, caller: Caller, on: dt.date,
                unit_id: str | None = None, status: ActionStatus | None = None,
                overdue_only: bool = False) -> ActionPlan:
    """The actions the caller sees, by id: all, one unit's (or ``DEPARTMENT_LEVEL`` for
    the department's own), one status, or only those overdue on ``on``."""
    viewer = caller.viewer
    viewer.require(Capability.VIEW_ACTIONS)
    with uow_factory() as uow:
        units = visible_units(uow, caller)
        if unit_id not in (None, DEPARTMENT_LEVEL):
            if uow.organisation.get(unit_id) is None:
                raise NotFoundError("Enheten", unit_id)
            viewer.require_unit(unit_id)
        actions = [a for a in uow.actions.all() if sees_action(viewer, a)]
        if unit_id is not None:
            wanted = None if unit_id == DEPARTMENT_LEVEL else unit_id
            actions = [a for a in actions if a.unit_id == wanted]
        if status is not None:
            actions = [a for a in actions if a.status is status]
        if overdue_only:
            actions = [a for a in actions if a.overdue_on(on)]
        items = _items(uow, viewer, actions, on)
    return ActionPlan(on, items, units)


def action_detail(uow_factory: UowFactory, *, caller: Caller, action_id: str,
                  on: dt.date) -> ActionDetail:
    """One action with its targets and its whole follow-up history."""
    caller.viewer.require(Capability.VIEW_ACTIONS)
    with uow_factory() as uow:
        action = _action_in_scope(uow, caller.viewer, action_id)
        item = _items(uow, caller.viewer, [action], on)[0]
        follow_ups = uow.actions.follow_ups.of_action(action.id)
    item = replace(item, targets=tuple(_measured(uow_factory, caller, item.targets, on)))
    return ActionDetail(item, follow_ups, measured=any(
        t.current is not None for t in item.targets))


def _measured(uow_factory: UowFactory, caller: Caller, views: tuple[TargetView, ...],
              on: dt.date) -> list[TargetView]:
    """The targets with their figure's value in the last whole month before ``on``.

    A department-level target is measured for the whole department, so only a
    department-wide viewer gets its value (a unit manager's total would be of their units
    only); a unit's target when the unit is among the viewer's. Cells hidden for the
    committee stay empty, and so does a month without performed hours in the target's
    scope (no time reported yet: the figures would read 0); no department data or no
    right to see figures: no values.
    """
    viewer = caller.viewer
    if not views or not viewer.can(Capability.VIEW_AGGREGATES):
        return list(views)
    end = on.replace(day=1)
    start = add_months(end, -1)
    try:
        report = figure_report(uow_factory, caller=caller, start=start, end=end, today=on)
    except DomainError:
        return list(views)
    shown = {scope.unit_id for scope in report.scopes}
    key = month_key(start)
    measured = []
    for view in views:
        unit_id = view.target.unit_id
        cell = report.cell(view.target.figure_code, unit_id, key)
        performed = report.cell(FigureCode.PERFORMED_HOURS, unit_id, key).value
        if (unit_id is None and not viewer.department_wide) or unit_id not in shown \
                or cell.value is None or not performed:  # no time reported: no data yet
            measured.append(view)
        else:
            measured.append(replace(view, current=cell.value, current_period=key))
    return measured


def editable_action(uow_factory: UowFactory, *, caller: Caller, action_id: str) -> PlanItem:
    """The action, if the caller may change it (AccessDenied otherwise): the check a form
    makes before it reads the input, so that a refusal does not depend on the input."""
    caller.viewer.require(Capability.EDIT_ACTIONS)
    with uow_factory() as uow:
        action = _action_in_scope(uow, caller.viewer, action_id, edit=True)
        return _items(uow, caller.viewer, [action], local_date(dt.datetime.now(dt.UTC)))[0]


def owner_choices(uow_factory: UowFactory, *, caller: Caller,
                  action_id: str) -> list[tuple[str, str]]:
    """(username, display name) of the active accounts that could own the action: those
    who may change it."""
    caller.viewer.require(Capability.VIEW_ACTIONS)
    with uow_factory() as uow:
        action = _action_in_scope(uow, caller.viewer, action_id)
        accounts = uow.accounts.all()
    return [(a.username, a.display_name) for a in sorted(accounts, key=lambda a: a.username)
            if a.active and may_edit(a.viewer(), replace(action, owner_username=a.username))]


def overdue_follow_ups(uow_factory: UowFactory, *, caller: Caller,
                       on: dt.date) -> list[PlanItem]:
    """Actions whose follow-up date has passed: those the caller owns, and all of them for
    a department-wide editor (avdelningschef). Oldest follow-up date first."""
    viewer = caller.viewer
    viewer.require(Capability.VIEW_ACTIONS)
    everyone = viewer.department_wide and viewer.can(Capability.EDIT_ACTIONS)
    with uow_factory() as uow:
        actions = [a for a in uow.actions.overdue(on)
                   if everyone or a.owner_username == viewer.username]
        return _items(uow, viewer, actions, on)


def _items(uow: UnitOfWork, viewer: Viewer, actions: list[Action],
           on: dt.date) -> list[PlanItem]:
    ids = [a.id for a in actions]
    unit_names = {u.id: u.name for u in uow.organisation.units()}
    targets: dict[str, list[TargetView]] = {}
    for target in uow.actions.targets.of_actions(ids):
        version = uow.actions.targets.version_of(target.id) or 1
        targets.setdefault(target.action_id, []).append(TargetView(
            target, version, unit_names.get(target.unit_id) if target.unit_id else None))
    latest = uow.actions.follow_ups.latest_of(ids)
    return [
        PlanItem(
            action=a, version=uow.actions.version_of(a.id) or 1,
            unit_name=unit_names.get(a.unit_id) if a.unit_id else None, on=on,
            targets=tuple(targets.get(a.id, [])), latest=latest.get(a.id),
            can_edit=may_edit(viewer, a),
        )
        for a in actions
    ]


# --- changing ------------------------------------------------------------------------
def add_action(uow_factory: UowFactory, *, caller: Caller, activity: str, measure: str,
               owner_role: str, unit_id: str | None = None,
               follow_up_on: dt.date | None = None, owner_username: str | None = None,
               follow_up_text: str = "", now: dt.datetime | None = None) -> Action:
    """A new planned action for a unit (``unit_id``) or the whole department (None), with
    the next free id (A23, ...). An enhetschef adds actions to their own units only.

    Raises:
        DomainError: a field is empty, too long or a date in the past (the message names
            it); ``access.denied`` for a unit outside the caller's scope.
    """
    viewer = caller.viewer
    viewer.require(Capability.EDIT_ACTIONS)
    moment = now or dt.datetime.now(dt.UTC)
    if unit_id is None and not viewer.department_wide:
        raise AccessDenied("En enhetschef lägger till åtgärder för sina egna enheter.")
    with uow_factory() as uow:
        if unit_id is not None:
            unit = uow.organisation.get(unit_id)
            if unit is None:
                raise NotFoundError("Enheten", unit_id)
            viewer.require_unit(unit_id)
            department_id = unit.department_id
        else:
            departments = uow.organisation.departments()
            if not departments:
                raise DomainError("action.department", "Det finns ingen avdelning ännu.")
            department_id = departments[0].id
        numbers = [int(i[1:]) for i in uow.actions.ids() if i[:1] == "A" and i[1:].isdigit()]
        action = Action(
            id=f"A{max(numbers, default=0) + 1:02d}", department_id=department_id,
            activity=check_text(activity, "Aktivitet"), measure=check_text(measure, "Åtgärd"),
            status=ActionStatus.PLANNED, owner_role=_owner_role(owner_role),
            follow_up_on=None if follow_up_on is None
            else _future_date(follow_up_on, local_date(moment)),
            follow_up_text=check_text(follow_up_text, "Uppföljningssätt", required=False),
            unit_id=unit_id)
        if owner_username:
            action = replace(action, owner_username=_owner_account(uow, owner_username, action))
        uow.actions.add(action)
        uow.commit()
    return action


def update_action(uow_factory: UowFactory, *, caller: Caller, action_id: str,
                  expected_version: int, status: ActionStatus | None = None,
                  follow_up_on: dt.date | None = None, clear_follow_up: bool = False,
                  owner_role: str | None = None, owner_username: str | None = None,
                  note: str | None = None, now: dt.datetime | None = None) -> PlanItem:
    """Change status, follow-up date or owner (``None``: unchanged; ``owner_username=""``
    removes the owning account), with an optional note; the change is recorded as a
    follow-up (the note, or a generated line saying what changed).

    Raises:
        StaleVersionError: the action changed since the caller read ``expected_version``.
        DomainError: a field is invalid (the message names it).
    """
    moment = now or dt.datetime.now(dt.UTC)
    today = local_date(moment)
    with uow_factory() as uow:
        before = _action_in_scope(uow, caller.viewer, action_id, edit=True)
        after = before
        if status is not None:
            check_transition(before.status, status)
            after = replace(after, status=status)
        if clear_follow_up:
            after = replace(after, follow_up_on=None)
        elif follow_up_on is not None:
            after = replace(after, follow_up_on=_future_date(follow_up_on, today))
        if owner_role is not None:
            after = replace(after, owner_role=_owner_role(owner_role))
        if owner_username is not None:
            after = replace(after, owner_username=_owner_account(uow, owner_username, after))
        text = check_text(note, "Anteckning", required=False) if note is not None else ""
        _write(uow, caller, before, after, expected_version, text or change_note(before, after),
               moment)
        uow.commit()
        return _items(uow, caller.viewer, [after], today)[0]


def add_follow_up(uow_factory: UowFactory, *, caller: Caller, action_id: str,
                  expected_version: int, text: str, status: ActionStatus | None = None,
                  next_follow_up_on: dt.date | None = None,
                  now: dt.datetime | None = None) -> ActionFollowUp:
    """Append a follow-up note, optionally changing status and the next follow-up date,
    in one transaction.

    Raises:
        StaleVersionError: the action changed since the caller read ``expected_version``.
        DomainError: an empty or too long text, a refused status change, a date in the past.
    """
    moment = now or dt.datetime.now(dt.UTC)
    today = local_date(moment)
    note = check_text(text, "Uppföljning")
    with uow_factory() as uow:
        before = _action_in_scope(uow, caller.viewer, action_id, edit=True)
        after = before
        if status is not None:
            check_transition(before.status, status)
            after = replace(after, status=status)
        if next_follow_up_on is not None:
            after = replace(after, follow_up_on=_future_date(next_follow_up_on, today))
        written = _write(uow, caller, before, after, expected_version, note, moment)
        uow.commit()
    assert written is not None
    return written


def _write(uow: UnitOfWork, caller: Caller, before: Action, after: Action,
           expected_version: int, text: str, moment: dt.datetime) -> ActionFollowUp | None:
    """Store ``after`` (checked against ``expected_version``) and append the note."""
    if after != before:
        uow.actions.update(after, expected_version=expected_version)
    else:  # a note only: still a new version, refused when based on an old one
        uow.actions.touch(before.id, expected_version=expected_version)
    if not text:
        return None
    note = ActionFollowUp(
        id=uuid.uuid4().hex, action_id=after.id, written_on=local_date(moment),
        written_at=moment, author=caller.viewer.username, status=after.status, text=text,
        next_follow_up_on=after.follow_up_on)
    uow.actions.add(note)
    return note


def set_target(uow_factory: UowFactory, *, caller: Caller, action_id: str,
               figure_code: str, baseline: Decimal | str, baseline_period: str,
               target: Decimal | str, target_on: dt.date, unit_id: str | None = None,
               target_id: str | None = None,
               expected_version: int | None = None) -> ActionTarget:
    """Add a key-figure target to an action, or change one (``target_id`` with the
    ``expected_version`` read).

    Raises:
        StaleVersionError: the target changed since it was read.
        DomainError: an unknown figure, a value that is not a number, a bad period or date.
    """
    with uow_factory() as uow:
        action = _action_in_scope(uow, caller.viewer, action_id, edit=True)
        if unit_id is not None:
            if uow.organisation.get(unit_id) is None:
                raise NotFoundError("Enheten", unit_id)
            caller.viewer.require_unit(unit_id)
        proposed = ActionTarget(
            id="", action_id=action.id, figure_code=figure_code.strip(),
            baseline=_number(baseline, "Utgångsvärde"),
            baseline_period=baseline_period.strip(),
            target=_number(target, "Målvärde"), target_on=target_on, unit_id=unit_id)
        if target_id is None:
            taken = {t.id for t in uow.actions.targets.of_actions([action.id])}
            number = len(taken) + 1
            while f"{action.id}-M{number}" in taken:
                number += 1
            entity = replace(proposed, id=f"{action.id}-M{number}")
            uow.actions.add(entity)
        else:
            stored = uow.actions.targets.get(target_id)
            if stored is None or stored.action_id != action.id:
                raise NotFoundError("Målet", target_id)
            if expected_version is None:
                raise DomainError("action.version", "Målet: ange versionen du läste.")
            entity = replace(proposed, id=target_id)
            uow.actions.update(entity, expected_version=expected_version)
        uow.commit()
    return entity


# --- field checks ----------------------------------------------------------------------
def _future_date(day: dt.date, today: dt.date) -> dt.date:
    if day < today:
        raise DomainError("action.follow_up_on",
                          f"Uppföljningsdatum: {day.isoformat()} har redan passerat.")
    return day


def _owner_role(text: str) -> str:
    role = check_text(text, "Ansvarig roll")
    if len(role) > OWNER_ROLE_LIMIT:
        raise DomainError("action.owner_role",
                          f"Ansvarig roll: högst {OWNER_ROLE_LIMIT} tecken.")
    return role


def _owner_account(uow: UnitOfWork, username: str, action: Action) -> str | None:
    """The owning account, which must exist and be able to follow the action up."""
    username = username.strip()
    if not username:
        return None
    account = uow.accounts.by_username(username)
    if account is None or not account.active:
        raise DomainError("action.owner", f"Ansvarig: kontot {username!r} finns inte.")
    if not may_edit(account.viewer(), replace(action, owner_username=username)):
        raise DomainError("action.owner",
                          f"Ansvarig: {username} kan inte följa upp åtgärder.")
    return username


def _number(value: Decimal | str, field: str) -> Decimal:
    if isinstance(value, Decimal):
        return value
    text = value.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise DomainError("action.number", f"{field}: {value!r} är inget tal.") from None
    if not number.is_finite() or abs(number) >= Decimal("1e13"):
        raise DomainError("action.number", f"{field}: {value!r} är inget rimligt tal.")
    return number
