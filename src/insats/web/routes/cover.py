"""Absence cover (issue 5): ``/cover?absence=ID`` or ``/cover?shift=ID`` shows, for each
shift to cover, the ranked candidates with their cost and the rule checks passed, and a
book button per candidate (``POST /cover/book``). Without a parameter the page lists the
absences of the next two weeks that have shifts in the viewer's units, and the month's
booked cover by reason.

Reading needs ``VIEW_SCHEDULES`` (and the unit scope, checked by the service); booking
needs ``PLAN_SCHEDULES`` (samordnare, avdelningschef; see ``services.cover`` for why a unit
manager does not book). A booking made on a stale list gets 409 with the page and a
Swedish message.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from insats.db.repositories._base import StaleVersionError
from insats.domain.access import Capability
from insats.domain.common import DomainError
from insats.domain.cover import COVER_REASON_LABELS, CoverReason, local_span
from insats.services.cover import book_cover, cover_options, cover_summary, open_absences
from insats.web.deps import Context, requires
from insats.web.templating import render

router = APIRouter(include_in_schema=False)

SHOWN_OPTIONS = 25  # candidates per shift on the page; the rest are counted
NOTICES = {"booked": "Passet är bokat. Valet och orsaken är sparade."}


def _page(request: Request, ctx: Context, *, absence: str | None, shift: str | None,
          notice: str | None = None, error: str | None = None,
          status_code: int = 200) -> Response:
    context: dict[str, Any] = {
        "absence_id": absence or "", "shift_id": shift or "", "view": None, "open": [],
        "summary": None, "notice": notice, "error": error, "span": local_span,
        "reasons": COVER_REASON_LABELS, "shown": SHOWN_OPTIONS,
        "can_book": ctx.viewer.can(Capability.PLAN_SCHEDULES),
    }
    if absence or shift:
        context["view"] = cover_options(ctx.uow_factory, caller=ctx.caller,
                                        absence_id=absence or None,
                                        shift_id=None if absence else shift)
    else:
        context["open"] = open_absences(ctx.uow_factory, caller=ctx.caller)
        context["summary"] = cover_summary(ctx.uow_factory, caller=ctx.caller,
                                           month=dt.date.today())
    return render(request, "cover/page.html", context, status_code=status_code)


@router.get("/cover")
def cover_page(request: Request, absence: str | None = None, shift: str | None = None,
               notice: str | None = None,
               ctx: Context = Depends(requires(Capability.VIEW_SCHEDULES))) -> Response:
    return _page(request, ctx, absence=(absence or "")[:40] or None,
                 shift=(shift or "")[:40] or None, notice=NOTICES.get(notice or ""))


@router.post("/cover/book")
def cover_book(request: Request, shift_id: str = Form(""), employee_id: str = Form(""),
               reason: str = Form(""), version: str = Form(""), absence_id: str = Form(""),
               ctx: Context = Depends(requires(Capability.PLAN_SCHEDULES))) -> Response:
    absence = absence_id[:40] or None
    shift = shift_id[:40]
    try:
        chosen = CoverReason(reason)
        expected = int(version)
    except ValueError:
        return _page(request, ctx, absence=absence, shift=shift or None,
                     error="Välj en orsak och boka från listan igen.", status_code=400)
    try:
        book_cover(ctx.uow_factory, caller=ctx.caller, shift_id=shift,
                   employee_id=employee_id[:40], reason=chosen, expected_version=expected,
                   absence_id=absence)
    except StaleVersionError as stale:
        return _page(request, ctx, absence=absence, shift=shift, error=stale.message,
                     status_code=409)
    except DomainError as refused:
        if refused.code in ("not_found", "access.denied"):
            raise
        return _page(request, ctx, absence=absence, shift=shift, error=refused.message,
                     status_code=400)
    query = {"absence": absence} if absence else {"shift": shift}
    return RedirectResponse(f"/cover?{urlencode({**query, 'notice': 'booked'})}",
                            status_code=303)
