"""Double decisions: personal assistance together with korttidsvistelse, and the conflicts
between decisions that must never pass.

Sources (domain-rules.md §1.9, §2, §8 and "What the system must encode" item 9):
- Korttidsvistelse together with personlig assistans is allowed (HFD 2013 ref 70, HFD 2018
  ref 20), but assistansersättning for hours during the stay is paid only where the
  korttidshem does not meet the need (Kammarrätten i Jönköping 17-18): assistance
  performed the same day as a korttidsvistelse is flagged and needs a recorded reason
  (the ledger's rule, :func:`insats.domain.eligibility.stay_exclusions`). A warning.
- Ledsagarservice (LSS 9 § 3) cannot be granted to someone who has personlig assistans;
  the assistance should include the need for accompaniment (HFD 2011 ref 62). An error.

Everything here is pure: decisions, stays and performed time in, overlaps out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from insats.domain.calendar import STOCKHOLM, UTC
from insats.domain.common import Period
from insats.domain.decisions import Decision, Insats
from insats.domain.eligibility import StayRules, Work, day_parts, stay_exclusions
from insats.domain.stays import ClientStay, StayKind


class Severity(StrEnum):
    ERROR = "fel"
    WARNING = "varning"


SEVERITY_LABELS: dict[Severity, str] = {Severity.ERROR: "Fel", Severity.WARNING: "Varning"}


@dataclass(frozen=True, slots=True)
class ConflictRule:
    """Two insatser that should not (error) or may only with care (warning) be granted to
    the same client at the same time."""

    code: str
    first: Insats
    second: Insats
    severity: Severity
    label: str
    source: str


PA_WITH_COMPANION = ConflictRule(
    "pa_ledsagarservice", Insats.PERSONAL_ASSISTANCE, Insats.COMPANION_SERVICE, Severity.ERROR,
    "Ledsagarservice samtidigt med personlig assistans",
    "HFD 2011 ref 62: ledsagning ska ingå i den personliga assistansen")
PA_WITH_SHORT_STAY = ConflictRule(
    "pa_korttidsvistelse", Insats.PERSONAL_ASSISTANCE, Insats.SHORT_TERM_STAY, Severity.WARNING,
    "Korttidsvistelse samtidigt med personlig assistans",
    "HFD 2013 ref 70 och HFD 2018 ref 20 (tillåtet); Kammarrätten i Jönköping 17-18 "
    "(assistans under vistelsen ersätts bara om korttidshemmet inte tillgodoser behovet)")

CONFLICT_RULES: tuple[ConflictRule, ...] = (PA_WITH_COMPANION, PA_WITH_SHORT_STAY)


@dataclass(frozen=True, slots=True)
class DecisionOverlap:
    """Two decisions of one client that a rule names, in force at the same time."""

    rule: ConflictRule
    client_id: str
    first: Decision
    second: Decision
    overlap: Period  # within the period looked at; end exclusive

    @property
    def days(self) -> int:
        return self.overlap.days


def decision_overlaps(decisions: Iterable[Decision], period: Period,
                      rules: Sequence[ConflictRule] = CONFLICT_RULES) -> list[DecisionOverlap]:
    """Every pair of one client's decisions that a rule names and that are in force on
    some day of ``period``, with the days they share there; by client, rule and start."""
    by_client: dict[str, list[Decision]] = {}
    for decision in decisions:
        by_client.setdefault(decision.client_id, []).append(decision)
    found: list[DecisionOverlap] = []
    for client_id in sorted(by_client):
        own = sorted(by_client[client_id], key=lambda d: (d.period.start, d.id))
        for rule in rules:
            for first in (d for d in own if d.insats is rule.first):
                for second in (d for d in own if d.insats is rule.second):
                    shared = first.period.intersection(second.period)
                    inside = shared.intersection(period) if shared is not None else None
                    if inside is not None and inside.start != inside.end:
                        found.append(DecisionOverlap(rule, client_id, first, second, inside))
    return found


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=STOCKHOLM)


def stay_days(stay: ClientStay, period: Period) -> list[dt.date]:
    """The Stockholm dates the stay touches (its first to its last), within ``period``:
    the days on which the ledger's same-day rule applies."""
    first = stay.start.astimezone(STOCKHOLM).date()
    last = (stay.end - dt.timedelta(microseconds=1)).astimezone(STOCKHOLM).date()
    days: list[dt.date] = []
    day = first
    while day <= last:
        if period.contains(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def stay_minutes(stay: ClientStay, period: Period) -> int:
    """Minutes of the stay inside ``period`` (Stockholm dates; end exclusive)."""
    lo = max(stay.start, _midnight(period.start)).astimezone(UTC)
    hi = (stay.end if period.end is None else min(stay.end, _midnight(period.end))).astimezone(UTC)
    return max(0, int((hi - lo).total_seconds() // 60))


@dataclass(frozen=True, slots=True)
class StayAssistance:
    """Personal assistance performed on the days of one korttidsvistelse.

    Attributes:
        on_stay_days: performed minutes on the stay's dates (the ledger's same-day rule).
        within_stay: of those, the minutes inside the stay's own hours.
        not_payable: of those, the minutes FK does not pay for because no reason is
            recorded (only where FK pays the assistance that day).
        entry_ids: the time entries involved.
        minutes_by_employee: ``on_stay_days`` by the assistant who performed them, for
            costing them at each one's wage.
    """

    stay: ClientStay
    on_stay_days: int
    within_stay: int
    not_payable: int
    entry_ids: tuple[str, ...]
    minutes_by_employee: tuple[tuple[str, int], ...] = ()


def _overlap_minutes(part_start: dt.datetime, part_end: dt.datetime, part_minutes: int,
                     stay: ClientStay) -> int:
    lo = max(part_start, stay.start).astimezone(UTC)
    hi = min(part_end, stay.end).astimezone(UTC)
    length = (part_end - part_start).total_seconds()
    if hi <= lo or length <= 0:
        return 0
    return min(part_minutes, round(part_minutes * (hi - lo).total_seconds() / length))


def assistance_during_stays(works: Iterable[Work], stays: Sequence[ClientStay], period: Period,
                            rules: StayRules, *,
                            fk_paid_on: Iterable[dt.date] = ()) -> list[StayAssistance]:
    """Performed assistance of one client on the dates of their korttidsvistelser within
    ``period``, stay by stay.

    Each stretch of time is split at Stockholm midnights (as the ledger books it); a part
    on a stay's date counts for that stay (the first such stay when two share a date). The
    minutes not payable are those the ledger's rule takes (a stay without a reason makes
    the whole day's assistance unpayable), counted only on ``fk_paid_on`` dates: where the
    municipality itself pays (an LSS decision) there is no FK payment to lose.
    """
    short = [s for s in stays if s.kind is StayKind.SHORT_TERM_STAY]
    days_of = {s.id: set(stay_days(s, period)) for s in short}
    fk_days = set(fk_paid_on)
    totals = {s.id: [0, 0, 0] for s in short}
    entries: dict[str, list[str]] = {s.id: [] for s in short}
    by_employee: dict[str, dict[str, int]] = {s.id: {} for s in short}
    for work in sorted(works, key=lambda w: (w.start, w.id)):
        for part in day_parts(work.start, work.end, work.minutes):
            stay = next((s for s in short if part.day in days_of[s.id]), None)
            if stay is None:
                continue
            sums = totals[stay.id]
            sums[0] += part.minutes
            own = by_employee[stay.id]
            own[work.employee_id] = own.get(work.employee_id, 0) + part.minutes
            sums[1] += _overlap_minutes(part.start, part.end, part.minutes, stay)
            if part.day in fk_days:
                sums[2] += sum(m for _, m, _ in stay_exclusions(
                    part, short, rules, flagged_hospital=False))
            if not entries[stay.id] or entries[stay.id][-1] != work.id:
                entries[stay.id].append(work.id)
    return [StayAssistance(s, totals[s.id][0], totals[s.id][1], totals[s.id][2],
                           tuple(entries[s.id]), tuple(sorted(by_employee[s.id].items())))
            for s in sorted(short, key=lambda s: (s.start, s.id)) if days_of[s.id]]
