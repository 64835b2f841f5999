"""Assistance groups and schedule structures (ShiftTemplate rows) derived from decisions.

Personal assistance: one group per municipally performed case; the weekly grant is cut
into consecutive shifts of at most ten hours from 07:00 (a whole day as day, evening and
night). Home-care-like cases get three to five short visits spread over the day. A
separate template line named "Dubbelassistans …" carries the double-assistance
allotment; its shifts are marked ``is_double``. Korttidsvistelse and korttidstillsyn get
one unit group each (breaks allowed; one unit has not yet scheduled its breaks), with
sovande jour at night. Planted: some cases are scheduled 5–15 % above their grant.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from insats.demo import organisation as org
from insats.demo.clients import ClientBook, PaCase
from insats.domain.common import Period
from insats.domain.decisions import Decision
from insats.domain.scheduling import AssistanceGroup, ShiftKind, ShiftTemplate
from insats.domain.staff import Position

DAY = 1440
MAX_SHIFT = 600
VISIT_TIMES = (dt.time(7, 30), dt.time(11, 30), dt.time(16, 0), dt.time(19, 30),
               dt.time(21, 30))
DOUBLE_PREFIX = "Dubbelassistans"


@dataclass(frozen=True, slots=True)
class GroupPlan:
    group: AssistanceGroup
    weekly_minutes: int  # scheduled minutes per week, for sizing the staff
    position: Position
    min_members: int = 4
    max_members: int = 10


@dataclass(slots=True)
class Structures:
    plans: list[GroupPlan] = field(default_factory=list)
    templates: list[ShiftTemplate] = field(default_factory=list)
    basansvar_groups: list[AssistanceGroup] = field(default_factory=list)


def _r15(minutes: float) -> int:
    return max(15, int(minutes + 7.5) // 15 * 15)


def _f15(minutes: float) -> int:
    """Down to whole quarters: a schedule that keeps within the grant unless planted."""
    return max(15, int(minutes) // 15 * 15)


def _split(total: int) -> list[int]:
    """Cut a day's minutes into near-equal shifts of at most MAX_SHIFT minutes."""
    if total >= DAY - 15:
        return [480, 420, 540]
    count = -(-total // MAX_SHIFT)
    base = _r15(total / count)
    lengths = [base] * (count - 1)
    lengths.append(max(15, total - base * (count - 1)))
    return lengths


class _TemplateMaker:
    def __init__(self, start: dt.date) -> None:
        # structures run until further notice (or the decision's end), not to the end of
        # the generated history: the planner plans the weeks after it from them
        self.window = Period(start, None)
        self.count = 0
        self.templates: list[ShiftTemplate] = []

    def add(self, group_id: str, name: str, weekdays: list[int], start: dt.time,
            length: int, valid: Period, *, positions: int = 1, break_minutes: int = 0,
            kind: ShiftKind = ShiftKind.ORDINARY) -> None:
        for weekday in weekdays:
            self.count += 1
            self.templates.append(ShiftTemplate(
                id=f"T{self.count:05d}", group_id=group_id, name=name, weekday=weekday,
                start=start, length_minutes=length, valid=valid, positions=positions,
                break_minutes=break_minutes, kind=kind,
            ))


def _weekly_of(decision: Decision) -> int:
    if decision.granted_minutes_per_week is not None:
        return decision.granted_minutes_per_week
    assert decision.granted_minutes_total is not None
    return decision.granted_minutes_total * 7 // decision.period.days


def _pa_templates(maker: _TemplateMaker, group_id: str, case: PaCase,
                  decisions: dict[str, Decision]) -> int:
    """Templates for each decision of the case; returns the latest weekly scheduled minutes."""
    weekly_scheduled = 0
    for decision_id in case.decision_ids:
        decision = decisions[decision_id]
        valid = decision.period.intersection(maker.window)
        if valid is None:
            continue
        weekly = _weekly_of(decision) * case.over_permille // 1000
        days = [0, 1, 2, 3, 4] if case.weekdays_only else list(range(7))
        daily = min(DAY, _f15(weekly / len(days)))
        if case.visit_style:
            visits = max(2, min(5, daily // 45))
            length = _f15(daily / visits)
            for time in VISIT_TIMES[:visits]:
                maker.add(group_id, f"Besök {time:%H:%M}", days, time, length, valid)
            weekly_scheduled = length * visits * len(days)
            continue
        lengths = _split(daily)
        clock = 7 * 60 if daily >= 900 else (8 * 60 if daily >= 360 else 16 * 60)
        for index, length in enumerate(lengths):
            start = dt.time((clock // 60) % 24, clock % 60)
            name = ("Dag", "Kväll", "Natt")[min(index, 2)] if len(lengths) > 1 else "Pass"
            maker.add(group_id, name, days, start, length, valid)
            clock += length
        weekly_scheduled = sum(lengths) * len(days)
        if decision.double_assistance_minutes_per_week:
            double = _f15(decision.double_assistance_minutes_per_week / 7)
            maker.add(group_id, f"{DOUBLE_PREFIX} morgon", list(range(7)), dt.time(7, 0),
                      double, valid)
            weekly_scheduled += double * 7
    return weekly_scheduled


def build_structures(book: ClientBook, clusters: int, start: dt.date,
                     end: dt.date) -> Structures:
    maker = _TemplateMaker(start)
    decisions = {d.id: d for d in book.decisions}
    result = Structures()
    count = 0

    def next_group() -> str:
        nonlocal count
        count += 1
        return f"G{count:04d}"

    for case in book.pa_cases:
        group = AssistanceGroup(id=next_group(), unit_id=case.unit_id,
                                name=f"Assistansgrupp B-{case.client_id[1:]}",
                                client_id=case.client_id)
        weekly = _pa_templates(maker, group.id, case, decisions)
        position = Position.CARE_WORKER if case.visit_style else Position.ASSISTANT
        # visits from 07:30 to 21:30 need early and late staff (dygnsvila)
        result.plans.append(GroupPlan(group, weekly, position,
                                      min_members=6 if case.visit_style else 4))
    for cluster in range(clusters):
        _unit_groups(maker, result, cluster, next_group, book)
    for client_id in book.basansvar_client_ids:
        client_unit = next(c.unit_id for c in book.clients if c.id == client_id)
        result.basansvar_groups.append(AssistanceGroup(
            id=next_group(), unit_id=client_unit,
            name=f"Basansvar B-{client_id[1:]} (tillfällig insats)", client_id=client_id,
        ))
    result.templates = maker.templates
    return result


def _unit_groups(maker: _TemplateMaker, result: Structures, cluster: int,
                 next_group: Callable[[], str], book: ClientBook) -> None:
    window = maker.window
    weekdays, weekend = [0, 1, 2, 3, 4], [5, 6]
    for position_in_list, index in enumerate(org.KTV_UNIT_INDEXES):
        unit_id = org.unit_id(cluster, index)
        spec = org.CLUSTER_UNITS[index]
        group = AssistanceGroup(id=next_group(), unit_id=unit_id,
                                name=f"Personalgrupp {spec.name}", breaks_allowed=True)
        # Planted: the second korttidshem has not scheduled breaks and staffs three per
        # evening for few children (bemanningstäthet).
        breaks = 0 if position_in_list == 1 else 30
        evening_staff = 3 if position_in_list == 1 else 2
        maker.add(group.id, "Morgon", weekdays, dt.time(6, 30), 150, window)
        maker.add(group.id, "Kväll", weekdays, dt.time(14, 30), 450, window,
                  positions=evening_staff, break_minutes=breaks)
        maker.add(group.id, "Helgdag", weekend, dt.time(7, 0), 480, window, positions=2,
                  break_minutes=breaks)
        maker.add(group.id, "Helgkväll", weekend, dt.time(15, 0), 420, window,
                  positions=2, break_minutes=breaks)
        maker.add(group.id, "Sovande jour", list(range(7)), dt.time(22, 0), 540, window,
                  kind=ShiftKind.ON_CALL)
        weekly = 150 * 5 + 450 * 5 * evening_staff + 480 * 4 + 420 * 4 + 540 * 7
        result.plans.append(GroupPlan(group, weekly, Position.CARE_WORKER, 4, 14))
    kts_unit = org.unit_id(cluster, org.KTS_UNIT_INDEX)
    kts = AssistanceGroup(id=next_group(), unit_id=kts_unit,
                          name="Personalgrupp Korttidstillsynen", breaks_allowed=True)
    maker.add(kts.id, "Eftermiddag", weekdays, dt.time(12, 30), 300, window, positions=3)
    result.plans.append(GroupPlan(kts, 300 * 15, Position.CARE_WORKER, 3, 6))
    resource_unit = org.unit_id(cluster, org.RESOURCE_UNIT_INDEX)
    decisions = {d.id: d for d in book.decisions}
    weekly_need = sum(decisions[i].granted_minutes_per_week or 0
                      for i in book.resource_decision_ids.get(resource_unit, []))
    day_positions = max(1, -(-weekly_need * 6 // 10 // (5 * 450)))
    evening_positions = max(1, -(-weekly_need * 4 // 10 // (5 * 300)))
    team = AssistanceGroup(id=next_group(), unit_id=resource_unit,
                           name="Resursteamet (boendestöd, ledsagning, avlösning)",
                           breaks_allowed=True)
    maker.add(team.id, "Dag", weekdays, dt.time(8, 0), 480, window,
              positions=day_positions, break_minutes=30)
    maker.add(team.id, "Kväll", weekdays, dt.time(16, 0), 300, window,
              positions=evening_positions)
    weekly = 450 * 5 * day_positions + 300 * 5 * evening_positions
    result.plans.append(GroupPlan(team, weekly, Position.CARE_WORKER, 10, 14))
