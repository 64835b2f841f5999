"""The reviews of the action plan (issue 8): ``/reviews`` lists those the viewer's role
may run, ``/reviews/NAME?year=2026`` (or ``?period=2026-01..2026-10``, ``&unit=U09``)
shows one: findings, tables and what it is based on; ``&format=xlsx`` downloads it."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from insats.domain.access import Capability
from insats.domain.reviews import REVIEW_ACTIONS, REVIEW_TITLES, CellKind, format_cell
from insats.interchange.review_export import review_sheets
from insats.services.key_figures import parse_period
from insats.services.review_catalogue import available_reviews, run_review
from insats.services.scope import unit_choices
from insats.web.deps import Context, requires
from insats.web.exports import wants_xlsx, workbook_response
from insats.web.templating import render

router = APIRouter(include_in_schema=False)
NUMERIC = frozenset({CellKind.COUNT, CellKind.HOURS, CellKind.MONEY, CellKind.PERCENT})


@router.get("/reviews")
def review_list(request: Request,
                ctx: Context = Depends(requires(Capability.VIEW_CLIENTS))) -> Response:
    names = available_reviews(ctx.caller)
    return render(request, "reviews/list.html", {
        "reviews": [(n.value, REVIEW_TITLES[n], REVIEW_ACTIONS[n]) for n in names],
        "year": dt.date.today().year,
    })


@router.get("/reviews/{name}")
def review_page(request: Request, name: str, year: str | None = None,
                period: str | None = None, unit: str | None = None,
                format: str | None = None,
                ctx: Context = Depends(requires(Capability.VIEW_CLIENTS))) -> Response:
    period = (period or "").strip() or None
    chosen_year = None if period else _year(year)
    start, end = parse_period(chosen_year, period)
    report = run_review(ctx.uow_factory, caller=ctx.caller, name=name[:40], start=start,
                        end=end, unit_ids=[unit] if unit else None)
    if wants_xlsx(format):
        return workbook_response(f"oversyn-{report.name.value}-{report.period_label}",
                                 review_sheets(report))
    query = {k: v for k, v in (("year", str(chosen_year or "")), ("period", period or ""),
                               ("unit", unit or "")) if v}
    tables = [(t, [[format_cell(c.kind, v) for c, v in zip(t.columns, row, strict=True)]
                   for row in t.rows],
               [("Summa" if i == 0 else format_cell(c.kind, t.column_total(i))
                 if t.column_total(i) is not None else "")
                for i, c in enumerate(t.columns)] if t.totals and t.rows else None)
              for t in report.tables]
    return render(request, "reviews/page.html", {
        "r": report, "tables": tables, "numeric": NUMERIC,
        "units": unit_choices(ctx.uow_factory, ctx.caller), "unit": unit or "",
        "year": chosen_year or "", "period": period or "",
        "xlsx_query": urlencode({**query, "format": "xlsx"}),
    })


def _year(text: str | None) -> int:
    value = (text or "").strip()
    return int(value) if value.isdigit() else dt.date.today().year
