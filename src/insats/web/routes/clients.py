"""Clients: the list of the viewer's clients (and its Excel export), one client's page,
and the form that registers a stay (sjukhus, korttidsvistelse, skola, daglig verksamhet)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from insats.domain.access import Capability
from insats.domain.stays import STAY_LABELS
from insats.interchange.xlsx import Column, ColumnType
from insats.services.clients import (
    StayInputError,
    add_client_stay,
    client_list,
    client_page,
)
from insats.services.form_input import local_input_value
from insats.services.overview import parse_day
from insats.web import formats
from insats.web.charts import Series, legend, line_chart
from insats.web.deps import Context, requires
from insats.web.exports import wants_xlsx, xlsx_response
from insats.web.i18n import translator
from insats.web.templating import language_of, render

router = APIRouter(include_in_schema=False)

NOTICES = {"stay-added": "Vistelsen är registrerad."}


@router.get("/clients")
def clients_page(request: Request, unit: str | None = None, q: str | None = None,
                 on: str | None = None, format: str | None = None,
                 ctx: Context = Depends(requires(Capability.VIEW_CLIENTS))) -> Response:
    export = wants_xlsx(format)
    listing = client_list(ctx.uow_factory, caller=ctx.caller, unit_id=unit or None, text=q,
                          on=parse_day(on), export=export, limit=None if export else 300)
    if export:
        columns = [Column("Brukare"), Column("Kod")]
        if listing.sees_names:
            columns.append(Column("Namn", width=30))
        columns += [Column("Enhet", width=36), Column("Beviljat", ColumnType.HOURS),
                    Column("Utfört", ColumnType.HOURS),
                    Column("Utfört utöver beviljat", ColumnType.HOURS)]
        rows = []
        for r in listing.rows:
            row: list[Any] = [r.pseudonym, r.client_id]
            if listing.sees_names:
                row.append(r.name)
            row += [r.unit_name, r.granted_minutes, r.performed_minutes, r.beyond_minutes]
            rows.append(row)
        return xlsx_response(f"brukare-{listing.month.key}", "Brukare", columns, rows,
                             head=[("Månad", formats.month_name(listing.month.start)),
                                   ("Referensdag", listing.on)], totals=True)
    return render(request, "clients/page.html", {
        "listing": listing, "q": listing.text, "unit": listing.unit_id or "",
        "on_value": listing.on.isoformat(),
    })


def _client_response(request: Request, ctx: Context, client_id: str, on: str | None, *,
                     form: dict[str, Any] | None = None, errors: dict[str, str] | None = None,
                     notice: str | None = None, status_code: int = 200) -> Response:
    page = client_page(ctx.uow_factory, caller=ctx.caller, client_id=client_id,
                       on=parse_day(on))
    _ = translator(language_of(request))
    labels = [w.window.label for w in page.weeks]
    series = [Series(_("Beviljat"), [round(w.granted_minutes / 60, 1) for w in page.weeks]),
              Series(_("Schemalagt"), [round(w.scheduled_minutes / 60, 1) for w in page.weeks]),
              Series(_("Utfört"), [round(w.performed_minutes / 60, 1) for w in page.weeks])]
    title = _("Beviljat, schemalagt och utfört per vecka")
    return render(request, "clients/detail.html", {
        "c": page, "chart": line_chart(series, labels, title=title, unit="h"),
        "chart_title": title, "chart_legend": legend(series), "stay_labels": STAY_LABELS,
        "form": form or {"kind": "", "start": "", "end": "", "special_reasons": False,
                         "reason": ""},
        "errors": errors or {}, "notice": notice, "local_input": local_input_value,
    }, status_code=status_code)


@router.get("/clients/{client_id}")
def client_detail(request: Request, client_id: str, on: str | None = None,
                  notice: str | None = None,
                  ctx: Context = Depends(requires(Capability.VIEW_CLIENTS))) -> Response:
    return _client_response(request, ctx, client_id, on, notice=NOTICES.get(notice or ""))


@router.post("/clients/{client_id}/stays")
def add_stay(request: Request, client_id: str, kind: str = Form(""), start: str = Form(""),
             end: str = Form(""), special_reasons: str | None = Form(None),
             reason: str = Form(""),
             ctx: Context = Depends(requires(Capability.EDIT_CLIENTS))) -> Response:
    form = {"kind": kind, "start": start, "end": end,
            "special_reasons": bool(special_reasons), "reason": reason}
    try:
        add_client_stay(ctx.uow_factory, caller=ctx.caller, client_id=client_id, kind=kind,
                        start=start, end=end, special_reasons=bool(special_reasons),
                        reason=reason)
    except StayInputError as invalid:
        return _client_response(request, ctx, client_id, None, form=form,
                                errors=invalid.errors, status_code=400)
    return RedirectResponse(f"/clients/{client_id}?notice=stay-added#stays", status_code=303)
