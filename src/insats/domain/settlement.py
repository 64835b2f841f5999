"""Granted time over days, settlement periods and reporting deadlines for FK.

Sources (domain-rules.md):
- §1.4: hours are granted per week, or as a total for a beviljandeperiod of at most six
  months.
- §1.5: FK settles per beviljandeperiod; hours beyond the period's grant are never paid,
  unused hours are not paid (efterskott) or are paid back at the slutavräkning (förskott),
  which comes at the latest two months after the period. Within a period the weekly
  distribution may vary [uncertain]: Insats nets use against the period total.
- §1.6: the time report is due by the 5th of the second month after the work month
  (``fk.report_deadline_day_of_second_month``); a late report may be refused.

A weekly grant over a long decision is settled in consecutive periods of at most six months
counted from the decision's first day (an assumption: FK's own period boundaries are on its
decision letter; a user who knows them registers the decision with those dates).

Granted time is spread by day with a cumulative floor, so that the minutes of any set of
adjacent windows add up to the minutes of their union: ``granted_through(day)`` is the
grant from the decision's first day up to (not including) ``day``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from insats.domain.common import Period, add_months
from insats.domain.decisions import Decision, Insats, LegalBasis

SETTLEMENT_MONTHS = 6
SLUTAVRAKNING_MONTHS = 2


@dataclass(frozen=True, slots=True)
class GrantSpan:
    """The part of a personal-assistance decision that is in force: ``[start, end)``.

    ``end`` is the decision's end, or the start of the decision that replaces it, or the
    horizon given to :func:`grant_spans` for an open-ended decision.
    """

    decision: Decision
    start: dt.date
    end: dt.date

    @property
    def is_fk(self) -> bool:
        return self.decision.legal_basis is LegalBasis.SFB

    def granted_through(self, day: dt.date) -> int:
        """Ordinary minutes granted from the decision's first day up to ``day``."""
        return _cumulative(self.decision, day, double=False)

    def double_through(self, day: dt.date) -> int:
        return _cumulative(self.decision, day, double=True)

    def granted_between(self, start: dt.date, end: dt.date) -> int:
        lo, hi = max(start, self.start), min(end, self.end)
        return 0 if hi <= lo else self.granted_through(hi) - self.granted_through(lo)

    def double_between(self, start: dt.date, end: dt.date) -> int:
        lo, hi = max(start, self.start), min(end, self.end)
        return 0 if hi <= lo else self.double_through(hi) - self.double_through(lo)


def _cumulative(decision: Decision, day: dt.date, *, double: bool) -> int:
    start = decision.period.start
    if day <= start:
        return 0
    end = decision.period.end
    if end is not None and day > end:
        day = end
    elapsed = (day - start).days
    if double:
        return decision.double_assistance_minutes_per_week * elapsed // 7
    if decision.granted_minutes_total is not None and end is not None:
        return decision.granted_minutes_total * elapsed // (end - start).days
    return (decision.granted_minutes_per_week or 0) * elapsed // 7


def grant_spans(decisions: Iterable[Decision], horizon_end: dt.date) -> list[GrantSpan]:
    """The personal-assistance decisions of one client as spans in force.

    A decision that another decision replaces (``replaces_decision_id``) ends where the
    replacing one starts, also when the new decision is retroactive (an LSS case that
    becomes an SFB case from an earlier date).
    """
    assistance = [d for d in decisions if d.insats is Insats.PERSONAL_ASSISTANCE]
    replaced_from: dict[str, dt.date] = {}
    for decision in assistance:
        if decision.replaces_decision_id is not None:
            earlier = replaced_from.get(decision.replaces_decision_id)
            start = decision.period.start
            replaced_from[decision.replaces_decision_id] = (
                start if earlier is None else min(earlier, start))
    spans: list[GrantSpan] = []
    for decision in assistance:
        end = decision.period.end or horizon_end
        if decision.id in replaced_from:
            end = min(end, replaced_from[decision.id])
        if end > decision.period.start:
            spans.append(GrantSpan(decision, decision.period.start, end))
    spans.sort(key=lambda s: (not s.is_fk, s.start, s.decision.id))
    return spans


@dataclass(frozen=True, slots=True)
class SettlementPeriod:
    """One avräkningsperiod of a decision: ``[start, end)``, at most six months."""

    span: GrantSpan
    start: dt.date
    end: dt.date

    @property
    def period(self) -> Period:
        return Period(self.start, self.end)

    @property
    def granted(self) -> int:
        return self.span.granted_between(self.start, self.end)

    @property
    def granted_double(self) -> int:
        return self.span.double_between(self.start, self.end)

    @property
    def final_settlement_by(self) -> dt.date:
        """The slutavräkning comes at the latest two months after the period (§1.5)."""
        return add_months(self.end, SLUTAVRAKNING_MONTHS)

    def label(self) -> str:
        last = self.end - dt.timedelta(days=1)
        return f"{self.start.isoformat()}–{last.isoformat()}"


def settlement_periods(span: GrantSpan) -> list[SettlementPeriod]:
    """A decision's span cut into settlement periods of at most six months.

    A decision with a period total is one settlement period (it is at most six months by
    validation); a weekly grant is cut every six months from the decision's first day.
    """
    decision = span.decision
    if decision.granted_minutes_total is not None:
        return [SettlementPeriod(span, span.start, span.end)]
    periods: list[SettlementPeriod] = []
    step = 0
    while True:
        start = add_months(decision.period.start, SETTLEMENT_MONTHS * step)
        end = add_months(decision.period.start, SETTLEMENT_MONTHS * (step + 1))
        step += 1
        if start >= span.end:
            break
        lo, hi = max(start, span.start), min(end, span.end)
        if hi > lo:
            periods.append(SettlementPeriod(span, lo, hi))
    return periods


def period_containing(spans: Sequence[GrantSpan], day: dt.date) -> SettlementPeriod | None:
    """The settlement period in force on ``day`` (FK decisions first)."""
    for span in spans:
        if span.start <= day < span.end:
            for period in settlement_periods(span):
                if period.start <= day < period.end:
                    return period
    return None


def report_deadline(work_month: dt.date, deadline_day: int) -> dt.date:
    """The last day to hand in the time report for the month of ``work_month``: the
    ``deadline_day`` (5) of the second month after it (§1.6)."""
    return add_months(work_month.replace(day=1), 2).replace(day=deadline_day)


def claim_deadline(work_month: dt.date, decided_on: dt.date, deadline_day: int) -> dt.date:
    """The deadline for a month's claim; for a month that a retroactive decision made
    billable, counted from the decision's month instead (an assumption, [uncertain]: FK
    can only be asked for hours once it has decided)."""
    ordinary = report_deadline(work_month, deadline_day)
    if decided_on >= add_months(work_month.replace(day=1), 1):
        return max(ordinary, report_deadline(decided_on, deadline_day))
    return ordinary
