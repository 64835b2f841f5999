"""The local price of a changed part equals the whole roster's price difference."""

from __future__ import annotations

import random

from insats.domain.planning import Demand, PlanGroup, RequestKind, ShiftRequest, Weights
from insats.domain.validate import price_roster
from insats.optimizer.delta import part_change
from insats.optimizer.model import Prepared, Roster, assignments_of
from tests.planning_builders import DAY, EVENING, NIGHT, an_employee, an_instance

GROUPS = ("g", "h")
DAYS = 14


def _instance() -> Prepared:
    rng = random.Random(7)
    staff = tuple(
        an_employee(f"E{i}", groups=frozenset(GROUPS), home_groups=frozenset({GROUPS[i % 2]}),
                    foreign_group_weight=3, target_minutes=rng.choice((2400, 4800)),
                    under_target_weight=1, over_target_weight=2)
        for i in range(6))
    demand = tuple(Demand(group, day, shift.id, rng.randint(0, 2), rng.choice((0, 100)),
                          rng.choice((0, 1)))
                   for group in GROUPS for day in range(DAYS) for shift in (DAY, EVENING, NIGHT))
    requests = tuple(ShiftRequest(f"E{rng.randrange(6)}", rng.randrange(DAYS),
                                  rng.choice((None, "D", "E", "N")), rng.randint(1, 3),
                                  rng.choice(tuple(RequestKind)))
                     for _ in range(40))
    instance = an_instance(DAYS, employees=staff, shifts=(DAY, EVENING, NIGHT), demand=demand,
                           groups={g: PlanGroup(g, g) for g in GROUPS}, requests=requests)
    return Prepared.of(instance)


def _price(prep: Prepared, roster: Roster) -> int:
    return sum(price_roster(prep.instance, assignments_of(roster)).values())


def _redrawn(prep: Prepared, rng: random.Random, employees: list[str], days: range,
             base: Roster) -> Roster:
    roster = {k: v for k, v in base.items() if not (k[0] in employees and k[1] in days)}
    for e in employees:
        for d in days:
            cells = prep.options[e][d]
            if cells and rng.random() < 0.6:
                roster[(e, d)] = rng.choice(cells)
    return roster


def test_part_change_equals_the_whole_price_difference() -> None:
    prep = _instance()
    rng = random.Random(1)
    everyone = list(prep.instance.employees)
    roster = _redrawn(prep, rng, everyone, range(DAYS), {})
    changes = []
    for _ in range(200):
        free = rng.sample(everyone, rng.randint(1, len(everyone)))
        start = rng.randrange(DAYS)
        window = range(start, min(DAYS, start + rng.randint(1, 6)))
        changed = _redrawn(prep, rng, free, window, roster)
        change = part_change(prep, roster, changed, free, window)
        assert change == _price(prep, changed) - _price(prep, roster)
        changes.append(change)
        roster = changed
    assert any(c and c > 0 for c in changes) and any(c and c < 0 for c in changes)


def test_distinct_employee_limits_are_left_to_the_whole_price() -> None:
    prep = _instance()
    limited = Prepared.of(an_instance(
        DAYS, employees=tuple(prep.instance.employees.values()),
        groups={"g": PlanGroup("g", "g", max_distinct_employees=2), "h": PlanGroup("h", "h")},
        weights=Weights(continuity=5)))
    assert part_change(limited, {}, {}, ["E0"], range(2)) is None
