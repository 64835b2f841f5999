"""The resource unit's assignments ("Översyn av resursenhetens uppdrag", seed 001).

The resource unit performs boendestöd, ledsagning and avlösning from one staff team
(whose time is not reported per client) and may also hold clients' own groups. Its
performed hours and costs are split over the insatser:

- the hours of a client's own group belong to that client's insats;
- the team's hours are shared among the three insatser in proportion to their granted
  hours in the period (the team plans from the decisions' weekly need);
- the unit's costs follow the hours (one cost per hour for the whole unit).

*Utilisation* is the share of the own staff's contracted hours that they worked
(ordinary time, jour and beredskap; overtime and mertid are beyond the contract).
*Moving* an insats means performing the same hours at another kind of unit's cost per
performed hour, before revenues (FK's assistansersättning does not follow boendestöd,
ledsagning or avlösning) and without the pay of the department's common staff who happen
to have the unit as home unit (they do not move with the work), for today and the
receiver alike.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from insats.domain.decisions import Insats

RESOURCE_INSATSER: tuple[Insats, ...] = (
    Insats.HOUSING_SUPPORT, Insats.COMPANION_SERVICE, Insats.RELIEF_SERVICE)
MINUTES_PER_HOUR = 60


def allocate(total: int, weights: Mapping[str, int]) -> dict[str, int]:
    """``total`` split in proportion to ``weights`` in whole units that sum to ``total``
    (largest remainder, ties by key); all zero weights give nothing to anyone."""
    weight_sum = sum(weights.values())
    if weight_sum <= 0:
        return {key: 0 for key in weights}
    shares = {key: total * w // weight_sum for key, w in weights.items()}
    left = total - sum(shares.values())
    order = sorted(weights, key=lambda k: (-(total * weights[k] % weight_sum), k))
    for key in order[:left]:
        shares[key] += 1
    return shares


def per_hour(ore: int, minutes: int) -> int | None:
    """Öre per hour, or None without hours."""
    return None if minutes <= 0 else ore * MINUTES_PER_HOUR // minutes


def percent(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` in percent with one decimal, or None without a whole."""
    if whole <= 0:
        return None
    return (Decimal(part * 100) / Decimal(whole)).quantize(Decimal("0.1"))


@dataclass(frozen=True, slots=True)
class UnitFigures:
    """One unit over the period.

    Attributes:
        performed_minutes: counting time in the unit's groups.
        cost_ore: booked costs; revenue_ore: booked revenues.
        contracted_minutes: the own care staff's contracted time in the period.
        own_worked_minutes: the own care staff's ordinary, jour and beredskap time.
        overhead_staff_ore: pay and social fees of the department's common staff whose
            home unit this is (avdelningschef, samordnare, metodutvecklare, ...), who do
            not do the unit's work.
    """

    unit_id: str
    name: str
    kind_label: str
    performed_minutes: int
    cost_ore: int
    revenue_ore: int
    contracted_minutes: int
    own_worked_minutes: int
    overhead_staff_ore: int = 0

    @property
    def work_cost_ore(self) -> int:
        """Costs without the pay of the department's common staff."""
        return max(0, self.cost_ore - self.overhead_staff_ore)

    @property
    def work_cost_per_hour(self) -> int | None:
        return per_hour(self.work_cost_ore, self.performed_minutes)

    @property
    def net_cost_ore(self) -> int:
        return self.cost_ore - self.revenue_ore

    @property
    def net_cost_per_hour(self) -> int | None:
        return per_hour(self.net_cost_ore, self.performed_minutes)

    @property
    def gross_cost_per_hour(self) -> int | None:
        return per_hour(self.cost_ore, self.performed_minutes)

    @property
    def utilisation(self) -> Decimal | None:
        return percent(self.own_worked_minutes, self.contracted_minutes)


@dataclass(frozen=True, slots=True)
class InsatsVolume:
    insats: Insats
    clients: int
    decisions: int
    weekly_minutes: int  # granted per week on the period's last day
    granted_minutes: int  # granted in the period
    own_group_minutes: int = 0  # time reported in the clients' own groups


@dataclass(frozen=True, slots=True)
class InsatsLine:
    insats: Insats
    clients: int
    decisions: int
    weekly_minutes: int
    granted_minutes: int
    performed_minutes: int
    cost_ore: int

    @property
    def cost_per_hour(self) -> int | None:
        return per_hour(self.cost_ore, self.performed_minutes)

    @property
    def performed_of_granted(self) -> Decimal | None:
        return percent(self.performed_minutes, self.granted_minutes)


def insats_lines(volumes: Sequence[InsatsVolume], team_minutes: int,
                 cost_ore: int) -> list[InsatsLine]:
    """The unit's hours and costs split over its insatser (see the module docstring):
    the team's minutes by the three insatser's granted minutes, own groups' minutes to
    their insats, ``cost_ore`` by all the minutes."""
    shared = allocate(team_minutes, {v.insats.value: v.granted_minutes for v in volumes
                                     if v.insats in RESOURCE_INSATSER})
    performed = {v.insats.value: v.own_group_minutes + shared.get(v.insats.value, 0)
                 for v in volumes}
    costs = allocate(cost_ore, performed)
    return [InsatsLine(v.insats, v.clients, v.decisions, v.weekly_minutes, v.granted_minutes,
                       performed[v.insats.value], costs[v.insats.value]) for v in volumes]


@dataclass(frozen=True, slots=True)
class MoveOption:
    insats: Insats
    receiver: str
    minutes: int
    cost_today_ore: int
    cost_there_ore: int

    @property
    def change_ore(self) -> int:
        return self.cost_there_ore - self.cost_today_ore


def move_options(lines: Sequence[InsatsLine], today_per_hour: int,
                 receivers: Sequence[tuple[str, int]]) -> list[MoveOption]:
    """For each of the three insatser and each receiver (label, gross öre per hour): the
    same hours at today's and at the receiver's cost per hour."""
    return [MoveOption(line.insats, label, line.performed_minutes,
                       line.performed_minutes * today_per_hour // MINUTES_PER_HOUR,
                       line.performed_minutes * rate // MINUTES_PER_HOUR)
            for line in lines if line.insats in RESOURCE_INSATSER
            for label, rate in receivers]
