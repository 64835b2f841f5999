"""Use cases: the hour ledger per client and unit, for a week, a month or a settlement
period, and the bookings behind any figure.

Everything is computed from the stored decisions, shifts, time entries and stays with the
rules in force (``insats.domain.ledger``); nothing is stored, so the ledger is always as
current as the time reports.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from insats.db.repositories import ledger as queries
from insats.db.repositories._base import NotFoundError
from insats.domain.access import AuditAction, Caller, Capability
from insats.domain.calendar import STOCKHOLM
from insats.domain.clients import Client
from insats.domain.common import DomainError, IsoWeek, Period, add_months
from insats.domain.decisions import Decision
from insats.domain.eligibility import StayRules, Work, assistant_excess
from insats.domain.ledger import (
    ClientContext,
    DailyTotals,
    Figure,
    ItemSink,
    LedgerFigures,
    LedgerItem,
    LedgerRules,
    Scheduled,
    book_client,
)
from insats.domain.rules import RuleBook
from insats.domain.settlement import GrantSpan, grant_spans, period_containing, settlement_periods
from insats.domain.stays import ClientStay
from insats.services.collector import collector_paused
from insats.services.report_cache import Recomputed
from insats.services.scope import client_in_scope, unit_in_scope
from insats.services.uow import UnitOfWork

UowFactory = Callable[[], UnitOfWork]
log = logging.getLogger("insats.ledger")
BATCH_CLIENTS = 400  # clients booked per read of time and shifts in the whole ledger
_ONE_DAY = dt.timedelta(days=1)


class WindowKind(StrEnum):
    WEEK = "vecka"
    MONTH = "månad"
    PERIOD = "avräkningsperiod"


@dataclass(frozen=True, slots=True)
class Window:
    """What the user asked for: a week, a month, or the settlement period containing a day
    (which differs per client)."""

    kind: WindowKind
    start: dt.date
    end: dt.date
    label: str

    @classmethod
    def week(cls, week: IsoWeek) -> Window:
        period = week.period
        assert period.end is not None
        return cls(WindowKind.WEEK, period.start, period.end, week.label())

    @classmethod
    def month(cls, year: int, month: int) -> Window:
        period = Period.month(year, month)
        assert period.end is not None
        return cls(WindowKind.MONTH, period.start, period.end, f"{year}-{month:02d}")

    @classmethod
    def period_on(cls, day: dt.date) -> Window:
        return cls(WindowKind.PERIOD, day, day + dt.timedelta(days=1),
                   f"avräkningsperioden som omfattar {day.isoformat()}")


@dataclass(frozen=True, slots=True)
class ClientLedgerRow:
    client_id: str
    pseudonym: str
    unit_id: str
    start: dt.date
    end: dt.date
    figures: LedgerFigures


@dataclass(frozen=True, slots=True)
class LedgerReport:
    window: Window
    as_of: dt.date
    rows: tuple[ClientLedgerRow, ...]
    computed_at: dt.datetime | None = None  # set when the report was kept for a while

    def restricted_to(self, unit_ids: Collection[str] | None) -> LedgerReport:
        """The rows of the given units (all for None)."""
        if unit_ids is None:
            return self
        keep = set(unit_ids)
        return LedgerReport(self.window, self.as_of,
                            tuple(r for r in self.rows if r.unit_id in keep),
                            self.computed_at)

    @property
    def total(self) -> LedgerFigures:
        total = LedgerFigures()
        for row in self.rows:
            total = total + row.figures
        return total


# --- rules ----------------------------------------------------------------------------
def ledger_rules(book: RuleBook, *, on: dt.date) -> LedgerRules:
    """The dated values the ledger needs; FK's rate is looked up per day and decision,
    and reused while the dated values behind it stay in force."""
    in_force: dict[str, tuple[dt.date, dt.date, int]] = {}

    def rate_per_hour(span: GrantSpan, day: dt.date) -> int:
        known = in_force.get(span.decision.id)
        if known is not None and known[0] <= day < known[1]:
            return known[2]
        rate = fk_rate(book, span.decision, day)
        lo, hi = _rate_validity(book, span.decision, day)
        in_force[span.decision.id] = (lo, hi, rate)
        return rate

    return LedgerRules(
        stay=StayRules(hospital_short_stay_days=book.number("fk.hospital_short_stay_days", on)),
        report_deadline_day=book.number("fk.report_deadline_day_of_second_month", on),
        rate_per_hour=rate_per_hour,
        fallback_cost_per_hour=book.money("fk.schablon_per_hour", on).ore,
    )


FK_RATE_KEYS = ("fk.schablon_per_hour", "fk.increased_rate_max_factor")
"""The rule parameters :func:`fk_rate` reads (a rule book of these keys is enough)."""


def fk_rate(book: RuleBook, decision: Decision, day: dt.date) -> int:
    """Öre per hour FK pays on ``day``: the approved förhöjt timbelopp, the highest one
    (schablon × factor) when approved without an amount, else the schablon (§1.2)."""
    if decision.increased_rate_per_hour is not None:
        return decision.increased_rate_per_hour.ore
    schablon = _latest_schablon(book, day)
    if decision.increased_rate:
        return schablon * book.permille("fk.increased_rate_max_factor", day) // 1000
    return schablon


def _rate_validity(book: RuleBook, decision: Decision, day: dt.date) -> tuple[dt.date, dt.date]:
    """The days around ``day`` on which :func:`fk_rate` gives the same rate: while the
    schablon (and the förhöjt factor) in force on ``day`` stay in force; only ``day``
    itself when the schablon is an estimate past the last entered year."""
    if decision.increased_rate_per_hour is not None:
        return dt.date.min, dt.date.max
    keys = ["fk.schablon_per_hour"]
    if decision.increased_rate:
        keys.append("fk.increased_rate_max_factor")
    lo, hi = dt.date.min, dt.date.max
    for key in keys:
        try:
            parameter = book.parameter(key, day)
        except DomainError:
            return day, day + dt.timedelta(days=1)
        lo = max(lo, parameter.valid_from)
        hi = min(hi, parameter.valid_to or dt.date.max)
    return lo, hi


def _latest_schablon(book: RuleBook, day: dt.date) -> int:
    """The schablon on ``day``; for a day after the last entered year (a future part of a
    settlement period) the latest entered value, as an estimate."""
    try:
        return book.money("fk.schablon_per_hour", day).ore
    except DomainError:
        for years_back in range(1, 4):
            earlier = dt.date(day.year - years_back, 12, 31)
            try:
                return book.money("fk.schablon_per_hour", earlier).ore
            except DomainError:
                continue
        raise


# --- booking ----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Booked:
    client: Client
    spans: tuple[GrantSpan, ...]
    totals: DailyTotals | ItemSink


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _excess(uow: UnitOfWork, start: dt.date, end: dt.date, weekly_limit: int) -> dict[str, int]:
    """Minutes above the assistants' average weekly limit, by time entry id."""
    first = _month_start(start)
    over: dict[str, set[dt.date]] = {}
    for (employee_id, month), minutes in queries.monthly_worked_minutes(
            uow.session, first, end).items():
        days = (add_months(month, 1) - month).days
        if minutes > weekly_limit * days // 7:
            over.setdefault(employee_id, set()).add(month)
    if not over:
        return {}
    works = queries.works_of_employees(uow.session, list(over), first, end)
    counted = [w for w in works if _month_start(
        w.start.astimezone(STOCKHOLM).date()) in over[w.employee_id]]
    return assistant_excess(counted, weekly_limit)


