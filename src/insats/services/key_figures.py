"""Use case: the key figures of docs/key-figures.md per unit, month and period, for the
caller's units, with the committee's small counts suppressed.

The time, grant and sick-leave sums come from the overview's book of figures
(:func:`insats.services.overview.figure_book`, 12 months per book, kept for a while);
the booked amounts, budgets, continuity, substitutes' time, meetings and the Kolada
census from grouped queries (``insats.db.repositories.figure_sources``). Everything is
reduced to one :class:`FigureSums` per unit and month; scopes and the period add them up
and :func:`figure_values` computes the figures (``insats.domain.figure_catalogue``).

Roles: the caller needs ``VIEW_AGGREGATES``; a unit manager sees only their own units;
the committee (nämnd) sees every unit with the cells hidden that would show fewer than
five clients (or staff, for sick leave), with complements so that no hidden cell can be
computed from the totals.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import replace

from insats.db.repositories import figure_sources as sources
from insats.db.repositories import key_figures as queries
from insats.domain.access import AccessDenied, Caller, Capability, Role
from insats.domain.calendar import STOCKHOLM
from insats.domain.common import DomainError, Period, add_months
from insats.domain.disclosure import suppress_table
from insats.domain.economy import REVENUE_CATEGORIES, AccountCategory
from insats.domain.figure_catalogue import (
    DEFINITIONS,
    MONTHS_PER_YEAR,
    TOTAL_KEY,
    FigureCell,
    FigureCode,
    FigureReport,
    FigureScope,
    FigureSums,
    Hidden,
    Suppression,
    cost_beyond_granted,
    definition,
    figure_values,
    hidden_by_counts,
    month_key,
    period_sums,
    rounded,
    scope_sums,
)
from insats.domain.key_figures import KeyFigures
from insats.domain.organisation import Unit, UnitKind
from insats.services.overview import figure_book
from insats.services.scope import require_department, visible_units
from insats.services.uow import UnitOfWork

UowFactory = Callable[[], UnitOfWork]
INHABITANTS_KEY = "kolada.inhabitants_0_64"
SOCIAL_FEE_KEY = "pay.social_fee_rate"
SCHABLON_KEY = "fk.schablon_per_hour"
MAX_MONTHS = 36
STAFF_COST = frozenset({AccountCategory.WAGES, AccountCategory.SOCIAL_FEES,
                        AccountCategory.OVERTIME, AccountCategory.SUBSTITUTES})
DECIMALS = 2  # values are kept to the öre / hundredth


def month_starts(start: dt.date, end: dt.date) -> list[dt.date]:
    months: list[dt.date] = []
    day = start
    while day < end:
        months.append(day)
        day = add_months(day, 1)
    return months


def check_period(start: dt.date, end: dt.date) -> list[dt.date]:
    """The months of ``[start, end)``, which must be whole months, at most
    :data:`MAX_MONTHS`."""
    if start.day != 1 or end.day != 1 or start >= end:
        raise DomainError("figures.period", "Perioden ska vara hela månader, till exempel "
                          "2026-01..2026-10.")
    months = month_starts(start, end)
    if len(months) > MAX_MONTHS:
        raise DomainError("figures.period_length",
                          f"Perioden får vara högst {MAX_MONTHS} månader.")
    return months


_MONTH = r"(\d{4})-(\d{2})"


def _month(text: str) -> dt.date:
    found = re.fullmatch(_MONTH, text.strip())
    if not found or not 1 <= int(found[2]) <= 12:
        raise DomainError("figures.month", f"Perioden: {text!r} ska skrivas ÅÅÅÅ-MM.")
    return dt.date(int(found[1]), int(found[2]), 1)


def parse_period(year: int | None, period: str | None) -> tuple[dt.date, dt.date]:
    """A year (2026) or a period of months ("2026-01..2026-10", both included; or one
    month "2026-03") as ``[start, end)``."""
    if (year is None) == (period is None):
        raise DomainError("figures.window", "Ange antingen ett år (ÅÅÅÅ) eller en period "
                          "av månader (ÅÅÅÅ-MM..ÅÅÅÅ-MM).")
    if year is not None:
        if not 2000 <= year <= 2099:
            raise DomainError("figures.year", "Året ska ligga mellan 2000 och 2099.")
        return dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    assert period is not None
    first, separator, last = period.partition("..")
    if not separator:
        first = last = period
    start, final = _month(first), _month(last)
    if final < start:
        raise DomainError("figures.period", "Perioden: den sista månaden är före den första.")
    return start, add_months(final, 1)


def figure_report(uow_factory: UowFactory, *, caller: Caller, start: dt.date, end: dt.date,
                  unit_ids: Sequence[str] | None = None,
                  today: dt.date | None = None) -> FigureReport:
    """Every key figure for the caller's units (or ``unit_ids`` of them) per month of
    ``[start, end)`` and for the whole period, with the total of the shown units.

    ``today`` decides which scheduled time is overdue for reporting (FK revenue at risk:
    shifts before the month of ``today``)."""
    caller.viewer.require(Capability.VIEW_AGGREGATES)
    months = check_period(start, end)
    today = today or dt.date.today()
    with uow_factory() as uow:
        require_department(uow)
        visible = visible_units(uow, caller)
        shown = _chosen(uow, caller, visible, unit_ids)
        sums = _unit_sums(uow, visible, months)
        department = uow.organisation.departments()
    book_rows = _book_rows(uow_factory, [u.id for u in visible], months, today)
    for unit_id, rows in book_rows.items():
        sums[unit_id] = [_with_book(s, row) for s, row in zip(sums[unit_id], rows, strict=True)]
    with uow_factory() as uow:
        schablon = _dated(uow, SCHABLON_KEY, months)
    for unit_id, rows in book_rows.items():
        sums[unit_id] = [_with_risk(s, row, rate)
                         for s, row, rate in zip(sums[unit_id], rows, schablon, strict=True)]
    committee = caller.viewer.role is Role.COMMITTEE
    whole = unit_ids is None and caller.viewer.department_wide
    label = (department[0].name if whole and department else
             "Summa mina enheter" if unit_ids is None else "Summa valda enheter")
    scopes = (*(FigureScope(u.id, u.name) for u in shown), FigureScope(None, label))
    cells = _cells(visible, shown, sums, months, committee=committee)
    return FigureReport(start=start, end=end, definitions=DEFINITIONS,
                        months=tuple(month_key(m) for m in months), scopes=scopes,
                        cells=cells, suppressed=committee,
                        computed_at=dt.datetime.now(dt.UTC))


def _chosen(uow: UnitOfWork, caller: Caller, visible: list[Unit],
            unit_ids: Sequence[str] | None) -> list[Unit]:
    if unit_ids is None:
        return visible
    by_id = {u.id: u for u in visible}
    chosen: list[Unit] = []
    for unit_id in unit_ids:
        if uow.organisation.get(unit_id) is None:
            raise DomainError("figures.unit", f"Enheten {unit_id} finns inte.")
        caller.viewer.require_unit(unit_id)
        if unit_id not in by_id:
            raise AccessDenied("Enheten ingår inte i din behörighet.")
        if by_id[unit_id] not in chosen:
            chosen.append(by_id[unit_id])
    return chosen


def _dated(uow: UnitOfWork, key: str, months: list[dt.date]) -> list[int]:
    """A dated rule parameter on each month's last day (0 where none is in force)."""
    book = uow.rules.rule_book()
    values = []
    for month in months:
        try:
            values.append(book.parameter(key, add_months(month, 1) - dt.timedelta(days=1))
                          .value)
        except DomainError:
            values.append(0)
    return values


