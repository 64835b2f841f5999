"""The resource unit's assignments, worked by hand (insats.domain.resource_unit)."""

from __future__ import annotations

from decimal import Decimal

from insats.domain.decisions import Insats
from insats.domain.resource_unit import (
    InsatsVolume,
    UnitFigures,
    allocate,
    insats_lines,
    move_options,
    per_hour,
    percent,
)

H = Insats.HOUSING_SUPPORT
L = Insats.COMPANION_SERVICE
R = Insats.RELIEF_SERVICE
PA = Insats.PERSONAL_ASSISTANCE


def test_allocate_keeps_the_total() -> None:
    assert allocate(100, {"a": 1, "b": 1, "c": 1}) == {"a": 34, "b": 33, "c": 33}
    assert allocate(10, {"a": 3, "b": 1}) == {"a": 8, "b": 2}  # 7.5 / 2.5: a first by key
    assert allocate(10, {"a": 0, "b": 0}) == {"a": 0, "b": 0}


def test_rates_and_shares() -> None:
    assert per_hour(60_000, 120) == 30_000  # 600 kr over 2 h
    assert per_hour(1, 0) is None
    assert percent(1, 3) == Decimal("33.3") and percent(1, 0) is None


def test_unit_figures() -> None:
    unit = UnitFigures("U11", "Resursenheten", "Resursenhet", performed_minutes=6000,
                       cost_ore=6_000_000, revenue_ore=1_000_000, contracted_minutes=8000,
                       own_worked_minutes=6000)
    # 100 h, 60 000 kr costs, 10 000 kr revenue
    assert unit.net_cost_ore == 5_000_000
    assert unit.gross_cost_per_hour == 60_000 and unit.net_cost_per_hour == 50_000
    assert unit.utilisation == Decimal("75.0")


def test_team_hours_follow_the_grants_and_costs_follow_the_hours() -> None:
    volumes = [
        InsatsVolume(H, 2, 2, 600, 2400),  # 40 h granted
        InsatsVolume(L, 1, 1, 300, 1200),  # 20 h
        InsatsVolume(R, 0, 0, 0, 0),
        InsatsVolume(PA, 1, 1, 900, 3600, own_group_minutes=3000),  # own group: 50 h
    ]
    # the team worked 60 h: 40 h to boendestöd, 20 h to ledsagning; the unit cost
    # 66 000 kr for 110 h = 600 kr an hour
    lines = insats_lines(volumes, team_minutes=3600, cost_ore=6_600_000)
    assert [(x.insats, x.performed_minutes, x.cost_ore) for x in lines] == [
        (H, 2400, 2_400_000), (L, 1200, 1_200_000), (R, 0, 0), (PA, 3000, 3_000_000)]
    assert lines[0].cost_per_hour == 60_000 and lines[2].cost_per_hour is None
    assert lines[0].performed_of_granted == Decimal("100.0")
    assert lines[3].performed_of_granted == Decimal("83.3")
    moves = move_options(lines, 60_000, [("Korttidsvistelse", 45_000)])
    # only the three insatser move; 40 h × 450 kr = 18 000 kr against 24 000 kr today
    assert [(m.insats, m.minutes, m.cost_today_ore, m.cost_there_ore, m.change_ore)
            for m in moves] == [
        (H, 2400, 2_400_000, 1_800_000, -600_000), (L, 1200, 1_200_000, 900_000, -300_000),
        (R, 0, 0, 0, 0)]