class StaffCostPerHour(Mapping[str, int]):
    """Each employee's hourly cost including social fees, in öre, read when first asked
    for: only time beyond a grant is valued at it, so few employees are ever read."""

    def __init__(self, uow: UnitOfWork, social_fee_permille: int) -> None:
        self._uow = uow
        self._fee = social_fee_permille
        self._known: dict[str, int | None] = {}

    def __getitem__(self, employee_id: str) -> int:
        if employee_id not in self._known:
            employee = self._uow.staff.get(employee_id)
            self._known[employee_id] = (
                employee.hourly_cost(self._fee) if employee is not None else None)
        cost = self._known[employee_id]
        if cost is None:
            raise KeyError(employee_id)
        return cost

    def __iter__(self) -> Iterator[str]:
        return (k for k, v in self._known.items() if v is not None)

    def __len__(self) -> int:
        return sum(1 for v in self._known.values() if v is not None)


@dataclass(frozen=True, slots=True)
class _Shared:
    """What every client's booking needs, read once per ledger run."""

    rules: LedgerRules
    municipal: frozenset[str]
    costs: Mapping[str, int]
    excess: dict[str, int]
    outside_eea: frozenset[str]


def _shared(uow: UnitOfWork, start: dt.date, end: dt.date, as_of: dt.date) -> _Shared:
    book = uow.rules.rule_book()
    on = min(as_of, end)
    return _Shared(
        rules=ledger_rules(book, on=on),
        municipal=frozenset(p.id for p in uow.providers.all() if p.is_municipal),
        costs=StaffCostPerHour(uow, book.permille("pay.social_fee_rate", on)),
        excess=_excess(uow, start - _ONE_DAY, end,  # time is read from the day before
                       book.minutes("fk.assistant_avg_week_limit", on).value),
        outside_eea=queries.assistants_outside_eea(uow.session),
    )


