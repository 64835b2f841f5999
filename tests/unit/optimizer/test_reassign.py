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
from insats.optimizer.reassign import Reassigner
from tests.planning_builders import GROUP, an_employee, an_instance

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
    engine._Sweeps(search, random.Random(0)).run()
    return roster, search


def _two_three_shift_staff() -> tuple[PlanEmployee, ...]:
    return tuple(an_employee(name, min_minutes=3 * EIGHT_HOURS, max_minutes=3 * EIGHT_HOURS)
                 for name in ("A", "B"))


def test_no_sweeps_where_a_group_limits_its_distinct_employees() -> None:
    limited = {GROUP: PlanGroup(GROUP, max_distinct_employees=1)}
    roster, search = _swept(an_instance(days=6, employees=_two_three_shift_staff(),
                                        groups=limited, weights=Weights(continuity=50)))
    assert search.roster is roster


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
