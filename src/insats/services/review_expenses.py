"""Review: expense claims instead of petty-cash cards ("Avveckla handkassekort").

The units' petty-cash cards and their purchases in the period (per unit and month, per
category), the purchases that expense claims can replace (accompanying activities,
:data:`insats.domain.expenses.CLAIMABLE_CATEGORIES`), which cards can be phased out now,
and the claims since the routine started (the first submitted claim of the units).

A card can go now when it was not used in the period, or when its unit already pays
accompanying activities by approved expense claims; elsewhere the routine is introduced
first.
"""

from __future__ import annotations

from collections import defaultdict

from insats.domain.access import Caller, Capability
from insats.domain.expenses import (
    CLAIM_STATUS_LABELS,
    CLAIMABLE_CATEGORIES,
    CardPurchase,
    ClaimStatus,
    claimable,
)
from insats.domain.formatting import format_kronor, format_number
from insats.domain.reviews import CellKind, ReviewColumn, ReviewName, ReviewReport, ReviewTable
from insats.services.reviews import ReviewRequest, ReviewSpec
from insats.services.runtime import UowFactory

PHASE_OUT_UNUSED = "Avveckla nu: kortet har inte använts i perioden"
PHASE_OUT_CLAIMS = "Avveckla nu: enheten ersätter redan med utlägg"
INTRODUCE_FIRST = "Inför utlägg på enheten, avveckla sedan"


def _total(purchases: list[CardPurchase]) -> int:
    return sum(p.amount.ore for p in purchases)


