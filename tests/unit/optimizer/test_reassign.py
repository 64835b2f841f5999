"""Whole-schedule moves: one employee's best schedule against everyone else's cover."""

from __future__ import annotations

import random
import time

import pytest

from insats.domain.planning import (
    Assignment,
    Demand,
    PlanEmployee,
    PlanGroup,
    PlanningInstance,
    RequestKind,
    ShiftRequest,
    Weights,
)
from insats.domain.validate import check_roster, price_roster
from insats.optimizer import delta, engine, pricing
from insats.optimizer.model import Prepared, Roster, assignments_of
from insats.optimizer.pricers import ProcessPricers
from insats.optimizer.reassign import Reassigner
from tests.planning_builders import DAY, EVENING, GROUP, an_employee, an_instance

EIGHT_HOURS = 8 * 60


def _objective(prep: Prepared, roster: Roster) -> int:
    return sum(price_roster(prep.instance, assignments_of(roster)).values())


def _three_shift_staff() -> Prepared:
    # two employees who must each work exactly three day shifts in six days; one needed a day
    staff = tuple(an_employee(name, min_minutes=3 * EIGHT_HOURS, max_minutes=3 * EIGHT_HOURS)
                  for name in ("A", "B"))
    return Prepared.of(an_instance(days=6, employees=staff))


def test_an_employee_moves_to_the_days_the_others_leave_uncovered() -> None:
    prep = _three_shift_staff()
    # both work days 0-2: three shifts over-covered, days 3-5 not covered at all
    roster: Roster = {(e, d): ("D", GROUP) for e in ("A", "B") for d in range(3)}
    moved = Reassigner(prep).best_schedule(roster, "A", seed=0)
    assert moved is not None
    assert sorted(d for (e, d) in moved if e == "A") == [3, 4, 5]
    assert {k: v for k, v in moved.items() if k[0] == "B"} == {
        k: v for k, v in roster.items() if k[0] == "B"}
    assert check_roster(prep.instance, assignments_of(moved)).feasible
    # the move is priced exactly: 3 under-covers at 100 and 3 over-covers at 1 are gone
    assert _objective(prep, roster) - _objective(prep, moved) == 303
    assert delta.part_change(prep, roster, moved, ["A"], range(6)) == -303


def test_no_move_when_the_schedule_is_already_the_best_against_the_others() -> None:
    prep = _three_shift_staff()
    roster: Roster = {("A", d): ("D", GROUP) for d in range(3)}
    roster.update({("B", d): ("D", GROUP) for d in range(3, 6)})
    assert Reassigner(prep).best_schedule(roster, "A", seed=0) is None
    assert Reassigner(prep).best_schedule(roster, "B", seed=0) is None


def test_a_move_never_fills_a_cell_the_others_hold_at_its_maximum() -> None:
    # A asks to work days 0 and 1 (worth 50 each), but B fills their maximum of one
    demand = tuple(Demand(GROUP, d, "D", preferred=1 if d < 2 else 0, under_weight=100,
                          over_weight=1, maximum=1 if d < 2 else None) for d in range(4))
    two_shifts = dict(min_minutes=2 * EIGHT_HOURS, max_minutes=2 * EIGHT_HOURS)
    staff = (an_employee("A", **two_shifts), an_employee("B", **two_shifts))
    requests = tuple(ShiftRequest("A", d, None, 50, RequestKind.ON) for d in (0, 1))
    prep = Prepared.of(an_instance(days=4, employees=staff, demand=demand, requests=requests))
    roster: Roster = {("B", 0): ("D", GROUP), ("B", 1): ("D", GROUP),
                      ("A", 2): ("D", GROUP), ("A", 3): ("D", GROUP)}
    assert Reassigner(prep).best_schedule(roster, "A", seed=0) is None
    # with B elsewhere, A takes the days asked for
    roster = {("B", 2): ("D", GROUP), ("B", 3): ("D", GROUP),
              ("A", 2): ("D", GROUP), ("A", 3): ("D", GROUP)}
    moved = Reassigner(prep).best_schedule(roster, "A", seed=0)
    assert moved is not None and sorted(d for (e, d) in moved if e == "A") == [0, 1]


def test_a_move_keeps_the_employees_own_sequence_rules() -> None:
    # every day is wanted by two, but A may work at most two days in a row
    staff = (an_employee("A", min_minutes=4 * EIGHT_HOURS, max_minutes=4 * EIGHT_HOURS,
                         max_consecutive_shifts=2, min_consecutive_days_off=1),)
    instance = an_instance(days=6, employees=staff, preferred=2)
    prep = Prepared.of(instance)
    roster: Roster = {("A", d): ("D", GROUP) for d in (0, 1, 3, 4)}
    moved = Reassigner(prep).best_schedule(roster, "A", seed=0)
    assert moved is None  # every four days without three in a row cover the same
    start = {("A", d): ("D", GROUP) for d in (0, 3)}  # breaks the contract's minimum
    moved = Reassigner(prep).best_schedule(start, "A", seed=0)
    assert moved is not None
    assert check_roster(instance, assignments_of(moved)).feasible


