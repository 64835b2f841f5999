"""The hour ledger: granted, scheduled, performed, billable and lost time of a client.

Every performed minute ends in exactly one outcome: FK-billable, within a municipal (LSS)
grant, performed under basansvar for a private provider, beyond the grant, or not payable
for a named reason (:mod:`insats.domain.eligibility`). Use of a grant is netted over its
settlement period in time order (:mod:`insats.domain.settlement`): the minutes after the
period's grant is used up are the ones beyond it. Each minute is booked on its Stockholm
date, so the figures of any window (an ISO week, a month, a settlement period) are sums
over days and adjacent windows add up.

Amounts are kept exact as "öre-minutes" (minutes × öre per hour) and turned into öre only
when shown: :func:`ore_of`.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from operator import attrgetter
from typing import NamedTuple

from insats.domain.calendar import UTC
from insats.domain.eligibility import (
    DayPart,
    Ineligible,
    StayRules,
    Work,
    day_parts,
    stay_exclusions,
)
from insats.domain.scheduling import PlannedShift, ShiftStatus
from insats.domain.settlement import (
    GrantSpan,
    SettlementPeriod,
    report_deadline,
    settlement_periods,
)
from insats.domain.stays import ClientStay


class Figure(StrEnum):
    GRANTED = "beviljat"
    GRANTED_DOUBLE = "beviljat_dubbel"
    SCHEDULED = "schemalagt"
    SCHEDULED_DOUBLE = "schemalagt_dubbel"
    SCHEDULED_BASANSVAR = "schemalagt_basansvar"
    UNREPORTED = "ej_rapporterat"
    PERFORMED = "utfort"
    PERFORMED_DOUBLE = "utfort_dubbel"
    ATTESTED = "attesterat"
    BILLABLE = "fk_debiterbart"
    BILLABLE_DOUBLE = "varav_dubbel"
    MUNICIPAL = "kommunalt_beslut"
    BASANSVAR = "basansvar"
    BEYOND = "utover_beviljat"
    NOT_PAYABLE_HOSPITAL = "ej_ers_sjukhus"
    NOT_PAYABLE_SCHOOL = "ej_ers_skola"
    NOT_PAYABLE_SHORT_STAY = "ej_ers_korttid"
    NOT_PAYABLE_LATE = "ej_ers_sen_rapport"
    NOT_PAYABLE_OVER_LIMIT = "ej_ers_over_48h"
    NOT_PAYABLE_OUTSIDE_EEA = "ej_ers_utanfor_ees"


FIGURE_LABELS: dict[Figure, str] = {
    Figure.GRANTED: "Beviljat",
    Figure.GRANTED_DOUBLE: "Beviljat dubbelassistans",
    Figure.SCHEDULED: "Schemalagt",
    Figure.SCHEDULED_DOUBLE: "Schemalagt dubbelassistans",
    Figure.SCHEDULED_BASANSVAR: "Schemalagt under basansvar",
    Figure.UNREPORTED: "Schemalagt men ej rapporterat",
    Figure.PERFORMED: "Utfört (rapporterat)",
    Figure.PERFORMED_DOUBLE: "Utfört dubbelassistans",
    Figure.ATTESTED: "Attesterat",
    Figure.BILLABLE: "Debiterbart FK",
    Figure.BILLABLE_DOUBLE: "varav dubbelassistans",
    Figure.MUNICIPAL: "Inom kommunalt beslut (LSS)",
    Figure.BASANSVAR: "Utfört under basansvar",
    Figure.BEYOND: "Utfört utöver beviljat",
    Figure.NOT_PAYABLE_HOSPITAL: "Ej ersättning: sjukhus",
    Figure.NOT_PAYABLE_SCHOOL: "Ej ersättning: skola/daglig verksamhet",
    Figure.NOT_PAYABLE_SHORT_STAY: "Ej ersättning: korttidsvistelse",
    Figure.NOT_PAYABLE_LATE: "Ej ersättning: sen rapport",
    Figure.NOT_PAYABLE_OVER_LIMIT: "Ej ersättning: assistent över 48 h",
    Figure.NOT_PAYABLE_OUTSIDE_EEA: "Ej ersättning: assistent utanför EES",
}

NOT_PAYABLE: dict[Ineligible, Figure] = {
    Ineligible.HOSPITAL: Figure.NOT_PAYABLE_HOSPITAL,
    Ineligible.SCHOOL: Figure.NOT_PAYABLE_SCHOOL,
    Ineligible.SHORT_TERM_STAY: Figure.NOT_PAYABLE_SHORT_STAY,
    Ineligible.LATE_REPORT: Figure.NOT_PAYABLE_LATE,
    Ineligible.OVER_LIMIT: Figure.NOT_PAYABLE_OVER_LIMIT,
    Ineligible.OUTSIDE_EEA: Figure.NOT_PAYABLE_OUTSIDE_EEA,
}

OUTCOMES: tuple[Figure, ...] = (
    Figure.BILLABLE, Figure.MUNICIPAL, Figure.BASANSVAR, Figure.BEYOND, *NOT_PAYABLE.values(),
)
"""Where each performed minute ends: exactly one of these."""

FIGURES: tuple[Figure, ...] = tuple(Figure)
INDEX: dict[Figure, int] = {f: i for i, f in enumerate(FIGURES)}
_WIDTH = len(FIGURES)


class Scheduled(NamedTuple):
    """A planned shift as the ledger needs it; times are aware UTC."""

    id: str
    client_id: str
    employee_id: str | None
    start: dt.datetime
    end: dt.datetime
    minutes: int  # paid minutes (length less a scheduled break)
    is_double: bool
    published: bool

    @classmethod
    def of(cls, shift: PlannedShift, client_id: str) -> Scheduled:
        return cls(shift.id, client_id, shift.employee_id, shift.start.astimezone(UTC),
                   shift.end.astimezone(UTC), shift.paid_minutes.value, shift.is_double,
                   shift.status is ShiftStatus.PUBLISHED)


_BY_START = attrgetter("start", "id")


def ore_of(ore_minutes: int) -> int:
    """Öre from exact öre-minutes (minutes × öre per hour), rounded half up."""
    return (ore_minutes + 30) // 60


@dataclass(frozen=True, slots=True)
class LedgerRules:
    """Dated values for the ledger, read by the service from the rule book."""

    stay: StayRules
    report_deadline_day: int
    rate_per_hour: Callable[[GrantSpan, dt.date], int]  # öre per hour FK pays on that day
    fallback_cost_per_hour: int  # öre per hour for staff whose wage is unknown


@dataclass(frozen=True, slots=True)
class ClientContext:
    """What the ledger needs to know about one client besides the time itself."""

    client_id: str
    spans: Sequence[GrantSpan]
    stays: Sequence[ClientStay] = ()
    municipal_provider_ids: frozenset[str] = frozenset()
    excess_by_work: Mapping[str, int] = field(default_factory=dict)
    cost_per_hour: Mapping[str, int] = field(default_factory=dict)  # employee → öre/h
    outside_eea: frozenset[str] = frozenset()  # assistants FK does not pay for (no skäl)


class Sink(ABC):
    """Receives booked minutes; the totals sink and the drill-down sink differ in what
    they keep."""

    @abstractmethod
    def add(self, figure: Figure, day: dt.date, minutes: int, value: int,
            source: str, source_id: str, detail: str = "") -> None:
        """Book ``minutes`` (and ``value`` öre-minutes) of ``figure`` on ``day``."""


@dataclass(frozen=True, slots=True)
class LedgerItem:
    """One booking behind a figure: what (a shift, a time entry, a decision) and how much."""

    figure: Figure
    day: dt.date
    minutes: int
    value: int  # öre-minutes
    source: str  # "pass", "tid" or "beslut"
    source_id: str
    detail: str = ""


class ItemSink(Sink):
    """Keeps every booking, for drilling down from a figure to its shifts and entries."""

    def __init__(self, start: dt.date | None = None, end: dt.date | None = None) -> None:
        self.items: list[LedgerItem] = []
        self._start, self._end = start, end

    def add(self, figure: Figure, day: dt.date, minutes: int, value: int,
            source: str, source_id: str, detail: str = "") -> None:
        if (self._start is None or day >= self._start) and (self._end is None or day < self._end):
            self.items.append(LedgerItem(figure, day, minutes, value, source, source_id, detail))


class DailyTotals(Sink):
    """Minutes and öre-minutes per figure and Stockholm date: one row per day holding the
    minutes of every figure followed by their values."""

    def __init__(self) -> None:
        self.days: dict[dt.date, list[int]] = {}

    def add(self, figure: Figure, day: dt.date, minutes: int, value: int,
            source: str, source_id: str, detail: str = "") -> None:
        row = self.days.get(day)
        if row is None:
            row = self.days[day] = [0] * (2 * _WIDTH)
        index = INDEX[figure]
        row[index] += minutes
        if value:
            row[_WIDTH + index] += value

    def window(self, start: dt.date, end: dt.date) -> LedgerFigures:
        return self.windows([start], end)[0]

    def windows(self, starts: Sequence[dt.date], end: dt.date) -> list[LedgerFigures]:
        """Figures of the adjacent windows ``[starts[i], starts[i+1])``, the last one
        ending at ``end``, in one pass over the days."""
        bounds = [*starts, end]
        days_of: list[list[list[int]]] = [[] for _ in starts]
        for day, row in self.days.items():
            index = bisect_right(bounds, day) - 1
            if 0 <= index < len(starts):
                days_of[index].append(row)
        empty = (0,) * _WIDTH
        result: list[LedgerFigures] = []
        for rows in days_of:
            if not rows:
                result.append(LedgerFigures(empty, empty))
                continue
            sums = tuple(map(sum, zip(*rows, strict=True)))
            result.append(LedgerFigures(sums[:_WIDTH], sums[_WIDTH:]))
        return result


@dataclass(frozen=True, slots=True)
class LedgerFigures:
    """The ledger's figures for one window: minutes and öre-minutes per :class:`Figure`."""

    minutes_by_index: tuple[int, ...] = (0,) * len(FIGURES)
    values_by_index: tuple[int, ...] = (0,) * len(FIGURES)

    def minutes(self, figure: Figure) -> int:
        return self.minutes_by_index[INDEX[figure]]

    def ore(self, figure: Figure) -> int:
        return ore_of(self.values_by_index[INDEX[figure]])

    def __add__(self, other: LedgerFigures) -> LedgerFigures:
        pairs = zip(self.minutes_by_index, other.minutes_by_index, strict=True)
        value_pairs = zip(self.values_by_index, other.values_by_index, strict=True)
        return LedgerFigures(tuple(a + b for a, b in pairs),
                             tuple(a + b for a, b in value_pairs))

    # --- derived figures (not additive across windows where they clamp at zero) --------
    @property
    def not_payable_minutes(self) -> int:
        return sum(self.minutes(f) for f in NOT_PAYABLE.values())

    @property
    def not_payable_ore(self) -> int:
        return ore_of(sum(self.values_by_index[INDEX[f]] for f in NOT_PAYABLE.values()))

    @property
    def used_minutes(self) -> int:
        """Granted time used: billable, within an LSS grant, or under basansvar."""
        return (self.minutes(Figure.BILLABLE) + self.minutes(Figure.MUNICIPAL)
                + self.minutes(Figure.BASANSVAR))

    @property
    def unused_minutes(self) -> int:
        """Granted (ordinary and double) but not used in this window."""
        granted = self.minutes(Figure.GRANTED) + self.minutes(Figure.GRANTED_DOUBLE)
        return max(0, granted - self.used_minutes)

    @property
    def unused_ore(self) -> int:
        """FK revenue the unused granted time would have brought."""
        return max(0, self.ore(Figure.GRANTED) - self.ore(Figure.BILLABLE))

    @property
    def pace_minutes(self) -> int:
        """Performed minus granted in the window (signed; additive)."""
        return (self.minutes(Figure.PERFORMED) + self.minutes(Figure.PERFORMED_DOUBLE)
                - self.minutes(Figure.GRANTED) - self.minutes(Figure.GRANTED_DOUBLE))

    @property
    def scheduled_over_granted_minutes(self) -> int:
        scheduled = self.minutes(Figure.SCHEDULED) + self.minutes(Figure.SCHEDULED_DOUBLE)
        granted = self.minutes(Figure.GRANTED) + self.minutes(Figure.GRANTED_DOUBLE)
        return max(0, scheduled - granted)


