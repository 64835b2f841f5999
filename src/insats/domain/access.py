"""Who may see and do what: roles, capabilities and a viewer's scope.

The roles are those of docs/product.md. The rules are enforced in the services (every
use case that reads or changes client data takes a ``Viewer``), not only hidden in pages:

* avdelningschef sees everything;
* enhetschef sees their own units only (clients, staff, schedules, time reports, money);
* samordnare sees schedules and staff of all units and the client data needed to plan;
* ekonom sees money and hours, with clients pseudonymised (no names, no personnummer);
* nämnd sees aggregates only, with counts under five suppressed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from insats.domain.common import DomainError


class Role(StrEnum):
    DEPARTMENT_HEAD = "avdelningschef"
    UNIT_MANAGER = "enhetschef"
    SCHEDULER = "samordnare"
    CONTROLLER = "ekonom"
    COMMITTEE = "namnd"


ROLE_LABELS: dict[Role, str] = {
    Role.DEPARTMENT_HEAD: "Avdelningschef",
    Role.UNIT_MANAGER: "Enhetschef",
    Role.SCHEDULER: "Samordnare",
    Role.CONTROLLER: "Ekonom",
    Role.COMMITTEE: "Nämnd",
}


class Capability(StrEnum):
    """What a role may do; pages and API routes each require one."""

    VIEW_AGGREGATES = "view_aggregates"  # department and unit key figures
    VIEW_CLIENTS = "view_clients"  # a client's decision, hours and team (pseudonym)
    VIEW_CLIENT_IDENTITY = "view_client_identity"  # names (personnummer stay masked)
    EDIT_CLIENTS = "edit_clients"  # stays and other client facts
    VIEW_STAFF = "view_staff"
    VIEW_SCHEDULES = "view_schedules"
    PLAN_SCHEDULES = "plan_schedules"  # start optimisation runs, publish
    VIEW_MONEY = "view_money"  # ledger in kr, FK claims, invoices
    VIEW_AUDIT = "view_audit"
    MANAGE_ACCOUNTS = "manage_accounts"
    ATTEST_TIME = "attest_time"  # attest, correct or reject time reports
    VIEW_ACTIONS = "view_actions"  # the action plan and its follow-ups
    EDIT_ACTIONS = "edit_actions"  # status, follow-up notes and targets of actions
    VIEW_REPORTS = "view_reports"  # issued committee reports
    WRITE_REPORTS = "write_reports"  # drafts of committee reports and their texts
    ISSUE_REPORTS = "issue_reports"  # issue a report version (immutable afterwards)
    RUN_SCENARIOS = "run_scenarios"  # the scenario calculator
    VIEW_EXPENSES = "view_expenses"  # the expense-claims page (utlägg)
    CLAIM_EXPENSES = "claim_expenses"  # register and submit expense claims (utlägg)
    APPROVE_EXPENSES = "approve_expenses"  # approve or reject submitted expense claims
    RUN_RETENTION = "run_retention"  # see the retention limits and log, run gallring


_ROLE_CAPABILITIES: dict[Role, frozenset[Capability]] = {
    Role.DEPARTMENT_HEAD: frozenset(Capability),
    Role.UNIT_MANAGER: frozenset({
        Capability.VIEW_AGGREGATES, Capability.VIEW_CLIENTS, Capability.VIEW_CLIENT_IDENTITY,
        Capability.EDIT_CLIENTS, Capability.VIEW_STAFF, Capability.VIEW_SCHEDULES,
        Capability.VIEW_MONEY, Capability.ATTEST_TIME, Capability.VIEW_ACTIONS,
        Capability.EDIT_ACTIONS, Capability.VIEW_REPORTS, Capability.WRITE_REPORTS,
        Capability.RUN_SCENARIOS, Capability.VIEW_EXPENSES, Capability.CLAIM_EXPENSES,
        Capability.APPROVE_EXPENSES,
    }),
    Role.SCHEDULER: frozenset({
        Capability.VIEW_AGGREGATES, Capability.VIEW_CLIENTS, Capability.VIEW_CLIENT_IDENTITY,
        Capability.VIEW_STAFF, Capability.VIEW_SCHEDULES, Capability.PLAN_SCHEDULES,
        Capability.VIEW_ACTIONS, Capability.VIEW_REPORTS, Capability.VIEW_EXPENSES,
        Capability.CLAIM_EXPENSES,
    }),
    Role.CONTROLLER: frozenset({
        Capability.VIEW_AGGREGATES, Capability.VIEW_CLIENTS, Capability.VIEW_MONEY,
        Capability.VIEW_ACTIONS, Capability.VIEW_REPORTS, Capability.RUN_SCENARIOS,
        Capability.VIEW_EXPENSES,
    }),
    Role.COMMITTEE: frozenset({
        Capability.VIEW_AGGREGATES, Capability.VIEW_ACTIONS, Capability.VIEW_REPORTS,
    }),
}

# Roles whose scope is their own units; the others see the whole department.
_UNIT_SCOPED = frozenset({Role.UNIT_MANAGER})

SMALL_COUNT_LIMIT = 5
"""Counts under this are suppressed in figures shown to the committee."""


def capabilities_of(role: Role) -> frozenset[Capability]:
    return _ROLE_CAPABILITIES[role]


class AccessDenied(DomainError):
    """The viewer's role or scope does not cover what was asked for."""

    def __init__(self, message: str = "Du har inte behörighet till detta.") -> None:
        super().__init__("access.denied", message)


