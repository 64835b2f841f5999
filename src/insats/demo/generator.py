"""Compose the demo department: organisation → clients and decisions → structures →
staff → absence → shifts → time reports → activities → economy → actions.

Deterministic: everything is drawn from one ``random.Random(seed)`` in a fixed order,
ids are sequential codes, and no set or dict iteration order leaks into the output.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from insats.demo import organisation as org
from insats.demo.absence import build_absences
from insats.demo.actions import build_action_plan
from insats.demo.activities import build_activities
from insats.demo.clients import build_clients
from insats.demo.contracts import build_contracts
from insats.demo.density import OverstaffedPattern, build_density
from insats.demo.economy import build_economy
from insats.demo.expenses import build_expenses
from insats.demo.planted import build_stays, plant_over_limit
from insats.demo.premises import build_premises
from insats.demo.rostering import build_roster
from insats.demo.staff import build_staff
from insats.demo.structures import build_structures
from insats.demo.time_reports import build_time_entries, choose_plan
from insats.domain.absence import Absence
from insats.domain.actions import Action, ActionFollowUp, ActionTarget
from insats.domain.activities import Activity
from insats.domain.clients import Client
from insats.domain.common import Money, Period
from insats.domain.contracts import BillingContract
from insats.domain.decisions import Decision
from insats.domain.economy import Budget, CostEntry
from insats.domain.expenses import CardPurchase, ExpenseClaim, PettyCashCard
from insats.domain.organisation import Department, Unit
from insats.domain.personnummer import PersonalIdentity
from insats.domain.premises import Premises, PremisesUse
from insats.domain.providers import Provider
from insats.domain.scheduling import AssistanceGroup, GroupMembership, PlannedShift, ShiftTemplate
from insats.domain.staff import Employee
from insats.domain.stays import ClientStay
from insats.domain.time_reports import TimeEntry


@dataclass(frozen=True, slots=True)
class DemoDepartment:
    """A generated department: tuples of domain objects, in id order."""

    seed: int
    scale: int
    start: dt.date
    end: dt.date
    as_of: dt.date
    department: Department
    units: tuple[Unit, ...]
    providers: tuple[Provider, ...]
    clients: tuple[Client, ...]
    decisions: tuple[Decision, ...]
    employees: tuple[Employee, ...]
    groups: tuple[AssistanceGroup, ...]
    memberships: tuple[GroupMembership, ...]
    templates: tuple[ShiftTemplate, ...]
    shifts: tuple[PlannedShift, ...]
    time_entries: tuple[TimeEntry, ...]
    absences: tuple[Absence, ...]
    activities: tuple[Activity, ...]
    cost_entries: tuple[CostEntry, ...]
    budgets: tuple[Budget, ...]
    actions: tuple[Action, ...]
    contracts: tuple[BillingContract, ...] = ()
    stays: tuple[ClientStay, ...] = ()
    action_targets: tuple[ActionTarget, ...] = ()
    action_follow_ups: tuple[ActionFollowUp, ...] = ()
    unreported_group_ids: tuple[str, ...] = ()
    ob_claiming_carer_ids: tuple[str, ...] = ()
    over_scheduled_client_ids: tuple[str, ...] = ()
    unpaid_hospital_stay_ids: tuple[str, ...] = ()
    unexplained_short_stay_client_ids: tuple[str, ...] = ()
    late_report_group_month: tuple[str, dt.date] | None = None
    over_limit_employee_month: tuple[str, dt.date] | None = None
    # Premises and petty-cash cards (issue 8): kept out of COLLECTIONS (and so out of the
    # content hash) so the rest of the demo compares as before; what was planted for the
    # premises and expenses reviews is recorded with them.
    premises: tuple[Premises, ...] = ()
    premises_uses: tuple[PremisesUse, ...] = ()
    premises_to_give_up_ids: tuple[str, ...] = ()
    premises_share_pairs: tuple[tuple[str, str], ...] = ()  # (host, guest moving in)
    petty_cash_cards: tuple[PettyCashCard, ...] = ()
    card_purchases: tuple[CardPurchase, ...] = ()
    expense_claims: tuple[ExpenseClaim, ...] = ()
    expense_routine_starts: dt.date | None = None
    expense_adopter_unit_ids: tuple[str, ...] = ()
    unused_card_ids: tuple[str, ...] = ()
    overstaffed_patterns: tuple[OverstaffedPattern, ...] = ()


COLLECTIONS: tuple[str, ...] = (
    "units", "providers", "clients", "decisions", "employees", "groups", "memberships",
    "templates", "shifts", "time_entries", "absences", "activities", "cost_entries",
    "budgets", "actions", "contracts", "stays", "action_targets", "action_follow_ups",
)


def generate_department(*, seed: int = 2026, scale: int = 1, start: dt.date = dt.date(2025, 1, 1),
                        end: dt.date = dt.date(2026, 11, 1),
                        as_of: dt.date | None = None,
                        department_staff: bool = True) -> DemoDepartment:
    """Generate a realistic department modelled on the seed documents.

    Args:
        seed: the only source of randomness.
        scale: multiplies units, clients and staff (for benchmarks).
        start, end: the history ``[start, end)`` covered by shifts.
        as_of: "today" of the demo; time is reported for complete months before it and
            costs are booked for them. Defaults to ``end``.
        department_staff: hire the avdelningschef and the office; False only for the
            later shards of a large demo (``demo.shards``), which share the first one's.
    """
    if scale < 1:
        raise ValueError("scale must be at least 1")
    if end <= start:
        raise ValueError("end must be after start")
    as_of = end if as_of is None else as_of
    rng = random.Random(seed)
    providers = org.build_providers(rng)
    book = build_clients(rng, scale, end)
    structures = build_structures(book, scale, start, end)
    staff = build_staff(rng, scale, structures, start, department_staff=department_staff)
    units = org.build_units(scale, staff.manager_ids)
    department = org.build_department(staff.head_id)
    groups = [p.group for p in structures.plans] + structures.basansvar_groups
    groups.sort(key=lambda g: g.id)
    absences = build_absences(rng, staff.employees, start, as_of)
    employee_by_id = {e.id: e for e in staff.employees}
    pool_by_unit: dict[str, list[str]] = {}
    for employee_id in staff.pool_ids:
        employee = employee_by_id[employee_id]
        pool_by_unit.setdefault(employee.home_unit_id, []).append(employee_id)
    cluster_of = {u.id: index // org.UNITS_PER_CLUSTER for index, u in enumerate(units)}
    cluster_pool: dict[int, list[str]] = {}
    for employee_id in staff.pool_ids:
        unit_key = employee_by_id[employee_id].home_unit_id
        cluster_pool.setdefault(cluster_of[unit_key], []).append(employee_id)
    for unit in units:
        # own unit's substitutes first; the övertalighetsteam for personal assistance;
        # then the rest of the cluster's pool
        own = pool_by_unit.get(unit.id, [])
        surplus: list[str] = []
        if unit.kind.value == "personlig_assistans":
            surplus = pool_by_unit.get(
                org.unit_id(cluster_of[unit.id], org.SURPLUS_UNIT_INDEX), [])
        rest = [e for e in cluster_pool.get(cluster_of[unit.id], [])
                if e not in own and e not in surplus
                and employee_by_id[e].home_unit_id != org.unit_id(
                    cluster_of[unit.id], org.SURPLUS_UNIT_INDEX)]
        pool_by_unit[unit.id] = own + surplus + rest
    episodes = [
        (group.id, org.LAPSED_PERMIT_ON + dt.timedelta(days=rng.randint(0, 20)),
         rng.randint(3, 6))
        for group in structures.basansvar_groups
    ]
    episodes = [e for e in episodes if start <= e[1] < end]
    roster = build_roster(
        rng=rng, start=start, end=end, templates=structures.templates, groups=groups,
        employees=staff.employees, absences=absences, members_by_group=staff.members_by_group,
        extra_by_group=staff.extra_by_group, pool_by_unit=pool_by_unit, episodes=episodes,
    )
    plant_rng = random.Random(seed * 7919 + 17)  # the ledger's plants: their own stream
    over_limit_month = _month_before_last(start, as_of)
    shifts, over_limit_employee = plant_over_limit(
        plant_rng, roster.shifts, groups, staff.employees, over_limit_month)
    roster.shifts = shifts
    planted_stays = build_stays(plant_rng, book, book.clients, start, as_of)
    # the korttidshem's and korttidstillsyn's children: their own stream (bemanningstäthet)
    density = build_density(random.Random(f"{seed}-density"), book, planted_stays.stays,
                            scale, start, end)
    hospital_clients = {s.client_id for s in planted_stays.stays}
    sfb_municipal = frozenset(
        c.client_id for c in book.pa_cases if c.over_permille == 1000
        and c.client_id not in hospital_clients
        and any(d.legal_basis.value == "SFB" for d in book.decisions
                if d.id in c.decision_ids))
    plan = choose_plan(rng, groups, staff.employees, start=start, as_of=as_of,
                       late_client_ids=sfb_municipal, late_rng=plant_rng)
    manager_of_unit = {u.id: u.manager_employee_id or staff.head_id for u in units}
    entries = build_time_entries(
        rng=rng, shifts=roster.shifts, time_kind=roster.time_kind, cover=roster.cover,
        groups=groups, employees=staff.employees, manager_of_unit=manager_of_unit, plan=plan,
        as_of=as_of,
    )
    activities = build_activities(rng=rng, units=units, employees=staff.employees,
                                  shifts=roster.shifts, start=start, end=end)
    client_unit = {c.id: c.unit_id for c in book.clients}
    action_plan = build_action_plan(department.id)
    costs, budgets = build_economy(
        rng=rng, units=units, employees=staff.employees, groups=groups, entries=entries,
        decisions=book.decisions, client_unit=client_unit, pool_ids=set(staff.pool_ids),
        basansvar_group_ids={g.id for g in structures.basansvar_groups}, start=start,
        end=end, as_of=as_of, scale=scale,
    )
    planted_premises = build_premises(seed=seed, units=units, start=start, as_of=as_of)
    planted_expenses = build_expenses(seed=seed, units=units, employees=staff.employees,
                                      cost_entries=costs, start=start, as_of=as_of)
    return DemoDepartment(
        seed=seed, scale=scale, start=start, end=end, as_of=as_of, department=department,
        units=tuple(units), providers=tuple(providers), clients=tuple(book.clients),
        decisions=tuple(book.decisions), employees=tuple(staff.employees),
        groups=tuple(groups), memberships=tuple(staff.memberships),
        templates=tuple(structures.templates), shifts=tuple(roster.shifts),
        time_entries=tuple(entries), absences=tuple(absences), activities=tuple(activities),
        cost_entries=tuple(costs), budgets=tuple(budgets),
        actions=action_plan.actions, action_targets=action_plan.targets,
        action_follow_ups=action_plan.follow_ups,
        contracts=tuple(build_contracts(providers, book.clients, book.decisions)),
        stays=planted_stays.stays + density.stays,
        unreported_group_ids=plan.unreported_group_ids,
        ob_claiming_carer_ids=plan.ob_claiming_carer_ids,
        over_scheduled_client_ids=tuple(sorted(
            c.client_id for c in book.pa_cases if c.over_permille != 1000)),
        unpaid_hospital_stay_ids=planted_stays.unpaid_hospital_stay_ids,
        unexplained_short_stay_client_ids=planted_stays.unexplained_short_stay_client_ids,
        late_report_group_month=None if plan.late_group_id is None or plan.late_month is None
        else (plan.late_group_id, plan.late_month),
        over_limit_employee_month=None if over_limit_employee is None
        else (over_limit_employee, over_limit_month),
        premises=planted_premises.premises, premises_uses=planted_premises.uses,
        premises_to_give_up_ids=planted_premises.give_up_ids,
        premises_share_pairs=planted_premises.share_pairs,
        petty_cash_cards=planted_expenses.cards, card_purchases=planted_expenses.purchases,
        expense_claims=planted_expenses.claims,
        expense_routine_starts=planted_expenses.routine_starts,
        expense_adopter_unit_ids=planted_expenses.adopter_unit_ids,
        unused_card_ids=planted_expenses.unused_card_ids,
        overstaffed_patterns=density.patterns,
    )


def _month_before_last(start: dt.date, as_of: dt.date) -> dt.date:
    """The month two months before ``as_of``'s (reported and attested), not before start."""
    month = as_of.replace(day=1)
    for _ in range(2):
        month = (month - dt.timedelta(days=1)).replace(day=1)
    return max(month, start.replace(day=1))


