"""Petty-cash cards with their purchases, and expense claims since the new routine.

- **Cards**: one per unit whose ledger books petty-cash spending (the personal-assistance
  units, the korttidshem and the resource unit), held by the unit's manager; each
  booking on the account Handkassa is a purchase on its unit's card (linked to the
  booking). Stödfamiljer also hold a card that has not been used (planted: a card to
  close at once).
- **Claims**: the routine starts on :data:`ROUTINE_STARTS` (or the history's first day if
  later) in the first personal-assistance unit and the first korttidshem of each cluster
  (planted: the units whose cards can go now). Each month a few claims for accompanying
  activities; those of the months before the last are decided (mostly approved, some
  rejected with a reason), the last month's are submitted and one per unit is a draft.

Randomness comes from its own stream, so the rest of the demo is unchanged.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from insats.demo.organisation import UNITS_PER_CLUSTER
from insats.domain.calendar import local_datetime
from insats.domain.common import Money
from insats.domain.economy import AccountCategory, CostEntry
from insats.domain.expenses import (
    CardPurchase,
    ClaimStatus,
    ExpenseClaim,
    PettyCashCard,
    purchase_category,
)
from insats.domain.organisation import Unit, UnitKind
from insats.domain.staff import Employee

ROUTINE_STARTS = dt.date(2026, 3, 1)
MERCHANTS = {"café": "Café Stinsen", "bio": "Bio Palladium", "bowling": "Alingsås Bowlinghall",
             "simhall": "Nolhagabadet", "lunch": "Restaurang Gästis",
             "museum": "Alingsås museum"}
REJECTION_REASONS = ("Kvittot gäller en annan dag än aktiviteten.",
                     "Beloppet överstiger riktlinjens tak för medföljande aktivitet.")


@dataclass(frozen=True, slots=True)
class PlantedExpenses:
    cards: tuple[PettyCashCard, ...]
    purchases: tuple[CardPurchase, ...]
    claims: tuple[ExpenseClaim, ...]
    routine_starts: dt.date
    adopter_unit_ids: tuple[str, ...]  # units with claims since the routine started
    unused_card_ids: tuple[str, ...]


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def build_expenses(*, seed: int, units: list[Unit], employees: list[Employee],
                   cost_entries: list[CostEntry], start: dt.date,
                   as_of: dt.date) -> PlantedExpenses:
    rng = random.Random(f"{seed}-expenses")
    petty = [e for e in cost_entries if e.category is AccountCategory.PETTY_CASH]
    spending_units = {e.unit_id for e in petty}
    cards: list[PettyCashCard] = []
    card_of: dict[str, str] = {}
    unused: list[str] = []
    for unit in units:
        holder = unit.manager_employee_id
        if holder is None:
            continue
        if unit.id in spending_units or unit.kind is UnitKind.SUPPORT_FAMILIES:
            card = PettyCashCard(
                id=f"HK{len(cards) + 1:03d}", unit_id=unit.id, holder_employee_id=holder,
                label=f"Handkassekort ****{rng.randint(1000, 9999)}",
                issued_on=start - dt.timedelta(days=rng.randint(200, 900)))
            cards.append(card)
            card_of[unit.id] = card.id
            if unit.id not in spending_units:
                unused.append(card.id)
    purchases = tuple(
        CardPurchase(id=f"KK{n:06d}", card_id=card_of[e.unit_id], bought_on=e.booked_on,
                     amount=e.amount, text=e.description, cost_entry_id=e.id,
                     merchant=MERCHANTS.get(purchase_category(e.description), "Okänd"))
        for n, e in enumerate(petty, start=1))
    adopters = []
    for position, unit in enumerate(units):
        index = position % UNITS_PER_CLUSTER
        first_of_kind = all(u.kind is not unit.kind for u in
                            units[position - index:position])
        if first_of_kind and unit.kind in (UnitKind.PERSONAL_ASSISTANCE,
                                           UnitKind.SHORT_TERM_STAY):
            adopters.append(unit)
    routine = max(ROUTINE_STARTS, start)
    last_month = as_of.replace(day=1) - dt.timedelta(days=1)
    last_month = last_month.replace(day=1)
    staff_of: dict[str, list[Employee]] = {}
    for employee in employees:
        staff_of.setdefault(employee.home_unit_id, []).append(employee)
    claims: list[ExpenseClaim] = []
    for unit in adopters:
        if not staff_of.get(unit.id):
            continue
        month = routine.replace(day=1)
        while month <= last_month:
            decided_month = month < last_month
            count = rng.randint(3, 6)
            for number in range(count):
                employee = rng.choice(staff_of[unit.id])
                place = rng.choice(sorted(MERCHANTS))
                spent = month + dt.timedelta(days=rng.randint(0, 27))
                created = local_datetime(spent + dt.timedelta(days=rng.randint(1, 3)),
                                         dt.time(rng.randint(8, 16)))
                status = (ClaimStatus.DRAFT if not decided_month and number == 0 else
                          ClaimStatus.SUBMITTED if not decided_month else
                          ClaimStatus.REJECTED if rng.random() < 0.12 else
                          ClaimStatus.APPROVED)
                decided = created + dt.timedelta(days=rng.randint(2, 6))
                assert unit.manager_employee_id is not None
                claims.append(ExpenseClaim(
                    id=f"UT{len(claims) + 1:05d}", employee_id=employee.id, unit_id=unit.id,
                    cost_centre=unit.cost_centre, spent_on=spent,
                    amount=Money(rng.randint(60, 420) * 100),
                    description=f"Medföljande aktivitet med brukare ({place})",
                    receipt_reference=f"KV-{spent:%Y%m}-{rng.randint(100, 999)}",
                    created_by=unit.manager_employee_id, created_at=created, status=status,
                    submitted_at=None if status is ClaimStatus.DRAFT else created,
                    decided_by=unit.manager_employee_id if decided_month else "",
                    decided_at=decided if decided_month else None,
                    reason=rng.choice(REJECTION_REASONS) if status is ClaimStatus.REJECTED
                    else ""))
            month = _next_month(month)
    return PlantedExpenses(tuple(cards), purchases, tuple(claims), routine,
                           tuple(u.id for u in adopters), tuple(unused))
