"""Premises: rent placed by booking text, use over a period, give up and share (worked by
hand)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from insats.domain.common import DomainError, Money
from insats.domain.economy import AccountCategory
from insats.domain.premises import (
    Premises,
    PremisesUse,
    assess_premises,
    assign_rent,
    premises_figures,
)
from tests.builders import a_cost_entry, stockholm

MARCH = (dt.date(2026, 3, 2), dt.date(2026, 3, 9))  # Monday to Monday: one week


def a_premises(id: str, *, hours: int = 40, district: str = "Centrum", unit: str = "U01",
               text: str = "Hyra lokal") -> Premises:
    return Premises(id=id, name=f"Lokal {id}", address="Gatan 1", district=district,
                    area_m2=100, rent_unit_id=unit, rent_text=text,
                    available_minutes_per_week=hours * 60, unit_ids=(unit,))


def a_use(premises: str, day: int, start: int, end: int, n: int = 0) -> PremisesUse:
    return PremisesUse(id=f"N{premises}{day}{start}{n}", premises_id=premises, unit_id="U01",
                       start=stockholm(2026, 3, day, start), end=stockholm(2026, 3, day, end))


def rent(ore: int, text: str, unit: str = "U01", category: AccountCategory =
         AccountCategory.PREMISES) -> object:
    return a_cost_entry(id=f"K{ore}{text[:3]}", unit_id=unit, category=category,
                        amount=Money(ore), description=text)


def test_each_booking_goes_to_the_longest_matching_rent_text_of_its_unit() -> None:
    office = a_premises("L1")
    meeting = a_premises("L2", text="Hyra lokal Hemsjö")
    other_unit = a_premises("L3", unit="U02")
    entries = [rent(100_00, "Hyra lokal"), rent(200_00, "Hyra lokal Hemsjö (nyttjas 15 %)"),
               rent(400_00, "hyra lokal", unit="U02"), rent(800_00, "Parkering"),
               rent(1_600_00, "Hyra lokal", category=AccountCategory.OTHER_COST)]
    placed = assign_rent([office, meeting, other_unit], entries)  # type: ignore[arg-type]
    assert placed.by_premises == {"L1": 100_00, "L2": 200_00, "L3": 400_00}
    assert [e.description for e in placed.unplaced] == ["Parkering"]


def test_use_counts_overlapping_uses_once_and_clips_to_the_period() -> None:
    uses = [a_use("L1", 2, 8, 12), a_use("L1", 2, 10, 14, 1),  # 8–14 = 6 h
            a_use("L1", 4, 9, 11),  # 2 h
            PremisesUse(id="X", premises_id="L1", unit_id="U01",  # Sunday 20:00 to Monday
                        start=stockholm(2026, 3, 8, 20), end=stockholm(2026, 3, 9, 4))]
    figures = premises_figures(a_premises("L1"), 1_000_00, uses, *MARCH)
    assert figures.available_minutes == 40 * 60
    assert figures.used_minutes == (6 + 2 + 4) * 60  # 20:00–24:00 of the Sunday only
    assert figures.use_percent == Decimal("30.0")  # 12 of 40 h
    assert figures.cost_per_used_hour_ore == 1_000_00 // 12  # 83,33 kr


def test_give_up_below_a_fifth_and_share_complementary_premises() -> None:
    week = MARCH
    lonely = premises_figures(a_premises("L1", district="Hemsjö"), 300_00,
                              [a_use("L1", 3, 9, 16)], *week)  # 7 of 40 h = 17,5 %
    weekdays = premises_figures(a_premises("L2", hours=40), 500_00,
                                [a_use("L2", d, 13, 17) for d in range(2, 7)],
                                *week)  # 20 of 40 h = 50 %: not below 50
    afternoons = premises_figures(a_premises("L3", hours=40), 500_00,
                                  [a_use("L3", d, 13, 16) for d in range(2, 7)],
                                  *week)  # 15 of 40 h = 37,5 %
    weekend = premises_figures(
        a_premises("L4", hours=168), 900_00,
        [PremisesUse(id="W", premises_id="L4", unit_id="U01", start=stockholm(2026, 3, 6, 18),
                     end=stockholm(2026, 3, 8, 18))], *week)  # 48 of 168 h = 28,6 %
    busy = premises_figures(a_premises("L5", hours=40), 400_00,
                            [a_use("L5", d, 8, 16) for d in range(2, 7)], *week)  # 100 %
    result = assess_premises([lonely, weekdays, afternoons, weekend, busy])
    assert [f.premises.id for f in result.give_up] == ["L1"]
    assert lonely.use_percent == Decimal("17.5")
    assert weekdays.use_percent == Decimal("50.0")
    (share,) = result.share
    # L3 (15 h) fits in L4's free time (168 ≥ 48 + 15); L4 (48 h) does not fit in L3's 40 h
    assert (share.host.premises.id, share.guest.premises.id) == ("L4", "L3")
    assert share.overlap_minutes == 0
    assert share.saving_ore == 500_00


def test_no_share_across_districts_or_when_uses_overlap() -> None:
    week = MARCH
    a = premises_figures(a_premises("L1", hours=60), 900_00,
                         [a_use("L1", d, 12, 16) for d in range(2, 7)], *week)  # 20 of 60 h
    b = premises_figures(a_premises("L2", hours=40), 500_00,
                         [a_use("L2", d, 15, 18) for d in range(2, 7)], *week)  # 15 h
    # they overlap 15–16 every weekday: 5 h of the smaller 15 h = 33 % > 10 %
    assert assess_premises([a, b]).share == ()
    far = premises_figures(a_premises("L3", hours=40, district="Sollebrunn"), 500_00,
                           [a_use("L3", 7, 9, 17)], *week)  # Saturday, 8 of 40 h = 20 %
    assert assess_premises([a, far]).give_up == ()
    assert assess_premises([a, far]).share == ()
    near = premises_figures(a_premises("L3", hours=40), 500_00, [a_use("L3", 7, 9, 17)], *week)
    (share,) = assess_premises([a, near]).share  # the same two, in one district
    # either has room for both (28 h); the dearer lease (L1, 900 kr) is the one to go
    assert (share.host.premises.id, share.guest.premises.id) == ("L3", "L1")
    assert share.saving_ore == 900_00


def test_premises_refuse_impossible_values() -> None:
    with pytest.raises(DomainError, match="168 timmar"):
        a_premises("L1", hours=169)
    with pytest.raises(DomainError, match="sluta efter"):
        PremisesUse(id="N", premises_id="L1", unit_id="U01", start=stockholm(2026, 3, 2, 9),
                    end=stockholm(2026, 3, 2, 9))