def test_sweeps_in_the_search_take_each_employee_to_their_best_and_then_rest() -> None:
    prep = _three_shift_staff()
    roster: Roster = {(e, d): ("D", GROUP) for e in ("A", "B") for d in range(3)}
    options = engine.SolveOptions(time_limit=30, max_iterations=1)
    search = engine._Search(prep.instance, prep, options, None, time.monotonic(), roster,
                            _objective(prep, roster))
    sweeps = engine._Sweeps(search, random.Random(0))
    sweeps.run()
    assert search.objective == _objective(prep, search.roster) == 0
    assert check_roster(prep.instance, assignments_of(search.roster)).feasible
    swept = search.roster
    sweeps.run()  # nothing changed since the pass began: no new pass
    assert search.roster is swept and not sweeps.queue
    sweeps.close()


def test_a_move_keeps_the_employees_pinned_shifts() -> None:
    staff = tuple(an_employee(name, min_minutes=3 * EIGHT_HOURS, max_minutes=3 * EIGHT_HOURS)
                  for name in ("A", "B"))
    pinned = (Assignment("A", 0, "D", GROUP),)
    prep = Prepared.of(an_instance(days=6, employees=staff, pinned=pinned))
    roster: Roster = {(e, d): ("D", GROUP) for e in ("A", "B") for d in range(3)}
    moved = Reassigner(prep).best_schedule(roster, "A", seed=0)
    assert moved is not None
    # day 0 stays although B covers it; the other two shifts go where nobody is
    a_days = sorted(d for (e, d) in moved if e == "A")
    assert a_days[0] == 0 and set(a_days[1:]) <= {3, 4, 5} and len(a_days) == 3


def _swept(instance: PlanningInstance) -> tuple[Roster, engine._Search]:
    prep = Prepared.of(instance)
    roster: Roster = {(e, d): ("D", GROUP) for e in ("A", "B") for d in range(3)}
    options = engine.SolveOptions(time_limit=30, max_iterations=1)
    search = engine._Search(instance, prep, options, None, time.monotonic(), roster,
                            _objective(prep, roster))
    sweeps = engine._Sweeps(search, random.Random(0))
    sweeps.run()
    sweeps.close()
    return roster, search


def _two_three_shift_staff() -> tuple[PlanEmployee, ...]:
    return tuple(an_employee(name, min_minutes=3 * EIGHT_HOURS, max_minutes=3 * EIGHT_HOURS)
                 for name in ("A", "B"))


def test_no_sweeps_where_a_group_limits_its_distinct_employees() -> None:
    limited = {GROUP: PlanGroup(GROUP, max_distinct_employees=1)}
    instance = an_instance(days=6, employees=_two_three_shift_staff(), groups=limited,
                           weights=Weights(continuity=50))
    roster, search = _swept(instance)
    assert search.roster is roster
    # a move made anyway leaves its change to the caller: continuity is not in its values
    reassigner = Reassigner(Prepared.of(instance))
    best = reassigner.best_columns(roster, ["A"], seed=0)[0]
    assert best is not None
    move = reassigner.replaced(roster, best)
    assert move is not None and move.change is None


def test_a_long_horizon_sweeps_only_the_employees_the_programme_prices(
        monkeypatch: pytest.MonkeyPatch) -> None:
    long = an_instance(days=engine.SWEEP_MAX_DAYS + 1, employees=_two_three_shift_staff())
    roster, search = _swept(long)
    assert search.objective < _objective(Prepared.of(long), roster)
    assert check_roster(long, assignments_of(search.roster)).feasible
    # with the programme too small for anyone, CP-SAT would price them: no sweep
    monkeypatch.setattr(pricing, "MAX_STATE_VALUES", 0)
    roster, search = _swept(long)
    assert search.roster is roster