def _spans_and_horizon(uow: UnitOfWork, clients: Sequence[Client], start: dt.date,
                       end: dt.date) -> tuple[dict[str, tuple[GrantSpan, ...]], dt.date]:
    """Each client's grant spans, and ``start`` moved back to the first day of every
    settlement period involved (use is netted from there)."""
    decisions: dict[str, list[Decision]] = {}
    for decision in uow.decisions.of_clients([c.id for c in clients]):
        decisions.setdefault(decision.client_id, []).append(decision)
    spans = {c.id: tuple(grant_spans(decisions.get(c.id, []), end)) for c in clients}
    return spans, _horizon_start(spans, start, end)


def _horizon_start(spans: Mapping[str, tuple[GrantSpan, ...]], start: dt.date,
                   end: dt.date) -> dt.date:
    horizon_start = start
    for client_spans in spans.values():
        for span in client_spans:
            for period in settlement_periods(span):
                if period.start < end and period.end > start:
                    horizon_start = min(horizon_start, period.start)
    return horizon_start


def _book(uow: UnitOfWork, clients: Sequence[Client], start: dt.date, end: dt.date,
          as_of: dt.date, make_sink: Callable[[Client], DailyTotals | ItemSink],
          shared: _Shared | None = None, *, shown_from: dt.date | None = None,
          spans_by_client: Mapping[str, tuple[GrantSpan, ...]] | None = None,
          ) -> Iterator[_Booked]:
    """Book the clients' ledgers over ``[start, end)``. Time is read from the start of the
    settlement periods involved (use is netted from there); grants and shifts only from
    ``shown_from`` (default: that same start), the first day a window will show."""
    if spans_by_client is None:
        spans, horizon_start = _spans_and_horizon(uow, clients, start, end)
    else:
        spans = {c.id: spans_by_client[c.id] for c in clients}
        horizon_start = _horizon_start(spans, start, end)
    first_shown = horizon_start if shown_from is None else max(shown_from, horizon_start)
    if shared is None:
        shared = _shared(uow, horizon_start, end, as_of)
    ids = [c.id for c in clients]
    # Time and shifts are read from the day before: a night that starts the evening before
    # runs into the first day (its minutes are booked on each day they fall on), so the
    # figures do not depend on where the reading starts (one client or many).
    works_by_client: dict[str, list[Work]] = {}
    for work in queries.works_of_clients(uow.session, ids, horizon_start - _ONE_DAY, end):
        works_by_client.setdefault(work.client_id, []).append(work)
    shifts_by_client: dict[str, list[Scheduled]] = {}
    for shift in queries.scheduled_of_clients(uow.session, ids, first_shown - _ONE_DAY, end):
        shifts_by_client.setdefault(shift.client_id, []).append(shift)
    stays_by_client: dict[str, list[ClientStay]] = {}
    for stay in uow.stays.overlapping(_midnight_utc(horizon_start), _midnight_utc(end),
                                      client_ids=ids):
        stays_by_client.setdefault(stay.client_id, []).append(stay)
    reported_through = _month_start(as_of)
    for client in clients:
        client_spans = spans[client.id]
        context = ClientContext(client.id, client_spans, stays_by_client.get(client.id, ()),
                                shared.municipal, shared.excess, shared.costs,
                                shared.outside_eea)
        sink = make_sink(client)
        book_client(context, shared.rules, sink, horizon=(first_shown, end),
                    shifts=shifts_by_client.get(client.id, ()),
                    works=works_by_client.get(client.id, []), reported_through=reported_through)
        yield _Booked(client, client_spans, sink)


