"""Units: the list of the viewer's units with the month's headline figures (and its Excel
export), and one unit's figures, trends, clients and groups."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from insats.domain.access import Capability
from insats.domain.organisation import UNIT_KIND_LABELS
from insats.interchange.xlsx import Column, ColumnType
from insats.services.overview import parse_day
from insats.services.units import parse_kind, unit_list, unit_page
from insats.web import formats
from insats.web.deps import Context, requires
from insats.web.exports import wants_xlsx, xlsx_response
from insats.web.i18n import translator
from insats.web.routes.overview import figure_view
from insats.web.templating import language_of, render

router = APIRouter(include_in_schema=False)


@router.get("/units")
def units_page(request: Request, q: str | None = None, kind: str | None = None,
               on: str | None = None, format: str | None = None,
               ctx: Context = Depends(requires(Capability.VIEW_AGGREGATES))) -> Response:
    listing = unit_list(ctx.uow_factory, caller=ctx.caller, on=parse_day(on), text=q,
                        kind=parse_kind(kind))
    if wants_xlsx(format):
        count_type = ColumnType.TEXT if listing.suppressed else ColumnType.INTEGER

        def count(value: int | None) -> int | str:
            return formats.count(value) if listing.suppressed else (value or 0)

        columns = [Column("Enhet", width=40), Column("Kod"), Column("Typ", width=22),
                   Column("Brukare", count_type), Column("Personal", count_type),
                   Column("Årsarbetare"), Column("Beviljat", ColumnType.HOURS),
                   Column("Utfört", ColumnType.HOURS),
                   Column("Utfört utöver beviljat", ColumnType.HOURS),
                   Column("Schemalagt men ej rapporterat", ColumnType.HOURS),
                   Column("Övertid", ColumnType.HOURS), Column("Mertid", ColumnType.HOURS),
                   Column("Sjukfrånvaro")]
        rows = [[r.unit.name, r.unit.id, r.kind_label, count(r.figures.clients),
                 count(r.figures.employees),
                 "–" if r.figures.fte is None else formats.number(r.figures.fte, 1),
                 r.figures.granted_minutes, r.figures.performed_minutes,
                 r.figures.beyond_minutes, r.figures.unreported_minutes,
                 r.figures.overtime_minutes, r.figures.extra_minutes,
                 formats.percent(r.figures.sick_rate)] for r in listing.rows]
        return xlsx_response(f"enheter-{listing.month.key}", "Enheter", columns, rows,
                             head=[("Månad", formats.month_name(listing.month.start)),
                                   ("Referensdag", listing.on)],
                             totals=not listing.suppressed)
    return render(request, "units/page.html", {
        "listing": listing, "kinds": UNIT_KIND_LABELS, "q": listing.text,
        "kind": listing.kind.value if listing.kind else "", "on_value": listing.on.isoformat(),
    })


@router.get("/units/{unit_id}")
def unit_detail(request: Request, unit_id: str, on: str | None = None,
                ctx: Context = Depends(requires(Capability.VIEW_AGGREGATES))) -> Response:
    page = unit_page(ctx.uow_factory, caller=ctx.caller, unit_id=unit_id, on=parse_day(on))
    _ = translator(language_of(request))
    return render(request, "units/detail.html", {
        "u": page, "on_value": page.on.isoformat(),
        **figure_view(page.weeks, page.months, _),
    })
