"""Billing pages: FK claims of a month (and submitting them), settlements per
beviljandeperiod, the municipality's share for clients of private providers, and the
invoices list. One page with four tabs (``?tab=claims|settlements|shares|invoices``), each
downloadable with ``?format=xlsx``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from insats.domain.access import AccessDenied, Capability
from insats.domain.billing import Invoice
from insats.domain.contracts import INVOICE_KIND_LABELS, Month
from insats.domain.fk_claims import CLAIM_STATUS_LABELS, ClaimStatus, Settlement
from insats.interchange.xlsx import Column, ColumnType
from insats.services import billing, claims
from insats.services.ledger import default_month
from insats.services.scope import unit_choices
from insats.web.deps import Context, requires
from insats.web.exports import wants_xlsx, xlsx_response
from insats.web.formats import month_name
from insats.web.routes.ledger import month_text, read_day, read_month, requested_unit
from insats.web.templating import render

router = APIRouter(include_in_schema=False)

TABS = ("claims", "settlements", "shares", "invoices")
STATUS_TONES = {
    ClaimStatus.READY: "good", ClaimStatus.SUBMITTED: "good",
    ClaimStatus.SUBMITTED_LATE: "warn", ClaimStatus.AWAITING_ATTESTATION: "warn",
    ClaimStatus.OVERDUE: "bad", ClaimStatus.MONTH_OPEN: "", ClaimStatus.NOTHING_TO_CLAIM: "",
}


def claim_status_text(row: claims.ClaimRow) -> str:
    label = CLAIM_STATUS_LABELS[row.claim.status]
    return label + (" (omfakturering)" if row.claim.retroactive else "")


def invoice_status_text(invoice: Invoice) -> str:
    text = billing.STATUS_LABELS[invoice.status]
    return f"{text} (kredit)" if invoice.is_credit_note else text


def can_submit(ctx: Context) -> bool:
    return ctx.viewer.can(Capability.VIEW_MONEY) and ctx.viewer.department_wide


@router.get("/billing")
def billing_page(request: Request, tab: str | None = None, month: str | None = None,
                 on: str | None = None, unit: str | None = None, issued: str | None = None,
                 format: str | None = None,
                 ctx: Context = Depends(requires(Capability.VIEW_MONEY))) -> Response:
    today = dt.date.today()
    shown_tab = tab if tab in TABS else "claims"
    unit_id = requested_unit(unit)
    fallback = default_month(ctx.uow_factory, today=today)
    month_given = (month or "").strip()[:40] or month_text(*fallback)
    chosen = read_month(month_given)
    day_given = (on or "").strip()[:40] or f"{month_text(*(chosen or fallback))}-15"
    day = read_day(day_given)
    units = unit_choices(ctx.uow_factory, ctx.caller)
    context: dict[str, Any] = {
        "tab": shown_tab, "month": month_given, "on": day_given, "unit": unit_id or "",
        "units": units, "unit_names": {u.id: u.name for u in units},
        "can_submit": can_submit(ctx), "errors": {}, "rows": None,
        "issued": int(issued) if issued and issued.isdigit() and len(issued) < 6 else None,
    }
    if chosen is None:
        context["errors"]["month"] = (f"Månaden {month_given!r} ska skrivas ÅÅÅÅ-MM, till "
                                      "exempel 2026-10.")
    if shown_tab == "settlements" and day is None:
        context["errors"]["on"] = (f"Dagen {day_given!r} ska skrivas ÅÅÅÅ-MM-DD, till "
                                   "exempel 2026-10-15.")
    if context["errors"]:
        return render(request, "billing/page.html", context, status_code=422)
    assert chosen is not None
    year, number = chosen
    context["title"] = month_name(chosen)
    unit_ids = None if unit_id is None else [unit_id]
    export = wants_xlsx(format)
    if shown_tab == "claims":
        rows = claims.month_claims(ctx.uow_factory, year=year, month=number, as_of=today,
                                   unit_ids=unit_ids, caller=ctx.caller, kept=True)
        if export:
            return _claims_xlsx(month_given, rows, context["unit_names"])
        context.update(rows=rows, claim_labels=CLAIM_STATUS_LABELS, tones=STATUS_TONES,
                       ready=sum(1 for r in rows if r.claim.status in claims.SUBMITTABLE
                                 and r.claim.outstanding_ore > 0))
    elif shown_tab == "settlements":
        assert day is not None
        found = claims.settlements(ctx.uow_factory, on=day, as_of=today, unit_ids=unit_ids,
                                   caller=ctx.caller, kept=True)
        if export:
            return _settlements_xlsx(day, found)
        context.update(rows=found, day_before=lambda d: d - dt.timedelta(days=1))
    elif shown_tab == "shares":
        shares = claims.municipal_shares(ctx.uow_factory, year=year, month=number,
                                         unit_ids=unit_ids, caller=ctx.caller)
        if export:
            return _shares_xlsx(month_given, shares)
        context.update(rows=shares)
    else:
        invoices = [i for i in billing.list_invoices(ctx.uow_factory, month=Month(year, number),
                                                     caller=ctx.caller)
                    if unit_id is None or i.unit_id == unit_id]
        if export:
            return _invoices_xlsx(month_given, invoices, context["unit_names"])
        context.update(rows=invoices, kind_labels=INVOICE_KIND_LABELS,
                       invoice_labels=billing.STATUS_LABELS)
    context["xlsx_query"] = urlencode({k: v for k, v in {
        "tab": shown_tab, "month": month_given,
        "on": day_given if shown_tab == "settlements" else "", "unit": unit_id or "",
        "format": "xlsx"}.items() if v})
    return render(request, "billing/page.html", context)


@router.post("/billing/claims/submit")
def submit_page(request: Request, month: str = Form(""),
                ctx: Context = Depends(requires(Capability.VIEW_MONEY))) -> Response:
    """Issue the month's claims that are ready; back to the claims with how many."""
    if not can_submit(ctx):  # the service refuses too; this answers before reading input
        raise AccessDenied("Räkningar till Försäkringskassan skickas för hela avdelningen "
                           "av ekonom eller avdelningschef.")
    month_given = month.strip()[:40]
    chosen = read_month(month_given)
    if chosen is None:
        units = unit_choices(ctx.uow_factory, ctx.caller)
        return render(request, "billing/page.html", {
            "tab": "claims", "month": month_given, "on": "", "unit": "", "rows": None,
            "units": units, "unit_names": {u.id: u.name for u in units},
            "can_submit": can_submit(ctx), "issued": None,
            "errors": {"month": f"Månaden {month_given!r} ska skrivas ÅÅÅÅ-MM, till "
                                "exempel 2026-10."},
        }, status_code=422)
    today = dt.date.today()
    issued = claims.submit_claims(ctx.uow_factory, year=chosen[0], month=chosen[1],
                                  as_of=today, on=today, caller=ctx.caller)
    target = "/billing?" + urlencode({"tab": "claims", "month": month_text(*chosen),
                                      "issued": str(len(issued))})
    return RedirectResponse(target, status_code=303)


