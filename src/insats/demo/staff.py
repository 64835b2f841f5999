"""Employees and group memberships.

About 250 people at scale 1: the avdelningschef, eight enhetschefer, two
metodutvecklare, a kontaktsekreterare and three samordnare; personal assistants on
AB Bilaga J (monthly, tillsvidare) and on PAN (visstid, hourly, tied to one client,
among them anhörigvårdare); stödassistenter on AB for korttids and the resursenhet;
timvikarier, most of them in the substitute pool; and the övertalighetsteam.
Each group's members' contracted hours roughly match its scheduled hours.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from insats.demo import organisation as org
from insats.demo.names import person_name
from insats.demo.structures import GroupPlan, Structures
from insats.domain.common import Money, Period
from insats.domain.scheduling import GroupMembership
from insats.domain.staff import Agreement, Employee, EmploymentForm, Position

FULL_TIME_WEEK = 2400  # worktime.full_time_week: 40 h for assistants
PERCENTS = (75, 75, 80, 85, 90, 100, 100, 100)
SURPLUS_TEAM_SIZE = 6
POOL_SUBSTITUTES = 30
RELATIVE_CARERS = 8
PAN_ASSISTANTS = 16


@dataclass(slots=True)
class StaffBook:
    employees: list[Employee] = field(default_factory=list)
    memberships: list[GroupMembership] = field(default_factory=list)
    manager_ids: list[list[str]] = field(default_factory=list)
    head_id: str = ""
    members_by_group: dict[str, list[str]] = field(default_factory=dict)
    extra_by_group: dict[str, list[str]] = field(default_factory=dict)
    pool_ids: list[str] = field(default_factory=list)
    surplus_ids: list[str] = field(default_factory=list)


class _Hiring:
    def __init__(self, rng: random.Random, start: dt.date) -> None:
        self.rng = rng
        self.start = start
        self.count = 0
        self.book = StaffBook()

    def hire(self, unit_id: str, position: Position, *, form: EmploymentForm,
             agreement: Agreement, percent: int, monthly_full: int | None = None,
             hourly: int | None = None, employed_from: dt.date | None = None,
             related_client_id: str | None = None, pool: bool = False,
             skills: frozenset[str] = frozenset()) -> Employee:
        rng = self.rng
        self.count += 1
        given, family = person_name(rng, female=rng.random() < 0.78)
        if employed_from is None:
            employed_from = dt.date(rng.randint(2004, 2024), rng.randint(1, 12), 1)
        employee = Employee(
            id=f"E{self.count:04d}", given_name=given, family_name=family,
            home_unit_id=unit_id, position=position, employment_form=form,
            agreement=agreement, employment_percent=percent,
            full_time_minutes_per_week=FULL_TIME_WEEK, employed=Period(employed_from, None),
            monthly_wage=None if monthly_full is None
            else Money.kronor(monthly_full * percent // 100),
            hourly_wage=None if hourly is None else Money(hourly),
            related_client_id=related_client_id, skills=skills, in_substitute_pool=pool,
        )
        self.book.employees.append(employee)
        return employee

    def monthly(self, unit_id: str, position: Position, low: int, high: int,
                percent: int = 100, agreement: Agreement = Agreement.AB) -> Employee:
        wage = self.rng.randint(low // 100, high // 100) * 100
        return self.hire(unit_id, position, form=EmploymentForm.PERMANENT,
                         agreement=agreement, percent=percent, monthly_full=wage)

    def hourly_substitute(self, unit_id: str, *, pool: bool) -> Employee:
        start = dt.date(self.rng.randint(2022, 2024), self.rng.randint(1, 12), 1)
        return self.hire(unit_id, Position.ASSISTANT, form=EmploymentForm.HOURLY,
                         agreement=Agreement.AB, percent=0, pool=pool, employed_from=start,
                         hourly=self.rng.randint(150, 175) * 100)


# The avdelningschef of a shard that is not the department's first (``department_staff``
# False): not hired again; the shard refers to her by this id until it is relabelled.
SHARD_HEAD_ID = "E0000"


def build_staff(rng: random.Random, clusters: int, structures: Structures,
                start: dt.date, *, department_staff: bool = True) -> StaffBook:
    """The staff of ``clusters`` clusters; without ``department_staff`` (a later shard of a
    large demo) the avdelningschef and the office (metodutvecklare, kontaktsekreterare,
    samordnare) are left out, being the department's and hired with its first shard."""
    hiring = _Hiring(rng, start)
    book = hiring.book
    book.head_id = SHARD_HEAD_ID
    if department_staff:
        head = hiring.monthly(org.unit_id(0, 0), Position.DEPARTMENT_HEAD, 66000, 72000)
        book.head_id = head.id
    for cluster in range(clusters):
        book.manager_ids.append([
            hiring.monthly(org.unit_id(cluster, org.CLUSTER_UNITS.index(
                next(s for s in org.CLUSTER_UNITS if s.manager_index == i))),
                Position.UNIT_MANAGER, 47000, 56000).id
            for i in range(org.MANAGERS_PER_CLUSTER)
        ])
    if department_staff:
        office = org.unit_id(0, org.RESOURCE_UNIT_INDEX)
        for _ in range(2):
            hiring.monthly(office, Position.METHOD_DEVELOPER, 41000, 46000)
        hiring.monthly(office, Position.SECRETARY, 34000, 38000)
        for _ in range(3):
            hiring.monthly(office, Position.SCHEDULER, 33000, 37000)
    plans_by_unit: dict[str, list[GroupPlan]] = {}
    for plan in structures.plans:
        plans_by_unit.setdefault(plan.group.unit_id, []).append(plan)
    for cluster in range(clusters):
        _cluster_staff(hiring, cluster, plans_by_unit)
    for group in structures.basansvar_groups:
        book.members_by_group[group.id] = []
        book.extra_by_group[group.id] = list(book.surplus_ids)
        for employee_id in book.surplus_ids:
            book.memberships.append(GroupMembership(employee_id, group.id,
                                                    Period(start, None), is_regular=False))
    return book


