"""Properties of the hour ledger over random decisions, stays and time."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from insats.domain.common import Period
from insats.domain.eligibility import StayRules, Work, assistant_excess
from insats.domain.ledger import (
    FIGURES,
    OUTCOMES,
    ClientContext,
    DailyTotals,
    Figure,
    LedgerRules,
    book_client,
)
from insats.domain.settlement import grant_spans, settlement_periods
from insats.domain.stays import ClientStay, StayKind
from tests.builders import a_decision, stockholm

START, END = dt.date(2026, 1, 1), dt.date(2026, 10, 1)
RULES = LedgerRules(stay=StayRules(28), report_deadline_day=5,
                    rate_per_hour=lambda span, day: 34050 + day.month,
                    fallback_cost_per_hour=30000)


@st.composite
def worlds(draw: st.DrawFn) -> tuple[list, list[Work], list[ClientStay]]:  # type: ignore[type-arg]
    weekly = draw(st.integers(min_value=60, max_value=60 * 80))
    double = draw(st.sampled_from([0, 0, 120, 600]))
    first = START + dt.timedelta(days=draw(st.integers(0, 60)))
    decisions = [a_decision(id="D1", granted_minutes_per_week=weekly,
                            double_assistance_minutes_per_week=double,
                            period=Period(first, first + dt.timedelta(
                                days=draw(st.integers(30, 240)))))]
    if draw(st.booleans()):
        later = decisions[0].period.end
        assert later is not None
        decisions.append(a_decision(id="D2", granted_minutes_per_week=None,
                                    granted_minutes_total=draw(st.integers(600, 60000)),
                                    period=Period(later, later + dt.timedelta(days=90))))
    works: list[Work] = []
    for index in range(draw(st.integers(0, 60))):
        day = START + dt.timedelta(days=draw(st.integers(0, (END - START).days - 2)))
        start = stockholm(day.year, day.month, day.day, draw(st.integers(0, 23)))
        hours = draw(st.integers(1, 16))
        late = draw(st.integers(0, 10)) == 0
        works.append(Work(
            f"T{index:03d}", draw(st.sampled_from(["E1", "E2"])), "C0001",
            start.astimezone(dt.UTC), (start + dt.timedelta(hours=hours)).astimezone(dt.UTC),
            hours * 60 - draw(st.sampled_from([0, 0, 30])), draw(st.booleans()),
            draw(st.booleans()), day + dt.timedelta(days=90 if late else 2),
            draw(st.integers(0, 20)) == 0, None))
    stays: list[ClientStay] = []
    for index in range(draw(st.integers(0, 3))):
        day = START + dt.timedelta(days=draw(st.integers(0, 250)))
        begin = stockholm(day.year, day.month, day.day, draw(st.integers(0, 23)))
        stays.append(ClientStay(
            f"V{index}", "C0001", draw(st.sampled_from(list(StayKind))), begin,
            begin + dt.timedelta(hours=draw(st.integers(2, 24 * 40))),
            special_reasons=draw(st.booleans()), reason=draw(st.sampled_from(["", "skäl"]))))
    return decisions, works, stays


def _book(decisions: list, works: list[Work], stays: list[ClientStay]) -> DailyTotals:  # type: ignore[type-arg]
    totals = DailyTotals()
    context = ClientContext("C0001", grant_spans(decisions, END), stays, frozenset({"P01"}),
                            assistant_excess(works, 2880), {"E1": 25000})
    book_client(context, RULES, totals, horizon=(START, END), shifts=(), works=works,
                reported_through=END)
    return totals


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds())
def test_every_performed_minute_ends_in_exactly_one_outcome(world) -> None:  # type: ignore[no-untyped-def]
    totals = _book(*world)
    whole = totals.window(START, END + dt.timedelta(days=2))
    performed = whole.minutes(Figure.PERFORMED) + whole.minutes(Figure.PERFORMED_DOUBLE)
    assert sum(whole.minutes(f) for f in OUTCOMES) == performed
    assert whole.minutes(Figure.ATTESTED) <= performed
    assert whole.minutes(Figure.BILLABLE_DOUBLE) <= whole.minutes(Figure.BILLABLE)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds())
def test_billable_never_exceeds_the_grant_of_a_settlement_period(world) -> None:  # type: ignore[no-untyped-def]
    decisions, works, stays = world
    totals = _book(decisions, works, stays)
    for span in grant_spans(decisions, END):
        for period in settlement_periods(span):
            figures = totals.window(period.start, period.end)
            assert figures.minutes(Figure.BILLABLE) <= period.granted + period.granted_double
            booked_until = min(period.end, END)  # grants are booked inside the horizon
            assert figures.minutes(Figure.GRANTED) == span.granted_between(period.start,
                                                                           booked_until)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds())
def test_weeks_months_and_the_whole_agree(world) -> None:  # type: ignore[no-untyped-def]
    totals = _book(*world)
    first_monday = START - dt.timedelta(days=START.weekday())
    week_starts = [first_monday + dt.timedelta(days=7 * i) for i in range(45)]
    month_starts = [dt.date(2026, m, 1) for m in range(1, 13)] + [dt.date(2027, 1, 1)]
    end = dt.date(2027, 1, 4)
    weeks = totals.windows(week_starts, end)
    months = totals.windows([first_monday, *month_starts], end)
    whole = totals.window(first_monday, end)
    for figure in FIGURES:
        assert sum(w.minutes(figure) for w in weeks) == whole.minutes(figure)
        assert sum(m.minutes(figure) for m in months) == whole.minutes(figure)
        exact = sum(w.values_by_index[FIGURES.index(figure)] for w in weeks)
        assert exact == whole.values_by_index[FIGURES.index(figure)]
