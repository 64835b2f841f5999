"""The visits review on the demo department: it plans exactly the generator's spread-out
assistance clients (the resource unit's client groups, whose schedules are short visits),
the personal-assistance clients with one short line a day, and the boendestöd,
ledsagarservice and avlösarservice clients; every plan passes the
independent validator, and planning the visits as home care saves staff time against a
group per client. Two months of history keep the load short."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from insats.demo import generate_department
from insats.demo import organisation as org
from insats.domain.common import Period
from insats.domain.decisions import Insats
from insats.services.review_catalogue import run_review
from insats.services.uow import UnitOfWork
from tests.callers import HEAD
from tests.integration.conftest import AUTUMN

pytestmark = pytest.mark.slow

HISTORY = AUTUMN
RESOURCE = {Insats.HOUSING_SUPPORT, Insats.COMPANION_SERVICE, Insats.RELIEF_SERVICE}


def test_the_review_plans_the_generators_visit_clients_and_saves_time(
        autumn_demo: Callable[[], UnitOfWork]) -> None:
    uow_factory = autumn_demo
    dept = generate_department(seed=7, start=HISTORY.start, end=HISTORY.end)
    report = run_review(uow_factory, caller=HEAD, name="visits", start=dt.date(2026, 10, 1),
                        end=HISTORY.end, today=dept.as_of)
    days, routes, clients = report.tables
    pseudonym = {c.id: c.pseudonym for c in dept.clients}
    resource_unit = org.unit_id(0, org.RESOURCE_UNIT_INDEX)
    visit_style = {g.client_id for g in dept.groups
                   if g.unit_id == resource_unit and g.client_id is not None}
    assert len(visit_style) == 8  # LSS_PA_VISIT_STYLE
    resource_clients = {d.client_id for d in dept.decisions
                        if d.insats in RESOURCE and d.active_on(dt.date(2026, 10, 19))}
    # besides them, personal-assistance clients elsewhere whose few granted hours the
    # generator schedules as one short line a day (at most two hours) are short visits too
    week_period = Period(dt.date(2026, 10, 19), dt.date(2026, 10, 26))
    lines: dict[str, list[int]] = {}
    client_of = {g.id: g.client_id for g in dept.groups if g.client_id is not None}
    for template in dept.templates:
        if template.group_id in client_of and template.valid.overlaps(week_period):
            lines.setdefault(client_of[template.group_id], []).append(template.length_minutes)
    short = {c for c, lengths in lines.items() if max(lengths) <= 120}
    assert visit_style <= short
    assert {r[0] for r in clients.rows} == {pseudonym[c] for c in short | resource_clients}
    assert {r[0] for r in clients.rows if r[1] == "Personlig assistans"} \
        == {pseudonym[c] for c in short}
    findings = " ".join(report.findings)
    assert "Alla planer håller" in findings
    # every short-visit client's schedule lines of the week are visits
    week = [dt.date(2026, 10, 19) + dt.timedelta(days=n) for n in range(7)]
    group_client = {g.id: g.client_id for g in dept.groups if g.client_id in short}
    expected = sum(1 for t in dept.templates if t.group_id in group_client
                   for day in week if t.weekday == day.weekday() and t.valid.contains(day))
    assert sum(r[2] for r in clients.rows if r[1] == "Personlig assistans") == expected
    saved = days.column_total(11)
    assert saved is not None and saved > 0
    assert sum(r[4] for r in days.rows) > sum(r[7] for r in days.rows)  # fewer passes
    assert len(routes.rows) == sum(r[7] for r in days.rows)
