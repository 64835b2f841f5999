"""Builders: plain functions that return valid domain objects with sensible defaults.

Every builder takes keyword overrides for any field, e.g. ``a_unit(id="U02", name="Korttids")``.
The default ids fit together: department D01, unit U01, provider P01, client C0001,
employee E0001, group G0001, shift template T0001. ``a_small_world()`` returns those
parents in an order that can be inserted as it is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from insats.domain.absence import Absence, AbsenceKind
from insats.domain.actions import Action, ActionStatus
from insats.domain.activities import Activity, ActivityKind
from insats.domain.billing import Invoice, InvoiceKind, InvoiceLine
from insats.domain.calendar import STOCKHOLM
from insats.domain.clients import Client
from insats.domain.common import Money, Period
from insats.domain.decisions import DecidedBy, Decision, Insats, LegalBasis, Payer
from insats.domain.economy import AccountCategory, Budget, CostEntry
from insats.domain.organisation import Department, Unit, UnitKind
from insats.domain.personnummer import make_identity
from insats.domain.providers import Provider
from insats.domain.rules.parameters import Certainty, ParameterUnit, RuleParameter
from insats.domain.scheduling import AssistanceGroup, GroupMembership, PlannedShift, ShiftTemplate
from insats.domain.staff import Agreement, Employee, EmploymentForm, Position
from insats.domain.time_reports import TimeEntry


def stockholm(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    """An aware Europe/Stockholm datetime (wall clock)."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM)


def a_department(**overrides: Any) -> Department:
    values: dict[str, Any] = {
        "id": "D01",
        "name": "Avdelning Stöd och service",
        "municipality_code": "1480",
        "municipality_name": "Göteborg",
    }
    return Department(**{**values, **overrides})


def a_unit(**overrides: Any) -> Unit:
    values: dict[str, Any] = {
        "id": "U01",
        "department_id": "D01",
        "name": "Personlig assistans Norr",
        "kind": UnitKind.PERSONAL_ASSISTANCE,
        "cost_centre": "4101",
    }
    return Unit(**{**values, **overrides})


def a_provider(**overrides: Any) -> Provider:
    values: dict[str, Any] = {
        "id": "P01",
        "name": "Kommunen, egen regi",
        "organisation_number": "212000-1355",
        "is_municipal": True,
    }
    return Provider(**{**values, **overrides})


def a_client(**overrides: Any) -> Client:
    values: dict[str, Any] = {
        "id": "C0001",
        "pseudonym": "B-0001",
        "identity": make_identity(dt.date(1985, 4, 12), 123),
        "given_name": "Anna",
        "family_name": "Berg",
        "unit_id": "U01",
        "home_municipality_code": "1480",
        "address": "Storgatan 1, Göteborg",
    }
    return Client(**{**values, **overrides})


def an_employee(**overrides: Any) -> Employee:
    values: dict[str, Any] = {
        "id": "E0001",
        "given_name": "Karin",
        "family_name": "Lund",
        "home_unit_id": "U01",
        "position": Position.ASSISTANT,
        "employment_form": EmploymentForm.PERMANENT,
        "agreement": Agreement.AB,
        "employment_percent": 75,
        "full_time_minutes_per_week": 2400,
        "employed": Period(dt.date(2020, 1, 1)),
        "monthly_wage": Money.kronor(28_500),
    }
    return Employee(**{**values, **overrides})


def an_hourly_substitute(**overrides: Any) -> Employee:
    values: dict[str, Any] = {
        "id": "E9001",
        "employment_form": EmploymentForm.HOURLY,
        "employment_percent": 0,
        "monthly_wage": None,
        "hourly_wage": Money.kronor("172,50"),
        "in_substitute_pool": True,
    }
    return an_employee(**{**values, **overrides})


def a_decision(**overrides: Any) -> Decision:
    values: dict[str, Any] = {
        "id": "BE0001",
        "client_id": "C0001",
        "legal_basis": LegalBasis.SFB,
        "insats": Insats.PERSONAL_ASSISTANCE,
        "period": Period(dt.date(2026, 1, 1), dt.date(2027, 1, 1)),
        "decided_by": DecidedBy.FK,
        "payer": Payer.FK,
        "provider_id": "P01",
        "decided_on": dt.date(2025, 12, 1),
        "granted_minutes_per_week": 60 * 60,
    }
    return Decision(**{**values, **overrides})


def a_group(**overrides: Any) -> AssistanceGroup:
    values: dict[str, Any] = {
        "id": "G0001",
        "unit_id": "U01",
        "name": "Assistansgrupp B-0001",
        "client_id": "C0001",
    }
    return AssistanceGroup(**{**values, **overrides})


