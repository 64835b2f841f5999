"""Absence cover ranking: the order of the kinds, hand-computed costs, and that nobody who
is absent or would break a working-time rule is ever proposed."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from insats.domain.common import DomainError, Money, Period
from insats.domain.cover import (
    Candidate,
    CoverKind,
    CoverReason,
    breaches_with,
    parse_reason,
    rank_cover,
)
from insats.domain.ob_calendar import PayCalendar
from insats.domain.rules import RuleBook
from insats.domain.rules.parameters import bundled_parameters
from insats.domain.scheduling import PlannedShift, ShiftStatus
from insats.domain.staff import Agreement, Position
from insats.domain.working_time import (
    AverageLimit,
    Limit,
    WorkingTimeRules,
    WorkInterval,
    check_working_time,
)
from tests.builders import an_absence, an_employee, an_hourly_substitute, stockholm

BOOK = RuleBook(bundled_parameters())
CALENDAR = PayCalendar(BOOK)
RULES = WorkingTimeRules(
    shift_max=Limit(13 * 60, "13 h"), daily_rest_min=Limit(11 * 60, "11 h"),
    weekly_rest_min=Limit(36 * 60, "36 h"),
    averages=(AverageLimit(48 * 60, "48 h"),),
)
PO = 400  # pay.social_fee_rate, 40 %

# Monday 2 March 2026 07:00–15:00: weekday daytime, no OB, enkel övertid
SHIFT = PlannedShift("S1", "G1", stockholm(2026, 3, 2, 7), stockholm(2026, 3, 2, 15),
                     employee_id="ABSENT")


def shift(identifier: str, employee: str, day: int, start: int, end: int) -> PlannedShift:
    return PlannedShift(identifier, "G9", stockholm(2026, 3, day, start),
                        stockholm(2026, 3, day, end), employee_id=employee)


def rank(*candidates: Candidate) -> list[tuple[str, CoverKind, int]]:
    proposal = rank_cover(SHIFT, candidates, rules=RULES, calendar=CALENDAR,
                          social_fee_permille=PO, client_id="C1")
    return [(o.employee_id, o.kind, o.cost_ore) for o in proposal.options]


# Candidates, each in another unit than the shift's group (central scheduling)
POOL = an_hourly_substitute(id="POOL", home_unit_id="U02")  # 172,50 kr/h
COLLEAGUE = an_employee(id="COLL", home_unit_id="U03")  # 75 %, 30 h of 40, no shifts
PART_TIMER = an_employee(id="PART", home_unit_id="U04")  # 75 %, 25 h that week
PART_SHIFTS = tuple(shift(f"P{d}", "PART", d, 7, 15) for d in (3, 4, 5))  # 3 × 8 h = 24 h
FULL_TIMER = an_employee(id="FULL", employment_percent=100, monthly_wage=Money.kronor(30_000))
FULL_SHIFTS = tuple(shift(f"F{d}", "FULL", d, 7, 17) for d in (3, 4, 5, 6))  # 4 × 10 h = 40 h


def test_kinds_come_in_the_order_pool_colleague_mertid_overtime_with_their_costs() -> None:
    ranked = rank(Candidate(FULL_TIMER, FULL_SHIFTS), Candidate(PART_TIMER, PART_SHIFTS),
                  Candidate(COLLEAGUE), Candidate(POOL))

    # pool: 172,50 kr × 8 h = 1 380,00 kr, PO 40 % = 552,00 kr
    # colleague: the wage is already paid and there is no OB: 0 kr
    # mertid: timlön 28 500 × 100/75 × 12 / (52 × 40) = 219,23 kr; × 135 % = 295,96 kr/h;
    #   × 8 h = 2 367,68 kr; PO 947,07 kr (94 707,2 öre rounded)
    # overtime: timlön 30 000 × 12 / 2 080 = 173,08 kr; × 180 % = 311,54 kr/h; × 8 h =
    #   2 492,32 kr; PO 996,93 kr
    assert ranked == [
        ("POOL", CoverKind.POOL, 138_000 + 55_200),
        ("COLL", CoverKind.COLLEAGUE, 0),
        ("PART", CoverKind.MERTID, 236_768 + 94_707),
        ("FULL", CoverKind.OVERTIME, 249_232 + 99_693),
    ]


def test_knowing_the_client_moves_a_candidate_first_within_the_kind_only() -> None:
    cheaper = an_hourly_substitute(id="CHEAP", hourly_wage=Money.kronor(160))
    ranked = rank(Candidate(cheaper), Candidate(POOL, knows_client=True),
                  Candidate(COLLEAGUE, knows_client=True))

    assert [r[0] for r in ranked] == ["POOL", "CHEAP", "COLL"]


def test_eight_hours_of_rest_before_the_shift_is_never_proposed() -> None:
    night = shift("N1", "FULL", 1, 15, 23)  # Sunday 15–23: 8 h rest to Monday 07:00
    proposal = rank_cover(SHIFT, [Candidate(FULL_TIMER, (night,))], rules=RULES,
                          calendar=CALENDAR, social_fee_permille=PO, client_id="C1")

    assert proposal.options == ()
    assert [e.employee_id for e in proposal.excluded] == ["FULL"]
    assert "dygnsvila" in proposal.excluded[0].reason


def test_double_booking_and_absence_exclude() -> None:
    busy = shift("B1", "COLL", 2, 12, 20)
    sick = an_absence(employee_id="POOL", period=Period(dt.date(2026, 3, 2),
                                                        dt.date(2026, 3, 3)))
    proposal = rank_cover(SHIFT, [Candidate(COLLEAGUE, (busy,)), Candidate(POOL, (), (sick,))],
                          rules=RULES, calendar=CALENDAR, social_fee_permille=PO)

    assert proposal.options == ()
    reasons = {e.employee_id: e.reason for e in proposal.excluded}
    assert reasons["POOL"] == "Frånvarande (sjukfrånvaro)"
    assert reasons["COLL"].startswith("Dubbelbokad")


def test_the_absent_employee_and_a_relative_carer_of_another_client_are_not_proposed() -> None:
    absent = an_employee(id="ABSENT")
    carer = an_hourly_substitute(id="CARER", in_substitute_pool=False,
                                 position=Position.CARER_RELATIVE,
                                 agreement=Agreement.PAN,
                                 related_client_id="C2")

    proposal = rank_cover(SHIFT, [Candidate(absent), Candidate(carer)], rules=RULES,
                          calendar=CALENDAR, social_fee_permille=PO, client_id="C1")

    assert proposal.options == ()
    assert [e.employee_id for e in proposal.excluded] == ["CARER"]


def test_a_cancelled_shift_needs_no_cover() -> None:
    cancelled = PlannedShift("S2", "G1", SHIFT.start, SHIFT.end, status=ShiftStatus.CANCELLED)
    with pytest.raises(DomainError):
        rank_cover(cancelled, [], rules=RULES, calendar=CALENDAR, social_fee_permille=PO)


def test_reasons_parse_from_swedish_words() -> None:
    assert parse_reason("möte") is CoverReason.MEETING
    assert parse_reason("Utbildning") is CoverReason.TRAINING
    assert parse_reason("vab") is CoverReason.CARE_OF_CHILD
    with pytest.raises(DomainError):
        parse_reason("kaffe")


# Existing shifts: start any hour from Wednesday 25 February to Sunday 8 March, 2–13 h long
_SHIFTS = st.lists(
    st.tuples(st.integers(0, 12 * 24 - 1), st.integers(2, 13)), min_size=0, max_size=12)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_SHIFTS)
def test_no_proposed_candidate_ever_breaks_a_working_time_rule(
        spans: list[tuple[int, int]]) -> None:
    base = stockholm(2026, 2, 25)
    existing = tuple(PlannedShift(f"X{i}", "G9", base + dt.timedelta(hours=h),
                                  base + dt.timedelta(hours=h + length), employee_id="FULL")
                     for i, (h, length) in enumerate(spans))

    proposal = rank_cover(SHIFT, [Candidate(FULL_TIMER, existing)], rules=RULES,
                          calendar=CALENDAR, social_fee_permille=PO)

    intervals = [WorkInterval(s.id, "FULL", s.start, s.end) for s in existing]
    new = WorkInterval("NEW", "FULL", SHIFT.start, SHIFT.end)
    caused = [b for b in check_working_time([*intervals, new], RULES)
              if "NEW" in b.interval_ids]
    if proposal.options:
        assert caused == []
        assert breaches_with("FULL", SHIFT, existing, RULES) == []
    else:
        assert proposal.excluded[0].employee_id == "FULL"
        assert breaches_with("FULL", SHIFT, existing, RULES) != []
