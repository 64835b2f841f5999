"""The hour ledger pages: every client's granted, scheduled, performed, billable and lost
time for a month, a week or a settlement period, with findings, and the drill-down to the
shifts, time entries and decisions behind a figure.

The window is chosen with ``?window=month&month=2026-10``, ``?window=week&week=2026-W43``
or ``?window=period&on=2026-10-15`` (and ``?unit=U01``); ``?format=xlsx`` downloads the
list. The input helpers here are shared with the JSON API (``insats.web.api.ledger``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from insats.db.repositories._base import NotFoundError
from insats.domain.access import AuditAction, Capability
from insats.domain.common import DomainError, IsoWeek, Period
from insats.domain.findings import Finding, find
from insats.domain.ledger import FIGURE_LABELS, Figure, LedgerFigures, LedgerItem, ore_of
from insats.interchange.ledger_export import LedgerRow, ledger_sheet
from insats.interchange.xlsx import Column, ColumnType
from insats.services.ledger import (
    ClientLedgerRow,
    DrillDown,
    LedgerReport,
    Window,
    WindowKind,
    default_month,
    drill_down,
    ledger_report,
)
from insats.services.rules import rule_value
from insats.services.runtime import UowFactory
from insats.services.scope import unit_choices
from insats.web.deps import Context, requires
from insats.web.exports import wants_xlsx, xlsx_response
from insats.web.formats import month_name
from insats.web.templating import render

router = APIRouter(include_in_schema=False)

WINDOW_KINDS = ("month", "week", "period")
WINDOW_FIELDS = {"month": "month", "week": "week", "period": "on"}
FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2100, 12, 31)
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}")
SOURCE_LABELS = {"pass": "Schemapass", "tid": "Tidrapport", "beslut": "Beslut"}
DRILL_DOWN_SHOWN = 2000  # rows on the page; the Excel file has all
# Above this many clients in the whole scope, the page shows a row per unit (each linking
# to its clients) instead of every client; the Excel file still has every client.
CLIENT_ROWS_AT_MOST = 400


def valid_id(text: str | None) -> str | None:
    """``text`` when it can be an id or a pseudonym (letters, digits, ``-_.:``), else None."""
    if text is None:
        return None
    text = text.strip()
    return text if ID_PATTERN.fullmatch(text) else None


def require_id(text: str, what: str) -> str:
    """An id from the path; anything that cannot be one is simply not found."""
    found = valid_id(text)
    if found is None:
        raise NotFoundError(what, "(ogiltig kod)")
    return found


# -- the window --------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class WindowChoice:
    """The window as typed (kept for the form) and, when it could be read, as a Window."""

    kind: str
    month: str
    week: str
    on: str
    window: Window | None = None
    error: str | None = None

    @property
    def field(self) -> str:
        return WINDOW_FIELDS[self.kind]

    @property
    def params(self) -> dict[str, str]:
        return {"window": self.kind, self.field: getattr(self, self.field)}

    def query(self, **extra: str | None) -> str:
        values = {**self.params, **{k: v for k, v in extra.items() if v}}
        return urlencode(values)


def month_text(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def read_month(text: str) -> tuple[int, int] | None:
    found = re.fullmatch(r"(\d{4})-(\d{1,2})", text.strip())
    if not found:
        return None
    year, month = int(found[1]), int(found[2])
    if not (1 <= month <= 12 and FIRST_DAY.year <= year <= LAST_DAY.year):
        return None
    return year, month


def read_week(text: str) -> IsoWeek | None:
    found = re.fullmatch(r"(\d{4})-?W(\d{1,2})", text.strip(), flags=re.IGNORECASE)
    if not found or not FIRST_DAY.year <= int(found[1]) <= LAST_DAY.year:
        return None
    try:
        return IsoWeek(int(found[1]), int(found[2]))
    except DomainError:
        return None


def read_day(text: str) -> dt.date | None:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
        return None
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        return None
    return day if FIRST_DAY <= day <= LAST_DAY else None


def default_texts(year: int, month: int) -> tuple[str, str, str]:
    """Month, week and day shown when none is given: the month, its last full ISO week
    and its 15th (for the settlement period)."""
    period = Period.month(year, month)
    assert period.end is not None
    last = period.end - dt.timedelta(days=1)
    sunday = last - dt.timedelta(days=(last.weekday() + 1) % 7)
    iso = sunday.isocalendar()
    return month_text(year, month), f"{iso.year}-W{iso.week:02d}", f"{year:04d}-{month:02d}-15"


def choose_window(kind: str | None, month: str | None, week: str | None, on: str | None,
                  *, default: tuple[int, int]) -> WindowChoice:
    """Read the window from the query; on bad input the choice carries a Swedish error."""
    default_month_text, default_week, default_day = default_texts(*default)
    wanted = (kind or "month").strip().lower()
    month_given = (month or "").strip()[:40] or default_month_text
    week_given = (week or "").strip()[:40] or default_week
    day_given = (on or "").strip()[:40] or default_day
    if wanted not in WINDOW_KINDS:
        return WindowChoice("month", month_given, week_given, day_given,
                            error="Välj månad, vecka eller avräkningsperiod.")
    choice = WindowChoice(wanted, month_given, week_given, day_given)
    if wanted == "month":
        read = read_month(month_given)
        if read is None:
            return _with_error(choice, f"Månaden {month_given!r} ska skrivas ÅÅÅÅ-MM, till "
                                       "exempel 2026-10.")
        return _with_window(choice, Window.month(*read))
    if wanted == "week":
        iso_week = read_week(week_given)
        if iso_week is None:
            return _with_error(choice, f"Veckan {week_given!r} ska skrivas ÅÅÅÅ-Wvv, till "
                                       "exempel 2026-W43.")
        return _with_window(choice, Window.week(iso_week))
    day = read_day(day_given)
    if day is None:
        return _with_error(choice, f"Dagen {day_given!r} ska skrivas ÅÅÅÅ-MM-DD, till "
                                   "exempel 2026-10-15.")
    return _with_window(choice, Window.period_on(day))


def _with_error(choice: WindowChoice, error: str) -> WindowChoice:
    return WindowChoice(choice.kind, choice.month, choice.week, choice.on, None, error)


def _with_window(choice: WindowChoice, window: Window) -> WindowChoice:
    return WindowChoice(choice.kind, choice.month, choice.week, choice.on, window, None)


def window_title(window: Window) -> str:
    """``oktober 2026``, ``v. 43 2026`` or ``avräkningsperioden som omfattar 2026-10-15``."""
    if window.kind is WindowKind.MONTH:
        return month_name(window.start)
    return window.label


def day_before(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=1)


def read_figure(text: str | None) -> Figure | None:
    """The figure named in the query; None for none or an unknown name."""
    if not text:
        return None
    try:
        return Figure(text.strip())
    except ValueError:
        return None


# -- the ledger --------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class UnitGroup:
    unit_id: str
    rows: list[ClientLedgerRow]
    total: LedgerFigures


@dataclass(frozen=True, slots=True)
class LedgerPage:
    report: LedgerReport
    findings: list[Finding]
    finding_counts: dict[str, int]

    def groups(self, names: dict[str, str]) -> list[UnitGroup]:
        """The rows per unit (by unit name), each with its subtotal."""
        by_unit: dict[str, list[ClientLedgerRow]] = {}
        for row in self.report.rows:
            by_unit.setdefault(row.unit_id, []).append(row)
        groups = []
        for unit_id in sorted(by_unit, key=lambda u: (names.get(u, u), u)):
            total = LedgerFigures()
            for row in by_unit[unit_id]:
                total = total + row.figures
            groups.append(UnitGroup(unit_id, by_unit[unit_id], total))
        return groups


def ledger_with_findings(factory: UowFactory, ctx: Context, window: Window, as_of: dt.date,
                         unit: str | None) -> LedgerPage:
    """The ledger in the caller's scope (the service checks it) and its findings."""
    unit_ids = None if unit is None else [unit]
    report = ledger_report(factory, window=window, as_of=as_of, unit_ids=unit_ids,
                           caller=ctx.caller, kept=True)
    share = rule_value(factory, "ledger.finding_share", min(as_of, window.end))
    findings = [f for row in report.rows
                for f in find(row.pseudonym, row.start, row.end, row.figures,
                              share_permille=share)]
    counts: dict[str, int] = {}
    for finding in findings:
        counts[finding.client_id] = counts.get(finding.client_id, 0) + 1
    return LedgerPage(report, findings, counts)