def _cluster_staff(hiring: _Hiring, cluster: int,
                   plans_by_unit: dict[str, list[GroupPlan]]) -> None:
    rng, book = hiring.rng, hiring.book
    pa_plans = [p for i in org.PA_UNIT_INDEXES
                for p in plans_by_unit.get(org.unit_id(cluster, i), [])]
    big = [n for n, plan in enumerate(pa_plans) if plan.weekly_minutes >= 2 * FULL_TIME_WEEK]
    carer_groups = set(rng.sample(big, min(RELATIVE_CARERS, len(big))))
    pan_groups = set(rng.sample(big, min(PAN_ASSISTANTS, len(big))))
    pre_assigned: dict[str, list[tuple[str, int]]] = {}
    for n, plan in enumerate(pa_plans):
        client_id = plan.group.client_id
        assert client_id is not None
        tied_from = dt.date(rng.randint(2020, 2024), rng.randint(1, 12), 1)
        hires: list[Employee] = []
        if n in carer_groups:
            hires.append(hiring.hire(
                plan.group.unit_id, Position.CARER_RELATIVE, form=EmploymentForm.FIXED_TERM,
                agreement=Agreement.PAN, percent=rng.choice((50, 60, 75)),
                hourly=rng.randint(150, 165) * 100, employed_from=tied_from,
                related_client_id=client_id))
        if n in pan_groups:
            hires.append(hiring.hire(
                plan.group.unit_id, Position.ASSISTANT, form=EmploymentForm.FIXED_TERM,
                agreement=Agreement.PAN, percent=rng.choice((50, 75, 100)),
                hourly=rng.randint(150, 170) * 100, employed_from=tied_from))
        pre_assigned[plan.group.id] = [
            (e.id, e.contracted_minutes_per_week.value) for e in hires]
    for index in (*org.PA_UNIT_INDEXES, *org.KTV_UNIT_INDEXES, org.KTS_UNIT_INDEX,
                  org.RESOURCE_UNIT_INDEX):
        unit_id = org.unit_id(cluster, index)
        plans = plans_by_unit.get(unit_id, [])
        if plans:
            _staff_unit(hiring, unit_id, plans, pre_assigned)
    surplus_unit = org.unit_id(cluster, org.SURPLUS_UNIT_INDEX)
    for _ in range(SURPLUS_TEAM_SIZE):
        employee = hiring.monthly(surplus_unit, Position.ASSISTANT, 26000, 31000,
                                  percent=100, agreement=Agreement.AB_BILAGA_J)
        book.surplus_ids.append(employee.id)
        book.pool_ids.append(employee.id)
    cover_units = [org.unit_id(cluster, i) for i in (
        *org.PA_UNIT_INDEXES, *org.KTV_UNIT_INDEXES, org.KTS_UNIT_INDEX,
        org.RESOURCE_UNIT_INDEX)]
    for n in range(POOL_SUBSTITUTES):
        book.pool_ids.append(hiring.hourly_substitute(cover_units[n % len(cover_units)],
                                                      pool=True).id)


