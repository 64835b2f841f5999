"""Sick-leave follow-up: sick spells and periods, follow-up alerts, milestones, sjuklön and
karensavdrag.

Definitions (domain-rules.md §5 and item 13; every number is a dated rule parameter):

- A **spell** (sjuktillfälle) is a run of consecutive sick calendar days of one employee:
  sick absences that overlap or touch are joined. Each spell is one *occasion* for the
  municipal follow-up rule "six or more sick occasions in twelve months"
  (``sick.repeated_occasions_alert``). A relapse (below) is still a new occasion: the
  employee reported sick again.
- A **sick period** (sjukperiod, sjuklöneperiod) joins spells when the next one starts
  within ``sick.relapse_continuation_days`` calendar days after the previous one's last
  sick day (7 § 3 st. sjuklönelagen): the days continue, and no new karensavdrag is made.
  Sick days are numbered within the period; days between spells are not sick days.
- **Milestones** of a period: a doctor's certificate from sick day
  ``sick.certificate_from_day`` (8); sjuklön for sick days 1–``sick.employer_period_days``
  (14) and sjukpenning from Försäkringskassan, reported by the employer, from the day after;
  a plan för återgång i arbete due on sick day ``sick.return_plan_due_day`` (30) when the
  absence is expected to last at least ``sick.return_plan_expected_days`` (60) days
  (30 kap. 6 § SFB). The expected length is the recorded length of the period: an absence
  is always recorded with its (expected) end date.
- **Sjuklön** is ``sick.sick_pay_rate`` (80 %) of the pay for the time lost on sick days
  1–14. Time lost on a calendar day is a seventh of the contracted week times the extent,
  the same convention as :func:`insats.domain.absence.tally_sick_leave` (no roster
  needed). The **karensavdrag** is ``sick.karens_share_of_week`` (20 %) of an average
  week's sjuklön, once per sick period, never more than the period's sjuklön, and not
  when ten (``sick.max_karens_per_12_months``) were made in the twelve months before the
  period began.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from insats.domain.absence import WHOLE, Absence, AbsenceKind, SickLeaveTally
from insats.domain.common import Money, Period, add_months
from insats.domain.rules import RuleBook

SICK_PAY_RATE = "sick.sick_pay_rate"
KARENS_SHARE = "sick.karens_share_of_week"
EMPLOYER_PERIOD_DAYS = "sick.employer_period_days"
CERTIFICATE_FROM_DAY = "sick.certificate_from_day"
RELAPSE_DAYS = "sick.relapse_continuation_days"
MAX_KARENS = "sick.max_karens_per_12_months"
OCCASIONS_ALERT = "sick.repeated_occasions_alert"
LONG_SPELL_DAYS = "sick.long_spell_alert_days"
RETURN_PLAN_DAY = "sick.return_plan_due_day"
RETURN_PLAN_EXPECTED_DAYS = "sick.return_plan_expected_days"

DAY = dt.timedelta(days=1)
PERMILLE = 1000
MINUTES_PER_HOUR = 60
DAYS_PER_WEEK = 7


@dataclass(frozen=True, slots=True)
class SickSpell:
    """Consecutive sick days of one employee ``[period.start, period.end)``: one occasion.

    ``extents`` holds the sick extent (1–100 %) of each day, in order.
    """

    employee_id: str
    period: Period
    extents: tuple[int, ...]

    @property
    def start(self) -> dt.date:
        return self.period.start

    @property
    def last_day(self) -> dt.date:
        assert self.period.end is not None
        return self.period.end - DAY

    @property
    def days(self) -> int:
        return len(self.extents)


@dataclass(frozen=True, slots=True)
class SickPeriod:
    """Spells joined by the relapse rule; sick days are numbered from 1 across them."""

    employee_id: str
    spells: tuple[SickSpell, ...]

    @property
    def start(self) -> dt.date:
        return self.spells[0].start

    @property
    def end(self) -> dt.date:
        """The day after the last sick day."""
        return self.spells[-1].last_day + DAY

    @property
    def sick_days(self) -> int:
        return sum(s.days for s in self.spells)

    def days(self) -> list[tuple[int, dt.date, int]]:
        """(sick day number, date, extent) for every sick day, in order."""
        result: list[tuple[int, dt.date, int]] = []
        for spell in self.spells:
            for offset, extent in enumerate(spell.extents):
                result.append((len(result) + 1, spell.start + offset * DAY, extent))
        return result

    def date_of_day(self, number: int) -> dt.date | None:
        """The date of sick day ``number`` (1-based), None when the period is shorter."""
        if number < 1:
            return None
        for spell in self.spells:
            if number <= spell.days:
                return spell.start + (number - 1) * DAY
            number -= spell.days
        return None

    def in_progress_on(self, day: dt.date) -> bool:
        return self.start <= day < self.end


def sick_spells(absences: Iterable[Absence]) -> dict[str, list[SickSpell]]:
    """Sick absences as spells per employee, in date order (other kinds are ignored).

    Overlapping sick absences of one employee count at most 100 % on a day.
    """
    extent_on: dict[str, dict[dt.date, int]] = defaultdict(dict)
    for absence in absences:
        if absence.kind is not AbsenceKind.SICK:
            continue
        days = extent_on[absence.employee_id]
        for day in absence.period.iter_days():
            days[day] = min(WHOLE, days.get(day, 0) + absence.extent_percent)
    spells: dict[str, list[SickSpell]] = {}
    for employee_id, days in sorted(extent_on.items()):
        ordered = sorted(days)
        runs: list[list[dt.date]] = []
        for day in ordered:
            if runs and runs[-1][-1] + DAY == day:
                runs[-1].append(day)
            else:
                runs.append([day])
        spells[employee_id] = [
            SickSpell(employee_id, Period(run[0], run[-1] + DAY),
                      tuple(days[day] for day in run))
            for run in runs
        ]
    return spells


def sick_periods(spells: Iterable[SickSpell], *, relapse_days: int) -> list[SickPeriod]:
    """One employee's spells joined into sick periods: a spell starting at most
    ``relapse_days`` calendar days after the previous spell's last sick day continues
    that period (sick on a Tuesday, back on Wednesday, sick again on Sunday: the same
    period with five days; on Monday: a new one)."""
    periods: list[list[SickSpell]] = []
    for spell in sorted(spells, key=lambda s: s.start):
        if periods and (spell.start - periods[-1][-1].last_day).days <= relapse_days:
            periods[-1].append(spell)
        else:
            periods.append([spell])
    return [SickPeriod(group[0].employee_id, tuple(group)) for group in periods]


def periods_of(absences: Iterable[Absence], rules: RuleBook,
               on: dt.date) -> dict[str, list[SickPeriod]]:
    """Every employee's sick periods, with the relapse rule in force on ``on``."""
    relapse = rules.number(RELAPSE_DAYS, on)
    return {employee_id: sick_periods(spells, relapse_days=relapse)
            for employee_id, spells in sick_spells(absences).items()}


