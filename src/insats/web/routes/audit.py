"""The access log page: the department head reviews who read or changed what, per unit
and month."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from insats.domain.access import AUDIT_ACTION_LABELS, Capability
from insats.domain.common import DomainError
from insats.interchange.xlsx import Column
from insats.services.audit import AccessLogPage, access_log
from insats.services.scope import unit_choices
from insats.web.deps import Context, requires
from insats.web.exports import wants_xlsx, xlsx_response
from insats.web.formats import local_time
from insats.web.templating import render

router = APIRouter(include_in_schema=False)


def parse_month(text: str | None, today: dt.date) -> tuple[int, int]:
    if not text:
        return today.year, today.month
    try:
        year, month = (int(part) for part in text.split("-"))
    except ValueError:
        raise DomainError("month.invalid",
                          f"Månaden {text!r} ska skrivas ÅÅÅÅ-MM, till exempel 2026-11.") from None
    if not 1 <= month <= 12:
        raise DomainError("month.invalid", f"Månaden {text!r} finns inte.")
    return year, month


EXPORT_COLUMNS = (
    Column("Tid (svensk tid)"), Column("Användare"), Column("Roll"), Column("Händelse"),
    Column("Objekt"), Column("Objektets id"), Column("Brukare"), Column("Enhet"),
    Column("Från"), Column("Sida"),
)


def export_rows(page: AccessLogPage) -> list[list[Any]]:
    return [[local_time(e.at), e.username, e.role, AUDIT_ACTION_LABELS.get(e.action, e.action),
             e.object_kind, e.object_id or "", e.client_id or "", e.unit_id or "",
             e.remote_addr, e.route] for e in page.events]


@router.get("/audit")
def audit_page(request: Request, month: str | None = None, unit: str | None = None,
               user: str | None = None, format: str | None = None,
               ctx: Context = Depends(requires(Capability.VIEW_AUDIT))) -> Response:
    year, month_number = parse_month(month, dt.date.today())
    username = (user or "").strip() or None
    xlsx = wants_xlsx(format)
    page = access_log(ctx.uow_factory, ctx.caller, year=year, month=month_number,
                      unit_id=unit or None, username=username, export=xlsx)
    shown_month = f"{year:04d}-{month_number:02d}"
    if xlsx:
        return xlsx_response(
            f"atkomstlogg-{shown_month}", "Åtkomstlogg", EXPORT_COLUMNS, export_rows(page),
            head=(("Månad", shown_month), ("Enhet", unit or "alla enheter"),
                  ("Användare", username or "alla användare"),
                  ("Händelser", f"{len(page.events)} av {page.total}")))
    query = {k: v for k, v in (("month", shown_month), ("unit", unit), ("user", username)) if v}
    return render(request, "audit/page.html", {
        "page": page, "month": shown_month, "unit": unit or "", "user": username or "",
        "units": unit_choices(ctx.uow_factory, ctx.caller),
        "action_labels": AUDIT_ACTION_LABELS,
        "xlsx_query": urlencode({**query, "format": "xlsx"}),
    })