def _unit_sums(uow: UnitOfWork, units: list[Unit],
               months: list[dt.date]) -> dict[str, list[FigureSums]]:
    """The sums that come from the economy, continuity, substitutes, meetings and the
    Kolada census, per unit and month."""
    session = uow.session
    ids = [u.id for u in units]
    start, end = months[0], add_months(months[-1], 1)
    year_start = dt.date(start.year, 1, 1)
    bounds = [*month_starts(year_start, end), end]
    index_of = {m: i for i, m in enumerate(bounds[:-1])}
    booked: dict[tuple[str, int], dict[AccountCategory, int]] = defaultdict(
        lambda: defaultdict(int))
    for amount in sources.booked_by_segment(session, bounds, ids):
        booked[(amount.unit_id, amount.segment)][amount.category] += amount.ore
    budget: dict[tuple[str, int, int], int] = defaultdict(int)
    for row in sources.budgets_of_years(session, start.year, months[-1].year, ids):
        budget[(row.unit_id, row.year, row.month)] += _signed(row.category, row.ore)
    month_bounds = [*months, end]
    pairs: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0])
    client_unit = queries.client_units(session, ids)
    for client_id, segment, count in sources.assistants_by_client(session, month_bounds):
        owner = client_unit.get(client_id)
        if owner is not None:
            pairs[(owner, segment)][0] += count
            pairs[(owner, segment)][1] += 1
    substitutes = {(u, s): m for u, s, m in
                   sources.substitute_time_by_segment(session, month_bounds, ids)}
    meetings = _meetings(uow, months, ids)
    inhabitants = _dated(uow, INHABITANTS_KEY, months)
    october = {m.year: sources.assistance_clients_on(session, m, ids)
               for m in months if m.month == 10}

    def outcome(unit: str, month: dt.date) -> int:
        return sum(_signed(c, o) for c, o in booked[(unit, index_of[month])].items())

    result: dict[str, list[FigureSums]] = {}
    for unit in units:
        rows = []
        for index, month in enumerate(months):
            categories = booked[(unit.id, index_of[month])]
            this_year = [dt.date(month.year, m, 1) for m in range(1, MONTHS_PER_YEAR + 1)]
            done = [m for m in this_year if m <= month]
            net = outcome(unit.id, month)
            assistance = unit.kind is UnitKind.PERSONAL_ASSISTANCE
            minutes, cost = meetings.get((unit.id, index), (0, 0))
            rows.append(FigureSums(
                budget_net=budget[(unit.id, month.year, month.month)],
                outcome_net=net,
                staff_cost=sum(categories[c] for c in STAFF_COST),
                fk_revenue=categories[AccountCategory.FK_REVENUE],
                overtime_cost=categories[AccountCategory.OVERTIME],
                substitute_cost=categories[AccountCategory.SUBSTITUTES],
                kolada_net=net if assistance else 0,
                substitute_minutes=substitutes.get((unit.id, index), 0),
                meeting_minutes=minutes, meeting_cost=cost,
                months=1,
                assistant_pairs=pairs[(unit.id, index)][0],
                served_client_months=pairs[(unit.id, index)][1],
                outcome_to_date=sum(outcome(unit.id, m) for m in done),
                budget_to_date=sum(budget[(unit.id, m.year, m.month)] for m in done),
                budget_rest=sum(budget[(unit.id, m.year, m.month)] for m in this_year
                                if m > month),
                months_elapsed=month.month,
                inhabitants=inhabitants[index],
                assistance_units=1 if assistance else 0,
                clients_on_1_october=(october[month.year].get(unit.id, 0)
                                      if month.month == 10 else None),
            ))
        result[unit.id] = rows
    return result


