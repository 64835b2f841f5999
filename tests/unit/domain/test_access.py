"""Roles, capabilities and scope (docs/product.md's table of who sees what)."""

from __future__ import annotations

import pytest

from insats.domain.access import (
    AccessDenied,
    Account,
    Capability,
    Role,
    Viewer,
    suppress_small,
)


def _viewer(role: Role, units: set[str] | None = None) -> Viewer:
    return Viewer("a1", "user", "User", role, frozenset(units or set()))


def test_a_unit_manager_sees_only_their_own_units() -> None:
    manager = _viewer(Role.UNIT_MANAGER, {"u1", "u2"})
    assert manager.sees_unit("u1") and manager.sees_unit("u2")
    assert not manager.sees_unit("u3") and not manager.sees_unit(None)
    assert manager.visible_units(["u3", "u2", "u1"]) == ["u2", "u1"]
    with pytest.raises(AccessDenied):
        manager.require_unit("u3")


@pytest.mark.parametrize("role", [Role.DEPARTMENT_HEAD, Role.SCHEDULER, Role.CONTROLLER,
                                  Role.COMMITTEE])
def test_other_roles_are_department_wide(role: Role) -> None:
    assert _viewer(role).sees_unit("any-unit")


@pytest.mark.parametrize(("role", "capability", "allowed"), [
    (Role.DEPARTMENT_HEAD, Capability.VIEW_AUDIT, True),
    (Role.UNIT_MANAGER, Capability.VIEW_AUDIT, False),
    (Role.UNIT_MANAGER, Capability.VIEW_MONEY, True),
    (Role.SCHEDULER, Capability.PLAN_SCHEDULES, True),
    (Role.SCHEDULER, Capability.VIEW_MONEY, False),
    (Role.CONTROLLER, Capability.VIEW_MONEY, True),
    (Role.CONTROLLER, Capability.VIEW_CLIENT_IDENTITY, False),  # pseudonyms only
    (Role.CONTROLLER, Capability.VIEW_SCHEDULES, False),
    (Role.COMMITTEE, Capability.VIEW_AGGREGATES, True),
    (Role.COMMITTEE, Capability.VIEW_CLIENTS, False),
    (Role.COMMITTEE, Capability.VIEW_STAFF, False),
])
def test_capabilities_follow_the_role_table(role: Role, capability: Capability,
                                            allowed: bool) -> None:
    viewer = _viewer(role, {"u1"})
    assert viewer.can(capability) is allowed
    if not allowed:
        with pytest.raises(AccessDenied) as denied:
            viewer.require(capability)
        assert denied.value.code == "access.denied"


def test_small_counts_are_suppressed_but_zero_and_five_are_shown() -> None:
    assert [suppress_small(n) for n in (0, 1, 4, 5, 17)] == [0, None, None, 5, 17]


def test_an_account_never_shows_its_password_hash() -> None:
    account = Account("a1", "anna", "Anna", Role.DEPARTMENT_HEAD, "$argon2id$secret")
    assert "argon2" not in repr(account)
    assert account.viewer().role is Role.DEPARTMENT_HEAD
