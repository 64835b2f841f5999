"""Use case: the department's key figures for a week and a month, with their trends over
the last 12 weeks and 12 months, per unit and for the viewer's scope.

The figures of every unit are read with grouped queries (``insats.db.repositories
.key_figures``) into a :class:`FigureBook`: one per reference day, shared by the overview,
unit and client list pages, whoever asks. A unit manager's figures are the sums of their
own units' rows, so they are the same numbers the department head sees for those units.
Reading a year of time entries and shifts takes a few seconds at the demo's scale 10, so
a computed book is kept for :data:`BOOK_TTL` (the pages say when it was computed).

The committee (nämnd) sees the same figures with counts of clients and staff from 1 to 4
suppressed ("<5"), also where a total would give a suppressed count back.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from itertools import accumulate

from insats.db.maintenance import has_department
from insats.db.repositories import key_figures as queries
from insats.domain.absence import SICK_LEAVE_RULE_KEY
from insats.domain.access import Caller, Capability, Role
from insats.domain.common import DomainError
from insats.domain.key_figures import (
    FigureWindow,
    KeyFigures,
    SickSpan,
    StaffTerms,
    beyond_granted,
    granted_minutes,
    segment_range,
    segments,
    sick_leave_by_window,
    suppressed_table,
    suppressed_total,
    total_of,
    trend_months,
    trend_weeks,
)
from insats.domain.organisation import Unit
from insats.services.form_input import EARLIEST_DAY, LATEST_DAY
from insats.services.report_cache import Recomputed
from insats.services.scope import require_department, visible_units
from insats.services.uow import UnitOfWork

UowFactory = Callable[[], UnitOfWork]
log = logging.getLogger("insats.figures")
BOOK_TTL = 300.0  # seconds a computed book is reused
_BOOKS_KEPT = 16
DEFAULT_EMPLOYER_PERIOD_DAYS = 14


def parse_day(text: str | None, *, field_name: str = "on") -> dt.date | None:
    """A reference day from ``?on=ÅÅÅÅ-MM-DD``; None when not given."""
    if text is None or not text.strip():
        return None
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise DomainError("date.invalid", f"Datumet ({field_name}) ska skrivas ÅÅÅÅ-MM-DD, "
                          "till exempel 2026-10-31.") from None
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise DomainError("date.range", f"Datumet ({field_name}) ska ligga mellan "
                          f"{EARLIEST_DAY.isoformat()} och {LATEST_DAY.isoformat()}.")
    return day


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


# --- the book of figures per unit ---------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ClientFigures:
    """One client's grant and performed time per window of the book."""

    granted: tuple[int, ...]
    performed: tuple[int, ...]

    def beyond(self, index: int) -> int:
        return beyond_granted(self.performed[index], self.granted[index])


@dataclass(frozen=True)
class FigureBook:
    """Every unit's figures for the 12 weeks and 12 months up to ``on``.

    ``windows`` holds the weeks (oldest first) and then the months; ``by_unit`` the
    figures of each unit in the same order; ``clients`` each client's grant and performed
    time (for the lists of clients).
    """

    on: dt.date
    reported_through: dt.date
    weeks: tuple[FigureWindow, ...]
    months: tuple[FigureWindow, ...]
    by_unit: dict[str, tuple[KeyFigures, ...]]
    clients: dict[str, ClientFigures]
    client_units: dict[str, str]
    computed_at: dt.datetime
    seconds: float = 0.0
    _sums: dict[tuple[frozenset[str], int], KeyFigures] = field(
        default_factory=dict, init=False, compare=False, repr=False)

    @property
    def windows(self) -> tuple[FigureWindow, ...]:
        return self.weeks + self.months

    @property
    def week_index(self) -> int:
        """The index of the week of ``on`` (the last week)."""
        return len(self.weeks) - 1

    @property
    def month_index(self) -> int:
        return len(self.weeks) + len(self.months) - 1

    def of_units(self, unit_ids: Collection[str], index: int) -> KeyFigures:
        """The units' sum in window ``index``; kept with the book (which never changes),
        since every page of a scope asks for the same sums."""
        key = (frozenset(unit_ids), index)
        found = self._sums.get(key)
        if found is None:
            found = total_of(self.by_unit[u][index] for u in unit_ids if u in self.by_unit)
            self._sums[key] = found
        return found

    def unit(self, unit_id: str, index: int) -> KeyFigures:
        found = self.by_unit.get(unit_id)
        return found[index] if found else KeyFigures()

    def client(self, client_id: str) -> ClientFigures | None:
        return self.clients.get(client_id)