def a_membership(**overrides: Any) -> GroupMembership:
    values: dict[str, Any] = {
        "employee_id": "E0001",
        "group_id": "G0001",
        "period": Period(dt.date(2026, 1, 1)),
    }
    return GroupMembership(**{**values, **overrides})


def a_template(**overrides: Any) -> ShiftTemplate:
    values: dict[str, Any] = {
        "id": "T0001",
        "group_id": "G0001",
        "name": "Dag",
        "weekday": 0,
        "start": dt.time(7, 0),
        "length_minutes": 480,
        "valid": Period(dt.date(2026, 1, 1)),
    }
    return ShiftTemplate(**{**values, **overrides})


def a_shift(**overrides: Any) -> PlannedShift:
    """A day shift 07:00–15:00 Stockholm on Monday 2 March 2026."""
    values: dict[str, Any] = {
        "id": "S0001",
        "group_id": "G0001",
        "start": stockholm(2026, 3, 2, 7),
        "end": stockholm(2026, 3, 2, 15),
        "employee_id": "E0001",
    }
    return PlannedShift(**{**values, **overrides})


def a_time_entry(**overrides: Any) -> TimeEntry:
    values: dict[str, Any] = {
        "id": "TE0001",
        "employee_id": "E0001",
        "group_id": "G0001",
        "start": stockholm(2026, 3, 2, 7),
        "end": stockholm(2026, 3, 2, 15),
        "client_id": "C0001",
        "reported_on": dt.date(2026, 3, 2),
    }
    return TimeEntry(**{**values, **overrides})


def an_absence(**overrides: Any) -> Absence:
    values: dict[str, Any] = {
        "id": "A0001",
        "employee_id": "E0001",
        "kind": AbsenceKind.SICK,
        "period": Period(dt.date(2026, 3, 2), dt.date(2026, 3, 4)),
    }
    return Absence(**{**values, **overrides})


def an_activity(**overrides: Any) -> Activity:
    values: dict[str, Any] = {
        "id": "AC0001",
        "unit_id": "U01",
        "kind": ActivityKind.WORKPLACE_MEETING,
        "title": "APT mars",
        "start": stockholm(2026, 3, 12, 13),
        "duration_minutes": 120,
        "participant_ids": ("E0001",),
    }
    return Activity(**{**values, **overrides})


def a_cost_entry(**overrides: Any) -> CostEntry:
    values: dict[str, Any] = {
        "id": "K0001",
        "unit_id": "U01",
        "cost_centre": "4101",
        "category": AccountCategory.WAGES,
        "booked_on": dt.date(2026, 3, 25),
        "amount": Money.kronor("123 456,78"),
        "description": "Löner mars",
    }
    return CostEntry(**{**values, **overrides})


def a_budget(**overrides: Any) -> Budget:
    values: dict[str, Any] = {
        "unit_id": "U01",
        "year": 2026,
        "month": 3,
        "category": AccountCategory.WAGES,
        "amount": Money.kronor(500_000),
    }
    return Budget(**{**values, **overrides})


def an_action(**overrides: Any) -> Action:
    values: dict[str, Any] = {
        "id": "AT0001",
        "department_id": "D01",
        "activity": "Minska övertiden",
        "measure": "Se över bemanningen på helger",
        "status": ActionStatus.PLANNED,
        "owner_role": "Enhetschef",
        "follow_up_on": dt.date(2026, 6, 1),
        "unit_id": "U01",
    }
    return Action(**{**values, **overrides})


def an_invoice_line(**overrides: Any) -> InvoiceLine:
    values: dict[str, Any] = {
        "description": "Personlig assistans mars 2026",
        "quantity_minutes": 600,
        "quantity": 1,
        "unit_price": Money.kronor("331,00"),
        "amount": Money.kronor("3 310,00"),
        "client_id": "C0001",
    }
    return InvoiceLine(**{**values, **overrides})


def an_invoice(**overrides: Any) -> Invoice:
    values: dict[str, Any] = {
        "id": "F0001",
        "kind": InvoiceKind.FK_CLAIM,
        "recipient": "Försäkringskassan",
        "unit_id": "U01",
        "lines": (an_invoice_line(),),
    }
    return Invoice(**{**values, **overrides})


def a_rule_parameter(**overrides: Any) -> RuleParameter:
    values: dict[str, Any] = {
        "key": "fk.schablon_per_hour",
        "valid_from": dt.date(2026, 1, 1),
        "valid_to": dt.date(2027, 1, 1),
        "value": 33_100,
        "unit": ParameterUnit.ORE,
        "source": "Testvärde",
        "certainty": Certainty.CONFIRMED,
    }
    return RuleParameter(**{**values, **overrides})


