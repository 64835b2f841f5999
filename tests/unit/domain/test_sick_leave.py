"""Sick-leave follow-up with hand-worked examples: spells and the relapse rule, the
six-occasions alert, long spells, the day-30 return-to-work plan, sjuklön and karensavdrag.

The rules are the bundled parameters (domain-rules.md §5): sjuklön 80 % on days 1–14,
karensavdrag 20 % of an average week's sjuklön, relapse within 5 days, at most 10
karensavdrag in 12 months, alert at 6 occasions and at 14 days in a row, plan for return
to work on day 30 when 60 days are expected.
"""

from __future__ import annotations

import datetime as dt

import pytest

from insats.domain.absence import Absence, AbsenceKind
from insats.domain.common import Money, Period
from insats.domain.rules import RuleBook, bundled_parameters
from insats.domain.sick_leave import (
    AlertKind,
    SickPeriod,
    follow_ups,
    karens_due,
    milestones,
    occasions_within,
    sick_pay,
    sick_periods,
    sick_spells,
    twelve_months_to,
)
from tests.builders import an_absence

RULES = RuleBook(bundled_parameters())


def d(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, day)


def sick(start: dt.date, days: int, *, employee: str = "E0001", extent: int = 100,
         kind: AbsenceKind = AbsenceKind.SICK) -> Absence:
    return an_absence(id=f"A-{employee}-{start}-{extent}", employee_id=employee, kind=kind,
                      period=Period(start, start + dt.timedelta(days=days)),
                      extent_percent=extent)


def periods(*absences: Absence) -> list[SickPeriod]:
    spells = sick_spells(absences).get("E0001", [])
    return sick_periods(spells, relapse_days=5)


def test_the_bundled_rules_are_the_ones_these_examples_assume() -> None:
    on = d(2026, 1, 1)
    assert [RULES.number(k, on) for k in (
        "sick.employer_period_days", "sick.certificate_from_day",
        "sick.relapse_continuation_days", "sick.max_karens_per_12_months",
        "sick.repeated_occasions_alert", "sick.long_spell_alert_days",
        "sick.return_plan_due_day", "sick.return_plan_expected_days")] == [
        14, 8, 5, 10, 6, 14, 30, 60]
    assert RULES.permille("sick.sick_pay_rate", on) == 800
    assert RULES.permille("sick.karens_share_of_week", on) == 200


# --- spells and periods ---------------------------------------------------------------------
def test_touching_and_overlapping_sick_absences_are_one_spell_and_other_kinds_are_ignored(
) -> None:
    spells = sick_spells([
        sick(d(2026, 3, 2), 3),  # 2–4 March
        sick(d(2026, 3, 5), 2),  # 5–6 March: touches, same spell
        sick(d(2026, 3, 6), 1, extent=50),  # overlaps 6 March: capped at 100 %
        sick(d(2026, 3, 9), 1, kind=AbsenceKind.CARE_OF_CHILD),
        sick(d(2026, 3, 20), 2, extent=50),
    ])["E0001"]

    assert [(s.start, s.days) for s in spells] == [(d(2026, 3, 2), 5), (d(2026, 3, 20), 2)]
    assert spells[0].extents == (100, 100, 100, 100, 100)
    assert spells[1].extents == (50, 50)


def test_falling_ill_again_within_five_days_continues_the_period() -> None:
    tuesday = d(2026, 3, 3)
    first = sick(d(2026, 3, 2), 2)  # Monday–Tuesday
    again_sunday = sick(tuesday + dt.timedelta(days=5), 3)  # 5 days after the last sick day
    again_monday = sick(tuesday + dt.timedelta(days=6), 3)  # 6 days after: a new period

    joined = periods(first, again_sunday)
    separate = periods(first, again_monday)

    assert len(joined) == 1 and joined[0].sick_days == 5
    assert [n for n, _, _ in joined[0].days()] == [1, 2, 3, 4, 5]
    assert joined[0].date_of_day(3) == d(2026, 3, 8)  # days in between are not sick days
    assert len(separate) == 2