def twelve_months_to(day: dt.date) -> Period:
    """The rolling twelve months that end with ``day`` (inclusive)."""
    return Period(add_months(day, -12) + DAY, day + DAY)


def occasions_within(spells: Iterable[SickSpell], window: Period) -> list[SickSpell]:
    """The spells (occasions) that start inside ``window``."""
    return [s for s in spells if window.contains(s.start)]


# --- milestones -------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Milestones:
    """Dates in a sick period; None when the recorded period does not reach them.

    Attributes:
        certificate_from: the first sick day that needs a doctor's certificate (day 8).
        last_sick_pay_day: the last day of the employer period (day 14).
        fk_from: sjukpenning from Försäkringskassan, and the employer's report to FK (day 15).
        return_plan_due: plan för återgång i arbete at the latest (day 30), when the period
            is expected to last at least 60 days.
    """

    certificate_from: dt.date | None
    last_sick_pay_day: dt.date | None
    fk_from: dt.date | None
    return_plan_due: dt.date | None


def milestones(period: SickPeriod, rules: RuleBook) -> Milestones:
    on = period.start
    employer_days = rules.number(EMPLOYER_PERIOD_DAYS, on)
    plan_needed = period.sick_days >= rules.number(RETURN_PLAN_EXPECTED_DAYS, on)
    return Milestones(
        certificate_from=period.date_of_day(rules.number(CERTIFICATE_FROM_DAY, on)),
        last_sick_pay_day=period.date_of_day(employer_days),
        fk_from=period.date_of_day(employer_days + 1),
        return_plan_due=period.date_of_day(rules.number(RETURN_PLAN_DAY, on))
        if plan_needed else None,
    )


# --- follow-up alerts -------------------------------------------------------------------
class AlertKind(StrEnum):
    REPEATED = "upprepad_franvaro"  # six or more occasions in twelve months
    LONG_SPELL = "lang_franvaro"  # fourteen or more days in a row, ongoing
    RETURN_PLAN = "plan_for_atergang"  # 30 kap. 6 § SFB


ALERT_LABELS: dict[AlertKind, str] = {
    AlertKind.REPEATED: "Upprepad korttidsfrånvaro",
    AlertKind.LONG_SPELL: "Lång sjukfrånvaro",
    AlertKind.RETURN_PLAN: "Plan för återgång i arbete",
}


@dataclass(frozen=True, slots=True)
class FollowUp:
    """Why an employee needs a follow-up talk (rehabiliteringssamtal) on a day.

    ``since`` is the day the trigger was reached; ``due`` a deadline, when the rule has one.
    """

    employee_id: str
    kind: AlertKind
    since: dt.date
    message: str
    due: dt.date | None = None