_books: Recomputed[FigureBook] = Recomputed(name="nyckeltal", ttl=BOOK_TTL,
                                            kept=_BOOKS_KEPT)


def forget_figures() -> None:
    """Drop every kept book (after a change that must show at once, and in tests)."""
    _books.forget()


def figure_book(uow_factory: UowFactory, *, on: dt.date, today: dt.date) -> FigureBook:
    """The book for ``on``; time scheduled before the month of ``today`` counts as
    overdue for reporting. Kept and refreshed in the background (services.report_cache)."""
    reported_through = month_start(today)

    def compute() -> FigureBook:
        with uow_factory() as uow:
            return compute_book(uow, on=on, reported_through=reported_through)

    return _books.get((uow_factory, on, reported_through), compute,
                      shared_as=f"{on} {reported_through}")


def compute_book(uow: UnitOfWork, *, on: dt.date, reported_through: dt.date) -> FigureBook:
    """Read and add up every unit's figures for the trend windows up to ``on``."""
    started = time.perf_counter()
    session = uow.session
    weeks, months = trend_weeks(on), trend_months(on)
    windows = weeks + months
    bounds = segments(windows)
    spans = [segment_range(bounds, w) for w in windows]
    count = len(bounds) - 1
    unit_ids = [u.id for u in uow.organisation.units()]

    # time: per unit (of the group) and per client (wherever performed)
    unit_time: dict[str, list[list[int]]] = {u: [[0, 0, 0] for _ in range(count)]
                                             for u in unit_ids}
    client_time: dict[str, list[int]] = {}
    for row in queries.time_by_segment(session, bounds):
        sums = unit_time.setdefault(row.unit_id, [[0, 0, 0] for _ in range(count)])[row.segment]
        sums[0] += row.performed
        sums[1] += row.overtime
        sums[2] += row.extra
        if row.client_id is not None:
            client_time.setdefault(row.client_id, [0] * count)[row.segment] += row.performed
    client_units = queries.client_units(session, None)

    # grants per client and window
    client_granted: dict[str, list[int]] = {}
    for grant in queries.own_grants(session, bounds[0], bounds[-1], None):
        granted = client_granted.setdefault(grant.client_id, [0] * len(windows))
        for index, window in enumerate(windows):
            granted[index] += granted_minutes(grant.per_week, grant.total, grant.double_per_week,
                                              grant.valid_from, grant.valid_to, window)

    clients: dict[str, ClientFigures] = {}
    unit_granted: dict[str, list[int]] = {}
    unit_beyond: dict[str, list[int]] = {}
    for client_id in client_time.keys() | client_granted.keys():
        per_segment = client_time.get(client_id)
        if per_segment is not None:
            prefix = [0, *accumulate(per_segment)]
            done = tuple(prefix[s.stop] - prefix[s.start] for s in spans)
        else:
            done = (0,) * len(windows)
        figures = ClientFigures(tuple(client_granted.get(client_id, (0,) * len(windows))),
                                done)
        clients[client_id] = figures
        unit = client_units.get(client_id)
        if unit is None:
            continue
        unit_g = unit_granted.setdefault(unit, [0] * len(windows))
        unit_b = unit_beyond.setdefault(unit, [0] * len(windows))
        for index in range(len(windows)):
            unit_g[index] += figures.granted[index]
            unit_b[index] += figures.beyond(index)

    unreported: dict[str, list[int]] = {}
    for unit, segment, minutes in queries.unreported_by_segment(session, bounds,
                                                                reported_through, None):
        unreported.setdefault(unit, [0] * count)[segment] += minutes

    days = {w.census_day(on) for w in windows}
    client_counts = {(c.day, c.unit_id): c.number
                     for c in queries.clients_on_days(session, days, None)}
    staff_counts = {(c.day, c.unit_id): (c.number, c.percent)
                    for c in queries.staff_on_days(session, days, None)}

    staff = [StaffTerms(m.employee_id, m.unit_id, m.hourly, m.contracted_per_week,
                        m.employed_from, m.employed_to)
             for m in queries.staff_employed_during(session, bounds[0], bounds[-1], None)]
    spells = [SickSpan(s.employee_id, s.start, s.end, s.extent_percent)
              for s in queries.sick_spells(session, bounds[0], bounds[-1])]
    sick = sick_leave_by_window(staff, spells, windows,
                                employer_period_days=_employer_period_days(uow, on))

    by_unit: dict[str, tuple[KeyFigures, ...]] = {}
    for unit in unit_time.keys() | set(unit_ids):
        time_sums = unit_time.get(unit)
        missed = unreported.get(unit)
        rows = []
        for index, (window, span) in enumerate(zip(windows, spans, strict=True)):
            performed = overtime = extra = 0
            if time_sums is not None:
                for segment in span:
                    performed += time_sums[segment][0]
                    overtime += time_sums[segment][1]
                    extra += time_sums[segment][2]
            day = window.census_day(on)
            employees, percent = staff_counts.get((day, unit), (0, 0))
            tally = sick.get((unit, index))
            rows.append(KeyFigures(
                granted_minutes=unit_granted.get(unit, [0] * len(windows))[index],
                performed_minutes=performed,
                beyond_minutes=unit_beyond.get(unit, [0] * len(windows))[index],
                unreported_minutes=sum(missed[s] for s in span) if missed else 0,
                overtime_minutes=overtime,
                extra_minutes=extra,
                clients=client_counts.get((day, unit), 0),
                employees=employees,
                fte=percent / 100,
                **({"sick_leave": tally} if tally is not None else {}),
            ))
        by_unit[unit] = tuple(rows)
    return FigureBook(on=on, reported_through=reported_through, weeks=tuple(weeks),
                      months=tuple(months), by_unit=by_unit, clients=clients,
                      client_units=client_units, computed_at=dt.datetime.now(dt.UTC),
                      seconds=time.perf_counter() - started)


