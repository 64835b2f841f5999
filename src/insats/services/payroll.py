"""Use case: the payroll basis for a month (OB, mertid, overtime, jour, hourly wage).

Reads the month's counting time entries (by default only attested ones) and the
employees, applies the pay rules of :mod:`insats.domain.pay_rules` with the rule values
stored in the database, and returns one line per employee, pay type and rate. With unit
ids, the employees whose home unit is one of them are included, with all their time
whatever group or unit it was worked in: pay belongs to the employee.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass

from insats.db.repositories.payroll import pay_entries
from insats.domain.calendar import month_label
from insats.domain.common import Period
from insats.domain.ob_calendar import PayCalendar, shared_pay_calendar
from insats.domain.pay_rules import PayEntry, PayLine, PayType, monthly_pay
from insats.domain.staff import Employee
from insats.interchange.payroll_export import PayrollRow
from insats.services.uow import UnitOfWork

UowFactory = Callable[[], UnitOfWork]


@dataclass(frozen=True, slots=True)
class PayTypeTotal:
    pay_type: PayType
    employees: int
    minutes: int
    paid_minutes: int
    amount_ore: int


@dataclass(frozen=True, slots=True)
class PayrollMonth:
    """The pay lines of one month, with the employees they belong to.

    Attributes:
        entries: time entries of the month that were paid from.
        unattested_left_out: reported entries of the month not yet attested (left out
            unless asked for).
    """

    month: dt.date
    unit_ids: tuple[str, ...] | None
    employees: dict[str, Employee]
    lines: list[PayLine]
    entries: int
    unattested_left_out: int

    @property
    def label(self) -> str:
        return month_label(self.month.year, self.month.month)

    @property
    def amount_ore(self) -> int:
        return sum(line.amount_ore for line in self.lines)

    def totals(self) -> list[PayTypeTotal]:
        by_type: dict[PayType, list[PayLine]] = {}
        for line in self.lines:
            by_type.setdefault(line.pay_type, []).append(line)
        return [PayTypeTotal(pay_type, len({line.employee_id for line in lines}),
                             sum(line.minutes for line in lines),
                             sum(line.paid_minutes for line in lines),
                             sum(line.amount_ore for line in lines))
                for pay_type in PayType if (lines := by_type.get(pay_type))]

    def rows(self) -> list[PayrollRow]:
        """The lines as export rows, by employee."""
        rows: list[PayrollRow] = []
        for line in self.lines:
            employee = self.employees[line.employee_id]
            rows.append(PayrollRow(
                line.month, employee.id, employee.display_name, employee.home_unit_id,
                employee.agreement.value, line.pay_type, line.minutes, line.paid_minutes,
                line.rate_ore, line.amount_ore, line.uncertain))
        return rows


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def payroll_month(uow_factory: UowFactory, *, year: int, month: int,
                  unit_ids: Collection[str] | None = None,
                  attested_only: bool = True) -> PayrollMonth:
    """Pay lines for the month, for every employee or those of ``unit_ids``.

    Entries from the Monday of the month's first ISO week are read too: they use up the
    week's room for mertid.
    """
    period = Period.month(year, month)
    assert period.end is not None
    first = week_start(period.start)
    with uow_factory() as uow:
        calendar = shared_pay_calendar(uow.rules.rule_book())
        staff = {e.id: e for e in uow.staff.employed_during(Period(first, period.end))}
        wanted: set[str] | None = None
        if unit_ids is not None:
            units = set(unit_ids)
            wanted = {e.id for e in staff.values() if e.home_unit_id in units}
        entries, skipped = pay_entries(uow.session, first, period.end,
                                           employee_ids=wanted, attested_only=attested_only)
        by_employee: dict[str, list[PayEntry]] = {}
        for entry in entries:
            by_employee.setdefault(entry.employee_id, []).append(entry)
        for employee_id in by_employee.keys() - staff.keys():
            found = uow.staff.get(employee_id)
            if found is not None:
                staff[employee_id] = found
    lines = pay_lines(calendar, staff, by_employee, period.start)
    in_month = [e for e in entries if period.contains(e.day)]
    paid = sorted({e.employee_id for e in in_month} & staff.keys())
    return PayrollMonth(period.start, tuple(unit_ids) if unit_ids is not None else None,
                        {i: staff[i] for i in paid}, lines, len(in_month),
                        sum(1 for day in skipped if period.contains(day)))


def pay_lines(calendar: PayCalendar, staff: dict[str, Employee],
              by_employee: dict[str, list[PayEntry]], month: dt.date) -> list[PayLine]:
    """Every employee's lines for the month, by employee id."""
    lines: list[PayLine] = []
    for employee_id in sorted(by_employee):
        employee = staff.get(employee_id)
        if employee is not None:
            lines.extend(monthly_pay(employee, by_employee[employee_id], month=month,
                                     calendar=calendar))
    return lines
