"""The staffing reviews on the demo department, against the generator's record: the
surplus review lists exactly the people the generator put in the övertalighetsteam and
proposes only them; the resource-unit review finds the resource unit's boendestöd,
ledsagning and avlösning decisions the generator made (clients and weekly hours) and
the assistance clients it placed there, and nothing else, with the department's office
(whose home unit the generator made the first resource unit) shown apart; the pages."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from functools import cache

from fastapi.testclient import TestClient

from insats.demo import DemoDepartment, generate_department
from insats.domain.access import Caller, Role, Viewer
from insats.domain.decisions import INSATS_LABELS
from insats.domain.organisation import UnitKind
from insats.domain.resource_unit import RESOURCE_INSATSER
from insats.services.review_catalogue import run_review
from insats.services.review_resource_unit import DEPARTMENT_POSITIONS
from insats.services.runtime import uow_factory_for
from tests.web.conftest import WEB_HISTORY, DemoWeb

HEAD = Caller(Viewer("a1", "chef", "Avdelningschef", Role.DEPARTMENT_HEAD), route="test")
START, END = dt.date(2026, 8, 1), dt.date(2026, 11, 1)


@cache
def _generated() -> DemoDepartment:
    """The generator's record of the demo behind demo_web (same seed and history)."""
    assert WEB_HISTORY.end is not None
    return generate_department(start=WEB_HISTORY.start, end=WEB_HISTORY.end)


def test_the_surplus_review_finds_the_surplus_team_and_nothing_else(demo_web: DemoWeb) -> None:
    dept = _generated()
    surplus_units = {u.id for u in dept.units if u.kind is UnitKind.SURPLUS_TEAM}
    planted = sorted(e.id for e in dept.employees if e.home_unit_id in surplus_units)
    assert len(planted) == 6
    report = run_review(uow_factory_for(demo_web.url), caller=HEAD, name="surplus",
                        start=START, end=END)
    people, proposals, vacancies = report.tables
    assert [r[0] for r in people.rows] == planted
    assert {r[0] for r in proposals.rows} <= set(planted) and proposals.rows
    surplus_unit_names = {u.name for u in dept.units if u.id in surplus_units}
    assert not any(r[1] in surplus_unit_names for r in vacancies.rows)
    # they covered in personal assistance, so part of their hours were worked
    assert all(0 < r[5] < r[4] for r in people.rows)


def test_the_resource_unit_review_finds_the_generators_decisions(demo_web: DemoWeb) -> None:
    dept = _generated()
    resource = next(u for u in dept.units if u.kind is UnitKind.RESOURCE_UNIT)
    clients = {c.id for c in dept.clients if c.unit_id == resource.id}
    last = END - dt.timedelta(days=1)
    expected: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # clients, weekly
    seen: dict[str, set[str]] = defaultdict(set)
    for decision in dept.decisions:
        if decision.client_id in clients and decision.insats in RESOURCE_INSATSER:
            label = INSATS_LABELS[decision.insats]
            seen[label].add(decision.client_id)
            if decision.active_on(last):
                expected[label][1] += decision.granted_minutes_per_week or 0
    for label, ids in seen.items():
        expected[label][0] = len(ids)
    own_group_clients = {g.client_id for g in dept.groups
                         if g.unit_id == resource.id and g.client_id is not None}
    own_insatser = {INSATS_LABELS[d.insats] for d in dept.decisions
                    if d.client_id in own_group_clients}
    report = run_review(uow_factory_for(demo_web.url), caller=HEAD, name="resource-unit",
                        start=START, end=END)
    insatser, units, moves = report.tables
    assert {r[0] for r in insatser.rows} == {resource.name}
    found = {r[1]: [r[2], r[4]] for r in insatser.rows}
    assert {k: v for k, v in found.items() if k in expected} == dict(expected)
    assert set(found) == set(expected) | own_insatser
    assert all(r[6] > 0 and r[8] > 0 for r in insatser.rows if r[1] in expected)
    resource_row = next(r for r in units.rows if r[0] == resource.name)
    assert resource_row[2] > 0 and resource_row[12] is not None
    # the office the generator gave the first resource unit as home unit (metodutvecklare,
    # kontaktsekreterare, samordnare): their pay at 40 % fees, shown apart
    office = [e for e in dept.employees if e.home_unit_id == resource.id
              and e.position in DEPARTMENT_POSITIONS]
    assert len(office) == 6
    days = (END - START).days
    assert resource_row[8] == sum(
        e.monthly_wage.ore * 12 * days // 365 * 1400 // 1000 for e in office
        if e.monthly_wage is not None)
    assert {r[1] for r in moves.rows} == set(expected)


def test_the_pages(demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    head = signed_in("avdelningschef")
    page = head.get("/reviews/surplus?period=2026-08..2026-10")
    assert page.status_code == 200 and "Förslag till placering" in page.text
    assert head.get("/reviews/resource-unit?period=2026-08..2026-10").status_code == 200
    assert signed_in("samordnare").get("/reviews/surplus").status_code == 200
    assert signed_in("ekonom").get("/reviews/surplus").status_code == 403
    assert signed_in("samordnare").get("/reviews/resource-unit").status_code == 403
