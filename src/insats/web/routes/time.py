"""The time-report approval queue (issue 5): reported entries of a unit and month with the
checks' flags (``?show=alla``: attested entries too); attest selected entries, reject one
with a reason, or correct one (a new row replaces it; the old row is kept as it was).
``?format=xlsx`` downloads the queue. Reading needs ``VIEW_STAFF``; attesting and rejecting need
``ATTEST_TIME`` (avdelningschef, enhetschef), and the service checks the unit again."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import parse_qs, urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from insats.domain.access import Capability
from insats.domain.calendar import to_local
from insats.domain.common import DomainError
from insats.domain.time_reports import TimeKind
from insats.interchange.xlsx import Column, ColumnType
from insats.services.form_input import local_input_value
from insats.services.scope import unit_choices
from insats.services.time_approval import (
    CorrectionInputError,
    TimeCheck,
    attest,
    check_time_reports,
    correct_from_input,
    entry_to_correct,
    reject,
)
from insats.web.deps import Context, requires
from insats.web.exports import wants_xlsx, xlsx_response
from insats.web.routes.ledger import month_text, read_month
from insats.web.templating import render

router = APIRouter(include_in_schema=False)

ALL_UNITS = "alla"
SHOW_ATTESTED = "alla"
KIND_LABELS = {TimeKind.ORDINARY: "Ordinarie", TimeKind.ON_CALL: "Jour",
               TimeKind.STAND_BY: "Beredskap", TimeKind.EXTRA: "Mertid",
               TimeKind.OVERTIME: "Övertid"}
EXPORT_COLUMNS = (
    Column("Tidrad"), Column("Enhet"), Column("Medarbetare"), Column("Brukare"),
    Column("Start"), Column("Slut"), Column("Slag"), Column("Arbetad tid", ColumnType.HOURS),
    Column("Flaggor"), Column("Förklaringar"),
)


def default_month(today: dt.date) -> tuple[int, int]:
    """The month before ``today``: the one whose time is attested now."""
    last = today.replace(day=1) - dt.timedelta(days=1)
    return last.year, last.month


def chosen_unit(unit: str | None, ctx: Context) -> list[str] | None:
    if unit == ALL_UNITS:
        return None
    if unit:
        return [unit]
    units = sorted(u.id for u in unit_choices(ctx.uow_factory, ctx.caller))
    return units[:1] or None


def back_to(back: str, **extra: str) -> str:
    """The queue's URL with only its own filters kept from ``back``."""
    given = parse_qs(back[:300])
    kept = {key: given[key][0][:40] for key in ("unit", "month", "show") if given.get(key)}
    return "/time?" + urlencode({**kept, **extra})


def export_rows(result: TimeCheck) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for checked in result.entries:
        entry = checked.entry
        employee = result.employees.get(entry.employee_id)
        rows.append([
            entry.id, checked.unit_id, employee.display_name if employee else entry.employee_id,
            entry.client_id or "", to_local(entry.start).strftime("%Y-%m-%d %H:%M"),
            to_local(entry.end).strftime("%Y-%m-%d %H:%M"), KIND_LABELS[entry.kind],
            entry.worked.value, ", ".join(f.label for f in checked.flags),
            " ".join(f"{f.text} ({f.rule})" for f in checked.flags),
        ])
    return rows


@router.get("/time")
def time_page(request: Request, unit: str | None = None, month: str | None = None,
              format: str | None = None, attested: str | None = None,
              rejected: str | None = None, corrected: str | None = None,
              show: str | None = None,
              ctx: Context = Depends(requires(Capability.VIEW_STAFF))) -> Response:
    chosen = read_month(month or "") or default_month(dt.date.today())
    unit_ids = chosen_unit(unit, ctx)
    with_attested = show == SHOW_ATTESTED
    result = check_time_reports(ctx.uow_factory, caller=ctx.caller,
                                month=dt.date(chosen[0], chosen[1], 1), unit_ids=unit_ids,
                                include_attested=with_attested)
    if wants_xlsx(format):
        return xlsx_response(
            f"tidrapporter-{month_text(*chosen)}", "Att attestera", EXPORT_COLUMNS,
            export_rows(result),
            head=(("Månad", month_text(*chosen)), ("Enheter", ", ".join(result.unit_ids))))
    query = {"unit": unit_ids[0] if unit_ids else ALL_UNITS, "month": month_text(*chosen)}
    if with_attested:
        query["show"] = SHOW_ATTESTED
    return render(request, "time/queue.html", {
        "r": result, "units": unit_choices(ctx.uow_factory, ctx.caller),
        "unit": query["unit"], "month": query["month"], "all_units": ALL_UNITS,
        "kind_labels": KIND_LABELS, "local": to_local,
        "can_attest": ctx.caller.viewer.can(Capability.ATTEST_TIME),
        "xlsx_query": urlencode({**query, "format": "xlsx"}), "back": urlencode(query),
        "attested": attested, "rejected": rejected, "corrected": corrected,
        "with_attested": with_attested, "show_attested": SHOW_ATTESTED,
    })