def a_small_world() -> list[Any]:
    """Parents most other entities need, in insertable order (by feature repository)."""
    return [
        a_department(),
        a_unit(),
        a_provider(),
        a_client(),
        an_employee(),
        a_group(),
        a_template(),
    ]


def a_relative_carer(**overrides: Any) -> Employee:
    """An anhörigvårdare on PAN, tied to client C0001."""
    values: dict[str, Any] = {
        "id": "E0100",
        "given_name": "Lars",
        "family_name": "Berg",
        "position": Position.CARER_RELATIVE,
        "employment_form": EmploymentForm.FIXED_TERM,
        "agreement": Agreement.PAN,
        "employment_percent": 50,
        "monthly_wage": None,
        "hourly_wage": Money.kronor("150,00"),
        "related_client_id": "C0001",
    }
    return an_employee(**{**values, **overrides})


@dataclass(frozen=True)
class SmallDepartment:
    """A personal-assistance unit with two clients, for planning tests.

    C0001 (group G0001) is granted 100 h a week plus 14 h double assistance; its schedule
    structure asks for a day (07–15) and an evening (15–22) every day and a second
    assistant 07–09 — 119 h, so one evening a week is trimmed to fit the grant. C0002
    (G0002) is granted 40 h and asks for 08–16 on weekdays. Staff: five assistants
    (E0001–E0003 in G0001, E0004–E0005 in G0002), an anhörigvårdare for C0002 (E0100, a
    member of both groups on paper) and a pool substitute (E9001).
    """

    department: Department
    unit: Unit
    provider: Provider
    clients: tuple[Client, ...]
    decisions: tuple[Decision, ...]
    employees: tuple[Employee, ...]
    groups: tuple[AssistanceGroup, ...]
    memberships: tuple[GroupMembership, ...]
    templates: tuple[ShiftTemplate, ...]

    def insertable(self) -> list[Any]:
        """Everything in an order the repositories can insert."""
        return [self.department, self.unit, self.provider, *self.clients, *self.employees,
                *self.decisions, *self.groups, *self.memberships, *self.templates]


def a_small_department() -> SmallDepartment:
    since = Period(dt.date(2026, 1, 1))
    clients = (a_client(), a_client(id="C0002", pseudonym="B-0002", given_name="Olle",
                                     identity=make_identity(dt.date(1990, 6, 1), 456)))
    decisions = (
        a_decision(granted_minutes_per_week=100 * 60, double_assistance_minutes_per_week=14 * 60,
                   period=Period(dt.date(2026, 1, 1), dt.date(2028, 1, 1))),
        a_decision(id="BE0002", client_id="C0002", granted_minutes_per_week=40 * 60,
                   period=Period(dt.date(2026, 1, 1), dt.date(2028, 1, 1))),
    )
    employees = (
        an_employee(),
        an_employee(id="E0002", given_name="Sara", employment_percent=100,
                    monthly_wage=Money.kronor(31_000)),
        an_employee(id="E0003", given_name="Ali", employment_percent=75),
        an_employee(id="E0004", given_name="Mona", employment_percent=100,
                    monthly_wage=Money.kronor(30_500)),
        an_employee(id="E0005", given_name="Per", employment_percent=50,
                    monthly_wage=Money.kronor(15_000)),
        a_relative_carer(related_client_id="C0002"),
        an_hourly_substitute(),
    )
    groups = (a_group(), a_group(id="G0002", name="Assistansgrupp B-0002", client_id="C0002"))
    memberships = (
        *(a_membership(employee_id=e, group_id="G0001", period=since)
          for e in ("E0001", "E0002", "E0003", "E0100")),
        *(a_membership(employee_id=e, group_id="G0002", period=since)
          for e in ("E0004", "E0005", "E0100")),
    )
    every_day = range(7)
    templates = (
        *(a_template(id=f"T01{d}", weekday=d, name="Dag", valid=since) for d in every_day),
        *(a_template(id=f"T02{d}", weekday=d, name="Kväll", start=dt.time(15, 0),
                     length_minutes=420, valid=since) for d in every_day),
        *(a_template(id=f"T03{d}", weekday=d, name="Dubbelassistans morgon",
                     start=dt.time(7, 0), length_minutes=120, valid=since) for d in every_day),
        *(a_template(id=f"T04{d}", group_id="G0002", weekday=d, name="Dag",
                     start=dt.time(8, 0), valid=since) for d in range(5)),
    )
    return SmallDepartment(a_department(), a_unit(), a_provider(), clients, decisions,
                           employees, groups, memberships, templates)
