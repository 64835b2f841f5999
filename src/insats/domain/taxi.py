"""Taxi trips classified by route, and who pays for them.

The ledger holds a booking per taxi invoice with the route in its text (the demo, and the
municipality's own ledger export, write "Taxi skola–korttidstillsyn, 152 resor
(skolskjuts…)"). Trips between school and korttidstillsyn are skolskjuts: the education
department (Barn och utbildning, BoU) pays for them under the school law, so the
department recharges them with an internal invoice (the action plan: "BoU betalar
skolskjuts"). Other trips (with clients to activities) stay the department's own.

The routes are data: :data:`ROUTES` lists, in order, the words that identify a route;
the first route whose words all occur in the text wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from insats.domain.economy import CostEntry


@dataclass(frozen=True, slots=True)
class TaxiRoute:
    code: str
    label: str
    words: tuple[str, ...]  # all must occur (lower case) in the booking text
    payer: str  # "egen" or the department recharged


OWN = "egen"
EDUCATION = "Barn och utbildning (BoU)"

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
