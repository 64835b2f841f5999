"""Expense claims instead of petty-cash cards (issue 8), page ``/expenses``
(``VIEW_EXPENSES``): the claims the signed-in person registered and a form for a new one
(``CLAIM_EXPENSES``), the approval queue of submitted claims in their units
(``APPROVE_EXPENSES``: approve, or reject with a reason), and the units' recent claims
for those who read money (``VIEW_MONEY``). The service checks role and unit again.
Approve and reject carry the version the page was read at; htmx swaps the decided row,
without JavaScript the form posts and the page is shown again."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from insats.domain.access import Capability
from insats.domain.common import DomainError
from insats.domain.expenses import CLAIM_STATUS_LABELS, ExpenseClaim
from insats.services.expense_claims import (
    ClaimInputError,
    approve_claim,
    claim_from_input,
    claims_view,
    reject_claim,
)
from insats.web.deps import Context, requires
from insats.web.templating import is_htmx, render

router = APIRouter(include_in_schema=False)

def _page(request: Request, ctx: Context, *, form: dict[str, str] | None = None,
          errors: dict[str, str] | None = None, status_code: int = 200,
          notice: tuple[str, str] | None = None) -> Response:
    view = claims_view(ctx.uow_factory, caller=ctx.caller)
    viewer = ctx.caller.viewer
    return render(request, "expenses/page.html", {
        "v": view, "form": form or {}, "errors": errors or {}, "notice": notice,
        "labels": CLAIM_STATUS_LABELS,
        "can_claim": viewer.can(Capability.CLAIM_EXPENSES),
        "can_approve": viewer.can(Capability.APPROVE_EXPENSES),
        "reads_money": viewer.can(Capability.VIEW_MONEY),
    }, status_code=status_code)


@router.get("/expenses")
def expenses_page(request: Request, registered: str | None = None,
                  approved: str | None = None, rejected: str | None = None,
                  ctx: Context = Depends(requires(Capability.VIEW_EXPENSES))) -> Response:
    notice: tuple[str, str] | None = None
    if registered:
        notice = ("Utlägget registrerades:", registered[:40])
    elif approved:
        notice = ("Utlägget attesterades:", approved[:40])
    elif rejected:
        notice = ("Utlägget avvisades:", rejected[:40])
    return _page(request, ctx, notice=notice)


@router.post("/expenses")
def register_page(request: Request, employee_id: str = Form(""), spent_on: str = Form(""),
                  amount: str = Form(""), description: str = Form(""),
                  receipt_reference: str = Form(""), draft: str = Form(""),
                  ctx: Context = Depends(requires(Capability.CLAIM_EXPENSES))) -> Response:
    form = {"employee_id": employee_id[:40], "spent_on": spent_on[:20], "amount": amount[:20],
            "description": description[:400], "receipt_reference": receipt_reference[:80]}
    try:
        claim = claim_from_input(
            ctx.uow_factory, caller=ctx.caller, employee_id=form["employee_id"],
            spent_on=form["spent_on"], amount=form["amount"], description=form["description"],
            receipt_reference=form["receipt_reference"], submit=not draft)
    except ClaimInputError as invalid:
        return _page(request, ctx, form=form, errors=invalid.errors, status_code=400)
    return RedirectResponse("/expenses?" + urlencode({"registered": claim.id}),
                            status_code=303)


def _version(text: str) -> int | None:
    return int(text) if text.strip().isdigit() else None


def _decided(request: Request, claim_id: str, done: ExpenseClaim | None,
             refused: DomainError | None, query: str) -> Response:
    if is_htmx(request):
        return render(request, "expenses/_decided.html", {
            "claim_id": claim_id, "claim": done, "refused": refused,
            "labels": CLAIM_STATUS_LABELS})
    if refused is not None:
        raise refused
    return RedirectResponse("/expenses?" + urlencode({query: claim_id}), status_code=303)


@router.post("/expenses/{claim_id}/approve")
def approve_page(request: Request, claim_id: str, version: str = Form(""),
                 ctx: Context = Depends(requires(Capability.APPROVE_EXPENSES))) -> Response:
    claim_id = claim_id[:40]
    try:
        done = approve_claim(ctx.uow_factory, caller=ctx.caller, claim_id=claim_id,
                             version=_version(version))
    except DomainError as refused:
        return _decided(request, claim_id, None, refused, "approved")
    return _decided(request, claim_id, done, None, "approved")


@router.post("/expenses/{claim_id}/reject")
def reject_page(request: Request, claim_id: str, reason: str = Form(""),
                version: str = Form(""),
                ctx: Context = Depends(requires(Capability.APPROVE_EXPENSES))) -> Response:
    claim_id = claim_id[:40]
    try:
        done = reject_claim(ctx.uow_factory, caller=ctx.caller, claim_id=claim_id,
                            reason=reason[:600], version=_version(version))
    except DomainError as refused:
        return _decided(request, claim_id, None, refused, "rejected")
    return _decided(request, claim_id, done, None, "rejected")