def _signed(category: AccountCategory, ore: int) -> int:
    """An amount's effect on the net cost: costs add, revenues subtract."""
    return -ore if category in REVENUE_CATEGORIES else ore


def _meetings(uow: UnitOfWork, months: list[dt.date],
              unit_ids: list[str]) -> dict[tuple[str, int], tuple[int, int]]:
    """(minutes, öre) of meetings and training per (unit, month index): each participant's
    time at their hourly wage plus social fees (``pay.social_fee_rate`` of the month)."""
    end = add_months(months[-1], 1)
    first = dt.datetime.combine(months[0], dt.time(), STOCKHOLM)
    last = dt.datetime.combine(end, dt.time(), STOCKHOLM)
    rows = sources.activity_time(uow.session, first, last, unit_ids)
    if not rows:
        return {}
    fees = _dated(uow, SOCIAL_FEE_KEY, months)
    employees = {e.id: e for e in uow.staff.employed_during(Period(months[0], end))}
    rates: dict[str, int] = {}
    for employee_id in {r.employee_id for r in rows}:
        employee = employees.get(employee_id) or uow.staff.get(employee_id)
        paid = employee is not None and (employee.hourly_wage is not None
                                         or employee.monthly_wage is not None)
        rates[employee_id] = employee.hourly_rate().ore if employee is not None and paid else 0
    index_of = {(m.year, m.month): i for i, m in enumerate(months)}
    sums: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        day = row.start_at.astimezone(STOCKHOLM).date()
        index = index_of.get((day.year, day.month))
        if index is None:
            continue
        found = sums[(row.unit_id, index)]
        found[0] += row.minutes
        found[1] += row.minutes * rates[row.employee_id] * (1000 + fees[index]) // 60_000
    return {key: (m, c) for key, (m, c) in sums.items()}


def _book_rows(uow_factory: UowFactory, unit_ids: list[str], months: list[dt.date],
               today: dt.date) -> dict[str, list[KeyFigures]]:
    """Each unit's figures of the overview's book per month (a book holds 12 months)."""
    result: dict[str, list[KeyFigures]] = {u: [] for u in unit_ids}
    for first in range(0, len(months), MONTHS_PER_YEAR):
        chunk = months[first:first + MONTHS_PER_YEAR]
        on = add_months(chunk[-1], 1) - dt.timedelta(days=1)
        book = figure_book(uow_factory, on=on, today=today)
        index = {w.key: len(book.weeks) + i for i, w in enumerate(book.months)}
        for unit_id in unit_ids:
            result[unit_id].extend(book.unit(unit_id, index[month_key(m)]) for m in chunk)
    return result


