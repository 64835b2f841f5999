"""The access log page: the department head reviews who read or changed what, per unit
and month."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from insats.domain.access import AUDIT_ACTION_LABELS, Capability
from insats.domain.common import DomainError
from insats.services.audit import access_log
from insats.services.scope import unit_choices
from insats.web.deps import Context, requires
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


@router.get("/audit")
def audit_page(request: Request, month: str | None = None, unit: str | None = None,
               ctx: Context = Depends(requires(Capability.VIEW_AUDIT))) -> Response:
    year, month_number = parse_month(month, dt.date.today())
    page = access_log(ctx.uow_factory, ctx.caller, year=year, month=month_number,
                      unit_id=unit or None)
    return render(request, "audit/page.html", {
        "page": page, "month": f"{year:04d}-{month_number:02d}", "unit": unit or "",
        "units": unit_choices(ctx.uow_factory, ctx.caller),
        "action_labels": AUDIT_ACTION_LABELS,
    })