def _fitting_percent(rng: random.Random, remaining_minutes: int) -> int:
    """A usual degree, or a part-time one that fits what is left of a group's need."""
    choice = rng.choice(PERCENTS)
    if remaining_minutes >= FULL_TIME_WEEK * choice // 100:
        return choice
    return max(50, min(100, -(-remaining_minutes * 100 // FULL_TIME_WEEK // 5) * 5))


def _staff_unit(hiring: _Hiring, unit_id: str, plans: list[GroupPlan],
                pre_assigned: dict[str, list[tuple[str, int]]]) -> None:
    """Hire monthly staff for a unit's groups and spread memberships over them."""
    rng, book = hiring.rng, hiring.book
    remaining = {p.group.id: p.weekly_minutes for p in plans}
    members: dict[str, list[str]] = {p.group.id: [] for p in plans}
    load: dict[str, int] = {}
    for plan in plans:
        for employee_id, minutes in pre_assigned.get(plan.group.id, []):
            members[plan.group.id].append(employee_id)
            remaining[plan.group.id] -= minutes
            load[employee_id] = 1
    unit_staff: list[str] = []
    position = plans[0].position
    agreement = Agreement.AB_BILAGA_J if position is Position.ASSISTANT else Agreement.AB
    while max(remaining.values()) > 300:
        group_id = max(remaining, key=lambda g: (remaining[g], g))
        employee = hiring.monthly(unit_id, position, 26000, 32000,
                                  percent=_fitting_percent(rng, remaining[group_id]),
                                  agreement=agreement)
        unit_staff.append(employee.id)
        members[group_id].append(employee.id)
        load[employee.id] = 1
        remaining[group_id] -= employee.contracted_minutes_per_week.value
    while len(unit_staff) < max(p.min_members for p in plans):
        employee = hiring.monthly(unit_id, position, 26000, 32000, percent=50,
                                  agreement=agreement)
        unit_staff.append(employee.id)
        load[employee.id] = 0
    for plan in plans:
        group_members = members[plan.group.id]
        candidates = [e for e in unit_staff if e not in group_members]
        while len(group_members) < plan.min_members and candidates:
            candidates.sort(key=lambda e: (load[e], rng.random()))
            chosen = candidates.pop(0)
            group_members.append(chosen)
            load[chosen] += 1
    for plan in plans:
        book.members_by_group[plan.group.id] = members[plan.group.id][:plan.max_members]
        for employee_id in book.members_by_group[plan.group.id]:
            book.memberships.append(GroupMembership(
                employee_id, plan.group.id, Period(hiring.start, None), is_regular=True))
    if position is Position.CARE_WORKER and plans[0].group.client_id is None:
        extra = hiring.hourly_substitute(unit_id, pool=False)
        book.extra_by_group[plans[0].group.id] = [extra.id]
        book.memberships.append(GroupMembership(extra.id, plans[0].group.id,
                                                Period(hiring.start, None), is_regular=False))
