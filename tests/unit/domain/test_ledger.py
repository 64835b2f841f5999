"""Hand-worked examples of the hour ledger: every figure below is computed by hand from the
rules in domain-rules.md §1.4–1.9, not by running the code."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from insats.domain.common import Period
from insats.domain.decisions import DecidedBy, Decision, LegalBasis, Payer
from insats.domain.eligibility import StayRules, Work, assistant_excess, day_parts
from insats.domain.ledger import (
    OUTCOMES,
    ClientContext,
    DailyTotals,
    Figure,
    ItemSink,
    LedgerFigures,
    LedgerRules,
    Scheduled,
    book_client,
    ore_of,
)
from insats.domain.settlement import grant_spans, report_deadline, settlement_periods
from insats.domain.stays import ClientStay, StayKind
from tests.builders import a_decision, stockholm

RATE = 34050  # öre per hour
RULES = LedgerRules(stay=StayRules(hospital_short_stay_days=28), report_deadline_day=5,
                    rate_per_hour=lambda span, day: RATE, fallback_cost_per_hour=30000)
HORIZON = (dt.date(2026, 1, 1), dt.date(2027, 1, 1))


def work(id: str, start: dt.datetime, hours: float, **overrides: Any) -> Work:
    end = start + dt.timedelta(hours=hours)
    values: dict[str, Any] = {
        "id": id, "employee_id": "E1", "client_id": "C0001",
        "start": start.astimezone(dt.UTC), "end": end.astimezone(dt.UTC),
        "minutes": round(hours * 60), "is_double": False, "attested": True,
        "reported_on": (start + dt.timedelta(days=1)).date(), "at_hospital": False,
        "planned_shift_id": None,
    }
    return Work(**{**values, **overrides})


def ledger(decisions: Sequence[Decision], works: Sequence[Work], *,
           stays: Sequence[ClientStay] = (), shifts: Sequence[Scheduled] = (),
           excess: dict[str, int] | None = None, outside_eea: frozenset[str] = frozenset(),
           reported_through: dt.date = dt.date(2027, 1, 1)) -> DailyTotals:
    totals = DailyTotals()
    context = ClientContext("C0001", grant_spans(decisions, HORIZON[1]), stays,
                            frozenset({"P01"}), excess or {}, {"E1": 24000}, outside_eea)
    book_client(context, RULES, totals, horizon=HORIZON, shifts=shifts, works=works,
                reported_through=reported_through)
    return totals


def month(totals: DailyTotals, year: int, number: int) -> LedgerFigures:
    period = Period.month(year, number)
    assert period.end is not None
    return totals.window(period.start, period.end)


def test_a_week_across_a_month_boundary_splits_by_day() -> None:
    # 70 h/week = 600 min/day from 1 Jan. ISO week 5 2026 is Mon 26 Jan – Sun 1 Feb.
    decision = a_decision(granted_minutes_per_week=70 * 60)
    night = work("T1", stockholm(2026, 1, 31, 22), 8)  # 22–06: 120 min in Jan, 360 in Feb
    totals = ledger([decision], [night])
    week = totals.window(dt.date(2026, 1, 26), dt.date(2026, 2, 2))
    january_part = totals.window(dt.date(2026, 1, 26), dt.date(2026, 2, 1))
    february_part = totals.window(dt.date(2026, 2, 1), dt.date(2026, 2, 2))
    assert week.minutes(Figure.GRANTED) == 4200
    assert january_part.minutes(Figure.GRANTED) == 3600  # 6 days
    assert february_part.minutes(Figure.GRANTED) == 600
    assert january_part.minutes(Figure.PERFORMED) == 120
    assert february_part.minutes(Figure.PERFORMED) == 360
    assert month(totals, 2026, 1).minutes(Figure.BILLABLE) == 120
    assert month(totals, 2026, 2).minutes(Figure.BILLABLE) == 360
    # 480 min × 340.50 kr/h = 2 724 kr
    assert week.ore(Figure.BILLABLE) == 272400


def test_day_parts_share_the_break_by_length() -> None:
    start = stockholm(2026, 3, 1, 20).astimezone(dt.UTC)
    parts = day_parts(start, start + dt.timedelta(hours=12), 660)  # 12 h less a 60 min break
    assert [(p.day.day, p.minutes) for p in parts] == [(1, 220), (2, 440)]


def test_a_settlement_period_with_uneven_months_nets_use_against_the_total() -> None:
    # 1 000 h for 1 Jan – 30 Jun 2026 (181 days): spread by day with a cumulative floor.
    decision = a_decision(granted_minutes_per_week=None, granted_minutes_total=60000,
                          period=Period(dt.date(2026, 1, 1), dt.date(2026, 7, 1)))
    spans = grant_spans([decision], HORIZON[1])
    (period,) = settlement_periods(spans[0])
    assert period.granted == 60000
    assert spans[0].granted_between(dt.date(2026, 1, 1), dt.date(2026, 2, 1)) == 10276
    assert spans[0].granted_between(dt.date(2026, 2, 1), dt.date(2026, 3, 1)) == 9282
    # January uses 200 h, more than its share (171 h 16 min): still billable within the
    # period; June pushes the period to 1 010 h: the last 10 h are beyond the grant.
    works = [work(f"J{i}", stockholm(2026, 1, 1 + i, 8), 10) for i in range(20)]
    works += [work(f"F{i}", stockholm(2026, 2, 1 + i, 8), 10) for i in range(27)]
    works += [work(f"M{i}", stockholm(2026, 3, 1 + i, 8), 10) for i in range(27)]
    works += [work(f"A{i}", stockholm(2026, 4, 1 + i, 8), 10) for i in range(9)]
    works += [work(f"Y{i}", stockholm(2026, 5, 1 + i, 8), 10) for i in range(9)]
    works += [work(f"U{i}", stockholm(2026, 6, 1 + i, 8), 10) for i in range(9)]
    assert sum(w.minutes for w in works) == 101 * 600  # 1 010 h
    totals = ledger([decision], works)
    assert month(totals, 2026, 1).minutes(Figure.BILLABLE) == 12000
    assert month(totals, 2026, 1).minutes(Figure.BEYOND) == 0
    whole = totals.window(dt.date(2026, 1, 1), dt.date(2026, 7, 1))
    assert whole.minutes(Figure.BILLABLE) == 60000
    assert whole.minutes(Figure.BEYOND) == 600
    assert month(totals, 2026, 6).minutes(Figure.BEYOND) == 600
    # beyond the grant is a cost without revenue: 10 h × 240 kr/h (the assistant's cost)
    assert whole.ore(Figure.BEYOND) == 240000
    items = ItemSink()
    context = ClientContext("C0001", spans, (), frozenset({"P01"}))
    book_client(context, RULES, items, horizon=HORIZON, shifts=(), works=works,
                reported_through=HORIZON[1])
    beyond = [i for i in items.items if i.figure is Figure.BEYOND]
    assert [i.source_id for i in beyond] == ["U8"]  # the last stretch, drilled down


def test_a_weekly_grant_is_settled_in_six_month_periods() -> None:
    decision = a_decision(period=Period(dt.date(2026, 2, 15), None))
    (span,) = grant_spans([decision], dt.date(2027, 6, 1))
    periods = settlement_periods(span)
    assert [(p.start, p.end) for p in periods] == [
        (dt.date(2026, 2, 15), dt.date(2026, 8, 15)),
        (dt.date(2026, 8, 15), dt.date(2027, 2, 15)),
        (dt.date(2027, 2, 15), dt.date(2027, 6, 1)),
    ]
    assert periods[0].final_settlement_by == dt.date(2026, 10, 15)


def test_a_hospital_stay_without_special_reasons_is_not_payable() -> None:
    stay = ClientStay("V1", "C0001", StayKind.HOSPITAL, stockholm(2026, 3, 10, 12),
                      stockholm(2026, 3, 12, 12))
    shift = work("T1", stockholm(2026, 3, 10, 8), 8)  # 08–16: four hours in hospital
    totals = ledger([a_decision()], [shift], stays=[stay])
    march = month(totals, 2026, 3)
    assert march.minutes(Figure.NOT_PAYABLE_HOSPITAL) == 240
    assert march.minutes(Figure.BILLABLE) == 240
    assert march.ore(Figure.NOT_PAYABLE_HOSPITAL) == 136200  # 4 h × 340.50 kr lost


def test_special_reasons_cover_a_hospital_stay_for_four_weeks() -> None:
    stay = ClientStay("V1", "C0001", StayKind.HOSPITAL, stockholm(2026, 3, 1, 12),
                      stockholm(2026, 4, 15, 12), special_reasons=True)
    inside = work("T1", stockholm(2026, 3, 20, 8), 8)
    after = work("T2", stockholm(2026, 4, 1, 8), 8)  # past 29 March 12:00
    flagged = work("T3", stockholm(2026, 5, 2, 8), 8, at_hospital=True)  # no stay with skäl
    totals = ledger([a_decision()], [inside, after, flagged], stays=[stay])
    assert month(totals, 2026, 3).minutes(Figure.BILLABLE) == 480
    assert month(totals, 2026, 4).minutes(Figure.NOT_PAYABLE_HOSPITAL) == 480
    assert month(totals, 2026, 5).minutes(Figure.NOT_PAYABLE_HOSPITAL) == 480


def test_korttidsvistelse_the_same_day_needs_a_reason() -> None:
    stay = ClientStay("V1", "C0001", StayKind.SHORT_TERM_STAY, stockholm(2026, 3, 6, 16),
                      stockholm(2026, 3, 8, 16))
    with_reason = ClientStay("V2", "C0001", StayKind.SHORT_TERM_STAY,
                             stockholm(2026, 3, 20, 16), stockholm(2026, 3, 22, 16),
                             reason="Behov av egen assistent nattetid")
    morning = work("T1", stockholm(2026, 3, 6, 7), 6)  # same day as the stay starts
    other_day = work("T2", stockholm(2026, 3, 9, 7), 6)
    covered = work("T3", stockholm(2026, 3, 21, 7), 6)
    totals = ledger([a_decision()], [morning, other_day, covered], stays=[stay, with_reason])
    march = month(totals, 2026, 3)
    assert march.minutes(Figure.NOT_PAYABLE_SHORT_STAY) == 360
    assert march.minutes(Figure.BILLABLE) == 720


def test_a_late_report_is_not_payable() -> None:
    # March's report is due 5 May.
    assert report_deadline(dt.date(2026, 3, 17), 5) == dt.date(2026, 5, 5)
    on_time = work("T1", stockholm(2026, 3, 2, 8), 8, reported_on=dt.date(2026, 5, 5))
    late = work("T2", stockholm(2026, 3, 3, 8), 8, reported_on=dt.date(2026, 5, 6))
    totals = ledger([a_decision()], [on_time, late])
    assert month(totals, 2026, 3).minutes(Figure.NOT_PAYABLE_LATE) == 480
    assert month(totals, 2026, 3).minutes(Figure.BILLABLE) == 480


def test_an_assistant_above_48_hours_across_two_clients() -> None:
    # February 2026 has 28 days: the limit is 48 × 4 = 192 h = 11 520 min.
    first = [work(f"A{i}", stockholm(2026, 2, 1 + i, 8), 12, client_id="C0001")
             for i in range(8)]
    second = [work(f"B{i}", stockholm(2026, 2, 10 + i, 8), 12, client_id="C0002")
              for i in range(8)]
    extra = work("B9", stockholm(2026, 2, 27, 8), 8, client_id="C0002")
    other_employee = work("Z1", stockholm(2026, 2, 27, 8), 8, employee_id="E2")
    excess = assistant_excess([*first, *second, extra, other_employee], 2880)
    assert excess == {"B9": 480}
    # booked on the second client, the stretch that went over is not payable
    totals = ledger([a_decision(client_id="C0002")], [*second, extra], excess=excess)
    february = month(totals, 2026, 2)
    assert february.minutes(Figure.NOT_PAYABLE_OVER_LIMIT) == 480
    assert february.minutes(Figure.BILLABLE) == 8 * 720


def test_double_assistance_uses_its_own_allotment_then_the_ordinary_grant() -> None:
    # 10 h/week ordinary and 2 h/week double: in one week 3 h of double assistance.
    decision = a_decision(granted_minutes_per_week=600, double_assistance_minutes_per_week=120)
    ordinary = work("T1", stockholm(2026, 3, 2, 8), 3)
    double = work("T2", stockholm(2026, 3, 2, 8), 3, is_double=True, employee_id="E2")
    totals = ledger([decision], [ordinary, double])
    week = totals.window(dt.date(2026, 3, 2), dt.date(2026, 3, 9))
    assert week.minutes(Figure.PERFORMED) == 180
    assert week.minutes(Figure.PERFORMED_DOUBLE) == 180
    # the period's double allotment is ample, so all 3 h go to it
    assert week.minutes(Figure.BILLABLE_DOUBLE) == 180
    assert week.minutes(Figure.BILLABLE) == 360
    tight = a_decision(granted_minutes_per_week=600, double_assistance_minutes_per_week=120,
                       period=Period(dt.date(2026, 3, 2), dt.date(2026, 3, 9)))
    totals = ledger([tight], [ordinary, double])
    week = totals.window(dt.date(2026, 3, 2), dt.date(2026, 3, 9))
    assert week.minutes(Figure.GRANTED_DOUBLE) == 120
    assert week.minutes(Figure.BILLABLE_DOUBLE) == 120  # 2 h from the allotment
    assert week.minutes(Figure.BILLABLE) == 360  # the third hour from the ordinary grant


def test_an_lss_case_that_becomes_sfb_retroactively() -> None:
    lss = a_decision(id="L1", legal_basis=LegalBasis.LSS, decided_by=DecidedBy.MUNICIPALITY,
                     payer=Payer.MUNICIPALITY, decided_on=dt.date(2025, 12, 1))
    sfb = a_decision(id="S1", period=Period(dt.date(2026, 3, 1), None),
                     decided_on=dt.date(2026, 6, 15), replaces_decision_id="L1")
    february = work("T1", stockholm(2026, 2, 2, 8), 8)
    april = work("T2", stockholm(2026, 4, 6, 8), 8)
    totals = ledger([lss, sfb], [february, april])
    assert month(totals, 2026, 2).minutes(Figure.MUNICIPAL) == 480
    assert month(totals, 2026, 2).ore(Figure.BILLABLE) == 0
    assert month(totals, 2026, 4).minutes(Figure.BILLABLE) == 480


def test_unreported_shifts_are_revenue_at_risk() -> None:
    from tests.builders import a_shift

    reported = a_shift(id="S1", employee_id="E1", start=stockholm(2026, 3, 2, 7),
                       end=stockholm(2026, 3, 2, 15))
    missing = a_shift(id="S2", employee_id="E1", start=stockholm(2026, 3, 3, 7),
                      end=stockholm(2026, 3, 3, 15))
    matched_by_time = a_shift(id="S3", employee_id="E1", start=stockholm(2026, 3, 4, 7),
                              end=stockholm(2026, 3, 4, 15))
    works = [work("T1", stockholm(2026, 3, 2, 7), 8, planned_shift_id="S1"),
             work("T3", stockholm(2026, 3, 4, 7), 8)]
    shifts = [Scheduled.of(s, "C0001") for s in (reported, missing, matched_by_time)]
    totals = ledger([a_decision()], works, shifts=shifts,
                    reported_through=dt.date(2026, 4, 1))
    march = month(totals, 2026, 3)
    assert march.minutes(Figure.SCHEDULED) == 3 * 480
    assert march.minutes(Figure.UNREPORTED) == 480
    assert march.ore(Figure.UNREPORTED) == 272400


def test_every_performed_minute_has_exactly_one_outcome() -> None:
    stay = ClientStay("V1", "C0001", StayKind.HOSPITAL, stockholm(2026, 3, 10, 12),
                      stockholm(2026, 3, 12, 12))
    works = [work(f"T{i}", stockholm(2026, 3, 1 + i, 20), 11) for i in range(25)]
    short = a_decision(granted_minutes_per_week=1200,
                       period=Period(dt.date(2026, 3, 1), dt.date(2026, 4, 1)))
    totals = ledger([short], works, stays=[stay])
    whole = totals.window(*HORIZON)
    assert sum(whole.minutes(f) for f in OUTCOMES) == whole.minutes(Figure.PERFORMED)
    assert whole.minutes(Figure.BEYOND) > 0 and whole.minutes(Figure.NOT_PAYABLE_HOSPITAL) > 0
    assert ore_of(59) == 1 and ore_of(29) == 0


def test_gruppbostad_and_the_age_limit_are_conflicts() -> None:
    import datetime as _dt

    from insats.domain.decisions import client_decision_conflicts
    from insats.domain.personnummer import make_identity
    from tests.builders import a_client

    def limit(day: _dt.date) -> int:
        return 66 if day < _dt.date(2026, 1, 1) else 67

    resident = a_client(lives_in_group_home=True)
    lss = a_decision(id="L", legal_basis=LegalBasis.LSS, decided_by=DecidedBy.MUNICIPALITY,
                     payer=Payer.MUNICIPALITY)
    codes = [c for _, c, _ in client_decision_conflicts(resident, [a_decision(), lss],
                                                        age_limit_years=limit)]
    assert codes == ["decision.group_home"]  # SFB only; municipal PA outside is allowed
    older = a_client(identity=make_identity(_dt.date(1959, 3, 1), 123))  # 67 on 2026-03-01
    first = a_decision(id="A", decided_on=_dt.date(2025, 12, 1))  # 66: at 2025's limit
    more = a_decision(id="B", replaces_decision_id="A", granted_minutes_per_week=4000,  # extra
                      decided_on=_dt.date(2026, 3, 2))
    same = a_decision(id="C", replaces_decision_id="A", granted_minutes_per_week=3600,
                      decided_on=_dt.date(2026, 3, 2))
    found = client_decision_conflicts(older, [first, more, same], age_limit_years=limit)
    assert [(c, m.split(":")[0]) for _, c, m in found] == [
        ("decision.age_limit", "Beslut A"), ("decision.age_limit", "Beslut B")]


def test_an_assistant_living_outside_the_eea_without_special_reasons() -> None:
    own = work("T1", stockholm(2026, 3, 2, 8), 8)
    abroad = work("T2", stockholm(2026, 3, 3, 8), 8, employee_id="E9")
    totals = ledger([a_decision()], [own, abroad], outside_eea=frozenset({"E9"}))
    march = month(totals, 2026, 3)
    assert march.minutes(Figure.NOT_PAYABLE_OUTSIDE_EEA) == 480
    assert march.ore(Figure.NOT_PAYABLE_OUTSIDE_EEA) == 272400  # 8 h × 340,50 kr lost
    assert march.minutes(Figure.BILLABLE) == 480
