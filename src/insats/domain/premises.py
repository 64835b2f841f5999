"""Premises (lokaler): what each costs, how much of its available time it is used, and
which could be given up or shared ("Översyn av lokaler" in seed 001: "säga upp lokaler
avdelningen ej har behov av. Se över möjlighet till samlokalisering ... av
korttidsvistelse och korttidstillsyn").

- **Cost**: the rent is booked on the account Lokaler of the unit that pays it. A booking
  belongs to the premises of that unit whose ``rent_text`` is the longest prefix of the
  booking's text ("Hyra lokal" and "Hyra lokal Hemsjö träffpunkt" on the same unit are
  two premises); a premises booking that matches none is reported as not placed.
- **Use**: recorded use (a unit's activity held there, from start to end); overlapping
  uses count once. Available time is the premises' hours per week × days / 7.
- **Give up** (:data:`GIVE_UP_BELOW_PERCENT`): used less than a fifth of its available
  time.
- **Share** (:data:`SHARE_BELOW_PERCENT`, :data:`SHARE_MAX_OVERLAP_PERCENT`): two premises
  in the same district, each used less than half its time, whose uses hardly overlap
  (at most a tenth of the smaller use), and one of which has room for both uses: the
  other's use moves in and its lease can go. Pairs are formed greedily, the largest
  saving first, each premises in one pair at most.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from insats.domain.calendar import local_datetime, require_aware
from insats.domain.common import DomainError
from insats.domain.economy import AccountCategory, CostEntry

GIVE_UP_BELOW_PERCENT = Decimal(20)
SHARE_BELOW_PERCENT = Decimal(50)
SHARE_MAX_OVERLAP_PERCENT = Decimal(10)
MINUTES_PER_WEEK = 7 * 24 * 60


@dataclass(frozen=True, slots=True)
class Premises:
    """A lokal: where it is, its size, who uses it, how its rent is booked and how many
    hours a week it can be used."""

    id: str
    name: str
    address: str
    district: str
    area_m2: int
    rent_unit_id: str  # the unit on whose account Lokaler the rent is booked
    rent_text: str  # the booking text that starts every rent booking of these premises
    available_minutes_per_week: int
    unit_ids: tuple[str, ...] = ()  # the units that use it

    def __post_init__(self) -> None:
        if not 0 < self.available_minutes_per_week <= MINUTES_PER_WEEK:
            raise DomainError("premises.available", f"Lokalen {self.name}: tillgänglig tid "
                              "per vecka ska vara mellan 0 och 168 timmar.")
        if self.area_m2 <= 0:
            raise DomainError("premises.area", f"Lokalen {self.name}: ytan ska vara positiv.")
        if not self.rent_text.strip():
            raise DomainError("premises.rent_text", f"Lokalen {self.name}: ange hyrans "
                              "bokföringstext.")

    def available_minutes(self, start: dt.date, end: dt.date) -> int:
        """The available time in the days ``[start, end)``."""
        return self.available_minutes_per_week * max(0, (end - start).days) // 7


@dataclass(frozen=True, slots=True)
class PremisesUse:
    """One use of a premises by a unit, from start to end (aware datetimes)."""

    id: str
    premises_id: str
    unit_id: str
    start: dt.datetime
    end: dt.datetime
    purpose: str = ""

    def __post_init__(self) -> None:
        require_aware(self.start, "start")
        require_aware(self.end, "end")
        if self.end <= self.start:
            raise DomainError("premises_use.span", "Nyttjandet måste sluta efter att det "
                              "börjar.")

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


Span = tuple[dt.datetime, dt.datetime]


def merged_spans(uses: Iterable[PremisesUse], start: dt.datetime,
                 end: dt.datetime) -> list[Span]:
    """The uses clipped to ``[start, end)`` and merged where they overlap, in order."""
    start, end = start.astimezone(dt.UTC), end.astimezone(dt.UTC)  # real durations (DST)
    spans = sorted((max(u.start.astimezone(dt.UTC), start), min(u.end.astimezone(dt.UTC), end))
                   for u in uses if u.end > start and u.start < end)
    merged: list[Span] = []
    for first, last in spans:
        if merged and first <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def span_minutes(spans: Iterable[Span]) -> int:
    return sum(int((last - first).total_seconds() // 60) for first, last in spans)


def overlap_minutes(a: Sequence[Span], b: Sequence[Span]) -> int:
    """Minutes in both lists of merged spans."""
    total, i, j = 0, 0, 0
    while i < len(a) and j < len(b):
        first, last = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if last > first:
            total += int((last - first).total_seconds() // 60)
        if a[i][1] <= b[j][1]:
            i += 1
        else:
            j += 1
    return total


@dataclass(frozen=True, slots=True)
class RentAssignment:
    by_premises: dict[str, int]  # öre per premises id
    unplaced: tuple[CostEntry, ...]  # premises bookings that match no premises


def assign_rent(premises: Iterable[Premises], entries: Iterable[CostEntry]) -> RentAssignment:
    """Each premises booking to the premises of its unit whose rent text is the longest
    prefix of the booking's text."""
    by_unit: dict[str, list[Premises]] = {}
    for item in premises:
        by_unit.setdefault(item.rent_unit_id, []).append(item)
    for items in by_unit.values():
        items.sort(key=lambda p: (-len(p.rent_text), p.id))
    totals: dict[str, int] = {}
    unplaced: list[CostEntry] = []
    for entry in entries:
        if entry.category is not AccountCategory.PREMISES:
            continue
        text = entry.description.strip().casefold()
        found = next((p for p in by_unit.get(entry.unit_id, ())
                      if text.startswith(p.rent_text.strip().casefold())), None)
        if found is None:
            unplaced.append(entry)
        else:
            totals[found.id] = totals.get(found.id, 0) + entry.amount.ore
    return RentAssignment(totals, tuple(unplaced))