def _employer_period_days(uow: UnitOfWork, on: dt.date) -> int:
    try:
        return uow.rules.rule_book(SICK_LEAVE_RULE_KEY).number(SICK_LEAVE_RULE_KEY, on)
    except DomainError:
        return DEFAULT_EMPLOYER_PERIOD_DAYS


# --- what a viewer sees ------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class TrendPoint:
    window: FigureWindow
    figures: KeyFigures


@dataclass(frozen=True, slots=True)
class UnitFigures:
    unit: Unit
    figures: KeyFigures


@dataclass(frozen=True)
class Overview:
    """The key figures of the viewer's scope around ``on``."""

    on: dt.date
    latest_day: dt.date | None  # the last day with performed time (the default ``on``)
    department_name: str
    department_wide: bool
    suppressed: bool  # counts 1–4 hidden (the committee)
    units: list[Unit]
    week: TrendPoint
    month: TrendPoint
    weeks: list[TrendPoint]
    months: list[TrendPoint]
    unit_rows: list[UnitFigures]  # the month of ``on`` per unit
    unit_total: KeyFigures
    reported_through: dt.date
    computed_at: dt.datetime
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Scope:
    """The units a viewer may see and the book of figures, in one read.

    For the committee, a unit's counts are those of the table of *all* units with small
    counts and their complements suppressed (:func:`suppressed_table`), on every page, so
    that no page shows a count another page hides.
    """

    units: list[Unit]
    book: FigureBook
    latest_day: dt.date | None
    department_name: str
    suppressed: bool
    _tables: dict[int, dict[str, KeyFigures]] = field(default_factory=dict, repr=False)

    @property
    def unit_ids(self) -> list[str]:
        return [u.id for u in self.units]

    def unit_figures(self, unit_id: str, index: int) -> KeyFigures:
        if not self.suppressed:
            return self.book.unit(unit_id, index)
        table = self._tables.get(index)
        if table is None:
            ids = sorted(self.book.by_unit)
            rows = suppressed_table([self.book.unit(u, index) for u in ids])
            table = dict(zip(ids, rows, strict=True))
            self._tables[index] = table
        return table.get(unit_id, KeyFigures())

    def total(self, index: int, unit_ids: Sequence[str] | None = None) -> KeyFigures:
        """The sum of the units (default: the whole scope); counts suppressed for the
        committee when small."""
        total = self.book.of_units(unit_ids if unit_ids is not None else self.unit_ids, index)
        return suppressed_total(total) if self.suppressed else total


