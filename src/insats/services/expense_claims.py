"""Use cases: expense claims (utlägg) instead of petty-cash cards (issue 8).

Staff who pay for an accompanying activity out of their own pocket hand the receipt to
their manager or a samordnare, who registers the claim (``CLAIM_EXPENSES``) for the
employee's unit and cost centre and submits it. The manager of the claim's unit approves
or rejects it with a reason (``APPROVE_EXPENSES``: an enhetschef their own units only,
the avdelningschef all); the ekonom reads (``VIEW_EXPENSES`` with ``VIEW_MONEY``).
An approved or rejected claim never changes (the repository refuses it), and two
decisions on the same claim cannot both win: the decision carries the version it was
read at and a changed claim is refused. Every change writes an access-log line (object
kind ``expense_claim``) in the same unit of work; a refusal outside the caller's units
is logged too.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass

from insats.db.repositories._base import NotFoundError, StaleVersionError
from insats.domain.access import AccessDenied, AuditAction, Caller, Capability
from insats.domain.common import DomainError, Money
from insats.domain.expenses import (
    DESCRIPTION_MAX,
    RECEIPT_MAX,
    ClaimStatus,
    ExpenseClaim,
)
from insats.domain.organisation import Unit
from insats.domain.staff import Employee
from insats.services.audit import Touched, log
from insats.services.form_input import FormInputError, clean_free_text
from insats.services.runtime import UowFactory
from insats.services.scope import visible_units
from insats.services.uow import UnitOfWork

OBJECT_KIND = "expense_claim"
AMOUNT_MAX_ORE = 5_000_000  # 50 000 kr: larger purchases go through procurement
_AMOUNT = re.compile(r"^\d{1,7}([.,]\d{1,2})?$")


def _deny(uow: UnitOfWork, caller: Caller, claim_id: str | None, unit_id: str,
          message: str) -> AccessDenied:
    log(uow, caller, AuditAction.DENIED, [Touched(OBJECT_KIND, claim_id, None, unit_id)])
    uow.commit()
    return AccessDenied(message)


def _unit_for(uow: UnitOfWork, caller: Caller, unit_id: str) -> Unit:
    unit = uow.organisation.get(unit_id)
    if unit is None:
        raise NotFoundError("Enheten", unit_id)
    if not caller.viewer.sees_unit(unit.id):
        raise _deny(uow, caller, None, unit.id, "Enheten ingår inte i din behörighet.")
    return unit


def register_claim(uow_factory: UowFactory, *, caller: Caller, employee_id: str,
                   spent_on: dt.date, amount: Money, description: str,
                   receipt_reference: str, unit_id: str | None = None, submit: bool = True,
                   at: dt.datetime | None = None) -> ExpenseClaim:
    """A new claim for the employee, on ``unit_id`` (default: the employee's home unit)
    and its cost centre; submitted at once unless ``submit`` is False (a draft)."""
    caller.viewer.require(Capability.CLAIM_EXPENSES)
    at = at or dt.datetime.now(dt.UTC)
    with uow_factory() as uow:
        employee = uow.staff.get(employee_id)
        if employee is None:
            raise NotFoundError("Medarbetaren", employee_id)
        unit = _unit_for(uow, caller, unit_id or employee.home_unit_id)
        claim = ExpenseClaim(
            id=f"UT{uuid.uuid4().hex[:14]}", employee_id=employee.id, unit_id=unit.id,
            cost_centre=unit.cost_centre, spent_on=spent_on, amount=amount,
            description=description.strip(), receipt_reference=receipt_reference.strip(),
            created_by=caller.viewer.username, created_at=at)
        if submit:
            claim = claim.submit(at=at)
        uow.expenses.add(claim)
        log(uow, caller, AuditAction.CREATE, [Touched(OBJECT_KIND, claim.id, None, unit.id)],
            at=at)
        uow.commit()
    return claim


class ClaimInputError(FormInputError):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("expense.invalid", errors)


def parse_amount(text: str | None) -> int | None:
    """Kronor as typed ("245", "245,50", "1 245") in öre; None when unreadable."""
    value = (text or "").replace("\u00a0", "").replace(" ", "").removesuffix("kr").strip()
    if not _AMOUNT.match(value):
        return None
    kronor, _, ore = value.replace(",", ".").partition(".")
    return int(kronor) * 100 + int((ore + "00")[:2])


def claim_from_input(uow_factory: UowFactory, *, caller: Caller, employee_id: str | None,
                     spent_on: str | None, amount: str | None, description: str | None,
                     receipt_reference: str | None, submit: bool = True,
                     today: dt.date | None = None,
                     at: dt.datetime | None = None) -> ExpenseClaim:
    """:func:`register_claim` from what was typed; :class:`ClaimInputError` names each
    wrong field (nothing is written then)."""
    caller.viewer.require(Capability.CLAIM_EXPENSES)
    today = today or dt.date.today()
    errors: dict[str, str] = {}
    if not (employee_id or "").strip():
        errors["employee_id"] = "Välj den medarbetare som gjorde utlägget."
    day: dt.date | None = None
    try:
        day = dt.date.fromisoformat((spent_on or "").strip())
    except ValueError:
        errors["spent_on"] = "Ange datum för utlägget, till exempel 2026-10-05."
    if day is not None and not today - dt.timedelta(days=365) <= day <= today:
        errors["spent_on"] = "Utlägget ska vara gjort under det senaste året, inte i framtiden."
    ore = parse_amount(amount)
    if ore is None or ore <= 0:
        errors["amount"] = "Ange beloppet i kronor, till exempel 245 eller 245,50."
    elif ore > AMOUNT_MAX_ORE:
        errors["amount"] = "Utlägg över 50 000 kr görs inte; köp via leverantör i stället."
    text = clean_free_text(description)
    if not text:
        errors["description"] = "Ange vad utlägget gällde."
    elif len(text) > DESCRIPTION_MAX:
        errors["description"] = f"Beskrivningen får vara högst {DESCRIPTION_MAX} tecken."
    receipt = clean_free_text(receipt_reference)
    if submit and not receipt:
        errors["receipt_reference"] = "Ange kvittots referens (kvittonummer eller skannat kvitto)."
    elif len(receipt) > RECEIPT_MAX:
        errors["receipt_reference"] = f"Kvittoreferensen får vara högst {RECEIPT_MAX} tecken."
    if errors or day is None or ore is None:
        raise ClaimInputError(errors)
    return register_claim(uow_factory, caller=caller, employee_id=(employee_id or "").strip(),
                          spent_on=day, amount=Money(ore), description=text,
                          receipt_reference=receipt, submit=submit, at=at)


def _claim_in_scope(uow: UnitOfWork, caller: Caller, claim_id: str,
                    version: int | None = None) -> ExpenseClaim:
    """The claim, if in the caller's units and still at ``version`` (when given): a claim
    changed since the caller read it is refused before anything else is checked."""
    claim = uow.expenses.get(claim_id)
    if claim is None:
        raise NotFoundError("Utlägget", claim_id)
    if not caller.viewer.sees_unit(claim.unit_id):
        raise _deny(uow, caller, claim.id, claim.unit_id,
                    "Utlägget hör till en enhet utanför din behörighet.")
    if version is not None and uow.expenses.version_of(claim.id) != version:
        raise StaleVersionError("Utlägget", claim.id)
    return claim


def _decide(uow_factory: UowFactory, caller: Caller, claim_id: str, version: int | None,
            at: dt.datetime | None, reason: str | None = None) -> ExpenseClaim:
    caller.viewer.require(Capability.APPROVE_EXPENSES)
    at = at or dt.datetime.now(dt.UTC)
    with uow_factory() as uow:
        claim = _claim_in_scope(uow, caller, claim_id, version)
        if reason is None:
            decided = claim.approve(by=caller.viewer.username, at=at)
        else:
            decided = claim.reject(by=caller.viewer.username, at=at, reason=reason)
        uow.expenses.update(decided, expected_version=version)
        log(uow, caller, AuditAction.UPDATE,
            [Touched(OBJECT_KIND, claim.id, None, claim.unit_id)], at=at)
        uow.commit()
    return decided


def approve_claim(uow_factory: UowFactory, *, caller: Caller, claim_id: str,
                  version: int | None = None, at: dt.datetime | None = None) -> ExpenseClaim:
    """Approve (attest) a submitted claim; ``version`` is the one the approver read."""
    return _decide(uow_factory, caller, claim_id, version, at)


def reject_claim(uow_factory: UowFactory, *, caller: Caller, claim_id: str, reason: str,
                 version: int | None = None, at: dt.datetime | None = None) -> ExpenseClaim:
    """Reject a submitted claim with a reason (required)."""
    return _decide(uow_factory, caller, claim_id, version, at, reason=clean_free_text(reason))


def submit_claim(uow_factory: UowFactory, *, caller: Caller, claim_id: str,
                 version: int | None = None, at: dt.datetime | None = None) -> ExpenseClaim:
    """Submit a draft (it needs its receipt reference by then)."""
    caller.viewer.require(Capability.CLAIM_EXPENSES)
    at = at or dt.datetime.now(dt.UTC)
    with uow_factory() as uow:
        claim = _claim_in_scope(uow, caller, claim_id, version)
        submitted = claim.submit(at=at)
        uow.expenses.update(submitted, expected_version=version)
        log(uow, caller, AuditAction.UPDATE,
            [Touched(OBJECT_KIND, claim.id, None, claim.unit_id)], at=at)
        uow.commit()
    return submitted


@dataclass(frozen=True, slots=True)
class ClaimsView:
    """What the expenses page shows a caller."""

    mine: list[ExpenseClaim]  # registered by the caller
    queue: list[ExpenseClaim]  # submitted claims the caller may decide
    recent: list[ExpenseClaim]  # the units' claims (for those who read money)
    versions: dict[str, int]
    employees: dict[str, Employee]  # claimants, and the choices of the form
    units: dict[str, Unit]
    choices: list[Employee]  # whom the caller may register a claim for


def claims_view(uow_factory: UowFactory, *, caller: Caller, today: dt.date | None = None,
                limit: int = 200) -> ClaimsView:
    """The caller's registered claims, their approval queue and the units' recent claims."""
    caller.viewer.require(Capability.VIEW_EXPENSES)
    viewer = caller.viewer
    today = today or dt.date.today()
    with uow_factory() as uow:
        units = {u.id: u for u in visible_units(uow, caller)}
        mine = (uow.expenses.claims_created_by(viewer.username, limit)
                if viewer.can(Capability.CLAIM_EXPENSES) else [])
        queue = (uow.expenses.claims_of_units(units, statuses=[ClaimStatus.SUBMITTED])
                 if viewer.can(Capability.APPROVE_EXPENSES) else [])
        recent = (list(reversed(uow.expenses.claims_of_units(units)))[:limit]
                  if viewer.can(Capability.VIEW_MONEY) else [])
        shown = {c.id: c for c in [*mine, *queue, *recent]}
        versions = {key: uow.expenses.version_of(key) or 0 for key in shown}
        choices: list[Employee] = []
        if viewer.can(Capability.CLAIM_EXPENSES):
            for unit_id in sorted(units):
                choices += uow.staff.of_unit(unit_id, employed_on=today)
        employees = {e.id: e for e in choices}
        for claim in shown.values():
            if claim.employee_id not in employees:
                found = uow.staff.get(claim.employee_id)
                if found is not None:
                    employees[found.id] = found
    choices.sort(key=lambda e: (e.display_name, e.id))
    return ClaimsView(mine, queue, recent, versions, employees, units, choices)


def list_claims(uow_factory: UowFactory, *, caller: Caller,
                status: ClaimStatus | None = None,
                unit_ids: list[str] | None = None) -> list[ExpenseClaim]:
    """The claims of the caller's units (or ``unit_ids`` of them), oldest first."""
    caller.viewer.require(Capability.VIEW_EXPENSES)
    with uow_factory() as uow:
        units = [u.id for u in visible_units(uow, caller)]
        if unit_ids:
            for unit_id in unit_ids:
                _unit_for(uow, caller, unit_id)
            units = [u for u in units if u in set(unit_ids)]
        return uow.expenses.claims_of_units(
            units, statuses=None if status is None else [status])


def claim_status(text: str) -> ClaimStatus:
    try:
        return ClaimStatus(text.strip().lower())
    except ValueError:
        raise DomainError("expense.status", f"Okänd status {text!r}; välj bland "
                          f"{', '.join(s.value for s in ClaimStatus)}.") from None
