"""Which performed minutes FK pays for: stays, late reports and the 48-hour limit.

Sources (domain-rules.md, "What the system must encode" item 5):
- 106 kap. 24–25 §§ SFB (§1.9): no assistansersättning while the client is at a hospital
  or another institution, or in school, förskola or daglig verksamhet, except for
  särskilda skäl; for a hospital stay the exception covers a "kortare tid", by default
  ``fk.hospital_short_stay_days`` (28) from admission, or the period FK approved.
- Kammarrätten i Jönköping 17-18 (§1.9, §8): personal assistance the same day as a
  korttidsvistelse is flagged and needs a recorded reason.
- FK's föreskrifter, HFD 2023-02-10 (§1.6): a report handed in after the 5th of the
  second month after the work month may be refused.
- 51 kap. 16 § SFB (§1.7): since 2013-07-01 no ersättning for an assistant living outside
  the EES, except for särskilda skäl.
- 51 kap. 16 § SFB, KR Göteborg 4917-15, KR Jönköping 1467-15 (§1.7): no ersättning for an
  assistant's time above 48 hours a week on average, counting all their hours across
  clients, over the calculation period (here the calendar month, as in 4917-15); the hours
  that go above the limit, in time order, are the ones not paid.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

from insats.domain.calendar import STOCKHOLM, UTC
from insats.domain.stays import ClientStay, StayKind


class Work(NamedTuple):
    """A stretch of performed time, as the ledger needs it (a light view of a TimeEntry).

    ``start`` and ``end`` are aware UTC datetimes; ``minutes`` is the worked time (the
    length less the break).
    """

    id: str
    employee_id: str
    client_id: str
    start: dt.datetime
    end: dt.datetime
    minutes: int
    is_double: bool
    attested: bool
    reported_on: dt.date | None
    at_hospital: bool
    planned_shift_id: str | None


class DayPart(NamedTuple):
    """The part of a stretch of time that falls on one Stockholm date."""

    day: dt.date
    start: dt.datetime  # UTC
    end: dt.datetime  # UTC
    minutes: int  # worked minutes (break shared out by length)


_LOCAL_HOURS: dict[int, tuple[dt.date, dt.datetime]] = {}


def _local_day(start: dt.datetime) -> tuple[dt.date, dt.datetime]:
    """The Stockholm date of a UTC instant and the UTC instant of the next Stockholm
    midnight, cached per UTC hour (offsets change only on whole UTC hours)."""
    key = start.toordinal() * 24 + start.hour
    found = _LOCAL_HOURS.get(key)
    if found is None:
        day = start.astimezone(STOCKHOLM).date()
        midnight = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(),
                                       tzinfo=STOCKHOLM).astimezone(UTC)
        found = _LOCAL_HOURS[key] = (day, midnight)
    return found


def day_parts(start: dt.datetime, end: dt.datetime, minutes: int) -> list[DayPart]:
    """Split ``[start, end)`` (UTC) at Stockholm midnights; the worked ``minutes`` are shared
    out in proportion to each part's length, remainders to the first part."""
    day, next_midnight = _local_day(start)
    if end <= next_midnight:
        return [DayPart(day, start, end, minutes)]
    bounds: list[tuple[dt.date, dt.datetime, dt.datetime]] = []
    part_start, cut = start, next_midnight
    while cut < end:
        bounds.append((day, part_start, cut))
        part_start = cut
        day, cut = _local_day(cut)
    bounds.append((day, part_start, end))
    total = (end - start).total_seconds()
    shares = [int(minutes * (b - a).total_seconds() // total) for _, a, b in bounds]
    shares[0] += minutes - sum(shares)
    return [DayPart(d, a, b, m) for (d, a, b), m in zip(bounds, shares, strict=True)]


class Ineligible(StrEnum):
    """Why FK does not pay for a performed minute."""

    HOSPITAL = "sjukhus"
    SCHOOL = "skola_daglig_verksamhet"
    SHORT_TERM_STAY = "korttidsvistelse"
    LATE_REPORT = "sen_rapport"
    OVER_LIMIT = "over_48h"
    OUTSIDE_EEA = "utanfor_ees"


INELIGIBLE_LABELS: dict[Ineligible, str] = {
    Ineligible.HOSPITAL: "Sjukhusvistelse utan särskilda skäl",
    Ineligible.SCHOOL: "Skola eller daglig verksamhet utan särskilda skäl",
    Ineligible.SHORT_TERM_STAY: "Korttidsvistelse samma dag, skäl saknas",
    Ineligible.LATE_REPORT: "Rapporterad efter sista dag",
    Ineligible.OVER_LIMIT: "Assistenten över 48 h/vecka i snitt",
    Ineligible.OUTSIDE_EEA: "Assistent bosatt utanför EES utan särskilda skäl",
}


@dataclass(frozen=True, slots=True)
class StayRules:
    """The dated values the stay rules need, read for the period being checked."""

    hospital_short_stay_days: int


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=STOCKHOLM).astimezone(UTC)


def _overlap_seconds(a0: dt.datetime, a1: dt.datetime, b0: dt.datetime, b1: dt.datetime) -> float:
    lo, hi = max(a0, b0), min(a1, b1)
    return max(0.0, (hi - lo).total_seconds())


def _excepted_until(stay: ClientStay, rules: StayRules) -> dt.datetime | None:
    """Until when särskilda skäl make assistance during the stay payable (None: never)."""
    if not stay.special_reasons:
        return None
    if stay.approved_until is not None:
        return _midnight(stay.approved_until)
    if stay.kind is StayKind.HOSPITAL:
        return stay.start + dt.timedelta(days=rules.hospital_short_stay_days)
    return stay.end


def stay_exclusions(part: DayPart, stays: Sequence[ClientStay], rules: StayRules,
                    *, flagged_hospital: bool) -> list[tuple[Ineligible, int, str]]:
    """Minutes of ``part`` that a stay makes unpayable: (reason, minutes, stay id).

    The reasons are taken in the order hospital, school, korttidsvistelse, and together
    never exceed the part's minutes. ``flagged_hospital``: the time report itself says
    the client was in hospital; without a registered stay with särskilda skäl the whole
    part is then unpayable.
    """
    found: list[tuple[Ineligible, int, str]] = []
    left = part.minutes
    length = (part.end - part.start).total_seconds()
    if flagged_hospital and not any(
            s.kind is StayKind.HOSPITAL and s.special_reasons
            and _overlap_seconds(part.start, part.end, s.start, s.end) > 0 for s in stays):
        return [(Ineligible.HOSPITAL, left, "")] if left else []
    for kind, reason in ((StayKind.HOSPITAL, Ineligible.HOSPITAL),
                         (StayKind.SCHOOL, Ineligible.SCHOOL),
                         (StayKind.DAILY_ACTIVITY, Ineligible.SCHOOL)):
        for stay in stays:
            if stay.kind is not kind or left == 0:
                continue
            allowed_until = _excepted_until(stay, rules)
            start = stay.start if allowed_until is None else max(stay.start, allowed_until)
            seconds = _overlap_seconds(part.start, part.end, start, stay.end)
            if seconds > 0:
                minutes = min(left, round(part.minutes * seconds / length))
                if minutes:
                    found.append((reason, minutes, stay.id))
                    left -= minutes
    for stay in stays:
        if stay.kind is not StayKind.SHORT_TERM_STAY or stay.reason or left == 0:
            continue
        first = stay.start.astimezone(STOCKHOLM).date()
        last = (stay.end - dt.timedelta(microseconds=1)).astimezone(STOCKHOLM).date()
        if first <= part.day <= last:
            found.append((Ineligible.SHORT_TERM_STAY, left, stay.id))
            left = 0
    return found


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _days_in_month(month: dt.date) -> int:
    nxt = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return (nxt - month).days


def assistant_excess(works: Iterable[Work], weekly_limit_minutes: int) -> dict[str, int]:
    """Minutes of each stretch above an assistant's average weekly limit, by work id.

    All of an assistant's time counts, whatever the client; the calculation period is the
    Stockholm calendar month of each stretch's start, with a limit of ``weekly_limit ×
    days / 7`` minutes. Stretches are taken in time order; the minutes after the limit is
    reached are the excess.
    """
    by_employee: dict[tuple[str, dt.date], list[tuple[dt.datetime, str, int]]] = {}
    for work in works:
        month = _month_start(work.start.astimezone(STOCKHOLM).date())
        by_employee.setdefault((work.employee_id, month), []).append(
            (work.start, work.id, work.minutes))
    excess: dict[str, int] = {}
    for (_, month), items in by_employee.items():
        cap = weekly_limit_minutes * _days_in_month(month) // 7
        if sum(m for _, _, m in items) <= cap:
            continue
        used = 0
        for _, work_id, minutes in sorted(items):
            over = max(0, used + minutes - max(cap, used))
            if over:
                excess[work_id] = over
            used += minutes
    return excess


def monthly_totals(works: Iterable[Work]) -> Mapping[tuple[str, dt.date], int]:
    """Worked minutes per (employee, Stockholm month), for finding who may be above the
    limit before loading all their time."""
    totals: dict[tuple[str, dt.date], int] = {}
    for work in works:
        key = (work.employee_id, _month_start(work.start.astimezone(STOCKHOLM).date()))
        totals[key] = totals.get(key, 0) + work.minutes
    return totals