@dataclass(frozen=True, slots=True)
class PremisesFigures:
    """A premises over a period: its rent, available and used time, and its uses."""

    premises: Premises
    rent_ore: int
    available_minutes: int
    spans: tuple[Span, ...]

    @property
    def used_minutes(self) -> int:
        return span_minutes(self.spans)

    @property
    def use_percent(self) -> Decimal:
        if self.available_minutes <= 0:
            return Decimal(0)
        return (Decimal(100 * self.used_minutes) / self.available_minutes).quantize(
            Decimal("0.1"))

    @property
    def cost_per_used_hour_ore(self) -> int | None:
        if self.used_minutes <= 0:
            return None
        return self.rent_ore * 60 // self.used_minutes


def premises_figures(premises: Premises, rent_ore: int, uses: Iterable[PremisesUse],
                     start: dt.date, end: dt.date) -> PremisesFigures:
    """The premises over the days ``[start, end)`` (Stockholm midnights)."""
    first, last = local_datetime(start, dt.time()), local_datetime(end, dt.time())
    return PremisesFigures(premises, rent_ore, premises.available_minutes(start, end),
                           tuple(merged_spans(uses, first, last)))


@dataclass(frozen=True, slots=True)
class ShareProposal:
    host: PremisesFigures  # keeps its lease and takes the other's use
    guest: PremisesFigures  # moves in; its lease can go
    overlap_minutes: int

    @property
    def saving_ore(self) -> int:
        return self.guest.rent_ore


@dataclass(frozen=True, slots=True)
class PremisesAssessment:
    give_up: tuple[PremisesFigures, ...]
    share: tuple[ShareProposal, ...]


def _can_host(host: PremisesFigures, guest: PremisesFigures) -> bool:
    return host.available_minutes >= host.used_minutes + guest.used_minutes


def assess_premises(figures: Sequence[PremisesFigures]) -> PremisesAssessment:
    """Premises to give up and pairs to share (the rules in the module docstring)."""
    give_up = tuple(f for f in figures if f.use_percent < GIVE_UP_BELOW_PERCENT)
    given = {f.premises.id for f in give_up}
    low = [f for f in figures if f.premises.id not in given
           and f.use_percent < SHARE_BELOW_PERCENT and f.used_minutes > 0]
    options: list[ShareProposal] = []
    for index, a in enumerate(low):
        for b in low[index + 1:]:
            if a.premises.district != b.premises.district:
                continue
            overlap = overlap_minutes(a.spans, b.spans)
            smaller = min(a.used_minutes, b.used_minutes)
            if Decimal(100 * overlap) > SHARE_MAX_OVERLAP_PERCENT * smaller:
                continue
            hosts = [(h, g) for h, g in ((a, b), (b, a)) if _can_host(h, g)]
            if hosts:
                host, guest = max(hosts, key=lambda pair: (pair[1].rent_ore,
                                                            pair[1].premises.id))
                options.append(ShareProposal(host, guest, overlap))
    options.sort(key=lambda o: (-o.saving_ore, o.host.premises.id, o.guest.premises.id))
    taken: set[str] = set()
    share: list[ShareProposal] = []
    for option in options:
        pair = {option.host.premises.id, option.guest.premises.id}
        if pair & taken:
            continue
        taken |= pair
        share.append(option)
    return PremisesAssessment(give_up, tuple(share))


def uses_by_premises(uses: Iterable[PremisesUse]) -> Mapping[str, list[PremisesUse]]:
    grouped: dict[str, list[PremisesUse]] = {}
    for use in uses:
        grouped.setdefault(use.premises_id, []).append(use)
    return grouped