def _midnight_utc(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=STOCKHOLM).astimezone(dt.UTC)


def _ledger_clients(uow: UnitOfWork, unit_ids: Collection[str] | None,
                    client_ids: Collection[str] | None = None) -> list[Client]:
    """Clients with personal assistance the municipality performs or stood in for."""
    wanted = set(queries.assistance_client_ids(uow.session, unit_ids))
    if client_ids is not None:
        wanted &= set(client_ids)
    clients = [c for c in uow.clients.all() if c.id in wanted]
    return sorted(clients, key=lambda c: c.pseudonym)


def _in_scope(booked: _Booked, figures: LedgerFigures, municipal: frozenset[str],
              start: dt.date, end: dt.date) -> bool:
    """A client belongs in a window's ledger when we perform their assistance in it, or
    anything was scheduled or performed for them."""
    performs = any(s.decision.provider_id in municipal and s.start < end and start < s.end
                   for s in booked.spans)
    return performs or any(figures.minutes(f) for f in (
        Figure.PERFORMED, Figure.PERFORMED_DOUBLE, Figure.SCHEDULED, Figure.SCHEDULED_DOUBLE,
        Figure.SCHEDULED_BASANSVAR))


def money_scope(uow: UnitOfWork, caller: Caller,
                unit_ids: Collection[str] | None) -> list[str] | None:
    """The units whose money and hours ``caller`` may see, for a request about
    ``unit_ids`` (None: every unit the caller sees, None again for the whole department).

    Raises:
        AccessDenied: the caller may not see money, or a unit is outside their scope.
        NotFoundError: a unit does not exist.
    """
    viewer = caller.viewer
    viewer.require(Capability.VIEW_MONEY)
    if unit_ids is not None:
        return [unit_in_scope(uow, caller, unit_id).id for unit_id in unit_ids]
    return None if viewer.department_wide else sorted(viewer.unit_ids)


_kept_ledgers: Recomputed[LedgerReport] = Recomputed(name="timredovisning", ttl=300.0)


def ledger_report(uow_factory: UowFactory, *, window: Window, as_of: dt.date,
                  unit_ids: Collection[str] | None = None,
                  caller: Caller | None = None, kept: bool = False) -> LedgerReport:
    """The ledger of every client (of the units) for a week, a month, or each client's
    settlement period containing ``window.start``.

    With a ``caller`` (the web), the units are limited to the caller's scope (see
    :func:`money_scope`); without one (a local command) every unit asked for is shown.
    ``kept`` (pages and the API) answers from the whole department's ledger kept by
    ``services.report_cache`` (at most five minutes old plus one computation; the report's
    ``computed_at`` says when); use cases that act on the figures compute afresh."""
    if caller is not None:
        with uow_factory() as uow:
            unit_ids = money_scope(uow, caller, unit_ids)
    if kept:
        whole = _kept_ledgers.get((uow_factory, window, as_of),
                                  lambda: _computed_report(uow_factory, window, as_of, None,
                                                           stamp=True),
                                  shared_as=f"{window.kind.value} {window.start} "
                                            f"{window.end} {as_of}")
        return whole.restricted_to(unit_ids)
    return _computed_report(uow_factory, window, as_of, unit_ids)