@router.post("/time/attest")
def attest_page(entry_id: list[str] = Form(default_factory=list), reason: str = Form(""),
                back: str = Form(""),
                ctx: Context = Depends(requires(Capability.ATTEST_TIME))) -> Response:
    """Attest the checked rows; flagged rows need the reason field."""
    if not entry_id:
        raise DomainError("time.attest_none", "Välj minst en tidrad att attestera.")
    chosen = dict(_with_version(value) for value in entry_id[:500])
    done = attest(ctx.uow_factory, caller=ctx.caller, entry_ids=list(chosen),
                  override_reason=reason.strip()[:500] or None,
                  versions={i: v for i, v in chosen.items() if v is not None})
    return RedirectResponse(back_to(back, attested=str(len(done.attested))),
                            status_code=303)


def _with_version(value: str) -> tuple[str, int | None]:
    """A checkbox value ``ID@VERSION`` (the version the page showed) as (id, version)."""
    entry_id, _, version = value.partition("@")
    return entry_id, int(version) if version.isdigit() else None


@router.post("/time/{entry_id}/reject")
def reject_page(entry_id: str, reason: str = Form(""), back: str = Form(""),
                version: str = Form(""),
                ctx: Context = Depends(requires(Capability.ATTEST_TIME))) -> Response:
    """Reject the entry, refused (409) when it changed since the page showed ``version``."""
    reject(ctx.uow_factory, caller=ctx.caller, entry_id=entry_id, reason=reason[:500],
           version=int(version) if version.isdigit() else None)
    return RedirectResponse(back_to(back, rejected=entry_id[:40]), status_code=303)


def _correction_form(request: Request, ctx: Context, entry_id: str, back: str, *,
                     form: dict[str, str] | None = None,
                     errors: dict[str, str] | None = None, status_code: int = 200) -> Response:
    entry = entry_to_correct(ctx.uow_factory, caller=ctx.caller, entry_id=entry_id)
    if form is None:
        form = {"start": local_input_value(entry.start), "end": local_input_value(entry.end),
                "break_minutes": str(entry.break_minutes), "reason": ""}
    return render(request, "time/correct.html", {
        "e": entry, "form": form, "errors": errors or {}, "back": back[:300],
        "back_url": back_to(back), "local": to_local, "kind_labels": KIND_LABELS,
    }, status_code=status_code)


@router.get("/time/{entry_id}/correct")
def correction_page(request: Request, entry_id: str, back: str = "",
                    ctx: Context = Depends(requires(Capability.ATTEST_TIME))) -> Response:
    return _correction_form(request, ctx, entry_id, back)


@router.post("/time/{entry_id}/correct")
def correct_page(request: Request, entry_id: str, start: str = Form(""), end: str = Form(""),
                 break_minutes: str = Form(""), reason: str = Form(""),
                 back: str = Form(""),
                 ctx: Context = Depends(requires(Capability.ATTEST_TIME))) -> Response:
    form = {"start": start[:40], "end": end[:40], "break_minutes": break_minutes[:10],
            "reason": reason[:600]}
    try:
        corrected = correct_from_input(ctx.uow_factory, caller=ctx.caller, entry_id=entry_id,
                                       start=start, end=end, break_minutes=break_minutes,
                                       reason=reason)
    except CorrectionInputError as invalid:
        return _correction_form(request, ctx, entry_id, back, form=form,
                                errors=invalid.errors, status_code=400)
    except DomainError as refused:
        if refused.code.startswith("time.correct"):
            return _correction_form(request, ctx, entry_id, back, form=form,
                                    errors={"form": refused.message}, status_code=409)
        raise
    return RedirectResponse(back_to(back, corrected=corrected.id[:40]), status_code=303)