def follow_ups(employee_id: str, spells: list[SickSpell], periods: list[SickPeriod],
               on: dt.date, rules: RuleBook) -> list[FollowUp]:
    """The follow-up alerts of one employee on ``on``, from their spells and periods.

    - Repeated absence: at least ``sick.repeated_occasions_alert`` occasions starting in
      the twelve months ending ``on``; ``since`` is the latest occasion's start.
    - Long spell: a spell in progress on ``on`` that has lasted at least
      ``sick.long_spell_alert_days`` days by then; ``since`` is the day the limit was
      reached.
    - Return plan: a sick period in progress on ``on`` expected to reach
      ``sick.return_plan_expected_days`` sick days; due on sick day 30.
    """
    alerts: list[FollowUp] = []
    threshold = rules.number(OCCASIONS_ALERT, on)
    recent = occasions_within(spells, twelve_months_to(on))
    if len(recent) >= threshold:
        latest = recent[-1].start
        alerts.append(FollowUp(
            employee_id, AlertKind.REPEATED, latest,
            f"{len(recent)} sjuktillfällen de senaste 12 månaderna (gräns {threshold}), "
            f"senast {latest.isoformat()}."))
    long_days = rules.number(LONG_SPELL_DAYS, on)
    for spell in spells:
        if spell.start <= on <= spell.last_day:
            lasted = (on - spell.start).days + 1
            if lasted >= long_days:
                alerts.append(FollowUp(
                    employee_id, AlertKind.LONG_SPELL, spell.start + (long_days - 1) * DAY,
                    f"Sjuk sedan {spell.start.isoformat()}: {lasted} dagar i följd "
                    f"(gräns {long_days})."))
    for period in periods:
        if not period.in_progress_on(on):
            continue
        due = milestones(period, rules).return_plan_due
        if due is not None:
            when = (f"försenad, skulle vara klar {due.isoformat()}" if due < on
                    else f"senast {due.isoformat()}")
            alerts.append(FollowUp(
                employee_id, AlertKind.RETURN_PLAN, period.start,
                f"Beräknad sjukperiod {period.sick_days} dagar: plan för återgång i arbete "
                f"{when} (30 kap. 6 § SFB).", due=due))
    return alerts


# --- sjuklön and karensavdrag -------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class SickPayDay:
    day: dt.date
    number: int  # sick day number in the period
    extent_percent: int
    amount: Money


@dataclass(frozen=True, slots=True)
class SickPay:
    """Sjuklön of one sick period: the employer period's days, and the karensavdrag.

    ``karens`` is the deduction actually made: 0 when none is due, and never above
    ``gross`` (a one-day absence can cost the whole day's sjuklön, not more).
    """

    period_start: dt.date
    days: tuple[SickPayDay, ...]
    weekly_sick_pay: Money
    karens: Money

    @property
    def gross(self) -> Money:
        return Money(sum(d.amount.ore for d in self.days))

    @property
    def net(self) -> Money:
        return self.gross - self.karens

    def gross_within(self, window: Period) -> Money:
        return Money(sum(d.amount.ore for d in self.days if window.contains(d.day)))


def sick_pay(period: SickPeriod, *, minutes_per_week: int, hourly_rate: Money,
             rules: RuleBook, karens_due: bool) -> SickPay:
    """Sjuklön for sick days 1–14 of ``period`` and its karensavdrag, with the rules in
    force on the period's first day.

    A day's sjuklön is ``hourly_rate`` × (``minutes_per_week`` / 7) × extent × 80 %, in
    whole öre (half up); the karensavdrag is 20 % of ``hourly_rate`` × ``minutes_per_week``
    × 80 %, the average week's sjuklön (domain-rules §5).
    """
    on = period.start
    rate = rules.permille(SICK_PAY_RATE, on)
    employer_days = rules.number(EMPLOYER_PERIOD_DAYS, on)
    days = tuple(
        SickPayDay(day, number, extent, Money(_half_up(
            hourly_rate.ore * minutes_per_week * extent * rate,
            DAYS_PER_WEEK * WHOLE * PERMILLE * MINUTES_PER_HOUR)))
        for number, day, extent in period.days() if number <= employer_days
    )
    weekly = _half_up(hourly_rate.ore * minutes_per_week * rate, PERMILLE * MINUTES_PER_HOUR)
    karens = 0
    if karens_due:
        share = rules.permille(KARENS_SHARE, on)
        karens = _half_up(weekly * share, PERMILLE)
    gross = sum(d.amount.ore for d in days)
    return SickPay(on, days, Money(weekly), Money(min(karens, gross)))


def karens_due(periods: list[SickPeriod], rules: RuleBook) -> list[bool]:
    """Whether each of one employee's periods (in date order) gets a karensavdrag: not when
    ``sick.max_karens_per_12_months`` were made in the twelve months before it began."""
    taken: list[dt.date] = []
    result: list[bool] = []
    for period in periods:
        limit = rules.number(MAX_KARENS, period.start)
        since = add_months(period.start, -12)
        due = sum(1 for start in taken if since <= start < period.start) < limit
        if due:
            taken.append(period.start)
        result.append(due)
    return result


def _half_up(numerator: int, denominator: int) -> int:
    return (2 * numerator + denominator) // (2 * denominator)


def long_term_rate(tally: SickLeaveTally) -> float | None:
    """Sick time from day 15 of a spell as a share of contracted time."""
    if tally.contracted_minutes == 0:
        return None
    return tally.long_term_sick_minutes / tally.contracted_minutes
