"""Surplus staff into vacancies ("Ej ha övertalig personal", seed 001's Åtgärdsplan).

The övertalighetsteam's members are paid for their contracted hours whether or not they
work in a client's group; the hours they do not work there are the cost of surplus until
they are placed. A *vacancy* is the work of a group that its own regular staff do not
cover: open (unstaffed) shifts, time worked by people who are not regular members
(substitutes, the surplus team) and the regular members' overtime and mertid.

Matching is a greedy, explainable assignment: a surplus member may take a vacancy only
when they hold the position the work asks for and every skill the group requires
(competence); among those pairs the one with the most time already worked in the group
(continuity) comes first, then the one that fills most of the vacancy's weekly hours
(hours fit), then the member with the least room left (best fit), then ids. A member
takes groups until their contracted week is filled (working in several groups, as the
action plan's "samköra personal i flera grupper"); a group takes members until its
weekly need is filled; slices under an hour a week are not proposed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from insats.domain.formatting import format_hours
from insats.domain.staff import POSITION_LABELS, Position

MINUTES_PER_HOUR = 60
DAYS_PER_WEEK = 7
MIN_WEEKLY_NEED = 60  # a vacancy below an hour a week is not worth a placement


@dataclass(frozen=True, slots=True)
class SurplusMember:
    """A member of the surplus team over the period.

    Attributes:
        contracted_minutes: contracted hours in the period (per week × days employed / 7).
        worked_by_group: counting minutes worked in each client's or unit's group.
        cost_per_hour_ore: hourly wage plus social fees.
    """

    employee_id: str
    name: str
    position: Position
    weekly_minutes: int
    contracted_minutes: int
    cost_per_hour_ore: int
    worked_by_group: Mapping[str, int] = field(default_factory=dict)
    skills: frozenset[str] = frozenset()

    @property
    def worked_minutes(self) -> int:
        return sum(self.worked_by_group.values())

    @property
    def unplaced_minutes(self) -> int:
        """Contracted minutes not worked in any group (never below zero)."""
        return max(0, self.contracted_minutes - self.worked_minutes)

    @property
    def unplaced_cost_ore(self) -> int:
        return self.unplaced_minutes * self.cost_per_hour_ore // MINUTES_PER_HOUR


@dataclass(frozen=True, slots=True)
class Vacancy:
    """The work of one group its regular staff did not cover in the period (minutes)."""

    group_id: str
    group_name: str
    unit_name: str
    position: Position
    open_minutes: int = 0
    others_minutes: int = 0  # worked by people who are not regular members
    overtime_minutes: int = 0  # regular members' overtime and mertid
    required_skills: frozenset[str] = frozenset()

    @property
    def need_minutes(self) -> int:
        return self.open_minutes + self.others_minutes + self.overtime_minutes

    def weekly_need(self, days: int) -> int:
        """The need as minutes per week over a period of ``days`` days."""
        return self.need_minutes * DAYS_PER_WEEK // max(days, 1)


@dataclass(frozen=True, slots=True)
class Proposal:
    employee_id: str
    group_id: str
    weekly_minutes: int  # of the vacancy's weekly need this member would fill
    continuity_minutes: int  # already worked in the group in the period
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Matching:
    proposals: tuple[Proposal, ...]
    unmatched: tuple[str, ...]  # employee ids with no vacancy that fits
    remaining_weekly: Mapping[str, int]  # group id -> weekly need left after the proposals
    placed_weekly: Mapping[str, int]  # employee id -> weekly minutes proposed


def competent(member: SurplusMember, vacancy: Vacancy) -> bool:
    """The member holds the position the work asks for and all the group's skills."""
    return member.position is vacancy.position and vacancy.required_skills <= member.skills


def match(members: list[SurplusMember], vacancies: list[Vacancy], days: int) -> Matching:
    """Propose groups for the surplus members until their contracted week or the
    vacancies are filled (see the module docstring for the order)."""
    remaining = {v.group_id: v.weekly_need(days) for v in vacancies}
    room = {m.employee_id: m.weekly_minutes for m in members}
    proposals: list[Proposal] = []
    while True:
        best: tuple[tuple[int, int, int, str, str], SurplusMember, Vacancy] | None = None
        for member in members:
            if room[member.employee_id] < MIN_WEEKLY_NEED:
                continue
            for vacancy in vacancies:
                left = remaining[vacancy.group_id]
                if left < MIN_WEEKLY_NEED or not competent(member, vacancy):
                    continue
                fill = min(room[member.employee_id], left)
                key = (-member.worked_by_group.get(vacancy.group_id, 0), -fill,
                       room[member.employee_id], vacancy.group_id, member.employee_id)
                if best is None or key < best[0]:
                    best = (key, member, vacancy)
        if best is None:
            break
        _key, member, vacancy = best
        left = remaining[vacancy.group_id]
        fill = min(room[member.employee_id], left)
        continuity = member.worked_by_group.get(vacancy.group_id, 0)
        proposals.append(Proposal(member.employee_id, vacancy.group_id, fill, continuity,
                                  _reasons(member, vacancy, fill, continuity, left)))
        remaining[vacancy.group_id] -= fill
        room[member.employee_id] -= fill
    placed = {m.employee_id: m.weekly_minutes - room[m.employee_id] for m in members}
    unmatched = tuple(sorted(e for e, minutes in placed.items() if minutes == 0))
    return Matching(tuple(proposals), unmatched, remaining, placed)


def _reasons(member: SurplusMember, vacancy: Vacancy, fill: int, continuity: int,
             weekly_need: int) -> tuple[str, ...]:
    skills = (f" och kompetenserna {', '.join(sorted(vacancy.required_skills))}"
              if vacancy.required_skills else "")
    return (
        f"Kompetens: {POSITION_LABELS[member.position].lower()} som arbetet kräver{skills}",
        f"Timmar: fyller {format_hours(fill, 1)}/v av gruppens kvarvarande behov "
        f"{format_hours(weekly_need, 1)}/v (anställd {format_hours(member.weekly_minutes, 1)}/v)",
        f"Kontinuitet: har arbetat {format_hours(continuity, 1)} i gruppen under perioden"
        if continuity else "Kontinuitet: ny i gruppen",
    )


def monthly_cost(weekly_minutes: int, cost_per_hour_ore: int) -> int:
    """Weekly minutes for a month (× 52/12) at an hourly cost, in öre."""
    return weekly_minutes * 52 * cost_per_hour_ore // (12 * MINUTES_PER_HOUR)


def unplaced_cost_per_month(member: SurplusMember) -> int:
    """What a member's weekly contracted hours not yet placed cost a month (öre): the
    share of the contract left over in the period, × 52/12 weeks, at their hourly cost."""
    if member.contracted_minutes <= 0:
        return 0
    weekly_unplaced = member.weekly_minutes * member.unplaced_minutes // member.contracted_minutes
    return monthly_cost(weekly_unplaced, member.cost_per_hour_ore)
