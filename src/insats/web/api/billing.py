"""JSON API: FK claims of a month, and submitting the month's claims that are ready."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from insats.domain.access import AccessDenied, Capability
from insats.domain.fk_claims import CLAIM_STATUS_LABELS
from insats.services import billing, claims
from insats.services.ledger import default_month
from insats.web.api.ledger import ERRORS, MonthText, UnitId
from insats.web.deps import Context, requires
from insats.web.errors import error_response
from insats.web.routes.billing import can_submit
from insats.web.routes.ledger import month_text, read_month, requested_unit

router = APIRouter(prefix="/api", tags=["fakturering"])


class ClaimOut(BaseModel):
    client_pseudonym: str
    unit_id: str
    month: str = Field(description="ÅÅÅÅ-MM")
    billable_minutes: int
    amount_ore: int
    unattested_minutes: int
    deadline: dt.date
    status: str
    status_label: str
    retroactive: bool = Field(description="Omfakturering efter ett retroaktivt SFB-beslut")
    submitted_on: dt.date | None
    submitted_ore: int
    outstanding_ore: int


class ClaimsOut(BaseModel):
    month: str
    as_of: dt.date
    unit_id: str | None
    claims: list[ClaimOut]
    total_ore: int


def claim_out(row: claims.ClaimRow) -> ClaimOut:
    c = row.claim
    return ClaimOut(client_pseudonym=row.pseudonym, unit_id=row.unit_id,
                    month=month_text(c.month.year, c.month.month),
                    billable_minutes=c.billable_minutes, amount_ore=c.amount_ore,
                    unattested_minutes=c.unattested_minutes, deadline=c.deadline,
                    status=c.status.value, status_label=CLAIM_STATUS_LABELS[c.status],
                    retroactive=c.retroactive, submitted_on=c.submitted_on,
                    submitted_ore=c.submitted_ore, outstanding_ore=c.outstanding_ore)


def _bad_month(request: Request, text: str) -> Response:
    return error_response(request, 422, "month.invalid",
                          f"Månaden {text!r} ska skrivas ÅÅÅÅ-MM, till exempel 2026-10.")


@router.get("/billing/claims", response_model=ClaimsOut, responses=ERRORS,
            summary="Räkningar till Försäkringskassan för en månad")
def claims_api(request: Request, month: MonthText = None, unit: UnitId = None,
               ctx: Context = Depends(requires(Capability.VIEW_MONEY))) -> ClaimsOut | Response:
    today = dt.date.today()
    unit_id = requested_unit(unit)
    chosen = read_month(month) if month else default_month(ctx.uow_factory, today=today)
    if chosen is None:
        return _bad_month(request, month or "")
    rows = claims.month_claims(ctx.uow_factory, year=chosen[0], month=chosen[1], as_of=today,
                               unit_ids=None if unit_id is None else [unit_id],
                               caller=ctx.caller, kept=True)
    return ClaimsOut(month=month_text(*chosen), as_of=today, unit_id=unit_id,
                     claims=[claim_out(r) for r in rows],
                     total_ore=sum(r.claim.amount_ore for r in rows))


class SubmitIn(BaseModel):
    month: Annotated[str, Field(max_length=7, pattern=r"^\d{4}-\d{2}$",
                                description="Arbetsmånaden ÅÅÅÅ-MM")]


class IssuedOut(BaseModel):
    id: str
    number: str | None
    kind: str
    client_pseudonym: str | None
    minutes: int
    amount_ore: int
    issued_on: dt.date | None


class SubmitOut(BaseModel):
    month: str
    issued: list[IssuedOut]
    count: int
    message: str


@router.post("/billing/claims/submit", response_model=SubmitOut, responses=ERRORS,
             summary="Skicka månadens räkningar som är klara (attesterade eller försenade)")
def submit_api(request: Request, body: SubmitIn,
               ctx: Context = Depends(requires(Capability.VIEW_MONEY))) -> SubmitOut | Response:
    if not can_submit(ctx):
        raise AccessDenied("Räkningar till Försäkringskassan skickas för hela avdelningen "
                           "av ekonom eller avdelningschef.")
    chosen = read_month(body.month)
    if chosen is None:
        return _bad_month(request, body.month)
    today = dt.date.today()
    issued = claims.submit_claims(ctx.uow_factory, year=chosen[0], month=chosen[1],
                                  as_of=today, on=today, caller=ctx.caller)
    pseudonyms = billing.client_pseudonyms(
        ctx.uow_factory, [ln.client_id for i in issued for ln in i.lines if ln.client_id])
    out = [IssuedOut(id=i.id, number=i.number, kind=i.kind.value,
                     client_pseudonym=pseudonyms.get(i.lines[0].client_id or "")
                     if i.lines else None,
                     minutes=sum(ln.quantity_minutes or 0 for ln in i.lines),
                     amount_ore=i.total.ore, issued_on=i.issued_on) for i in issued]
    count = len(issued)
    message = ("Inga räkningar utfärdades: ingen var klar att skicka, eller allt var redan "
               "skickat." if count == 0 else f"{count} räkningar till Försäkringskassan "
               "utfärdades.")
    return SubmitOut(month=month_text(*chosen), issued=out, count=count, message=message)