def _with_book(sums: FigureSums, row: KeyFigures) -> FigureSums:
    tally = row.sick_leave
    beyond = cost_beyond_granted(row.beyond_minutes, staff_cost=sums.staff_cost,
                                 performed_minutes=row.performed_minutes)
    return replace(
        sums, granted_minutes=row.granted_minutes, performed_minutes=row.performed_minutes,
        beyond_minutes=row.beyond_minutes, beyond_cost=beyond,
        overtime_minutes=row.overtime_minutes + row.extra_minutes,
        contracted_minutes=tally.contracted_minutes,
        short_sick_minutes=tally.short_term_sick_minutes,
        long_sick_minutes=tally.sick_minutes - tally.short_term_sick_minutes,
        client_months=row.clients or 0, staff_months=row.employees or 0)


def _with_risk(sums: FigureSums, row: KeyFigures, schablon: int) -> FigureSums:
    return replace(sums, at_risk=row.unreported_minutes * schablon // 60)


# --- cells --------------------------------------------------------------------------------
def _cells(visible: list[Unit], shown: list[Unit], sums: dict[str, list[FigureSums]],
           months: list[dt.date], *, committee: bool,
           ) -> dict[tuple[FigureCode, str | None, str], FigureCell]:
    keys = [month_key(m) for m in months]
    shown_ids = [u.id for u in shown]
    per_scope: dict[str | None, list[FigureSums]] = {u: sums[u] for u in shown_ids}
    per_scope[None] = [scope_sums(sums[u][i] for u in shown_ids) for i in range(len(months))]
    hide = _HiddenCells(visible, shown_ids, sums, months) if committee else None
    cells: dict[tuple[FigureCode, str | None, str], FigureCell] = {}
    for scope, monthly in per_scope.items():
        columns = [*zip(keys, monthly, strict=True), (TOTAL_KEY, period_sums(monthly))]
        for key, scope_sum in columns:
            values = figure_values(scope_sum)
            for code, value in values.items():
                if hide is not None and hide.hidden(code, scope, key, scope_sum):
                    cells[(code, scope, key)] = FigureCell(None, suppressed=True)
                else:
                    cells[(code, scope, key)] = FigureCell(rounded(value, DECIMALS))
    return cells


class _HiddenCells:
    """The committee's hidden cells, worked out on the table of every visible unit (so
    that no view shows what another hides); a total of some units is hidden where any of
    them is, unless it is the whole table's total."""

    def __init__(self, visible: list[Unit], shown: list[str],
                 sums: dict[str, list[FigureSums]], months: list[dt.date]) -> None:
        self.keys = [month_key(m) for m in months]
        self.rows = [u.id for u in visible]
        self.shown = shown
        self.whole = set(shown) == set(self.rows)
        counts = [[s.client_months for s in sums[u]] for u in self.rows]
        self.clients: Hidden = hidden_by_counts(counts)
        octobers = [i for i, m in enumerate(months) if m.month == 10]
        self.october: dict[tuple[str | None, int], bool] = {}
        if octobers:
            table = suppress_table([[sums[u][i].clients_on_1_october or 0 for i in octobers]
                                    for u in self.rows])
            for r, unit in enumerate(self.rows):
                for c, i in enumerate(octobers):
                    self.october[(unit, i)] = table.cells[r][c] is None
            for c, i in enumerate(octobers):
                self.october[(None, i)] = table.column_totals[c] is None
        self.last_october = octobers[-1] if octobers else None

    def _client_cell(self, unit: str, key: str) -> bool:
        row = self.rows.index(unit)
        if key == TOTAL_KEY:
            return row in self.clients.unit_totals
        return (row, self.keys.index(key)) in self.clients.cells

    def _clients(self, scope: str | None, key: str) -> bool:
        if scope is not None:
            return self._client_cell(scope, key)
        if self.whole:
            return (self.clients.total if key == TOTAL_KEY
                    else self.keys.index(key) in self.clients.months)
        return any(self._client_cell(u, key) for u in self.shown)

    def _october(self, scope: str | None, key: str) -> bool:
        index = self.last_october if key == TOTAL_KEY else self.keys.index(key)
        if index is None:
            return False
        if scope is None and not self.whole:
            return any(self.october.get((u, index), False) for u in self.shown)
        return self.october.get((scope, index), False)

    def hidden(self, code: FigureCode, scope: str | None, key: str, sums: FigureSums) -> bool:
        rule = definition(code).suppression
        if rule is Suppression.CLIENTS:
            return self._clients(scope, key)
        if rule is Suppression.COUNT:
            return self._october(scope, key)
        if rule is Suppression.STAFF:
            return 0 < sums.staff_months < 5 * max(sums.months, 1)
        return False

