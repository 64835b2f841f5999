"""The CP-SAT model of a part: the bounds it leaves out are those no free cell can break."""

from __future__ import annotations

from ortools.sat.python import cp_model

from insats.domain.validate import check_roster
from insats.optimizer.model import Prepared, Roster, SubproblemBuilder, assignments_of
from tests.planning_builders import GROUP, an_employee, an_instance


def _constraints(run_limit: int | None, roster: Roster, window: range) -> int:
    employee = an_employee("A", max_consecutive_shifts=run_limit)
    prep = Prepared.of(an_instance(days=10, employees=(employee,)))
    sub = SubproblemBuilder(prep, roster, ["A"], window).build()
    return len(sub.model.proto.constraints)


def test_a_run_limit_the_free_days_cannot_reach_adds_nothing_to_the_part() -> None:
    # nothing worked around days 4-5: two free days cannot make a run of four
    alone = _constraints(None, {}, range(4, 6))
    assert _constraints(3, {}, range(4, 6)) == alone
    # worked days 1-3 and 6-7 around the window: day 4 would make a run of four
    around: Roster = {("A", d): ("D", GROUP) for d in (1, 2, 3, 6, 7)}
    assert _constraints(3, around, range(4, 6)) > _constraints(None, around, range(4, 6))


def test_a_part_still_keeps_the_run_limit_its_free_days_could_break() -> None:
    employee = an_employee("A", max_consecutive_shifts=3)
    instance = an_instance(days=8, employees=(employee,))
    prep = Prepared.of(instance)
    # days 0-1 and 4-5 worked: working both free days 2 and 3 makes a run of six
    roster: Roster = {("A", d): ("D", GROUP) for d in (0, 1, 4, 5)}
    sub = SubproblemBuilder(prep, roster, ["A"], range(2, 4)).build()
    solver = cp_model.CpSolver()
    assert solver.solve(sub.model) == cp_model.OPTIMAL
    chosen = dict(roster)
    chosen.update({("A", d): (s, g) for (_, d, s, g), var in sub.x.items()
                   if solver.boolean_value(var)})
    assert sum(1 for d in (2, 3) if ("A", d) in chosen) == 1  # the cover wants both
    assert check_roster(instance, assignments_of(chosen)).feasible


def _fills_the_gaps(days: int, window: range) -> None:
    """B is fixed on the even days; A, free on ``window``, should take exactly the odd
    days of the window that nobody covers (each costs 100 uncovered, 1 over-covered)."""
    staff = (an_employee("A"), an_employee("B"))
    prep = Prepared.of(an_instance(days=days, employees=staff))
    roster: Roster = {("B", d): ("D", GROUP) for d in range(0, days, 2)}
    roster.update({("A", d): ("D", GROUP) for d in window if d % 2 == 0})  # the wrong days
    builder = SubproblemBuilder(prep, roster, ["A"], window)
    naive = {(GROUP, d, "D"): 1 for d in window if d % 2 == 0}
    assert {k: v for k, v in builder._fixed_cover().items() if v} == naive
    sub = builder.build()
    solver = cp_model.CpSolver()
    assert solver.solve(sub.model) == cp_model.OPTIMAL
    taken = sorted(d for (_, d, _, _), var in sub.x.items() if solver.boolean_value(var))
    assert taken == [d for d in window if d % 2 == 1]


def test_a_part_of_a_few_days_of_a_long_horizon_sees_the_fixed_cover_of_its_days() -> None:
    # the window's days times the staff are fewer than the roster's rows: counted by day
    _fills_the_gaps(days=60, window=range(20, 24))


def test_a_part_over_the_whole_horizon_sees_the_fixed_cover_of_every_day() -> None:
    _fills_the_gaps(days=6, window=range(6))