def forget_kept_ledgers() -> None:
    _kept_ledgers.forget()


def warm_default_ledger(uow_factory: UowFactory, *, today: dt.date | None = None) -> None:
    """Compute the default month's ledger in the background, so the first visitor of the
    ledger or billing page does not wait (the web application calls this at start)."""

    def work() -> None:
        try:
            day = today or dt.date.today()
            year, month = default_month(uow_factory, today=day)
            ledger_report(uow_factory, window=Window.month(year, month), as_of=day,
                          kept=True)
        except Exception:
            log.exception("Timredovisningen kunde inte förberäknas")

    threading.Thread(target=work, name="insats-ledger-warm", daemon=True).start()


def _computed_report(uow_factory: UowFactory, window: Window, as_of: dt.date,
                     unit_ids: Collection[str] | None, *, stamp: bool = False
                     ) -> LedgerReport:
    with uow_factory() as uow, collector_paused():
        clients = _ledger_clients(uow, unit_ids)
        municipal = frozenset(p.id for p in uow.providers.all() if p.is_municipal)
        start, end = window.start, window.end
        if window.kind is WindowKind.PERIOD:
            end = add_months(window.start, 6) + dt.timedelta(days=1)
        rows: list[ClientLedgerRow] = []
        shown_from = None if window.kind is WindowKind.PERIOD else window.start
        for booked in _book(uow, clients, start, end, as_of, lambda _c: DailyTotals(),
                            shown_from=shown_from):
            lo, hi = window.start, window.end
            if window.kind is WindowKind.PERIOD:
                period = period_containing(booked.spans, window.start)
                if period is None:
                    continue
                lo, hi = period.start, period.end
            assert isinstance(booked.totals, DailyTotals)
            figures = booked.totals.window(lo, hi)
            if not _in_scope(booked, figures, municipal, lo, hi):
                continue
            rows.append(ClientLedgerRow(booked.client.id, booked.client.pseudonym,
                                        booked.client.unit_id, lo, hi, figures))
    return LedgerReport(window, as_of, tuple(rows),
                        dt.datetime.now(dt.UTC) if stamp else None)


def default_month(uow_factory: UowFactory, *, today: dt.date) -> tuple[int, int]:
    """The last full calendar month with reported time: the month before ``today``'s, or
    the month of the last time entry when reporting stopped earlier."""
    previous = add_months(_month_start(today), -1)
    with uow_factory() as uow:
        last = queries.last_worked_on(uow.session)
    month = previous if last is None else min(previous, _month_start(last))
    return month.year, month.month


@dataclass(frozen=True, slots=True)
class DrillDown:
    client_pseudonym: str
    start: dt.date
    end: dt.date
    figure: Figure | None
    items: tuple[LedgerItem, ...]


