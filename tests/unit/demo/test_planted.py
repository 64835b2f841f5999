"""The planted over-limit assistant: extra shifts only where the assistant is free."""

from __future__ import annotations

import datetime as dt
import itertools
import random

from insats.demo.planted import plant_over_limit
from insats.domain.scheduling import PlannedShift
from tests.builders import a_group, a_shift, an_employee, stockholm

MARCH = dt.date(2026, 3, 1)


def _day_shift(shift_id: str, group_id: str, employee_id: str, day: int, *,
               hours: tuple[int, int] = (7, 15), double: bool = False) -> PlannedShift:
    return a_shift(id=shift_id, group_id=group_id, employee_id=employee_id,
                   start=stockholm(2026, 3, day, hours[0]), end=stockholm(2026, 3, day, hours[1]),
                   is_double=double)


def test_shifts_given_to_the_assistant_never_overlap_their_double_staffing() -> None:
    groups = [a_group(id="G0001", client_id="C0001"), a_group(id="G0002", client_id="C0002"),
              a_group(id="G0003", client_id="C0003")]
    employees = [an_employee(id="E0001", employment_percent=100),
                 an_employee(id="E0002", employment_percent=75)]
    own = [_day_shift(f"S1{day:02d}", "G0001", "E0001", day) for day in range(16, 32)]
    double = _day_shift("S300", "G0003", "E0001", 2, hours=(7, 8), double=True)
    other = [_day_shift(f"S2{day:02d}", "G0002", "E0002", day) for day in range(1, 32)]

    shifts, chosen = plant_over_limit(random.Random(1), [*own, double, *other], groups,
                                      employees, MARCH)

    assert chosen == "E0001"
    given = [s for s in shifts if s.group_id == "G0002" and s.employee_id == "E0001"]
    assert given and "S202" not in {s.id for s in given}  # 2 March: the double shift
    assert "S201" in {s.id for s in given}
    mine = sorted((s.start, s.end) for s in shifts if s.employee_id == "E0001")
    assert all(end <= start for (_, end), (start, _) in itertools.pairwise(mine))