def is_committee(caller: Caller) -> bool:
    return caller.viewer.role is Role.COMMITTEE


def read_scope(uow_factory: UowFactory, *, caller: Caller, on: dt.date | None,
               today: dt.date | None = None) -> Scope:
    """Check that the caller may see key figures, and read their units and the book."""
    caller.viewer.require(Capability.VIEW_AGGREGATES)
    today = today or dt.date.today()
    with uow_factory() as uow:
        require_department(uow)
        units = visible_units(uow, caller)
        latest = queries.last_performed_day(uow.session)
        day = on or latest or today
        book = figure_book(uow_factory, on=day, today=today)
        departments = uow.organisation.departments()
    name = departments[0].name if departments else ""
    return Scope(units, book, latest, name, is_committee(caller))


def warm_figures(uow_factory: UowFactory, *, today: dt.date | None = None) -> None:
    """Compute the default book in the background, so the first visitor does not wait
    (the web application calls this when it starts on its configured database)."""

    def work() -> None:
        try:
            with uow_factory() as uow:
                if not has_department(uow.session):
                    return
                day = queries.last_performed_day(uow.session) or today or dt.date.today()
            figure_book(uow_factory, on=day, today=today or dt.date.today())
        except Exception:
            log.exception("Nyckeltalen kunde inte förberäknas")

    threading.Thread(target=work, name="insats-figures-warm", daemon=True).start()


def scoped_rows(scope: Scope, index: int) -> list[UnitFigures]:
    """Each unit of the scope in window ``index`` (suppressed for the committee)."""
    return [UnitFigures(u, scope.unit_figures(u.id, index)) for u in scope.units]


def department_overview(uow_factory: UowFactory, *, caller: Caller, on: dt.date | None = None,
                        today: dt.date | None = None) -> Overview:
    """The key figures of the caller's units (all units for department-wide roles) for the
    week and month of ``on`` (default: the last day with performed time), their trends
    and the month per unit."""
    scope = read_scope(uow_factory, caller=caller, on=on, today=today)
    book = scope.book
    points = [TrendPoint(w, scope.total(i)) for i, w in enumerate(book.windows)]
    weeks, months = points[:len(book.weeks)], points[len(book.weeks):]
    return Overview(
        on=book.on, latest_day=scope.latest_day, department_name=scope.department_name,
        department_wide=caller.viewer.department_wide, suppressed=scope.suppressed,
        units=scope.units, week=weeks[-1], month=months[-1], weeks=weeks, months=months,
        unit_rows=scoped_rows(scope, book.month_index),
        unit_total=scope.total(book.month_index),
        reported_through=book.reported_through, computed_at=book.computed_at,
    )