# --- booking one client's time ---------------------------------------------------------------
@dataclass(slots=True)
class _Pot:
    """The grant left in one settlement period, with what booking asks of it each time."""

    period: SettlementPeriod
    ordinary: int
    double: int
    municipal: bool  # the municipality performs it (else basansvar for a private provider)
    is_fk: bool
    decision_id: str


class ClientLedger:
    """Books one client's decisions, shifts and time into a sink.

    Call :meth:`book_grants`, :meth:`book_shifts` and :meth:`book_work` (the latter with
    all of the client's time from the start of the earliest settlement period involved, in
    any order: it is sorted here).
    """

    def __init__(self, context: ClientContext, rules: LedgerRules, sink: Sink) -> None:
        self.context = context
        self.rules = rules
        self.sink = sink
        self._deadlines: dict[dt.date, dt.date] = {}
        self._pots_by_day: dict[dt.date, list[_Pot]] = {}
        self._standing_in: dict[dt.date, bool] = {}
        self._pots: list[_Pot] = [
            _Pot(p, p.granted, p.granted_double,
                 span.decision.provider_id in context.municipal_provider_ids, span.is_fk,
                 span.decision.id)
            for span in context.spans for p in settlement_periods(span)
        ]

    def _pots_on(self, day: dt.date) -> list[_Pot]:
        pots = self._pots_by_day.get(day)
        if pots is None:
            pots = self._pots_by_day[day] = [
                p for p in self._pots if p.period.start <= day < p.period.end]
        return pots

    def book_grants(self, start: dt.date, end: dt.date) -> None:
        """Granted minutes per day in ``[start, end)``, valued at FK's rate for SFB."""
        add = self.sink.add
        for span in self.context.spans:
            if span.decision.provider_id not in self.context.municipal_provider_ids:
                continue  # a private provider's grant is not ours to use
            lo, hi = max(start, span.start), min(end, span.end)
            if hi <= lo:
                continue
            decision_id = span.decision.id
            one_day = dt.timedelta(days=1)
            day = lo
            previous, previous_double = span.granted_through(day), span.double_through(day)
            fk = span.is_fk
            rate_of = self.rules.rate_per_hour
            while day < hi:
                following = day + one_day
                through = span.granted_through(following)
                granted = through - previous
                rate = rate_of(span, day) if fk else 0
                if granted:
                    add(Figure.GRANTED, day, granted, granted * rate, "beslut", decision_id)
                if span.decision.double_assistance_minutes_per_week:
                    through_double = span.double_through(following)
                    double = through_double - previous_double
                    if double:
                        add(Figure.GRANTED_DOUBLE, day, double, double * rate, "beslut",
                            decision_id)
                    previous_double = through_double
                previous, day = through, following

    def book_shifts(self, shifts: Iterable[Scheduled], reported_shift_ids: frozenset[str],
                    reported_through: dt.date, works: Sequence[Work] = ()) -> None:
        """Scheduled minutes of published shifts; a staffed shift on a day before
        ``reported_through`` without a time entry is unreported (revenue at risk).

        An entry reports a shift when it names it, or, failing that, when it is the same
        employee's time overlapping the shift.
        """
        by_employee: dict[str, list[Work]] = {}
        for work in works:
            if work.planned_shift_id is None:
                by_employee.setdefault(work.employee_id, []).append(work)
        add = self.sink.add
        for shift in shifts:
            if not shift.published:
                continue
            figure = Figure.SCHEDULED_DOUBLE if shift.is_double else Figure.SCHEDULED
            parts = day_parts(shift.start, shift.end, shift.minutes)
            for part in parts:
                basansvar = self._stands_in_on(part.day)
                add(Figure.SCHEDULED_BASANSVAR if basansvar else figure, part.day, part.minutes,
                    0, "pass", shift.id)
            if shift.employee_id is None or shift.id in reported_shift_ids:
                continue
            if any(w.start < shift.end and shift.start < w.end
                   for w in by_employee.get(shift.employee_id, ())):
                continue
            for part in parts:
                if part.day >= reported_through:
                    continue
                rate = self._fk_rate_on(part.day)
                add(Figure.UNREPORTED, part.day, part.minutes, part.minutes * rate, "pass",
                    shift.id)

    def _stands_in_on(self, day: dt.date) -> bool:
        """The municipality stands in for a private provider on ``day`` (basansvar)."""
        found = self._standing_in.get(day)
        if found is None:
            found = False
            for span in self.context.spans:
                if span.start <= day < span.end:
                    found = span.decision.provider_id not in self.context.municipal_provider_ids
                    break
            self._standing_in[day] = found
        return found

    def _fk_rate_on(self, day: dt.date) -> int:
        for span in self.context.spans:
            if span.start <= day < span.end:
                municipal = span.decision.provider_id in self.context.municipal_provider_ids
                return self.rules.rate_per_hour(span, day) if span.is_fk and municipal else 0
        return 0

    def book_work(self, works: Iterable[Work]) -> None:
        for work in sorted(works, key=_BY_START):
            self._book_one(work)

    def _book_one(self, work: Work) -> None:
        add = self.sink.add
        parts = day_parts(work.start, work.end, work.minutes)
        excess_left = self.context.excess_by_work.get(work.id, 0)
        performed = Figure.PERFORMED_DOUBLE if work.is_double else Figure.PERFORMED
        if len(parts) == 1:  # the common case: within one day
            part = parts[0]
            add(performed, part.day, part.minutes, 0, "tid", work.id)
            if work.attested:
                add(Figure.ATTESTED, part.day, part.minutes, 0, "tid", work.id)
            self._book_outcome(work, part, min(excess_left, part.minutes))
            return
        # the minutes above an assistant's limit are the last ones of the stretch
        excess_by_part = [0] * len(parts)
        for index in range(len(parts) - 1, -1, -1):
            taken = min(excess_left, parts[index].minutes)
            excess_by_part[index] = taken
            excess_left -= taken
        for part, excess in zip(parts, excess_by_part, strict=True):
            add(performed, part.day, part.minutes, 0, "tid", work.id)
            if work.attested:
                add(Figure.ATTESTED, part.day, part.minutes, 0, "tid", work.id)
            self._book_outcome(work, part, excess)

    def _book_outcome(self, work: Work, part: DayPart, excess: int) -> None:
        add = self.sink.add
        left = part.minutes
        pots = self._pots_on(part.day)
        if not pots:
            add(Figure.BEYOND, part.day, left, left * self._cost(work), "tid", work.id,
                "utan beslut")
            return
        first = pots[0]
        if not first.municipal:
            add(Figure.BASANSVAR, part.day, left, 0, "tid", work.id,
                first.period.span.decision.provider_id)
            return
        rate_of = self.rules.rate_per_hour
        if first.is_fk:
            left = self._book_not_payable(work, part, excess,
                                          rate_of(first.period.span, part.day))
            if left == 0:
                return
        for pot in pots:
            if left == 0:
                break
            figure = Figure.BILLABLE if pot.is_fk else Figure.MUNICIPAL
            rate = rate_of(pot.period.span, part.day) if pot.is_fk else 0
            if work.is_double and pot.double > 0:
                taken = min(left, pot.double)
                pot.double -= taken
                left -= taken
                add(figure, part.day, taken, taken * rate, "tid", work.id, pot.decision_id)
                if pot.is_fk:
                    add(Figure.BILLABLE_DOUBLE, part.day, taken, taken * rate, "tid", work.id,
                        pot.decision_id)
            taken = min(left, pot.ordinary)
            if taken:
                pot.ordinary -= taken
                left -= taken
                add(figure, part.day, taken, taken * rate, "tid", work.id, pot.decision_id)
        if left:
            add(Figure.BEYOND, part.day, left, left * self._cost(work), "tid", work.id,
                first.decision_id)

    def _cost(self, work: Work) -> int:
        return self.context.cost_per_hour.get(work.employee_id, self.rules.fallback_cost_per_hour)

    def _book_not_payable(self, work: Work, part: DayPart, excess: int, rate: int) -> int:
        """Book the part's unpayable minutes; returns the minutes left to bill."""
        add = self.sink.add
        left = part.minutes
        if work.employee_id in self.context.outside_eea:
            add(Figure.NOT_PAYABLE_OUTSIDE_EEA, part.day, left, left * rate, "tid", work.id,
                work.employee_id)
            return 0
        if self.context.stays or work.at_hospital:
            for reason, minutes, stay_id in stay_exclusions(
                    part, self.context.stays, self.rules.stay,
                    flagged_hospital=work.at_hospital):
                add(NOT_PAYABLE[reason], part.day, minutes, minutes * rate, "tid", work.id,
                    stay_id)
                left -= minutes
        if left and work.reported_on is not None:
            month = part.day.replace(day=1)
            deadline = self._deadlines.get(month)
            if deadline is None:
                deadline = self._deadlines[month] = report_deadline(
                    month, self.rules.report_deadline_day)
            if work.reported_on > deadline:
                add(Figure.NOT_PAYABLE_LATE, part.day, left, left * rate, "tid", work.id,
                    f"rapporterad {work.reported_on.isoformat()}, sista dag {deadline.isoformat()}")
                return 0
        over = min(left, excess)
        if over:
            add(Figure.NOT_PAYABLE_OVER_LIMIT, part.day, over, over * rate, "tid", work.id,
                work.employee_id)
            left -= over
        return left


def book_client(context: ClientContext, rules: LedgerRules, sink: Sink, *,
                horizon: tuple[dt.date, dt.date], shifts: Iterable[Scheduled],
                works: Sequence[Work], reported_through: dt.date) -> None:
    """Book everything of one client over ``horizon`` into ``sink``."""
    ledger = ClientLedger(context, rules, sink)
    ledger.book_grants(*horizon)
    reported = frozenset(w.planned_shift_id for w in works if w.planned_shift_id is not None)
    ledger.book_shifts(shifts, reported, reported_through, works)
    ledger.book_work(works)
