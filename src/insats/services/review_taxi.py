"""Review: taxi trips between school and korttidstillsyn ("Taxiresor från skola").

Every taxi booking of the units in the period, classified by route
(:mod:`insats.domain.taxi`); the school trips are recharged to the education department:
the amount per month is what the internal invoice to BoU should say.
"""

from __future__ import annotations

from collections import defaultdict

from insats.domain.access import Caller, Capability
from insats.domain.economy import AccountCategory
from insats.domain.formatting import format_kronor
from insats.domain.reviews import CellKind, ReviewColumn, ReviewName, ReviewReport, ReviewTable
from insats.domain.taxi import EDUCATION, ROUTES, classify
from insats.services.reviews import ReviewRequest, ReviewSpec
from insats.services.runtime import UowFactory


def taxi_review(uow_factory: UowFactory, caller: Caller, request: ReviewRequest) -> ReviewReport:
    with uow_factory() as uow:
        entries = uow.economy.entries_of_category(AccountCategory.TAXI, request.unit_ids,
                                                  request.period)
        all_units = len(uow.organisation.units())
    names = {u.id: u.name for u in request.units}
    trips = [classify(e) for e in entries]
    by_month: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # trips, recharged, own
    by_route: dict[str, list[int | None]] = defaultdict(lambda: [0, None, 0])  # bookings,
    # trips (None while no booking of the route states its trips), öre
    for trip in trips:
        month = f"{trip.entry.booked_on:%Y-%m}"
        amount = trip.entry.amount.ore
        if trip.recharged:
            by_month[month][0] += trip.trips or 0
            by_month[month][1] += amount
        else:
            by_month[month][2] += amount
        route = by_route[f"{trip.route.label}\t{names.get(trip.entry.unit_id, trip.entry.unit_id)}"
                         f"\t{trip.route.payer}"]
        route[0] = (route[0] or 0) + 1
        if trip.trips is not None:
            route[1] = (route[1] or 0) + trip.trips
        route[2] = (route[2] or 0) + amount
    recharged = sum(t.entry.amount.ore for t in trips if t.recharged)
    total = sum(t.entry.amount.ore for t in trips)
    school_trips = sum(t.trips or 0 for t in trips if t.recharged)
    findings = (
        f"Taxi i perioden: {format_kronor(total)} i {len(trips)} bokningar.",
        f"Skolskjuts mellan skola och korttidstillsyn: {format_kronor(recharged)} "
        f"({school_trips} resor) ska betalas av {EDUCATION} och faktureras internt, månad "
        "för månad enligt tabellen (internfakturan skapas under Fakturering: "
        "insats billing invoices draft --kind intern).",
        f"Övriga taxiresor, som avdelningen själv bär: {format_kronor(total - recharged)}.",
    )
    monthly = ReviewTable(
        "Internfaktura till BoU per månad",
        (ReviewColumn("Månad"), ReviewColumn("Skolresor", CellKind.COUNT),
         ReviewColumn("Att fakturera BoU", CellKind.MONEY),
         ReviewColumn("Övrig taxi (egen)", CellKind.MONEY)),
        tuple((month, *values) for month, values in sorted(by_month.items())),
        totals=True)
    routes = ReviewTable(
        "Taxi per resväg och enhet",
        (ReviewColumn("Resväg"), ReviewColumn("Enhet"), ReviewColumn("Betalas av"),
         ReviewColumn("Bokningar", CellKind.COUNT), ReviewColumn("Resor", CellKind.COUNT),
         ReviewColumn("Belopp", CellKind.MONEY)),
        tuple((*key.split("\t"), *values) for key, values in sorted(by_route.items())),
        totals=True)
    basis = (
        "Bokförda belopp på kontot Taxi för enheterna i perioden (tabellen cost_entries).",
        "Resvägen läses ur bokningens text; regler i ordning: " + "; ".join(
            f"{r.label} om texten innehåller {' och '.join(repr(w) for w in r.words)}"
            for r in ROUTES) + "; annars övriga taxiresor.",
        "Antalet resor är det som står i bokningstexten (\"152 resor\").",
    )
    return ReviewReport(ReviewName.TAXI, request.period, request.scope_label(all_units),
                        findings, (monthly, routes), basis)


SPEC = ReviewSpec(ReviewName.TAXI, Capability.VIEW_MONEY, taxi_review)