# -- exports ------------------------------------------------------------------------------
def _claims_xlsx(month: str, rows: list[claims.ClaimRow], names: dict[str, str]) -> Response:
    columns = (Column("Brukare"), Column("Enhet"), Column("Debiterbart", ColumnType.HOURS),
               Column("Belopp", ColumnType.MONEY), Column("Ej attesterat", ColumnType.HOURS),
               Column("Sista dag", ColumnType.DATE), Column("Inskickat", ColumnType.MONEY),
               Column("Inskickad", ColumnType.DATE), Column("Status"))
    body = [(r.pseudonym, names.get(r.unit_id, r.unit_id), r.claim.billable_minutes,
             r.claim.amount_ore, r.claim.unattested_minutes, r.claim.deadline,
             r.claim.submitted_ore, r.claim.submitted_on, claim_status_text(r)) for r in rows]
    return xlsx_response(f"fk-rakningar-{month}", f"FK-räkningar {month}", columns, body,
                         head=(("Räkningar till Försäkringskassan", month),), totals=True)


def _settlements_xlsx(day: dt.date, rows: list[tuple[str, Settlement]]) -> Response:
    columns = (Column("Brukare"), Column("Från", ColumnType.DATE), Column("Till", ColumnType.DATE),
               Column("Beviljat", ColumnType.HOURS), Column("Debiterbart", ColumnType.HOURS),
               Column("Utöver beviljat", ColumnType.HOURS),
               Column("Ej utnyttjat", ColumnType.HOURS), Column("Betalning"),
               Column("Beviljat belopp", ColumnType.MONEY),
               Column("Debiterbart belopp", ColumnType.MONEY),
               Column("Återbetalning", ColumnType.MONEY),
               Column("Förlorad intäkt", ColumnType.MONEY),
               Column("Ej fakturerat", ColumnType.MONEY),
               Column("Slutavräkning senast", ColumnType.DATE))
    body = [(p, s.start, s.end - dt.timedelta(days=1), s.granted_minutes, s.billable_minutes,
             s.beyond_minutes, s.unused_minutes,
             "förskott" if s.paid_in_advance else "efterskott", s.granted_ore, s.billable_ore,
             s.repayment_ore, s.lost_ore, s.unclaimed_ore, s.final_settlement_by)
            for p, s in rows]
    return xlsx_response(f"avrakning-{day.isoformat()}", f"Avräkning {day.isoformat()}",
                         columns, body,
                         head=(("Avräkning för perioden som omfattar", day),), totals=True)


def _shares_xlsx(month: str, rows: list[claims.ShareRow]) -> Response:
    columns = (Column("Brukare"), Column("Anordnare"),
               Column("Beviljat per vecka", ColumnType.HOURS), Column("Kostnad", ColumnType.MONEY),
               Column("Källa"))
    body = [(r.pseudonym, r.provider_name or r.provider_id, r.granted_minutes_per_week, r.cost_ore,
             "uppskattning" if r.invoiced is None else f"FK:s faktura {r.invoiced.reference}")
            for r in rows]
    return xlsx_response(f"kommunens-andel-{month}", f"Kommunens andel {month}", columns, body,
                         head=(("Kommunens andel till FK", month),), totals=True)


def _invoices_xlsx(month: str, rows: list[Invoice], names: dict[str, str]) -> Response:
    columns = (Column("Nummer"), Column("Status"), Column("Typ"), Column("Mottagare"),
               Column("Enhet"), Column("Fakturadatum", ColumnType.DATE),
               Column("Förfaller", ColumnType.DATE), Column("Belopp", ColumnType.MONEY))
    body = [(i.number or f"(utkast {i.id})", invoice_status_text(i), INVOICE_KIND_LABELS[i.kind],
             i.recipient, names.get(i.unit_id, i.unit_id), i.issued_on, i.due_on, i.total.ore)
            for i in rows]
    return xlsx_response(f"fakturor-{month}", f"Fakturor {month}", columns, body,
                         head=(("Fakturor för", month),), totals=True)