def _plain(value: object) -> str:
    """A canonical text form of one field value (converter cached per type)."""
    convert = _CONVERTERS.get(type(value))
    if convert is None:
        convert = _converter_for(value)
        _CONVERTERS[type(value)] = convert
    return convert(value)


def _money(value: Money) -> str:
    return f"{value.ore}ore"


def _identity(value: PersonalIdentity) -> str:
    return value.digits


def _period(value: Period) -> str:
    return f"[{_plain(value.start)},{_plain(value.end)})"


def _collection(value: tuple[object, ...] | list[object]) -> str:
    return "(" + ",".join(_plain(v) for v in value) + ")"


def _set(value: frozenset[object]) -> str:
    return "{" + ",".join(sorted(_plain(v) for v in value)) + "}"


def _enum(value: enum.Enum) -> str:
    return str(value.value)


def _converter_for(value: object) -> Callable[[Any], str]:
    if isinstance(value, enum.Enum):
        return _enum
    if isinstance(value, dt.date | dt.time):  # aware UTC datetimes: isoformat is canonical
        return type(value).isoformat
    if isinstance(value, frozenset):
        return _set
    if isinstance(value, tuple | list):
        return _collection
    if dataclasses.is_dataclass(value):
        return _record
    raise TypeError(f"cannot serialise {type(value).__name__}")


