"""The department's premises and their recorded use, with the review's findings planted.

Each unit whose rent the ledger books ("Hyra lokal" on the account Lokaler) has its
premises: the personal-assistance units' offices, the three korttidshem, the
korttidstillsyn, the small offices of stödfamiljer and kontaktpersoner and the resource
unit's office. The first personal-assistance unit also rents "Hemsjö träffpunkt" (the
ledger books it apart, "nyttjas ca 15 %").

Planted for "Översyn av lokaler" (recorded in the DemoDepartment):

- **give up**: Hemsjö träffpunkt, used two mornings a week (about 15 % of its time);
- **share**: the third korttidshem of a cluster (Lövekulle), used only at weekends, and
  the korttidstillsyn, used on weekday afternoons: their uses never overlap and the
  korttidshem has room for both, so the korttidstillsyn can move in.

The other premises are used most of their available time. Randomness comes from its own
stream, so the rest of the demo is unchanged.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from insats.demo.organisation import KTV_UNIT_INDEXES, UNITS_PER_CLUSTER
from insats.domain.calendar import local_datetime
from insats.domain.organisation import Unit, UnitKind
from insats.domain.premises import Premises, PremisesUse

RENT_TEXT = "Hyra lokal"
HEMSJO_RENT_TEXT = "Hyra lokal Hemsjö träffpunkt"  # as the ledger books it
CENTRE = "Alingsås centrum"
STREETS = ("Kungsgatan", "Bäckgatan", "Östlyckevägen", "Noltorpsvägen", "Stora Torget")
HOUR = 60


@dataclass(frozen=True, slots=True)
class PlantedPremises:
    premises: tuple[Premises, ...]
    uses: tuple[PremisesUse, ...]
    give_up_ids: tuple[str, ...]
    share_pairs: tuple[tuple[str, str], ...]  # (host, guest): the guest moves in


# How each kind of unit uses its premises: hours available a week and the daily pattern
# (weekday → (start hour, end hour) ranges; an end past 24 runs into the next day).
DayPattern = dict[int, tuple[tuple[float, float], ...]]
_OFFICE: DayPattern = {day: ((8.0, 16.5),) for day in range(5)}
_PATTERNS: dict[str, tuple[int, DayPattern]] = {
    "office": (45, _OFFICE),
    "resource": (70, {day: ((7, 20),) for day in range(5)}),
    "stay_full": (168, {0: ((15, 6 * 24 + 15),)}),  # Monday 15:00 to Sunday 15:00
    "stay_most": (168, {6: ((18, 6 * 24 + 12),)}),  # Sunday 18:00 to Saturday 12:00
    "stay_weekend": (168, {4: ((18, 2 * 24 + 18),)}),  # Friday 18:00 to Sunday 18:00
    "supervision": (60, {day: ((13.5, 18),) for day in range(5)}),
    "meeting_place": (45, {1: ((9, 12.5),), 3: ((9, 12.5),)}),
}
_PURPOSES = {
    "office": "Kontor och personalutrymme", "resource": "Resursenhetens verksamhet",
    "stay_full": "Korttidsvistelse", "stay_most": "Korttidsvistelse",
    "stay_weekend": "Korttidsvistelse (helg)", "supervision": "Korttidstillsyn efter skolan",
    "meeting_place": "Träffpunkt för brukare",
}
_AREAS = {"office": 120, "resource": 260, "stay_full": 420, "stay_most": 480,
          "stay_weekend": 380, "supervision": 300, "meeting_place": 150}


def _pattern_of(unit: Unit, index_in_cluster: int) -> str | None:
    if unit.kind is UnitKind.SHORT_TERM_STAY:
        return ("stay_full", "stay_most", "stay_weekend")[
            KTV_UNIT_INDEXES.index(index_in_cluster) % 3]
    return {UnitKind.PERSONAL_ASSISTANCE: "office", UnitKind.SUPPORT_FAMILIES: "office",
            UnitKind.CONTACT_PERSONS: "office", UnitKind.RESOURCE_UNIT: "resource",
            UnitKind.SHORT_TERM_SUPERVISION: "supervision"}.get(unit.kind)


def _premises_name(unit: Unit) -> str:
    if unit.kind in (UnitKind.SHORT_TERM_STAY, UnitKind.SHORT_TERM_SUPERVISION):
        return unit.name
    return f"{unit.name}, kontor"


def build_premises(*, seed: int, units: list[Unit], start: dt.date,
                   as_of: dt.date) -> PlantedPremises:
    rng = random.Random(f"{seed}-premises")
    premises: list[tuple[Premises, str]] = []
    for position, unit in enumerate(units):
        cluster, index = divmod(position, UNITS_PER_CLUSTER)
        pattern = _pattern_of(unit, index)
        if pattern is None:
            continue
        district = CENTRE if cluster == 0 else f"{CENTRE} {cluster + 1}"
        number = len(premises) + 1
        premises.append((Premises(
            id=f"L{number:03d}", name=_premises_name(unit),
            address=f"{rng.choice(STREETS)} {rng.randint(2, 40)}",
            district=district, area_m2=_AREAS[pattern] + rng.randint(-20, 20),
            rent_unit_id=unit.id, rent_text=RENT_TEXT,
            available_minutes_per_week=_PATTERNS[pattern][0] * HOUR, unit_ids=(unit.id,)),
            pattern))
        if position == next(i for i, u in enumerate(units)
                            if u.kind is UnitKind.PERSONAL_ASSISTANCE):
            premises.append((Premises(
                id=f"L{number + 1:03d}", name="Hemsjö träffpunkt", address="Hemsjövägen 4",
                district="Hemsjö", area_m2=150, rent_unit_id=unit.id,
                rent_text=HEMSJO_RENT_TEXT,
                available_minutes_per_week=_PATTERNS["meeting_place"][0] * HOUR,
                unit_ids=(unit.id,)), "meeting_place"))
    uses: list[PremisesUse] = []
    for item, pattern in premises:
        uses += _uses(rng, item, pattern, start, as_of.replace(day=1), len(uses))
    give_up = tuple(p.id for p, pattern in premises if pattern == "meeting_place")
    by_unit = {p.rent_unit_id: (p, pattern) for p, pattern in premises}
    pairs: list[tuple[str, str]] = []
    for position, unit in enumerate(units):
        found = by_unit.get(unit.id)
        if found is None or found[1] != "stay_weekend":
            continue
        cluster = position // UNITS_PER_CLUSTER
        supervision = next(
            (by_unit[u.id][0] for u in units[cluster * UNITS_PER_CLUSTER:
                                            (cluster + 1) * UNITS_PER_CLUSTER]
             if u.kind is UnitKind.SHORT_TERM_SUPERVISION and u.id in by_unit), None)
        if supervision is not None:
            pairs.append((found[0].id, supervision.id))
    return PlantedPremises(tuple(p for p, _ in premises), tuple(uses), give_up, tuple(pairs))


def _uses(rng: random.Random, premises: Premises, pattern: str, start: dt.date,
          end: dt.date, numbered: int) -> list[PremisesUse]:
    """The use of each day in ``[start, end)`` by the pattern; an office's day ends up to
    an hour early now and then, a stay starts or ends up to an hour late or early inside
    the pattern's bounds (so the planted uses never overlap)."""
    _, days = _PATTERNS[pattern]
    found: list[PremisesUse] = []
    day = start
    while day < end:
        for first, last in days.get(day.weekday(), ()):
            trim = rng.choice((0, 0, 0, 15, 30, 60))
            begin = local_datetime(day, dt.time()) + dt.timedelta(minutes=round(first * HOUR))
            finish = (local_datetime(day, dt.time())
                      + dt.timedelta(minutes=round(last * HOUR) - trim))
            found.append(PremisesUse(
                id=f"LN{numbered + len(found) + 1:06d}", premises_id=premises.id,
                unit_id=premises.rent_unit_id, start=begin, end=finish,
                purpose=_PURPOSES[pattern]))
        day += dt.timedelta(days=1)
    return found
