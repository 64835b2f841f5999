"""The key figures page: every figure of docs/key-figures.md per month and for the whole
period, for the department (or the viewer's units) or one unit, with the Kolada ids;
``?year=2026`` or ``?period=2026-01..2026-10``, ``?unit=U01``; ``?format=xlsx`` downloads
the table (every scope)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from insats.domain.access import Capability
from insats.domain.figure_catalogue import format_cell, period_label
from insats.interchange.figure_export import figure_sheets
from insats.services.key_figures import figure_report, parse_period
from insats.services.scope import unit_choices
from insats.web.deps import Context, requires
from insats.web.exports import wants_xlsx, workbook_response
from insats.web.templating import render

router = APIRouter(include_in_schema=False)
ALL_UNITS = "alla"


@router.get("/figures")
def figures_page(request: Request, year: str | None = None, period: str | None = None,
                 unit: str | None = None, format: str | None = None,
                 ctx: Context = Depends(requires(Capability.VIEW_AGGREGATES))) -> Response:
    today = dt.date.today()
    period = (period or "").strip() or None
    chosen_year = None if period else _year(year, today)
    start, end = parse_period(chosen_year, period)
    unit_id = unit if unit and unit != ALL_UNITS else None
    report = figure_report(ctx.uow_factory, caller=ctx.caller, start=start, end=end,
                           unit_ids=[unit_id] if unit_id else None, today=today)
    if wants_xlsx(format):
        return workbook_response(f"nyckeltal-{period_label(start, end).replace('..', '_')}",
                                 figure_sheets(report, (("Läge per", today.isoformat()),)))
    scope = report.scopes[0] if unit_id else report.scope(None)
    query = {k: v for k, v in (("year", str(chosen_year) if chosen_year else ""),
                               ("period", period or ""), ("unit", unit_id or "")) if v}
    rows = [(d, [format_cell(d, report.cell(d.code, scope.unit_id, key))
                 for key in report.period_keys]) for d in report.definitions]
    return render(request, "figures/page.html", {
        "r": report, "scope": scope, "rows": rows,
        "units": unit_choices(ctx.uow_factory, ctx.caller), "unit_id": unit_id or "",
        "all_units": ALL_UNITS, "year": chosen_year or "", "period": period or "",
        "label": period_label(start, end),
        "xlsx_query": urlencode({**query, "format": "xlsx"}),
    })


def _year(text: str | None, today: dt.date) -> int:
    if text and text.strip().isdigit() and len(text.strip()) == 4:
        return int(text.strip())
    return today.year