# --- occasions and alerts -------------------------------------------------------------------
def six_occasions(first: dt.date, last: dt.date) -> list[Absence]:
    """Six one-day occasions from ``first`` to ``last``, at least a week apart."""
    step = (last - first) / 5
    return [sick(first + step * n, 1) for n in range(6)]


def alerts_on(on: dt.date, absences: list[Absence]) -> list[AlertKind]:
    spells = sick_spells(absences).get("E0001", [])
    return [a.kind for a in follow_ups("E0001", spells, sick_periods(spells, relapse_days=5),
                                       on, RULES)]


def test_six_occasions_within_365_days_raise_the_alert_and_five_do_not() -> None:
    first, on = d(2026, 1, 10), d(2027, 1, 9)  # 365 days inclusive (2026 is no leap year)
    absences = six_occasions(first, on)

    assert twelve_months_to(on) == Period(first, on + dt.timedelta(days=1))
    assert alerts_on(on, absences) == [AlertKind.REPEATED]
    assert alerts_on(on, absences[1:]) == []  # five occasions
    assert alerts_on(on + dt.timedelta(days=1), absences) == []  # the first has dropped out


def test_the_repeated_absence_alert_names_the_count_and_the_latest_occasion() -> None:
    absences = six_occasions(d(2026, 2, 1), d(2026, 9, 1))
    spells = sick_spells(absences)["E0001"]

    (alert,) = follow_ups("E0001", spells, sick_periods(spells, relapse_days=5),
                          d(2026, 10, 1), RULES)

    assert alert.since == d(2026, 9, 1)
    assert "6 sjuktillfällen" in alert.message and "2026-09-01" in alert.message
    assert len(occasions_within(spells, twelve_months_to(d(2026, 10, 1)))) == 6


def test_a_spell_of_fourteen_days_in_a_row_raises_the_long_spell_alert_on_day_fourteen(
) -> None:
    absences = [sick(d(2026, 3, 1), 20)]

    assert alerts_on(d(2026, 3, 13), absences) == []  # day 13
    assert alerts_on(d(2026, 3, 14), absences) == [AlertKind.LONG_SPELL]
    assert alerts_on(d(2026, 3, 21), absences) == []  # back at work


# --- milestones and the return-to-work plan ---------------------------------------------
def test_a_long_period_has_its_certificate_fk_and_return_plan_dates() -> None:
    (period,) = periods(sick(d(2026, 3, 1), 90))

    marks = milestones(period, RULES)

    assert marks.certificate_from == d(2026, 3, 8)  # day 8
    assert marks.last_sick_pay_day == d(2026, 3, 14)  # day 14
    assert marks.fk_from == d(2026, 3, 15)  # day 15
    assert marks.return_plan_due == d(2026, 3, 30)  # day 30


def test_the_return_plan_is_only_due_when_sixty_days_are_expected() -> None:
    (fifty_nine,) = periods(sick(d(2026, 3, 1), 59))
    (sixty,) = periods(sick(d(2026, 3, 1), 60))

    assert milestones(fifty_nine, RULES).return_plan_due is None
    assert milestones(sixty, RULES).return_plan_due == d(2026, 3, 30)


def test_relapse_days_count_towards_day_thirty() -> None:
    # 10 days, 3 days back at work, then 55 more days: one period of 65 sick days
    (period,) = periods(sick(d(2026, 3, 1), 10), sick(d(2026, 3, 14), 55))

    assert period.sick_days == 65
    assert milestones(period, RULES).return_plan_due == d(2026, 4, 2)  # 10 + 20th day


