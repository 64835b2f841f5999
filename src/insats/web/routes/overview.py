"""The department overview (start page)."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from insats.domain.access import Capability
from insats.services.summary import department_summary
from insats.web.deps import Context, requires
from insats.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/")
def overview(request: Request,
             ctx: Context = Depends(requires(Capability.VIEW_AGGREGATES))) -> Response:
    summary = department_summary(ctx.uow_factory, on=dt.date.today())
    rows = [row for row in summary.units]
    return render(request, "overview/page.html", {"summary": summary, "rows": rows})