@dataclass(frozen=True, slots=True)
class Viewer:
    """The signed-in person on whose behalf a use case runs.

    ``unit_ids`` is the scope of a unit-scoped role (an enhetschef's own units); it is
    ignored for department-wide roles.
    """

    account_id: str
    username: str
    display_name: str
    role: Role
    unit_ids: frozenset[str] = field(default_factory=frozenset)

    @property
    def department_wide(self) -> bool:
        return self.role not in _UNIT_SCOPED

    def can(self, capability: Capability) -> bool:
        return capability in _ROLE_CAPABILITIES[self.role]

    def require(self, capability: Capability) -> None:
        if not self.can(capability):
            raise AccessDenied()

    def sees_unit(self, unit_id: str | None) -> bool:
        if self.department_wide:
            return True
        return unit_id is not None and unit_id in self.unit_ids

    def require_unit(self, unit_id: str | None) -> None:
        if not self.sees_unit(unit_id):
            raise AccessDenied("Enheten ingår inte i din behörighet.")

    def visible_units(self, unit_ids: Iterable[str]) -> list[str]:
        """The units of ``unit_ids`` in this viewer's scope, in the given order."""
        return [unit_id for unit_id in unit_ids if self.sees_unit(unit_id)]

    @property
    def sees_identities(self) -> bool:
        return self.can(Capability.VIEW_CLIENT_IDENTITY)

    def __repr__(self) -> str:
        return f"Viewer({self.username!r}, {self.role.value})"


def suppress_small(count: int, *, limit: int = SMALL_COUNT_LIMIT) -> int | None:
    """``None`` (shown as "<5") for a count of 1 to limit-1; zero and larger counts stay."""
    return None if 0 < count < limit else count


@dataclass(frozen=True, slots=True)
class Account:
    """A person who signs in. ``password_hash`` is an argon2 hash, never the password."""

    id: str
    username: str
    display_name: str
    role: Role
    password_hash: str = field(repr=False)
    unit_ids: frozenset[str] = field(default_factory=frozenset)
    active: bool = True

    def viewer(self) -> Viewer:
        return Viewer(self.id, self.username, self.display_name, self.role, self.unit_ids)


@dataclass(frozen=True, slots=True)
class AuditEvent:
    """One line of the access log: who did what to which object, when (UTC) and from where.

    Never holds a personnummer or a name: clients are referred to by their id.
    """

    at: dt.datetime
    username: str
    role: str
    action: str
    object_kind: str
    object_id: str | None
    client_id: str | None
    unit_id: str | None
    remote_addr: str
    route: str
    account_id: str | None = None


@dataclass(frozen=True, slots=True)
class Caller:
    """A viewer and where the request came from, for the access log."""

    viewer: Viewer
    remote_addr: str = "lokal"
    route: str = ""


class AuditAction(StrEnum):
    READ = "read"
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    EXPORT = "export"
    DENIED = "denied"  # an attempt outside the viewer's scope


AUDIT_ACTION_LABELS: dict[str, str] = {
    AuditAction.READ: "läste",
    AuditAction.CREATE: "skapade",
    AuditAction.UPDATE: "ändrade",
    AuditAction.DELETE: "tog bort",
    AuditAction.EXPORT: "exporterade",
    AuditAction.DENIED: "nekades",
}