def test_an_ongoing_long_period_gets_a_return_plan_alert_marked_late_after_day_thirty(
) -> None:
    spells = sick_spells([sick(d(2026, 3, 1), 120)])["E0001"]
    found = sick_periods(spells, relapse_days=5)

    before = follow_ups("E0001", spells, found, d(2026, 3, 20), RULES)
    after = follow_ups("E0001", spells, found, d(2026, 4, 10), RULES)

    plan = [a for a in before if a.kind is AlertKind.RETURN_PLAN]
    assert plan[0].due == d(2026, 3, 30) and "senast 2026-03-30" in plan[0].message
    assert any(a.kind is AlertKind.RETURN_PLAN and "försenad" in a.message for a in after)


# --- sjuklön and karensavdrag -------------------------------------------------------------
# A full-timer with 30 000 kr a month on a 40-hour week: timlön = 30 000 × 12 / (52 × 40)
# = 173.0769… → 173,08 kr (Employee.hourly_rate rounds to öre). An average week's pay is
# 173,08 × 40 = 6 923,20 kr, its sjuklön 80 % = 5 538,56 kr, and the karensavdrag 20 % of
# that = 1 107,712 → 1 107,71 kr. A calendar day's sjuklön is 5 538,56 / 7 = 791,222…
# → 791,22 kr.
RATE = Money.kronor("173,08")
WEEK = 2400


def test_karensavdrag_is_a_fifth_of_an_average_weeks_sick_pay() -> None:
    (period,) = periods(sick(d(2026, 3, 2), 3))

    pay = sick_pay(period, minutes_per_week=WEEK, hourly_rate=RATE, rules=RULES,
                   karens_due=True)

    assert pay.weekly_sick_pay == Money.kronor("5538,56")
    assert pay.karens == Money.kronor("1107,71")
    assert [day.amount for day in pay.days] == [Money.kronor("791,22")] * 3
    assert pay.gross == Money.kronor("2373,66")
    assert pay.net == Money.kronor("1265,95")


def test_sick_pay_stops_after_day_fourteen_and_follows_the_extent() -> None:
    (period,) = periods(sick(d(2026, 3, 2), 20, extent=50))

    pay = sick_pay(period, minutes_per_week=WEEK, hourly_rate=RATE, rules=RULES,
                   karens_due=False)

    assert len(pay.days) == 14
    assert {day.amount for day in pay.days} == {Money.kronor("395,61")}  # 791,222 / 2
    assert pay.karens == Money(0)
    march_first_week = Period(d(2026, 3, 2), d(2026, 3, 9))
    assert pay.gross_within(march_first_week) == Money.kronor("395,61").times(7)


def test_the_karensavdrag_never_exceeds_the_periods_sick_pay() -> None:
    (period,) = periods(sick(d(2026, 3, 2), 1))

    pay = sick_pay(period, minutes_per_week=WEEK, hourly_rate=RATE, rules=RULES,
                   karens_due=True)

    assert pay.karens == pay.gross == Money.kronor("791,22")
    assert pay.net == Money(0)


def test_no_karensavdrag_after_ten_in_twelve_months() -> None:
    starts = [d(2026, 1, 5) + dt.timedelta(weeks=3 * n) for n in range(12)]
    found = periods(*(sick(start, 1) for start in starts))

    due = karens_due(found, RULES)

    assert due == [True] * 10 + [False, False]
    # a year after the first, the window has room again
    later = periods(*(sick(start, 1) for start in [*starts, d(2027, 1, 20)]))
    assert karens_due(later, RULES)[-1] is True


@pytest.mark.parametrize("relapse_after", [1, 5])
def test_a_relapse_makes_no_new_karensavdrag(relapse_after: int) -> None:
    first = sick(d(2026, 3, 2), 2)
    again = sick(d(2026, 3, 3) + dt.timedelta(days=relapse_after), 2)

    (period,) = periods(first, again)

    assert karens_due([period], RULES) == [True]
    pay = sick_pay(period, minutes_per_week=WEEK, hourly_rate=RATE, rules=RULES,
                   karens_due=True)
    assert len(pay.days) == 4 and pay.karens == Money.kronor("1107,71")