def expenses_review(uow_factory: UowFactory, caller: Caller,
                    request: ReviewRequest) -> ReviewReport:
    period = request.period
    with uow_factory() as uow:
        cards = uow.expenses.cards_of_units(request.unit_ids)
        purchases = uow.expenses.purchases_of_cards([c.id for c in cards], period)
        claims = uow.expenses.claims_of_units(request.unit_ids)
        holders = {c.holder_employee_id: uow.staff.get(c.holder_employee_id) for c in cards}
        all_units = len(uow.organisation.units())
    names = {u.id: u.name for u in request.units}
    card_unit = {c.id: c.unit_id for c in cards}
    submitted = [c for c in claims if c.status is not ClaimStatus.DRAFT]
    routine_starts = min((c.spent_on for c in submitted), default=None)
    in_period = [c for c in submitted if period.contains(c.spent_on)]
    approved_units = {c.unit_id for c in in_period if c.status is ClaimStatus.APPROVED}

    by_unit_month: dict[tuple[str, str], list[CardPurchase]] = defaultdict(list)
    by_category: dict[str, list[CardPurchase]] = defaultdict(list)
    by_card: dict[str, list[CardPurchase]] = defaultdict(list)
    by_unit: dict[str, int] = defaultdict(int)
    for purchase in purchases:
        unit = card_unit[purchase.card_id]
        by_unit_month[(names.get(unit, unit), f"{purchase.bought_on:%Y-%m}")].append(purchase)
        by_category[purchase.category].append(purchase)
        by_card[purchase.card_id].append(purchase)
        by_unit[unit] += purchase.amount.ore
    monthly = ReviewTable(
        "Handkassekortens köp per enhet och månad",
        (ReviewColumn("Enhet"), ReviewColumn("Månad"), ReviewColumn("Köp", CellKind.COUNT),
         ReviewColumn("Belopp", CellKind.MONEY)),
        tuple((unit, month, len(items), _total(items))
              for (unit, month), items in sorted(by_unit_month.items())), totals=True)
    categories = ReviewTable(
        "Köp per slag",
        (ReviewColumn("Slag"), ReviewColumn("Köp", CellKind.COUNT),
         ReviewColumn("Belopp", CellKind.MONEY), ReviewColumn("Kan ersättas med utlägg")),
        tuple((category, len(items), _total(items),
               "Ja" if category in CLAIMABLE_CATEGORIES else "Nej")
              for category, items in sorted(by_category.items(),
                                            key=lambda kv: (-_total(kv[1]), kv[0]))),
        totals=True)
    card_rows: list[tuple[object, ...]] = []
    phase_out: list[str] = []
    for card in cards:
        used = by_card.get(card.id, [])
        if not used:
            proposal = PHASE_OUT_UNUSED
        elif card.unit_id in approved_units:
            proposal = PHASE_OUT_CLAIMS
        else:
            proposal = INTRODUCE_FIRST
        if proposal != INTRODUCE_FIRST:
            phase_out.append(f"{card.label} ({names.get(card.unit_id, card.unit_id)})")
        holder = holders.get(card.holder_employee_id)
        card_rows.append((
            card.label, names.get(card.unit_id, card.unit_id),
            holder.display_name if holder else card.holder_employee_id, len(used),
            _total(used), max((p.bought_on for p in used), default=None),
            sum(1 for c in in_period if c.unit_id == card.unit_id
                and c.status is ClaimStatus.APPROVED), proposal))
    card_table = ReviewTable(
        "Handkassekort",
        (ReviewColumn("Kort"), ReviewColumn("Enhet"), ReviewColumn("Kortinnehavare"),
         ReviewColumn("Köp", CellKind.COUNT), ReviewColumn("Belopp", CellKind.MONEY),
         ReviewColumn("Senaste köp", CellKind.DATE),
         ReviewColumn("Attesterade utlägg", CellKind.COUNT), ReviewColumn("Förslag")),
        tuple(card_rows), totals=True)
    claim_groups: dict[tuple[str, ClaimStatus], list[int]] = defaultdict(lambda: [0, 0])
    for claim in in_period:
        group = claim_groups[(names.get(claim.unit_id, claim.unit_id), claim.status)]
        group[0] += 1
        group[1] += claim.amount.ore
    claim_table = ReviewTable(
        "Utlägg sedan rutinen infördes",
        (ReviewColumn("Enhet"), ReviewColumn("Status"), ReviewColumn("Utlägg", CellKind.COUNT),
         ReviewColumn("Belopp", CellKind.MONEY)),
        tuple((unit, CLAIM_STATUS_LABELS[status], count, amount)
              for (unit, status), (count, amount) in sorted(claim_groups.items())),
        totals=True)

    total = _total(purchases)
    movable = [p for p in purchases if claimable(p)]
    findings = [f"Handkassekorten användes till {len(purchases)} köp för "
                f"{format_kronor(total)} på {len(cards)} kort i perioden."]
    if by_unit:
        top = sorted(by_unit.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
        findings.append("Mest används korten på " + ", ".join(
            f"{names.get(u, u)} ({format_kronor(ore)})" for u, ore in top) + ".")
    if purchases:
        share = 100 * _total(movable) / total if total else 0.0
        findings.append(
            f"{len(movable)} köp ({format_kronor(_total(movable))}, "
            f"{format_number(share, 1)}\u00a0% av beloppet) gäller medföljande aktiviteter "
            "och kan ersättas med utlägg.")
    if phase_out:
        findings.append(f"Kort som kan avvecklas nu: {', '.join(phase_out)}.")
    remaining = len(cards) - len(phase_out)
    if remaining:
        findings.append(f"{remaining} kort behövs tills utlägg införts på sina enheter.")
    if routine_starts is None:
        findings.append("Inga utlägg är inskickade ännu: rutinen för utlägg är inte införd.")
    else:
        approved = [c for c in in_period if c.status is ClaimStatus.APPROVED]
        findings.append(
            f"Rutinen för utlägg infördes {routine_starts.isoformat()}: i perioden "
            f"{len(in_period)} inskickade utlägg, varav {len(approved)} attesterade för "
            f"{format_kronor(sum(c.amount.ore for c in approved))}, på "
            f"{len({c.unit_id for c in in_period})} enheter.")
    basis = (
        "Handkassekortens köp (tabellen card_purchases, kopplade till bokningarna på "
        "kontot Handkassa) för enheternas kort i perioden.",
        "Slaget läses ur köpets text (inom parentes i slutet); medföljande aktiviteter (" +
        ", ".join(sorted(CLAIMABLE_CATEGORIES)) + ") ersätts med utlägg enligt den nya "
        "rutinen.",
        "Ett kort kan avvecklas nu om det inte använts i perioden eller om enheten har "
        "attesterade utlägg i perioden; rutinen anses införd från det första inskickade "
        "utlägget.",
    )
    return ReviewReport(ReviewName.EXPENSES, period, request.scope_label(all_units),
                        tuple(findings), (monthly, categories, card_table, claim_table), basis)


SPEC = ReviewSpec(ReviewName.EXPENSES, Capability.VIEW_MONEY, expenses_review)
