"""Double decisions worked out by hand: the days two decisions share, the days and hours of
a korttidsvistelse (across the change to summer time), and the assistance performed on
the stay's days, inside its hours, and without a reason."""

from __future__ import annotations

import datetime as dt

from insats.domain.common import Period
from insats.domain.decisions import DecidedBy, Decision, Insats, LegalBasis, Payer
from insats.domain.double_decisions import (
    CONFLICT_RULES,
    PA_WITH_COMPANION,
    PA_WITH_SHORT_STAY,
    Severity,
    assistance_during_stays,
    decision_overlaps,
    stay_days,
    stay_minutes,
)
from insats.domain.eligibility import StayRules, Work
from insats.domain.stays import ClientStay, StayKind
from tests.builders import a_decision, stockholm

SPRING = Period(dt.date(2026, 3, 1), dt.date(2026, 6, 1))
RULES = StayRules(hospital_short_stay_days=28)


def lss(insats: Insats, **overrides: object) -> Decision:
    weekly = 300 if insats is Insats.COMPANION_SERVICE else None
    return a_decision(**{"legal_basis": LegalBasis.LSS, "insats": insats,
                         "decided_by": DecidedBy.MUNICIPALITY, "payer": Payer.MUNICIPALITY,
                         "granted_minutes_per_week": weekly, **overrides})


def a_stay(reason: str = "", **overrides: object) -> ClientStay:
    values: dict[str, object] = {
        "id": "V1", "client_id": "C0001", "kind": StayKind.SHORT_TERM_STAY,
        "start": stockholm(2026, 3, 6, 15), "end": stockholm(2026, 3, 8, 15), "reason": reason,
    }
    return ClientStay(**{**values, **overrides})  # type: ignore[arg-type]


def work(id: str, start: dt.datetime, end: dt.datetime, employee: str = "E1") -> Work:
    minutes = int((end - start).total_seconds() // 60)
    return Work(id, employee, "C0001", start.astimezone(dt.UTC), end.astimezone(dt.UTC),
                minutes, False, True, None, False, None)


def test_the_rules_are_data_with_their_source() -> None:
    assert PA_WITH_COMPANION.severity is Severity.ERROR
    assert "HFD 2011 ref 62" in PA_WITH_COMPANION.source
    assert PA_WITH_SHORT_STAY.severity is Severity.WARNING
    assert "17-18" in PA_WITH_SHORT_STAY.source
    assert {r.second for r in CONFLICT_RULES} == {Insats.COMPANION_SERVICE,
                                                  Insats.SHORT_TERM_STAY}


def test_days_two_decisions_share_within_the_period() -> None:
    pa = a_decision(id="PA", period=Period(dt.date(2026, 1, 1)))
    ktv = lss(Insats.SHORT_TERM_STAY, id="KTV", period=Period(dt.date(2026, 3, 15),
                                                               dt.date(2026, 9, 1)))
    companion = lss(Insats.COMPANION_SERVICE, id="LS", period=Period(dt.date(2026, 5, 1)))
    other_companion = lss(Insats.COMPANION_SERVICE, id="LS2", client_id="C0002",
                          period=Period(dt.date(2026, 1, 1)))
    old_pa = a_decision(id="PA0", period=Period(dt.date(2020, 1, 1), dt.date(2025, 1, 1)))
    found = decision_overlaps([companion, ktv, pa, other_companion, old_pa], SPRING)
    assert [(o.rule, o.first.id, o.second.id, o.overlap, o.days) for o in found] == [
        # 15 March to 31 May: 17 + 30 + 31 days
        (PA_WITH_COMPANION, "PA", "LS", Period(dt.date(2026, 5, 1), dt.date(2026, 6, 1)), 31),
        (PA_WITH_SHORT_STAY, "PA", "KTV", Period(dt.date(2026, 3, 15), dt.date(2026, 6, 1)), 78),
    ]
    assert decision_overlaps([pa, ktv], Period(dt.date(2026, 9, 1), dt.date(2026, 10, 1))) == []


def test_days_and_hours_of_a_stay() -> None:
    weekend = a_stay()
    assert stay_days(weekend, SPRING) == [dt.date(2026, 3, 6), dt.date(2026, 3, 7),
                                          dt.date(2026, 3, 8)]
    assert stay_minutes(weekend, SPRING) == 48 * 60
    from_saturday = Period(dt.date(2026, 3, 7), dt.date(2026, 4, 1))
    assert stay_days(weekend, from_saturday) == [dt.date(2026, 3, 7), dt.date(2026, 3, 8)]
    assert stay_minutes(weekend, from_saturday) == 39 * 60  # Saturday 00:00 to Sunday 15:00
    # the clocks go forward on Sunday 29 March: Friday 15:00 to Sunday 15:00 is 47 hours
    spring_forward = a_stay(start=stockholm(2026, 3, 27, 15), end=stockholm(2026, 3, 29, 15))
    assert stay_minutes(spring_forward, SPRING) == 47 * 60
    # a stay ending at midnight does not touch the next day
    to_midnight = a_stay(end=stockholm(2026, 3, 8))
    assert stay_days(to_midnight, SPRING)[-1] == dt.date(2026, 3, 7)


def test_assistance_on_the_stay_days_inside_its_hours_and_without_reason() -> None:
    works = [
        work("W1", stockholm(2026, 3, 6, 7), stockholm(2026, 3, 6, 15)),  # Friday before
        work("W2", stockholm(2026, 3, 7, 8), stockholm(2026, 3, 7, 20), "E2"),  # during
        work("W3", stockholm(2026, 3, 8, 22), stockholm(2026, 3, 9, 6)),  # Sunday night
        work("W4", stockholm(2026, 3, 10, 7), stockholm(2026, 3, 10, 15)),  # after
    ]
    stay_dates = stay_days(a_stay(), SPRING)
    (found,) = assistance_during_stays(works, [a_stay()], SPRING, RULES, fk_paid_on=stay_dates)
    # 8 h Friday + 12 h Saturday + 2 h Sunday 22-24 (the rest of the night is Monday)
    assert found.on_stay_days == 22 * 60
    assert found.within_stay == 12 * 60  # only Saturday falls in Friday 15 - Sunday 15
    assert found.not_payable == 22 * 60  # no reason: the whole days, as the ledger books
    assert found.entry_ids == ("W1", "W2", "W3")
    assert found.minutes_by_employee == (("E1", 10 * 60), ("E2", 12 * 60))

    (explained,) = assistance_during_stays(works, [a_stay("Behov av egen assistent")],
                                           SPRING, RULES, fk_paid_on=stay_dates)
    assert (explained.on_stay_days, explained.not_payable) == (22 * 60, 0)
    (municipal,) = assistance_during_stays(works, [a_stay()], SPRING, RULES)
    assert (municipal.on_stay_days, municipal.not_payable) == (22 * 60, 0)  # FK pays none


def test_stays_of_other_kinds_and_outside_the_period_are_left_out() -> None:
    hospital = a_stay(id="V2", kind=StayKind.HOSPITAL)
    before = a_stay(id="V3", start=stockholm(2026, 2, 6, 15), end=stockholm(2026, 2, 8, 15))
    works = [work("W1", stockholm(2026, 3, 7, 8), stockholm(2026, 3, 7, 20))]
    assert assistance_during_stays(works, [hospital, before], SPRING, RULES) == []
    (empty,) = assistance_during_stays([], [a_stay()], SPRING, RULES)
    assert (empty.on_stay_days, empty.entry_ids) == (0, ())
