"""The action-plan service on SQLite and PostgreSQL: scope of unit managers, status and
follow-ups in one transaction, a concurrent edit refused, follow-ups that the database
will not let anyone rewrite, targets and overdue follow-ups."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from sqlalchemy import text

from insats.db.repositories._base import StaleVersionError
from insats.domain.access import AccessDenied, Account, Caller, Role, Viewer
from insats.domain.actions import ActionStatus, ActionTarget
from insats.domain.calendar import UTC
from insats.domain.common import DomainError
from insats.services import action_plans as plans
from insats.services.uow import UnitOfWork
from tests.builders import a_department, a_unit, an_action

UowFactory = Callable[[], UnitOfWork]
TODAY = dt.date(2026, 11, 23)
NOW = dt.datetime(2026, 11, 23, 9, 30, tzinfo=UTC)

HEAD = Caller(Viewer("a1", "chef", "Avdelningschefen", Role.DEPARTMENT_HEAD))
EC1 = Caller(Viewer("a2", "ec1", "Enhetschef Norr", Role.UNIT_MANAGER, frozenset({"U01"})))
EC2 = Caller(Viewer("a3", "ec2", "Enhetschef Söder", Role.UNIT_MANAGER, frozenset({"U02"})))
SCHEDULER = Caller(Viewer("a4", "samordnare", "Samordnaren", Role.SCHEDULER))


@pytest.fixture
def world(uow_factory: UowFactory) -> UowFactory:
    seed_actions(uow_factory)
    return uow_factory


def seed_actions(uow_factory: UowFactory) -> None:
    """A department with two units, accounts and four actions:

    A1 department-level, owned by chef, overdue; A2 of U01, owned by ec1, due in the
    future; A3 of U02 (ec2), overdue; A4 department-level owned by ec1, overdue.
    """
    with uow_factory() as uow:
        uow.organisation.add(a_department())
        uow.organisation.add(a_unit())
        uow.organisation.add(a_unit(id="U02", name="Personlig assistans Söder",
                                    cost_centre="4102"))
        for caller in (HEAD, EC1, EC2, SCHEDULER):
            v = caller.viewer
            uow.accounts.add(Account(v.account_id, v.username, v.display_name, v.role, "x",
                                     v.unit_ids), created_at=NOW)
        uow.actions.add_many([
            an_action(id="A1", unit_id=None, owner_username="chef",
                      follow_up_on=dt.date(2026, 10, 1), status=ActionStatus.ONGOING),
            an_action(id="A2", unit_id="U01", owner_username="ec1",
                      follow_up_on=dt.date(2026, 12, 31)),
            an_action(id="A3", unit_id="U02", owner_username="ec2",
                      follow_up_on=dt.date(2026, 11, 1)),
            an_action(id="A4", unit_id=None, owner_username="ec1",
                      follow_up_on=dt.date(2026, 11, 22)),
            ActionTarget("A1-M1", "A1", "overtime_hours", Decimal("1400"), "2025-10",
                         Decimal("900"), dt.date(2026, 12, 31)),
        ])
        uow.commit()


def _ids(items: list[plans.PlanItem]) -> list[str]:
    return [item.action.id for item in items]


def test_the_department_head_sees_every_action_and_unit_managers_their_own(
        world: UowFactory) -> None:
    assert _ids(plans.action_plan(world, caller=HEAD, on=TODAY).items) == [
        "A1", "A2", "A3", "A4"]
    ec1 = plans.action_plan(world, caller=EC1, on=TODAY)
    assert _ids(ec1.items) == ["A1", "A2", "A4"]  # department-level ones and U01's
    assert [i.can_edit for i in ec1.items] == [False, True, True]
    assert _ids(plans.action_plan(world, caller=EC1, on=TODAY, unit_id="U01").items) == [
        "A2"]
    assert _ids(plans.action_plan(world, caller=HEAD, on=TODAY,
                                  unit_id=plans.DEPARTMENT_LEVEL).items) == ["A1", "A4"]
    with pytest.raises(AccessDenied):
        plans.action_plan(world, caller=EC1, on=TODAY, unit_id="U02")
    with pytest.raises(AccessDenied):
        plans.action_detail(world, caller=EC1, action_id="A3", on=TODAY)


def test_overdue_flagging_and_the_owner_s_list(world: UowFactory) -> None:
    plan = plans.action_plan(world, caller=HEAD, on=TODAY)
    assert [i.overdue for i in plan.items] == [True, False, True, True]
    assert plan.items[0].days_overdue == 53
    assert _ids(plans.action_plan(world, caller=HEAD, on=TODAY, overdue_only=True).items) \
        == ["A1", "A3", "A4"]
    assert _ids(plans.overdue_follow_ups(world, caller=HEAD, on=TODAY)) == ["A1", "A3", "A4"]
    assert _ids(plans.overdue_follow_ups(world, caller=EC1, on=TODAY)) == ["A4"]
    assert _ids(plans.overdue_follow_ups(world, caller=EC2, on=TODAY)) == ["A3"]
    assert plans.overdue_follow_ups(world, caller=SCHEDULER, on=TODAY) == []


def test_a_follow_up_changes_status_and_date_in_one_transaction(world: UowFactory) -> None:
    version = plans.action_detail(world, caller=EC1, action_id="A2", on=TODAY).item.version
    note = plans.add_follow_up(world, caller=EC1, action_id="A2", expected_version=version,
                               text="  Schemat stämt av mot besluten.  ",
                               status=ActionStatus.ONGOING,
                               next_follow_up_on=dt.date(2027, 1, 31), now=NOW)
    assert note.text == "Schemat stämt av mot besluten." and note.author == "ec1"
    detail = plans.action_detail(world, caller=HEAD, action_id="A2", on=TODAY)
    assert detail.item.action.status is ActionStatus.ONGOING
    assert detail.item.action.follow_up_on == dt.date(2027, 1, 31)
    assert detail.item.version == version + 1
    assert [f.text for f in detail.follow_ups] == ["Schemat stämt av mot besluten."]
    assert detail.item.latest == note


def test_a_status_change_without_a_note_is_recorded_in_the_history(world: UowFactory
                                                                   ) -> None:
    item = plans.update_action(world, caller=HEAD, action_id="A1", expected_version=1,
                               status=ActionStatus.DONE, now=NOW)
    assert item.action.status is ActionStatus.DONE and not item.overdue
    history = plans.action_detail(world, caller=HEAD, action_id="A1", on=TODAY).follow_ups
    assert [f.text for f in history] == ["Status ändrad: Pågår → Klar."]
    assert history[0].author == "chef"


def test_a_concurrent_edit_is_refused_and_nothing_is_written(world: UowFactory) -> None:
    read = plans.action_detail(world, caller=HEAD, action_id="A1", on=TODAY).item.version
    plans.update_action(world, caller=HEAD, action_id="A1", expected_version=read,
                        follow_up_on=dt.date(2026, 12, 1), now=NOW)
    with pytest.raises(StaleVersionError) as stale:
        plans.add_follow_up(world, caller=HEAD, action_id="A1", expected_version=read,
                            text="Klar nu", status=ActionStatus.DONE, now=NOW)
    assert "har ändrats av någon annan" in stale.value.message
    with pytest.raises(StaleVersionError):  # a note alone on a stale view, too
        plans.add_follow_up(world, caller=HEAD, action_id="A1", expected_version=read,
                            text="Bara en anteckning", now=NOW)
    detail = plans.action_detail(world, caller=HEAD, action_id="A1", on=TODAY)
    assert detail.item.action.status is ActionStatus.ONGOING
    assert len(detail.follow_ups) == 1  # only the date change


def test_unit_managers_edit_their_units_and_what_they_own_only(world: UowFactory) -> None:
    plans.update_action(world, caller=EC1, action_id="A4", expected_version=1,
                        follow_up_on=dt.date(2026, 12, 15), now=NOW)  # owned, no unit
    with pytest.raises(AccessDenied):
        plans.add_follow_up(world, caller=EC1, action_id="A1", expected_version=1,
                            text="x", now=NOW)  # department-level, owned by chef
    with pytest.raises(AccessDenied):
        plans.update_action(world, caller=EC2, action_id="A2", expected_version=1,
                            status=ActionStatus.PAUSED, now=NOW)
    with pytest.raises(AccessDenied):
        plans.update_action(world, caller=SCHEDULER, action_id="A1", expected_version=1,
                            status=ActionStatus.PAUSED, now=NOW)


def test_invalid_fields_are_refused_with_a_message_naming_the_field(world: UowFactory
                                                                    ) -> None:
    cases = [
        (dict(text="   "), "Uppföljning"),
        (dict(text="x" * 2001), "Uppföljning"),
        (dict(text="ok", next_follow_up_on=dt.date(2026, 1, 1)), "Uppföljningsdatum"),
    ]
    for kwargs, field in cases:
        with pytest.raises(DomainError) as refused:
            plans.add_follow_up(world, caller=HEAD, action_id="A1", expected_version=1,
                                now=NOW, **kwargs)  # type: ignore[arg-type]
        assert refused.value.message.startswith(field)
    plans.update_action(world, caller=HEAD, action_id="A1", expected_version=1,
                        status=ActionStatus.DONE, now=NOW)
    with pytest.raises(DomainError, match="Status: en klar åtgärd"):
        plans.update_action(world, caller=HEAD, action_id="A1", expected_version=2,
                            status=ActionStatus.PLANNED, now=NOW)
    with pytest.raises(DomainError, match="Ansvarig: samordnare kan inte"):
        plans.update_action(world, caller=HEAD, action_id="A1", expected_version=2,
                            owner_username="samordnare", now=NOW)
    with pytest.raises(DomainError, match="Ansvarig: kontot 'okänd'"):
        plans.update_action(world, caller=HEAD, action_id="A1", expected_version=2,
                            owner_username="okänd", now=NOW)


def test_follow_ups_cannot_be_updated_or_deleted_in_the_database(world: UowFactory) -> None:
    plans.add_follow_up(world, caller=HEAD, action_id="A1", expected_version=1,
                        text="Första uppföljningen", now=NOW)
    for statement in ("UPDATE action_follow_ups SET text = 'omskrivet'",
                      "DELETE FROM action_follow_ups"):
        with world() as uow, pytest.raises(Exception, match="append-only"):
            uow.session.execute(text(statement))
            uow.session.flush()
    history = plans.action_detail(world, caller=HEAD, action_id="A1", on=TODAY).follow_ups
    assert [f.text for f in history] == ["Första uppföljningen"]
    with world() as uow, pytest.raises(DomainError) as fixed:
        uow.actions.follow_ups.update(history[0])
    assert fixed.value.code == "action.follow_up_fixed"


def test_targets_are_added_and_changed_with_their_version(world: UowFactory) -> None:
    added = plans.set_target(world, caller=EC1, action_id="A2",
                             figure_code="hours_beyond_granted", baseline="120",
                             baseline_period="2026-03", target="20,5",
                             target_on=dt.date(2026, 12, 31), unit_id="U01")
    assert added.id == "A2-M1" and added.target == Decimal("20.5")
    with pytest.raises(AccessDenied):
        plans.set_target(world, caller=EC1, action_id="A2", figure_code="overtime_hours",
                         baseline="1", baseline_period="2026", target="0",
                         target_on=dt.date(2027, 1, 1), unit_id="U02")
    with pytest.raises(DomainError, match="Målvärde: 'tjugo' är inget tal"):
        plans.set_target(world, caller=HEAD, action_id="A2", figure_code="overtime_hours",
                         baseline="1", baseline_period="2026", target="tjugo",
                         target_on=dt.date(2027, 1, 1))
    with pytest.raises(DomainError, match="Nyckeltal"):
        plans.set_target(world, caller=HEAD, action_id="A2", figure_code="lycka",
                         baseline="1", baseline_period="2026", target="2",
                         target_on=dt.date(2027, 1, 1))
    changed = plans.set_target(world, caller=HEAD, action_id="A2", target_id="A2-M1",
                               expected_version=1, figure_code="hours_beyond_granted",
                               baseline="120", baseline_period="2026-03", target="10",
                               target_on=dt.date(2026, 12, 31), unit_id="U01")
    assert changed.target == Decimal("10")
    with pytest.raises(StaleVersionError):
        plans.set_target(world, caller=HEAD, action_id="A2", target_id="A2-M1",
                         expected_version=1, figure_code="hours_beyond_granted",
                         baseline="120", baseline_period="2026-03", target="5",
                         target_on=dt.date(2026, 12, 31), unit_id="U01")
    views = plans.action_detail(world, caller=HEAD, action_id="A2", on=TODAY).item.targets
    assert [(v.target.target, v.version, v.unit_name, v.label) for v in views] == [
        (Decimal("10"), 2, "Personlig assistans Norr", "Utfört utöver beviljat")]


def test_actions_are_added_for_a_unit_in_scope_with_the_next_id(world: UowFactory) -> None:
    added = plans.add_action(world, caller=EC1, activity=" Minska mötestiden ",
                             measure="Kortare APT", owner_role="EC", unit_id="U01",
                             owner_username="ec1", follow_up_on=dt.date(2027, 1, 31),
                             now=NOW)
    assert (added.id, added.activity, added.department_id) == ("A05", "Minska mötestiden",
                                                               "D01")
    assert added.status is ActionStatus.PLANNED
    with pytest.raises(AccessDenied):
        plans.add_action(world, caller=EC1, activity="x", measure="y", owner_role="EC",
                         unit_id="U02", now=NOW)
    with pytest.raises(AccessDenied):
        plans.add_action(world, caller=EC1, activity="x", measure="y", owner_role="EC",
                         now=NOW)  # the department's own: the head's
    with pytest.raises(DomainError, match="Åtgärd: fältet får inte vara tomt"):
        plans.add_action(world, caller=HEAD, activity="x", measure="", owner_role="EC",
                         now=NOW)
    department = plans.add_action(world, caller=HEAD, activity="Ny", measure="Plan",
                                  owner_role="AC", now=NOW)
    assert department.id == "A06" and department.unit_id is None