def requested_unit(unit: str | None) -> str | None:
    """The unit asked for: None for all; an impossible id is not found."""
    if unit is None or not unit.strip():
        return None
    found = valid_id(unit)
    if found is None:
        raise NotFoundError("Enheten", "(ogiltigt id)")
    return found


@router.get("/ledger")
def ledger_page(request: Request, window: str | None = None, month: str | None = None,
                week: str | None = None, on: str | None = None, unit: str | None = None,
                format: str | None = None,
                ctx: Context = Depends(requires(Capability.VIEW_MONEY))) -> Response:
    today = dt.date.today()
    unit_id = requested_unit(unit)
    choice = choose_window(window, month, week, on,
                           default=default_month(ctx.uow_factory, today=today))
    units = unit_choices(ctx.uow_factory, ctx.caller)
    names = {u.id: u.name for u in units}
    context = {"choice": choice, "units": units, "unit": unit_id or "", "unit_names": names,
               "figure_labels": FIGURE_LABELS, "Figure": Figure, "day_before": day_before}
    if choice.window is None:
        return render(request, "ledger/page.html", {**context, "page": None},
                      status_code=422)
    page = ledger_with_findings(ctx.uow_factory, ctx, choice.window, today, unit_id)
    if wants_xlsx(format):
        return _ledger_xlsx(page.report, choice.window, unit_id, names, today)
    return render(request, "ledger/page.html", {
        **context, "page": page, "title": window_title(choice.window),
        "xlsx_query": choice.query(unit=unit_id, format="xlsx"),
        "by_unit_only": unit_id is None and len(page.report.rows) > CLIENT_ROWS_AT_MOST,
    })


