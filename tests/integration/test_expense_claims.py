"""The expense-claim flow from the database (both backends): register and submit,
approve or reject by the manager of the claim's unit only, a rejection needs a reason, a
decided claim never changes, a stale version is refused; and the command line.

Units U01 and U02; E1 works in U01, E2 in U02.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

import pytest
from click.testing import Result
from sqlalchemy import select

from insats.db.models.access import AuditEventRow
from insats.db.repositories._base import StaleVersionError
from insats.domain.access import AccessDenied
from insats.domain.common import DomainError, Money
from insats.domain.expenses import ClaimStatus
from insats.services.expense_claims import (
    ClaimInputError,
    approve_claim,
    claim_from_input,
    claims_view,
    list_claims,
    register_claim,
    reject_claim,
    submit_claim,
)
from insats.services.uow import UnitOfWork
from tests.builders import a_department, a_unit, an_employee
from tests.callers import CONTROLLER, HEAD, SCHEDULER, manager_of

UowFactory = Callable[[], UnitOfWork]
MANAGER_U01 = manager_of("U01", username="ec1")
MANAGER_U02 = manager_of("U02", username="ec2")
TODAY = dt.date(2026, 10, 20)


@pytest.fixture
def world(uow_factory: UowFactory) -> UowFactory:
    with uow_factory() as uow:
        uow.organisation.add_many([
            a_department(), a_unit(id="U01", cost_centre="4101"),
            a_unit(id="U02", name="Korttidshemmet", cost_centre="4202")])
        uow.staff.add_many([an_employee(id="E1", home_unit_id="U01"),
                            an_employee(id="E2", home_unit_id="U02", given_name="Omar")])
        uow.commit()
    return uow_factory


def claim(world: UowFactory, employee: str = "E1", caller: object = MANAGER_U01,
          **extra: object) -> object:
    return register_claim(world, caller=caller, employee_id=employee,  # type: ignore[arg-type]
                          spent_on=dt.date(2026, 10, 3), amount=Money(245_50),
                          description="Bio med brukare", receipt_reference="KV-1", **extra)


def test_a_claim_on_the_employees_unit_and_cost_centre_approved_by_its_manager(
        world: UowFactory) -> None:
    made = claim(world)
    assert (made.unit_id, made.cost_centre, made.status) == (  # type: ignore[attr-defined]
        "U01", "4101", ClaimStatus.SUBMITTED)
    assert made.created_by == "ec1"  # type: ignore[attr-defined]
    view = claims_view(world, caller=MANAGER_U01)
    assert [c.id for c in view.queue] == [made.id]  # type: ignore[attr-defined]
    assert [c.id for c in view.mine] == [made.id]  # type: ignore[attr-defined]
    assert claims_view(world, caller=MANAGER_U02).queue == []  # not their unit
    approved = approve_claim(world, caller=MANAGER_U01, claim_id=made.id,  # type: ignore[attr-defined]
                             version=view.versions[made.id])  # type: ignore[attr-defined]
    assert (approved.status, approved.decided_by) == (ClaimStatus.APPROVED, "ec1")
    with world() as uow:
        stored = uow.expenses.get(made.id)  # type: ignore[attr-defined]
        actions = uow.session.execute(select(AuditEventRow.action, AuditEventRow.username)
                                      .where(AuditEventRow.object_kind == "expense_claim")
                                      .order_by(AuditEventRow.id)).all()
    assert stored is not None and stored.status is ClaimStatus.APPROVED
    assert [tuple(a) for a in actions] == [("create", "ec1"), ("update", "ec1")]


def test_another_units_manager_cannot_decide_and_the_refusal_is_logged(
        world: UowFactory) -> None:
    made = claim(world)
    with pytest.raises(AccessDenied, match="utanför din behörighet"):
        approve_claim(world, caller=MANAGER_U02, claim_id=made.id)  # type: ignore[attr-defined]
    with pytest.raises(AccessDenied):
        reject_claim(world, caller=MANAGER_U02, claim_id=made.id,  # type: ignore[attr-defined]
                     reason="Nej")
    with pytest.raises(AccessDenied):  # the ekonom and the samordnare read, not decide
        approve_claim(world, caller=CONTROLLER, claim_id=made.id)  # type: ignore[attr-defined]
    with pytest.raises(AccessDenied):
        approve_claim(world, caller=SCHEDULER, claim_id=made.id)  # type: ignore[attr-defined]
    with pytest.raises(AccessDenied):  # a manager registers for their own units only
        claim(world, employee="E2")
    with world() as uow:
        assert uow.expenses.get(made.id).status is ClaimStatus.SUBMITTED  # type: ignore
        denied = uow.session.scalars(select(AuditEventRow.username)
                                     .where(AuditEventRow.action == "denied")).all()
    assert sorted(denied) == ["ec1", "ec2", "ec2"]
    assert approve_claim(world, caller=HEAD, claim_id=made.id  # type: ignore[attr-defined]
                         ).status is ClaimStatus.APPROVED  # the avdelningschef: every unit


def test_rejecting_needs_a_reason_and_a_decided_claim_never_changes(world: UowFactory) -> None:
    made = claim(world)
    with pytest.raises(DomainError, match="Ange varför"):
        reject_claim(world, caller=MANAGER_U01, claim_id=made.id,  # type: ignore[attr-defined]
                     reason="  ")
    rejected = reject_claim(world, caller=MANAGER_U01, claim_id=made.id,  # type: ignore[attr-defined]
                            reason="Kvittot gäller en annan dag")
    assert (rejected.status, rejected.reason) == (ClaimStatus.REJECTED,
                                                  "Kvittot gäller en annan dag")
    with pytest.raises(DomainError, match="avvisad och kan inte ändras"):
        approve_claim(world, caller=HEAD, claim_id=made.id)  # type: ignore[attr-defined]
    # the repository refuses it too, whatever the caller
    with world() as uow, pytest.raises(DomainError, match="kan inte ändras"):
        uow.expenses.update(replace(rejected, reason="Ändrad i efterhand"))


def test_concurrent_decisions_the_second_with_the_old_version_is_refused(
        world: UowFactory) -> None:
    made = claim(world, submit=False)
    with world() as uow:
        read = uow.expenses.version_of(made.id)  # type: ignore[attr-defined]
    submitted = submit_claim(world, caller=MANAGER_U01, claim_id=made.id,  # type: ignore[attr-defined]
                             version=read)
    assert submitted.status is ClaimStatus.SUBMITTED
    with world() as uow:
        seen = uow.expenses.version_of(made.id)  # type: ignore[attr-defined]
    assert seen == (read or 0) + 1
    approve_claim(world, caller=MANAGER_U01, claim_id=made.id, version=seen)  # type: ignore
    with pytest.raises(StaleVersionError):  # HEAD read the same version and rejects later
        reject_claim(world, caller=HEAD, claim_id=made.id,  # type: ignore[attr-defined]
                     reason="Dubblett", version=seen)
    other = claim(world)
    with pytest.raises(StaleVersionError):
        approve_claim(world, caller=HEAD, claim_id=other.id, version=7)  # type: ignore


def test_the_form_names_each_wrong_field_and_writes_nothing(world: UowFactory) -> None:
    with pytest.raises(ClaimInputError) as invalid:
        claim_from_input(world, caller=MANAGER_U01, employee_id="", spent_on="2026-13-01",
                         amount="tolv", description="", receipt_reference="", today=TODAY)
    assert set(invalid.value.errors) == {"employee_id", "spent_on", "amount", "description",
                                         "receipt_reference"}
    with pytest.raises(ClaimInputError) as later:
        claim_from_input(world, caller=MANAGER_U01, employee_id="E1", spent_on="2026-10-21",
                         amount="100", description="Bio", receipt_reference="KV",
                         today=TODAY)
    assert "framtiden" in later.value.errors["spent_on"]
    made = claim_from_input(world, caller=MANAGER_U01, employee_id="E1",
                            spent_on="2026-10-05", amount="1 245,5", description="Bowling",
                            receipt_reference="KV-9", today=TODAY)
    assert made.amount == Money(1_245_50)
    assert [c.id for c in list_claims(world, caller=HEAD)] == [made.id]


def test_roles_that_read_the_claims(world: UowFactory) -> None:
    made = claim(world)
    view = claims_view(world, caller=CONTROLLER)
    assert [c.id for c in view.recent] == [made.id]  # type: ignore[attr-defined]
    assert view.queue == [] and view.mine == [] and view.choices == []
    assert [c.id for c in claims_view(world, caller=SCHEDULER).queue] == []
    assert [e.id for e in claims_view(world, caller=SCHEDULER).choices] == ["E1", "E2"]
    assert list_claims(world, caller=MANAGER_U02) == []
    with pytest.raises(AccessDenied):
        list_claims(world, caller=MANAGER_U02, unit_ids=["U01"])


def test_cli_claim_list_approve_and_reject(world: UowFactory,
                                          cli: Callable[..., Result]) -> None:
    made = cli("expenses", "claim", "--employee", "E1", "--date",
               (dt.date.today() - dt.timedelta(days=2)).isoformat(), "--amount", "245,50",
               "--text", "Bio med brukare", "--receipt", "KV-1")
    assert made.exit_code == 0, made.output
    assert "Inskickad" in made.output and "245,50" in made.output and "4101" in made.output
    second = cli("expenses", "claim", "--employee", "E2", "--date",
                 (dt.date.today() - dt.timedelta(days=1)).isoformat(), "--amount", "99",
                 "--text", "Lunch med brukare", "--receipt", "KV-2")
    assert second.exit_code == 0, second.output
    with world() as uow:
        first_id, second_id = [c.id for c in uow.expenses.claims_of_units(["U01", "U02"])]
    listed = cli("expenses", "list", "--status", "inskickad", "--format", "csv")
    assert listed.exit_code == 0, listed.output
    lines = listed.output.strip().splitlines()
    assert lines[0].startswith("Utlägg;Enhet;Ansvar") and len(lines) == 3
    assert f"{first_id};U01;4101;E1;" in lines[1]
    assert cli("expenses", "approve", first_id).exit_code == 0
    no_reason = cli("expenses", "reject", second_id)
    assert no_reason.exit_code != 0 and "Ange varför" in str(no_reason.exception)
    rejected = cli("expenses", "reject", second_id, "--reason", "Kvitto saknas")
    assert rejected.exit_code == 0 and "Kvitto saknas" in rejected.output
    shown = cli("expenses", "list", "--unit", "U01")
    assert shown.exit_code == 0 and "Attesterad" in shown.output and "Avvisad" not in shown.output
    again = cli("expenses", "approve", first_id)
    assert again.exit_code != 0 and "kan inte ändras" in str(again.exception)
    bad = cli("expenses", "claim", "--employee", "E1", "--date", "igår", "--amount", "5",
              "--text", "x", "--receipt", "KV")
    assert bad.exit_code != 0 and "Ange datum" in str(bad.exception)


def test_a_decision_racing_another_is_refused(world: UowFactory) -> None:
    """A session that read the claim before another approved it cannot write its own
    decision: the stored row is decided (or, had it not been re-read, at a newer version)."""
    made = claim(world)
    at = dt.datetime(2026, 10, 6, 9, tzinfo=dt.UTC)
    with world() as first:
        read = first.expenses.get(made.id)  # type: ignore[attr-defined]
        assert read is not None
        approve_claim(world, caller=HEAD, claim_id=read.id)  # meanwhile, in another session
        with pytest.raises(DomainError, match=r"ändrats av någon annan|kan inte ändras"):
            first.expenses.update(read.reject(by="ec1", at=at, reason="Dubblett"))
    with world() as uow:
        assert uow.expenses.get(made.id).status is ClaimStatus.APPROVED  # type: ignore
