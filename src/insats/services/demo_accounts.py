"""Sign-in accounts for the demo department: one per role (two unit managers, so that a
unit manager can be shown not to reach the other's unit). The passwords are fixed and
printed when the application starts on the demo, so they are for demonstration only."""

from __future__ import annotations

from dataclasses import dataclass

from insats.domain.access import Role
from insats.domain.common import DomainError
from insats.domain.organisation import Unit, UnitKind
from insats.services.auth import create_account
from insats.services.runtime import UowFactory


@dataclass(frozen=True, slots=True)
class DemoAccount:
    username: str
    password: str
    role: Role
    display_name: str
    unit_names: tuple[str, ...] = ()


def _manager_units(units: list[Unit]) -> list[list[Unit]]:
    """Units grouped by their manager, personal-assistance managers first."""
    by_manager: dict[str, list[Unit]] = {}
    for unit in sorted(units, key=lambda u: (u.kind is not UnitKind.PERSONAL_ASSISTANCE, u.id)):
        by_manager.setdefault(unit.manager_employee_id or unit.id, []).append(unit)
    return list(by_manager.values())


def demo_accounts(uow_factory: UowFactory) -> list[DemoAccount]:
    """The demo accounts, creating those that do not exist yet."""
    with uow_factory() as uow:
        units = uow.organisation.units()
        existing = {account.username for account in uow.accounts.all()}
    managed = _manager_units(units)
    if len(managed) < 2:
        raise DomainError("demo.accounts", "Demoavdelningen saknas. Kör 'insats demo load'.")
    specs = [
        ("avdelningschef", Role.DEPARTMENT_HEAD, "Avdelningschefen", []),
        ("enhetschef", Role.UNIT_MANAGER, "Enhetschef " + managed[0][0].name, managed[0]),
        ("enhetschef2", Role.UNIT_MANAGER, "Enhetschef " + managed[1][0].name, managed[1]),
        ("samordnare", Role.SCHEDULER, "Samordnaren", []),
        ("ekonom", Role.CONTROLLER, "Ekonomen", []),
        ("namnd", Role.COMMITTEE, "Nämndens ledamot", []),
    ]
    accounts = []
    for username, role, name, unit_list in specs:
        password = f"demo-{username}-2026"
        if username not in existing:
            create_account(uow_factory, username=username, display_name=name, role=role,
                           password=password, unit_ids=[u.id for u in unit_list])
        accounts.append(DemoAccount(username, password, role, name,
                                    tuple(u.name for u in unit_list)))
    return accounts