_CONVERTERS: dict[type, Callable[[Any], str]] = {
    type(None): lambda _v: "~", str: repr, int: repr, bool: repr, float: repr, Decimal: str,
    Money: _money, PersonalIdentity: _identity, Period: _period,
}
_FIELDS: dict[type, tuple[str, ...]] = {}
# The generated dataclass repr of these bulk types is canonical (scalar fields only: no
# sets, no masked reprs) and faster than converting field by field.
_REPR_SAFE: frozenset[type] = frozenset({PlannedShift, TimeEntry, CostEntry, Budget,
                                         ShiftTemplate, Absence, GroupMembership})


def _record(obj: Any) -> str:
    """``Type{field=value;...}`` with fields in declaration order."""
    kind = type(obj)
    names = _FIELDS.get(kind)
    if names is None:
        names = tuple(f.name for f in dataclasses.fields(obj))
        _FIELDS[kind] = names
    body = ";".join([f"{n}={_plain(getattr(obj, n))}" for n in names])
    return f"{kind.__name__}{{{body}}}"


def content_hash(dept: DemoDepartment) -> str:
    """sha256 over a canonical, sorted serialisation of every object in the department."""
    digest = hashlib.sha256()
    digest.update(_record(dept.department).encode())
    for name in COLLECTIONS:
        objects = getattr(dept, name)
        lines = sorted(
            repr(obj) if type(obj) in _REPR_SAFE else _record(obj) for obj in objects)
        digest.update(f"\n#{name}:{len(lines)}\n".encode())
        digest.update("\n".join(lines).encode())
    return digest.hexdigest()


def counts(dept: DemoDepartment) -> dict[str, int]:
    """Number of objects per collection."""
    return {name: len(getattr(dept, name)) for name in COLLECTIONS}