def _mixed_instance(seed: int) -> PlanningInstance:
    """Four employees, two shifts, random cover and requests over ten days."""
    rng = random.Random(seed)
    days = 10
    staff = tuple(an_employee(name, min_minutes=3 * EIGHT_HOURS, max_minutes=6 * EIGHT_HOURS,
                              max_consecutive_shifts=4)
                  for name in ("A", "B", "C", "D"))
    demand = tuple(Demand(GROUP, d, s.id, rng.randint(0, 2), rng.choice((10, 100)),
                          rng.choice((1, 5))) for d in range(days) for s in (DAY, EVENING))
    requests = tuple(ShiftRequest(e.id, rng.randrange(days), rng.choice((None, "D", "E")),
                                  rng.randint(1, 9), rng.choice(tuple(RequestKind)))
                     for e in staff for _ in range(3))
    return an_instance(days=days, employees=staff, shifts=(DAY, EVENING), demand=demand,
                       requests=requests)


def _random_roster(instance: PlanningInstance, seed: int) -> Roster:
    rng = random.Random(seed)
    return {(e, d): (rng.choice(("D", "E")), GROUP)
            for e in instance.employees for d in range(instance.days) if rng.random() < 0.4}


@pytest.mark.parametrize("seed", range(6))
def test_a_moves_change_is_the_exact_change_of_the_objective(seed: int) -> None:
    instance = _mixed_instance(seed)
    prep = Prepared.of(instance)
    reassigner = Reassigner(prep)
    roster = _random_roster(instance, seed)
    moves = 0
    for employee in [*instance.employees, *instance.employees]:
        best = reassigner.best_columns(roster, [employee], seed=0)[0]
        move = None if best is None else reassigner.replaced(roster, best)
        if move is None:
            continue
        assert move.change is not None and move.change < 0
        assert move.change == _objective(prep, move.roster) - _objective(prep, roster)
        assert move.change == delta.part_change(prep, roster, move.roster, [employee],
                                                range(instance.days))
        roster = move.roster
        moves += 1
    assert moves > 0


def test_a_move_onto_a_cell_below_its_hard_minimum_leaves_its_change_to_the_caller() -> None:
    # day 0 needs one at least; A works day 1 where nobody is wanted
    demand = tuple(Demand(GROUP, d, "D", preferred=1 if d == 0 else 0, under_weight=100,
                          over_weight=1, minimum=1 if d == 0 else 0) for d in range(3))
    staff = (an_employee("A", min_minutes=EIGHT_HOURS, max_minutes=EIGHT_HOURS),)
    prep = Prepared.of(an_instance(days=3, employees=staff, demand=demand))
    roster: Roster = {("A", 1): ("D", GROUP)}
    reassigner = Reassigner(prep)
    best = reassigner.best_columns(roster, ["A"], seed=0)[0]
    assert best is not None
    move = reassigner.replaced(roster, best)
    assert move is not None and move.roster == {("A", 0): ("D", GROUP)}
    assert move.change is None


def test_employees_of_different_workers_are_priced_side_by_side_as_one_by_one() -> None:
    instance = _mixed_instance(1)
    prep = Prepared.of(instance)
    roster = _random_roster(instance, 1)
    alone = Reassigner(prep)
    pool = ProcessPricers(prep, 2)
    try:
        together = Reassigner(prep, pool)
        # A and C are priced by worker 0, B and D by worker 1
        assert {pool.worker_of(e) for e in ("A", "C")} == {0}
        assert {pool.worker_of(e) for e in ("B", "D")} == {1}
        assert together.side_by_side(["A", "C", "B", "D"]) == ["D", "C"]
        assert together.side_by_side(["B", "D"]) == ["D"]
        assert alone.side_by_side(["A", "B"]) == ["B"]
        for batch in (["D", "C"], ["A", "B", "C"]):
            side_by_side = together.best_columns(roster, batch, seed=3)
            assert side_by_side == [alone.best_columns(roster, [e], seed=3)[0] for e in batch]
            assert all(column is not None for column in side_by_side)
    finally:
        pool.close()
    assert not any(process.is_alive() for process in pool.processes)


def test_sweeps_priced_side_by_side_keep_every_gain_exact() -> None:
    instance = _mixed_instance(2)
    prep = Prepared.of(instance)
    roster = _random_roster(instance, 2)
    start = _objective(prep, roster)
    options = engine.SolveOptions(time_limit=30, max_iterations=1)
    search = engine._Search(instance, prep, options, None, time.monotonic(), roster, start)
    sweeps = engine._Sweeps(search, random.Random(0))
    pool = ProcessPricers(prep, 2)
    sweeps._pool, sweeps._reassigner = pool, Reassigner(prep, pool)
    try:
        sweeps.run()
    finally:
        sweeps.close()
    assert search.objective < start
    assert search.objective == _objective(prep, search.roster)
    assert check_roster(instance, assignments_of(search.roster)).feasible
    # the pass ended with no employee able to gain alone
    alone = Reassigner(prep)
    assert all(alone.best_schedule(search.roster, e, seed=0) is None
               for e in instance.employees)
