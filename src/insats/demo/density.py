"""Who is at the korttidshem and the korttidstillsyn, hour by hour, for the staffing-density
review ("Se över bemanningstäthet", "Schemalägga raster").

The staff structures (:mod:`insats.demo.structures`) fix the staffing: on weekdays one
morning 06:30–09:00 and two in the evening 14:30–22:00, at weekends two by day and two in
the evening, sovande jour at night; the korttidstillsyn three 12:30–17:30 on weekdays.
The children are booked to match it, by the units' staffing rule (one staff per two
children, parameters ``density.*``): the korttidshem has its children from 14:30 on the
day they arrive to 09:00 when they leave for school (weekday nights, and weekends from
Friday to Monday), four while the staff are two; the units that schedule breaks have two
of them away at an activity 17–18 (and 11–12 at weekends), the hour the staff's breaks
fit in. The korttidstillsyn has nine to twelve youths 12:30–17:30 every weekday.

Planted: the second korttidshem of each cluster (which staffs three per weekday evening
and schedules no breaks) has only three children on weekday evenings, so one of the
three evening staff is above the need every weekday 14:30–22:00; recorded as an
:class:`OverstaffedPattern`. The stays of the double-decision clients and of the bought
places (:mod:`insats.demo.planted`) stay as they are; the fillers come on top of them and
are drawn from the other children of the unit, from their own random stream.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from insats.demo import organisation as org
from insats.demo.clients import ClientBook
from insats.domain.calendar import local_datetime, to_local
from insats.domain.decisions import Insats
from insats.domain.stays import ClientStay, StayKind

ARRIVAL = dt.time(14, 30)
DEPARTURE = dt.time(9, 0)
ACTIVITY_HOURS = ((dt.time(17), dt.time(18)), (dt.time(11), dt.time(12)))
CHILDREN = 4  # while two staff are on: need 2 at one staff per two children
AT_ACTIVITY = 2  # children left while the others are away: need 1, the other staff's break
PLANTED_CHILDREN = 3  # weekday evenings at the planted unit, where three staff are on
KTS_OPEN = (dt.time(12, 30), dt.time(17, 30))
KTS_YOUTHS = (9, 12)


@dataclass(frozen=True, slots=True)
class OverstaffedPattern:
    """A recurring hour of the week where a unit's schedule has ``extra_staff`` more staff
    than its children need: ``weekdays`` (0 Monday) from ``start`` to ``end``."""

    unit_id: str
    weekdays: tuple[int, ...]
    start: dt.time
    end: dt.time
    extra_staff: int


@dataclass(frozen=True, slots=True)
class PlantedDensity:
    stays: tuple[ClientStay, ...]
    patterns: tuple[OverstaffedPattern, ...]


def build_density(rng: random.Random, book: ClientBook, existing: Iterable[ClientStay],
                  clusters: int, start: dt.date, end: dt.date) -> PlantedDensity:
    """The korttidshem's and korttidstillsyn's children ``[start, end)``, with the day
    before ``start`` so the first morning has its children."""
    existing = list(existing)
    # not the double-decision clients (personal assistance too) nor the bought places:
    # their stays are the ledger's, the double-decision review's and the invoices'
    taken = {d.client_id for d in book.decisions if d.insats is Insats.PERSONAL_ASSISTANCE}
    taken |= {c.id for c in book.clients if c.home_municipality_code != org.MUNICIPALITY_CODE}
    stays: list[ClientStay] = []
    patterns: list[OverstaffedPattern] = []

    def add(client_id: str, unit_id: str, kind: StayKind, begin: dt.datetime,
            finish: dt.datetime) -> None:
        prefix = "VK" if kind is StayKind.SHORT_TERM_STAY else "VT"
        stays.append(ClientStay(id=f"{prefix}{len(stays) + 1:06d}", client_id=client_id,
                                kind=kind, start=begin, end=finish, unit_id=unit_id))

    for cluster in range(clusters):
        for position, index in enumerate(org.KTV_UNIT_INDEXES):
            unit_id = org.unit_id(cluster, index)
            pool = sorted(c for c in book.ktv_clients_by_unit.get(unit_id, [])
                          if c not in taken)
            others = [s for s in existing if s.unit_id == unit_id]
            planted = position == 1
            if planted:
                patterns.append(OverstaffedPattern(unit_id, (0, 1, 2, 3, 4), ARRIVAL,
                                                   dt.time(22), 1))
            for first, last in _blocks(start, end):
                target = _planted_target(first) if planted else _break_target
                for client_id, begin, finish in _fill(rng, pool, others, first, last, target):
                    add(client_id, unit_id, StayKind.SHORT_TERM_STAY, begin, finish)
        kts_unit = org.unit_id(cluster, org.KTS_UNIT_INDEX)
        youths = sorted(c.id for c in book.clients if c.unit_id == kts_unit)
        day = start
        while day < end:
            if day.weekday() < 5 and youths:
                count = min(len(youths), rng.randint(*KTS_YOUTHS))
                for client_id in sorted(rng.sample(youths, count)):
                    add(client_id, kts_unit, StayKind.SHORT_TERM_SUPERVISION,
                        local_datetime(day, KTS_OPEN[0]), local_datetime(day, KTS_OPEN[1]))
            day += dt.timedelta(days=1)
    return PlantedDensity(tuple(stays), tuple(patterns))


def _blocks(start: dt.date, end: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
    """Arrival to departure: weekday nights (Monday–Thursday) and weekends (Friday to
    Monday), from the day before ``start``."""
    result = []
    day = start - dt.timedelta(days=1)
    while day < end:
        if day.weekday() < 5:
            nights = 3 if day.weekday() == 4 else 1
            result.append((local_datetime(day, ARRIVAL),
                           local_datetime(day + dt.timedelta(days=nights), DEPARTURE)))
        day += dt.timedelta(days=1)
    return result


def _break_target(moment: dt.datetime) -> int:
    """Children wanted at a unit that schedules breaks: two while the others are away at
    an activity (weekdays 17–18, weekends also 11–12), else four."""
    local = to_local(moment).time()
    hours = ACTIVITY_HOURS if to_local(moment).weekday() >= 5 else ACTIVITY_HOURS[:1]
    if any(begin <= local < finish for begin, finish in hours):
        return AT_ACTIVITY
    return CHILDREN


def _planted_target(first: dt.datetime) -> Callable[[dt.datetime], int]:
    """Children wanted at the planted unit: three on weekday nights and Friday evening,
    four over the weekend."""
    friday_night = local_datetime(to_local(first).date(), dt.time(22))

    def target(moment: dt.datetime) -> int:
        if to_local(first).weekday() == 4 and moment >= friday_night:
            return CHILDREN
        return PLANTED_CHILDREN
    return target


def _fill(rng: random.Random, pool: list[str], others: list[ClientStay],
          first: dt.datetime, last: dt.datetime, target: Callable[[dt.datetime], int],
          ) -> list[tuple[str, dt.datetime, dt.datetime]]:
    """Filler stays in ``[first, last)``: in each stretch where the other stays and the
    target are constant, the first ``target - others`` children of a shuffled pool."""
    if not pool:
        return []
    cuts = {first, last}
    for stay in others:
        for moment in (stay.start, stay.end):
            if first < moment < last:
                cuts.add(moment)
    day = to_local(first).date()
    while local_datetime(day, dt.time()) < last:
        for clocks in ACTIVITY_HOURS:
            for clock in clocks:
                moment = local_datetime(day, clock)
                if first < moment < last:
                    cuts.add(moment)
        day += dt.timedelta(days=1)
    points = sorted(cuts)
    order = rng.sample(pool, len(pool))
    open_since: dict[str, dt.datetime] = {}
    result: list[tuple[str, dt.datetime, dt.datetime]] = []
    for begin, finish in itertools.pairwise(points):
        present = sum(1 for s in others if s.start <= begin and s.end >= finish)
        wanted = max(0, min(len(order), target(begin) - present))
        for rank, client_id in enumerate(order):
            if rank < wanted:
                open_since.setdefault(client_id, begin)
            elif client_id in open_since:
                result.append((client_id, open_since.pop(client_id), begin))
    for client_id, since in open_since.items():
        result.append((client_id, since, last))
    return sorted(result, key=lambda r: (r[1], r[0]))