def _ledger_xlsx(report: LedgerReport, window: Window, unit_id: str | None,
                 names: dict[str, str], today: dt.date) -> Response:
    rows = [LedgerRow(r.pseudonym, r.unit_id, r.start, r.end, r.figures) for r in report.rows]
    head = [("Timredovisning", window_title(window)),
            ("Enhet", names.get(unit_id, unit_id) if unit_id else "Alla enheter i din behörighet"),
            ("Läge per", today.isoformat())]
    sheet = ledger_sheet(f"Timredovisning {window.label}", rows, head)
    return xlsx_response(f"timredovisning-{window.label}", sheet.title, sheet.columns,
                         sheet.rows, head=sheet.head, totals=True)


# -- the drill-down ------------------------------------------------------------------------
def figure_sums(items: Sequence[LedgerItem]) -> list[tuple[Figure, int, int]]:
    """(figure, minutes, öre) per figure present, in the ledger's order of figures."""
    sums: dict[Figure, list[int]] = {}
    for item in items:
        pair = sums.setdefault(item.figure, [0, 0])
        pair[0] += item.minutes
        pair[1] += item.value
    return [(f, sums[f][0], ore_of(sums[f][1])) for f in Figure if f in sums]


def sorted_items(result: DrillDown) -> list[LedgerItem]:
    return sorted(result.items, key=lambda i: (i.day, i.source_id, i.figure.value))


DRILL_DOWN_COLUMNS = (
    Column("Dag", ColumnType.DATE), Column("Post", width=36), Column("Källa"),
    Column("Id", width=24), Column("Timmar", ColumnType.HOURS),
    Column("Belopp", ColumnType.MONEY), Column("Detalj", width=50),
)


@router.get("/ledger/{client_pseudonym}")
def drill_down_page(request: Request, client_pseudonym: str, window: str | None = None,
                    month: str | None = None, week: str | None = None, on: str | None = None,
                    figure: str | None = None, unit: str | None = None,
                    format: str | None = None,
                    ctx: Context = Depends(requires(Capability.VIEW_MONEY))) -> Response:
    pseudonym = require_id(client_pseudonym, "Brukaren")
    today = dt.date.today()
    choice = choose_window(window, month, week, on,
                           default=default_month(ctx.uow_factory, today=today))
    wanted = read_figure(figure)
    back_unit = valid_id(unit) if unit else None
    context = {"choice": choice, "pseudonym": pseudonym, "figure": wanted,
               "figure_labels": FIGURE_LABELS, "Figure": Figure, "unit": back_unit or "",
               "source_labels": SOURCE_LABELS, "ore_of": ore_of}
    if choice.window is None:
        return render(request, "ledger/drill_down.html", {**context, "result": None},
                      status_code=422)
    export = wants_xlsx(format)
    result = drill_down(ctx.uow_factory, client_pseudonym=pseudonym, window=choice.window,
                        as_of=today, figure=wanted, caller=ctx.caller,
                        action=AuditAction.EXPORT if export else AuditAction.READ)
    items = sorted_items(result)
    if export:
        last = result.end - dt.timedelta(days=1)
        head = [("Brukare", result.client_pseudonym),
                ("Period", f"{result.start.isoformat()} – {last.isoformat()}"),
                ("Post", FIGURE_LABELS[wanted] if wanted else "Alla poster"),
                ("Läge per", today.isoformat())]
        rows = [(i.day, FIGURE_LABELS[i.figure], SOURCE_LABELS.get(i.source, i.source),
                 i.source_id, i.minutes, ore_of(i.value) if i.value else None, i.detail)
                for i in items]
        return xlsx_response(f"underlag-{result.client_pseudonym}-{choice.window.label}",
                             f"Underlag {result.client_pseudonym}", DRILL_DOWN_COLUMNS, rows,
                             head=head, totals=True)
    return render(request, "ledger/drill_down.html", {
        **context, "result": result, "entries": items[:DRILL_DOWN_SHOWN],
        "hidden": max(0, len(items) - DRILL_DOWN_SHOWN), "sums": figure_sums(result.items),
        "last_day": result.end - dt.timedelta(days=1), "title": window_title(choice.window),
        "back_query": choice.query(unit=back_unit),
        "xlsx_query": choice.query(figure=wanted.value if wanted else None, unit=back_unit,
                                   format="xlsx"),
    })
