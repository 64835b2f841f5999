"""Expense claims (utlägg) instead of petty-cash cards (handkassekort).

Seed 001: "Avveckla handkassekort, framtagande av rutiner och riktlinjer för ersättning
till personal vid medföljande aktivitet. I förlängning avveckla handkassekort som
genererar en omfattande administration samt idag används felaktigt."

- An :class:`ExpenseClaim` is what a member of staff paid out of their own pocket when
  accompanying a client, with the receipt's reference and the unit's cost centre. It is
  drafted, submitted, then approved (attested) or rejected with a reason by the manager
  of its unit. An approved or rejected claim never changes.
- A :class:`PettyCashCard` is a unit's card and its holder; a :class:`CardPurchase` is a
  line of the card's statement, linked to the ledger booking where there is one.
- Purchases for accompanying activities (:data:`CLAIMABLE_CATEGORIES`, read from the
  text) are what the expense claims replace.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from enum import StrEnum

from insats.domain.calendar import require_aware
from insats.domain.common import DomainError, Money


class ClaimStatus(StrEnum):
    DRAFT = "utkast"
    SUBMITTED = "inskickad"
    APPROVED = "attesterad"
    REJECTED = "avvisad"


CLAIM_STATUS_LABELS: dict[ClaimStatus, str] = {
    ClaimStatus.DRAFT: "Utkast",
    ClaimStatus.SUBMITTED: "Inskickad",
    ClaimStatus.APPROVED: "Attesterad",
    ClaimStatus.REJECTED: "Avvisad",
}
DECIDED = frozenset({ClaimStatus.APPROVED, ClaimStatus.REJECTED})
DESCRIPTION_MAX = 300
RECEIPT_MAX = 64
REASON_MAX = 500


@dataclass(frozen=True, slots=True)
class ExpenseClaim:
    """An expense claim; ``created_by`` is the account that registered it."""

    id: str
    employee_id: str
    unit_id: str
    cost_centre: str
    spent_on: dt.date
    amount: Money
    description: str
    receipt_reference: str
    created_by: str
    created_at: dt.datetime
    status: ClaimStatus = ClaimStatus.DRAFT
    submitted_at: dt.datetime | None = None
    decided_by: str = ""
    decided_at: dt.datetime | None = None
    reason: str = ""

    def __post_init__(self) -> None:
        require_aware(self.created_at, "created_at")
        if self.amount.ore <= 0:
            raise DomainError("expense.amount", "Beloppet ska vara större än noll.")
        if not self.description.strip():
            raise DomainError("expense.description", "Ange vad utlägget gällde.")
        if len(self.description) > DESCRIPTION_MAX:
            raise DomainError("expense.description",
                              f"Beskrivningen får vara högst {DESCRIPTION_MAX} tecken.")
        if len(self.receipt_reference) > RECEIPT_MAX:
            raise DomainError("expense.receipt",
                              f"Kvittoreferensen får vara högst {RECEIPT_MAX} tecken.")
        if self.status is not ClaimStatus.DRAFT and not self.receipt_reference.strip():
            raise DomainError("expense.receipt", "Ett utlägg lämnas in med kvittots "
                              "referens (kvittonummer eller skannat kvitto).")

    @property
    def decided(self) -> bool:
        return self.status in DECIDED

    def ensure_editable(self) -> None:
        if self.decided:
            raise DomainError("expense.decided", f"Utlägg {self.id} är "
                              f"{self.status.value} och kan inte ändras.")

    def submit(self, *, at: dt.datetime) -> ExpenseClaim:
        self.ensure_editable()
        if self.status is not ClaimStatus.DRAFT:
            raise DomainError("expense.state", f"Utlägg {self.id} är redan inskickat.")
        return replace(self, status=ClaimStatus.SUBMITTED, submitted_at=require_aware(at))

    def approve(self, *, by: str, at: dt.datetime) -> ExpenseClaim:
        self._require_submitted()
        return replace(self, status=ClaimStatus.APPROVED, decided_by=by,
                       decided_at=require_aware(at))

    def reject(self, *, by: str, at: dt.datetime, reason: str) -> ExpenseClaim:
        self._require_submitted()
        reason = reason.strip()
        if not reason:
            raise DomainError("expense.reason", "Ange varför utlägget avvisas.")
        if len(reason) > REASON_MAX:
            raise DomainError("expense.reason", f"Orsaken får vara högst {REASON_MAX} tecken.")
        return replace(self, status=ClaimStatus.REJECTED, decided_by=by,
                       decided_at=require_aware(at), reason=reason)

    def _require_submitted(self) -> None:
        self.ensure_editable()
        if self.status is not ClaimStatus.SUBMITTED:
            raise DomainError("expense.state", f"Utlägg {self.id} är inte inskickat än.")


@dataclass(frozen=True, slots=True)
class PettyCashCard:
    id: str
    unit_id: str
    holder_employee_id: str
    label: str  # e.g. "Handkassekort ****4821"
    issued_on: dt.date
    closed_on: dt.date | None = None


@dataclass(frozen=True, slots=True)
class CardPurchase:
    id: str
    card_id: str
    bought_on: dt.date
    amount: Money
    merchant: str
    text: str
    cost_entry_id: str | None = None  # the ledger booking of the purchase

    @property
    def category(self) -> str:
        return purchase_category(self.text)


CLAIMABLE_CATEGORIES: frozenset[str] = frozenset(
    {"café", "bio", "bowling", "simhall", "lunch", "museum"})
"""Accompanying activities (the staff's own entrance or meal with the client): paid by
expense claim under the new routine."""
OTHER_CATEGORY = "övrigt"
_CATEGORY = re.compile(r"\(([^()]+)\)\s*$")


def purchase_category(text: str) -> str:
    """The activity in brackets at the end of the text ("... aktivitet (bio)" → "bio")."""
    found = _CATEGORY.search(text.strip())
    return found[1].strip().casefold() if found else OTHER_CATEGORY


def claimable(purchase: CardPurchase) -> bool:
    return purchase.category in CLAIMABLE_CATEGORIES
