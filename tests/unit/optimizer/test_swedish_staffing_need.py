"""A korttidshem planned by its need per hour: the structure's positions are trimmed to
the staff the children booked need, and nothing where no need is given."""

from __future__ import annotations

import datetime as dt

from insats.domain.rules import RuleBook, bundled_parameters
from insats.domain.scheduling import ShiftKind
from insats.optimizer.swedish import PlanningData, build_plan
from tests.builders import a_group, a_template

MONDAY = dt.date(2026, 9, 7)
EVENING = "14:30+450-r30"
MORNING = "06:30+150"
JOUR = "22:00+540-jour"
HOME = a_group(id="G0100", unit_id="U07", name="Personalgrupp Korttidshemmet",
               client_id=None, breaks_allowed=True)


def _data(need: dict[tuple[dt.date, int], int] | None) -> PlanningData:
    templates = []
    for weekday in range(7):
        templates += [
            a_template(id=f"TE{weekday}", group_id=HOME.id, name="Kväll", weekday=weekday,
                       start=dt.time(14, 30), length_minutes=450, positions=3,
                       break_minutes=30),
            a_template(id=f"TM{weekday}", group_id=HOME.id, name="Morgon", weekday=weekday,
                       start=dt.time(6, 30), length_minutes=150),
            a_template(id=f"TJ{weekday}", group_id=HOME.id, name="Sovande jour",
                       weekday=weekday, start=dt.time(22), length_minutes=540,
                       kind=ShiftKind.ON_CALL),
        ]
    return PlanningData(start=MONDAY, weeks=1, unit_ids=("U07",), groups=(HOME,),
                        templates=tuple(templates), decisions=(), employees=(),
                        memberships=(), absences=(), rules=RuleBook(bundled_parameters()),
                        staffing_need={HOME.id: need} if need is not None else {})


def _wanted(data: PlanningData) -> dict[tuple[int, str], int]:
    return {(d.day, d.shift): d.preferred for d in build_plan(data).instance.demand}


def test_the_positions_follow_the_need_per_hour() -> None:
    need: dict[tuple[dt.date, int], int] = {}
    for n in range(7):
        day = MONDAY + dt.timedelta(days=n)
        evening_staff = 2 if n < 5 else 3  # three children on weekdays, five at weekends
        need |= {(day, h): evening_staff for h in range(14, 22)}
        need |= {(day, h): 1 for h in (22, 23, 0, 1, 2, 3, 4, 5, 6, 7, 8)}
    plan = build_plan(_data(need))
    wanted = {(d.day, d.shift): d.preferred for d in plan.instance.demand}
    assert all(wanted[(d, EVENING)] == 2 for d in range(5))
    assert all(wanted[(d, EVENING)] == 3 for d in (5, 6))
    assert all(wanted[(d, JOUR)] == 1 for d in range(7))
    assert all(wanted[(d, MORNING)] == 1 for d in range(7))
    # five weekday evenings of one position less: 5 × 7 h
    assert any("35:00 h av schemastrukturen behövs inte" in note for note in plan.notes)


def test_without_a_need_the_structure_stands() -> None:
    wanted = _wanted(_data(None))
    assert all(wanted[(d, EVENING)] == 3 for d in range(7))
    assert all(wanted[(d, JOUR)] == 1 for d in range(7))