def drill_down(uow_factory: UowFactory, *, client_pseudonym: str, window: Window,
               as_of: dt.date, figure: Figure | None = None, caller: Caller | None = None,
               action: AuditAction = AuditAction.READ) -> DrillDown:
    """The shifts, time entries and decisions behind a client's figures in the window.

    With a ``caller`` (the web) the read is a read of one client's data: it needs the
    right to see money, the client must be in the caller's scope, and the read (or the
    refusal) is written to the access log before anything is returned."""
    with uow_factory() as uow:
        if caller is not None:
            caller.viewer.require(Capability.VIEW_MONEY)
        client = uow.clients.by_pseudonym(client_pseudonym)
        if client is None:
            if caller is not None:
                raise NotFoundError("Brukaren", client_pseudonym)
            raise DomainError("ledger.unknown_client",
                              f"Ingen brukare med koden {client_pseudonym!r}.")
        if caller is not None:
            client_in_scope(uow, caller, client.id, action=action)
            uow.commit()
        start, end = window.start, window.end
        if window.kind is WindowKind.PERIOD:
            end = add_months(window.start, 6) + dt.timedelta(days=1)
        sinks: dict[str, ItemSink] = {}

        def make_sink(_client: Client) -> ItemSink:
            sinks["only"] = ItemSink()
            return sinks["only"]

        lo, hi = start, end
        shown_from = None if window.kind is WindowKind.PERIOD else window.start
        for booked in _book(uow, [client], start, end, as_of, make_sink, shown_from=shown_from):
            if window.kind is WindowKind.PERIOD:
                period = period_containing(booked.spans, window.start)
                if period is None:
                    raise DomainError("ledger.no_period",
                                      "Brukaren har inget beslut om personlig assistans "
                                      f"den {window.start.isoformat()}.")
                lo, hi = period.start, period.end
        items = tuple(i for i in sinks["only"].items if lo <= i.day < hi
                      and (figure is None or i.figure is figure))
    return DrillDown(client.pseudonym, lo, hi, figure, items)


# --- the whole ledger at once (benchmarks, properties) ------------------------------------
@dataclass(frozen=True, slots=True)
class FullLedger:
    """Every client's figures for every ISO week, calendar month and settlement period of
    ``[start, end)``."""

    start: dt.date
    end: dt.date
    weeks: dict[tuple[str, dt.date], LedgerFigures]
    months: dict[tuple[str, dt.date], LedgerFigures]
    periods: dict[tuple[str, dt.date], LedgerFigures]


def _week_starts(start: dt.date, end: dt.date) -> list[dt.date]:
    monday = start - dt.timedelta(days=start.weekday())
    starts = []
    while monday < end:
        starts.append(monday)
        monday += dt.timedelta(days=7)
    return starts


def _month_starts(start: dt.date, end: dt.date) -> list[dt.date]:
    month = _month_start(start)
    starts = []
    while month < end:
        starts.append(month)
        month = add_months(month, 1)
    return starts


def full_ledger(uow_factory: UowFactory, *, start: dt.date, end: dt.date, as_of: dt.date,
                unit_ids: Collection[str] | None = None, batch: bool = True,
                ) -> FullLedger:
    """Book every client once over ``[start, end)`` and read all windows from the totals;
    clients are booked in batches (by unit) so memory stays bounded."""
    weeks: dict[tuple[str, dt.date], LedgerFigures] = {}
    months: dict[tuple[str, dt.date], LedgerFigures] = {}
    periods: dict[tuple[str, dt.date], LedgerFigures] = {}
    week_starts, month_starts = _week_starts(start, end), _month_starts(start, end)
    with uow_factory() as uow, collector_paused():
        clients = _ledger_clients(uow, unit_ids)
        spans, horizon_start = _spans_and_horizon(uow, clients, start, end)
        shared = _shared(uow, horizon_start, end, as_of)
        clients.sort(key=lambda c: (c.unit_id, c.pseudonym))
        size = BATCH_CLIENTS if batch else max(1, len(clients))
        for offset in range(0, len(clients), size):
            for booked in _book(uow, clients[offset:offset + size], start, end, as_of,
                                lambda _c: DailyTotals(), shared, shown_from=start,
                                spans_by_client=spans):
                totals = booked.totals
                assert isinstance(totals, DailyTotals)
                client_id = booked.client.id
                for first, figures in zip(week_starts, totals.windows(week_starts, end),
                                          strict=True):
                    weeks[(client_id, first)] = figures
                for first, figures in zip(month_starts, totals.windows(month_starts, end),
                                          strict=True):
                    months[(client_id, first)] = figures
                for span in booked.spans:
                    for period in settlement_periods(span):
                        if period.start >= start and period.end <= end:
                            periods[(client_id, period.start)] = totals.window(
                                period.start, period.end)
    return FullLedger(start, end, weeks, months, periods)
