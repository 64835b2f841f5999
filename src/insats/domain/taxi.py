"""Taxi trips classified by route, and who pays for them.

The ledger holds a booking per taxi invoice with the route in its text (the demo, and the
municipality's own ledger export, write "Taxi skola–korttidstillsyn, 152 resor
(skolskjuts…)"). Trips between school and korttidstillsyn are skolskjuts: the education
department (Barn och utbildning, BoU) pays for them under the school law, so the
department recharges them with an internal invoice (the action plan: "BoU betalar
skolskjuts"). Other trips (with clients to activities) stay the department's own.

The routes are data: :data:`ROUTES` lists, in order, the words that identify a route;
the first route whose words all occur in the text wins.

:func:`recharge_lines` turns the recharged bookings into the lines of the internal invoice
to BoU: one line per booking, at the booked amount, keyed by the booking so that a
booking is never invoiced twice (the billing service nets against issued invoices).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from insats.domain.billing import InvoiceKind, InvoiceLine
from insats.domain.contracts import ComputedLine, Counterparty
from insats.domain.economy import CostEntry


@dataclass(frozen=True, slots=True)
class TaxiRoute:
    code: str
    label: str
    words: tuple[str, ...]  # all must occur (lower case) in the booking text
    payer: str  # "egen" or the department recharged


OWN = "egen"
EDUCATION = "Barn och utbildning (BoU)"
EDUCATION_DEPARTMENT = Counterparty(name=EDUCATION, internal_department="BoU")
RECHARGE_PAYMENT_DAYS = 30

ROUTES: tuple[TaxiRoute, ...] = (
    TaxiRoute("skola-korttidstillsyn", "Skola – korttidstillsyn (skolskjuts)",
              ("skola", "korttidstillsyn"), EDUCATION),
    TaxiRoute("skolskjuts", "Skolskjuts", ("skolskjuts",), EDUCATION),
    TaxiRoute("brukarresor", "Resor med brukare", ("brukare",), OWN),
)
OTHER = TaxiRoute("ovrigt", "Övriga taxiresor", (), OWN)

_TRIPS = re.compile(r"(\d+)\s+resor")


@dataclass(frozen=True, slots=True)
class ClassifiedTrip:
    entry: CostEntry
    route: TaxiRoute
    trips: int | None  # as stated in the booking text, when it is

    @property
    def recharged(self) -> bool:
        return self.route.payer != OWN


def classify(entry: CostEntry) -> ClassifiedTrip:
    text = f"{entry.description} {entry.counterparty}".lower()
    route = next((r for r in ROUTES if all(w in text for w in r.words)), OTHER)
    found = _TRIPS.search(text)
    return ClassifiedTrip(entry, route, int(found[1]) if found else None)


def recharge_lines(entries: list[CostEntry]) -> list[ComputedLine]:
    """The internal-invoice lines for the bookings among ``entries`` that BoU pays.

    Each line bills one booking at its booked amount (quantity: the trips the text states,
    else 1), on the unit that booked it; ``basis_key`` is ``taxi:<booking id>``.
    """
    lines = []
    for trip in map(classify, entries):
        if not trip.recharged:
            continue
        entry = trip.entry
        trips = f", {trip.trips} resor" if trip.trips is not None else ""
        line = InvoiceLine(
            description=f"{trip.route.label} {entry.booked_on:%Y-%m}{trips} "
                        f"(verifikation {entry.id}, bokförd {entry.booked_on.isoformat()})",
            quantity_minutes=None, quantity=1, unit_price=entry.amount, amount=entry.amount,
            basis_key=f"taxi:{entry.id}")
        lines.append(ComputedLine(InvoiceKind.INTERNAL_RECHARGE, EDUCATION_DEPARTMENT,
                                  entry.unit_id, RECHARGE_PAYMENT_DAYS, line))
    return lines
