"""Booked costs and revenues per unit and month, and budgets that leave a deficit.

Amounts follow the performed hours: monthly wages of the unit's staff, hourly wages of
PAN staff and substitutes from their time entries, overtime and mertid at the agreement
factors, social fees on all pay, premises, taxi (among it school taxi trips between school
and korttidstillsyn that belong to the education department), petty-cash card spending,
the municipality's share of assistansersättning for all SFB cases, FK revenue for the
reported (not the scheduled) hours of the municipally performed SFB cases, and sales:
places bought by another municipality, basansvar invoices to a private provider, HSL.
Budgets are set so that the department runs a deficit of 10.5–12.5 Mkr a year (seed 000:
−9.5 Mkr 2021, −13.2 Mkr 2022). Rates come from the bundled dated rule parameters.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from insats.domain.calendar import local_date
from insats.domain.common import Money, Period
from insats.domain.decisions import Decision, LegalBasis, Payer
from insats.domain.economy import AccountCategory as Cat
from insats.domain.economy import Budget, CostEntry
from insats.domain.organisation import Unit, UnitKind
from insats.domain.rules import RuleBook, bundled_parameters
from insats.domain.scheduling import AssistanceGroup
from insats.domain.staff import Employee, EmploymentForm
from insats.domain.time_reports import TimeEntry, TimeKind

Key = tuple[str, int, int, Cat]  # unit, year, month, category
RENT = {UnitKind.SHORT_TERM_STAY: 96_000, UnitKind.SHORT_TERM_SUPERVISION: 58_000,
        UnitKind.RESOURCE_UNIT: 44_000, UnitKind.PERSONAL_ASSISTANCE: 16_000,
        UnitKind.SUPPORT_FAMILIES: 6_000, UnitKind.CONTACT_PERSONS: 6_000}
OB_KRONOR_PER_HOUR = 28  # average OB and jour supplement over all performed hours
BUDGET_FACTORS = {Cat.WAGES: 0.985, Cat.SOCIAL_FEES: 0.985, Cat.OVERTIME: 0.30,
                  Cat.SUBSTITUTES: 0.75, Cat.TAXI: 0.40, Cat.PREMISES: 1.0,
                  Cat.PETTY_CASH: 0.6, Cat.OTHER_COST: 1.0, Cat.FK_REVENUE: 1.04,
                  Cat.SALES_REVENUE: 1.0}


def months_between(start: dt.date, end: dt.date) -> list[tuple[int, int]]:
    result: list[tuple[int, int]] = []
    year, month = start.year, start.month
    while dt.date(year, month, 1) < end:
        result.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return result


class _Ledger:
    def __init__(self) -> None:
        self.rows: list[tuple[str, Cat, dt.date, int, str, str]] = []
        self.totals: dict[Key, int] = defaultdict(int)

    def book(self, unit: str, cat: Cat, on: dt.date, ore: int, text: str,
             counterparty: str = "") -> None:
        if ore <= 0:
            return
        self.rows.append((unit, cat, on, ore, text, counterparty))
        self.totals[(unit, on.year, on.month, cat)] += ore


def _month_end(year: int, month: int) -> dt.date:
    period = Period.month(year, month)
    assert period.end is not None
    return period.end - dt.timedelta(days=1)


def build_economy(*, rng: random.Random, units: list[Unit], employees: list[Employee],
                  groups: list[AssistanceGroup], entries: list[TimeEntry],
                  decisions: list[Decision], client_unit: dict[str, str],
                  pool_ids: set[str], basansvar_group_ids: set[str], start: dt.date,
                  end: dt.date, as_of: dt.date,
                  scale: int) -> tuple[list[CostEntry], list[Budget]]:
    rules = RuleBook(bundled_parameters())
    booked = months_between(start, min(end, as_of.replace(day=1)))
    all_months = months_between(start, end)
    ledger = _Ledger()
    unit_by_id = {u.id: u for u in units}
    group_unit = {g.id: g.unit_id for g in groups}
    staff = {e.id: e for e in employees}
    worked: dict[tuple[str, int, int, str], int] = defaultdict(int)  # unit, y, m, bucket
    sfb_minutes: dict[tuple[str, int, int], int] = defaultdict(int)  # client, y, m
    basansvar: dict[tuple[str, int, int], int] = defaultdict(int)
    for entry in entries:
        day = local_date(entry.start)
        where = group_unit[entry.group_id]
        minutes = entry.worked.value
        employee = staff[entry.employee_id]
        rate = employee.hourly_rate().ore
        if entry.kind in (TimeKind.OVERTIME, TimeKind.EXTRA):
            factor = rules.permille("pay.overtime_simple_factor" if entry.kind is
                                    TimeKind.OVERTIME else "pay.mertid_factor", day)
            worked[(where, day.year, day.month, "ot")] += rate * minutes * factor // 60_000
        elif entry.employee_id in pool_ids and employee.hourly_wage is not None:
            worked[(where, day.year, day.month, "sub")] += rate * minutes * 112 // 6000
        elif employee.employment_form is not EmploymentForm.PERMANENT:
            worked[(where, day.year, day.month, "hourly")] += rate * minutes * 112 // 6000
        worked[(where, day.year, day.month, "ob")] += OB_KRONOR_PER_HOUR * 100 * minutes // 60
        if entry.client_id is not None:
            sfb_minutes[(entry.client_id, day.year, day.month)] += minutes
        if entry.group_id in basansvar_group_ids:
            basansvar[(where, day.year, day.month)] += minutes
    monthly_by_unit: dict[str, int] = defaultdict(int)
    for employee in employees:
        if employee.monthly_wage is not None:
            monthly_by_unit[employee.home_unit_id] += employee.monthly_wage.ore
    low_use_unit = next(u.id for u in units if u.kind is UnitKind.PERSONAL_ASSISTANCE)
    for year, month in booked:
        on = _month_end(year, month)
        period = Period.month(year, month)
        schablon = rules.money("fk.schablon_per_hour", on).ore
        social = rules.permille("pay.social_fee_rate", on)
        for unit in units:
            u = unit.id
            pay = monthly_by_unit[u] + worked[(u, year, month, "hourly")]
            ledger.book(u, Cat.WAGES, on, monthly_by_unit[u], "Månadslöner")
            ledger.book(u, Cat.WAGES, on, worked[(u, year, month, "hourly")],
                        "Timlöner PAN och anhörigvårdare")
            ledger.book(u, Cat.WAGES, on, worked[(u, year, month, "ob")],
                        "OB- och jourtillägg")
            ledger.book(u, Cat.OVERTIME, on, worked[(u, year, month, "ot")],
                        "Övertid och mertid")
            ledger.book(u, Cat.SUBSTITUTES, on, worked[(u, year, month, "sub")],
                        "Timvikarier inkl. semesterersättning")
            pay += sum(worked[(u, year, month, b)] for b in ("ob", "ot", "sub"))
            ledger.book(u, Cat.SOCIAL_FEES, on, pay * social // 1000,
                        "Personalomkostnadspålägg")
            ledger.book(u, Cat.PREMISES, on, RENT.get(unit.kind, 0) * 100, "Hyra lokal",
                        "Alingsåshem AB")
            if u == low_use_unit:
                ledger.book(u, Cat.PREMISES, on, 31_500 * 100,
                            "Hyra lokal Hemsjö träffpunkt (nyttjas ca 15 %)", "Privat hyresvärd")
            _variable_costs(rng, ledger, unit, on, year, month)
            if basansvar[(u, year, month)]:
                ledger.book(u, Cat.SALES_REVENUE, on,
                            basansvar[(u, year, month)] * schablon // 60,
                            "Faktura basansvar: kommunen utförde assistans åt privat anordnare",
                            "Frihetsassistans Sjuhärad AB")
        for decision in decisions:
            if decision.legal_basis is not LegalBasis.SFB or not decision.period.overlaps(
                    period):
                continue
            u = client_unit[decision.client_id]
            granted = decision.granted_in(period).value
            share = min(granted, 1200 * period.days // 7)
            ledger.book(u, Cat.OTHER_COST, on, share * schablon // 60,
                        "Kommunens andel av assistansersättning (första 20 tim/vecka)",
                        "Försäkringskassan")
            if decision.provider_id == "P00":
                performed = sfb_minutes[(decision.client_id, year, month)]
                granted += decision.double_granted_in(period).value
                paid = min(performed, granted) * schablon // 60
                if decision.increased_rate:
                    paid = paid * 112 // 100
                ledger.book(u, Cat.FK_REVENUE, on, paid,
                            "Assistansersättning för redovisad tid", "Försäkringskassan")
        for decision in decisions:
            if decision.payer is Payer.OTHER_MUNICIPALITY and decision.period.overlaps(period):
                ledger.book(client_unit[decision.client_id], Cat.SALES_REVENUE, on,
                            rng.randint(6, 12) * 4_150 * 100, "Köpt plats korttidsvistelse",
                            "Vårgårda kommun")
    entries_out = [
        CostEntry(id=f"K{n:06d}", unit_id=u, cost_centre=unit_by_id[u].cost_centre,
                  category=cat, booked_on=on, amount=Money(ore), description=text,
                  counterparty=party)
        for n, (u, cat, on, ore, text, party) in enumerate(ledger.rows, start=1)
    ]
    budgets = _budgets(rng, ledger.totals, units, booked, all_months, scale)
    return entries_out, budgets


def _variable_costs(rng: random.Random, ledger: _Ledger, unit: Unit, on: dt.date,
                    year: int, month: int) -> None:
    if unit.kind is UnitKind.SHORT_TERM_SUPERVISION:
        school_days = 0 if month in (7,) else (10 if month in (6, 8) else 19)
        trips = school_days * rng.randint(5, 8)
        ledger.book(unit.id, Cat.TAXI, on, trips * rng.randint(380, 460) * 100,
                    f"Taxi skola–korttidstillsyn, {trips} resor (skolskjuts, ska betalas av BoU)",
                    "Alingsås Taxi AB")
    if unit.kind in (UnitKind.SHORT_TERM_STAY, UnitKind.RESOURCE_UNIT):
        ledger.book(unit.id, Cat.TAXI, on, rng.randint(3_000, 9_000) * 100,
                    "Taxi, resor med brukare", "Alingsås Taxi AB")
    if unit.kind in (UnitKind.PERSONAL_ASSISTANCE, UnitKind.SHORT_TERM_STAY,
                     UnitKind.RESOURCE_UNIT):
        for _ in range(rng.randint(3, 8)):
            place = rng.choice(("café", "bio", "bowling", "simhall", "lunch", "museum"))
            day = on.replace(day=rng.randint(1, on.day))
            ledger.book(unit.id, Cat.PETTY_CASH, day, rng.randint(120, 950) * 100,
                        f"Handkassekort: medföljande aktivitet ({place})")
        ledger.book(unit.id, Cat.OTHER_COST, on, rng.randint(8_000, 25_000) * 100,
                    "Förbrukningsmaterial, telefoni och IT")
    if unit.kind is UnitKind.PERSONAL_ASSISTANCE and rng.random() < 0.5:
        ledger.book(unit.id, Cat.SALES_REVENUE, on, rng.randint(15_000, 40_000) * 100,
                    "HSL-insatser, ersättning från regionen", "Västra Götalandsregionen")


def _budgets(rng: random.Random, totals: dict[Key, int], units: list[Unit],
             booked: list[tuple[int, int]], all_months: list[tuple[int, int]],
             scale: int) -> list[Budget]:
    """Budgets per unit, month and category; wages calibrated to the planted deficit."""
    categories = sorted(BUDGET_FACTORS)
    booked_set = set(booked)
    average: dict[tuple[str, Cat], int] = {}
    for unit in units:
        for cat in categories:
            values = [totals.get((unit.id, y, m, cat), 0) for y, m in booked]
            average[(unit.id, cat)] = sum(values) // max(1, len(values))
    amounts: dict[Key, int] = {}
    for unit in units:
        for y, m in all_months:
            for cat in categories:
                base = (totals.get((unit.id, y, m, cat), 0) if (y, m) in booked_set
                        else average[(unit.id, cat)])
                amounts[(unit.id, y, m, cat)] = int(base * BUDGET_FACTORS[cat])
    revenue = {Cat.FK_REVENUE, Cat.SALES_REVENUE}
    for year in sorted({y for y, _ in booked}):
        months = [(y, m) for y, m in booked if y == year]
        target = int(rng.uniform(10.5e8, 12.5e8) * scale * len(months) / 12)  # öre

        def deviation(y: int = year, ms: list[tuple[int, int]] = months) -> int:
            total = 0
            for unit in units:
                for yy, m in ms:
                    for cat in categories:
                        diff = (totals.get((unit.id, yy, m, cat), 0)
                                - amounts[(unit.id, yy, m, cat)])
                        total += diff if cat in revenue else -diff
            return -total

        wage_budget = sum(amounts[(u.id, y, m, Cat.WAGES)] for u in units for y, m in months)
        shortfall = deviation() - target
        if wage_budget > 0:
            factor = 1 + shortfall / wage_budget
            for unit in units:
                for y, m in all_months:
                    if y == year:
                        key = (unit.id, y, m, Cat.WAGES)
                        amounts[key] = int(amounts[key] * factor)
    return [Budget(unit_id=u, year=y, month=m, category=cat, amount=Money(ore))
            for (u, y, m, cat), ore in sorted(amounts.items()) if ore > 0]
