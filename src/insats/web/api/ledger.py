"""JSON API: the hour ledger of a window and the drill-down behind a client's figures.

Minutes and öre are whole numbers (exact); labels are Swedish. The window is given as in
the page: ``window=month&month=2026-10``, ``window=week&week=2026-W43`` or
``window=period&on=2026-10-15``; without one, the last full month with reported time.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from insats.domain.access import Capability
from insats.domain.findings import Finding
from insats.domain.ledger import FIGURE_LABELS, Figure, LedgerFigures, ore_of
from insats.interchange.ledger_export import VALUED
from insats.services.ledger import default_month, drill_down
from insats.web.deps import Context, requires
from insats.web.errors import error_response
from insats.web.routes.ledger import (
    choose_window,
    ledger_with_findings,
    read_figure,
    requested_unit,
    require_id,
)

router = APIRouter(prefix="/api", tags=["timredovisning"])


class ErrorOut(BaseModel):
    """Every error of the API: a stable code and a Swedish message."""

    code: str
    message: str


ERRORS: dict[int | str, dict[str, object]] = {
    status: {"model": ErrorOut, "description": text} for status, text in (
        (400, "Felaktig begäran"), (401, "Inte inloggad"), (403, "Åtkomst nekad"),
        (404, "Finns inte"), (409, "Konflikt med nuvarande läge"),
        (422, "Ogiltiga uppgifter"))
}

WindowKind = Annotated[str | None, Query(max_length=20, description="month, week eller period")]
MonthText = Annotated[str | None, Query(max_length=7, pattern=r"^\d{4}-\d{2}$",
                                        description="ÅÅÅÅ-MM")]
WeekText = Annotated[str | None, Query(max_length=8, pattern=r"^\d{4}-W\d{2}$",
                                       description="ÅÅÅÅ-Wvv")]
DayText = Annotated[str | None, Query(max_length=10, pattern=r"^\d{4}-\d{2}-\d{2}$",
                                      description="ÅÅÅÅ-MM-DD")]
UnitId = Annotated[str | None, Query(max_length=64, description="Enhetens id")]


class FiguresOut(BaseModel):
    """Minutes of every figure and öre of those with an amount (names as in the CSV)."""

    minutes: dict[str, int]
    ore: dict[str, int]
    unused_minutes: int = Field(description="Beviljat ej utnyttjat")
    unused_ore: int
    not_payable_minutes: int = Field(description="Ej ersättning totalt")
    not_payable_ore: int


def figures_out(figures: LedgerFigures) -> FiguresOut:
    return FiguresOut(
        minutes={f.value: figures.minutes(f) for f in Figure},
        ore={f.value: figures.ore(f) for f in VALUED},
        unused_minutes=figures.unused_minutes, unused_ore=figures.unused_ore,
        not_payable_minutes=figures.not_payable_minutes, not_payable_ore=figures.not_payable_ore)


class LedgerRowOut(BaseModel):
    client_pseudonym: str
    unit_id: str
    start: dt.date
    last_day: dt.date
    figures: FiguresOut


class FindingOut(BaseModel):
    client_pseudonym: str
    kind: str
    figure: str
    minutes: int
    ore: int
    message: str


def finding_out(finding: Finding) -> FindingOut:
    return FindingOut(client_pseudonym=finding.client_id, kind=finding.kind.value,
                      figure=finding.figure.value, minutes=finding.minutes, ore=finding.ore,
                      message=finding.message)


class LedgerOut(BaseModel):
    window: str = Field(description="month, week eller period")
    label: str
    start: dt.date
    end: dt.date = Field(description="Dagen efter fönstret (för period: efter den dag som "
                                     "angavs; varje rad har sin egen period)")
    as_of: dt.date
    unit_id: str | None
    rows: list[LedgerRowOut]
    total: FiguresOut
    findings: list[FindingOut]


@router.get("/ledger", response_model=LedgerOut, responses=ERRORS,
            summary="Timredovisningen per brukare för en månad, vecka eller avräkningsperiod")
def ledger_api(request: Request, window: WindowKind = None, month: MonthText = None,
               week: WeekText = None, on: DayText = None, unit: UnitId = None,
               ctx: Context = Depends(requires(Capability.VIEW_MONEY))) -> LedgerOut | Response:
    today = dt.date.today()
    unit_id = requested_unit(unit)
    choice = choose_window(window, month, week, on,
                           default=default_month(ctx.uow_factory, today=today))
    if choice.window is None:
        return error_response(request, 422, "ledger.window", choice.error or "")
    page = ledger_with_findings(ctx.uow_factory, ctx, choice.window, today, unit_id)
    report = page.report
    return LedgerOut(
        window=choice.kind, label=choice.window.label, start=choice.window.start,
        end=choice.window.end, as_of=today, unit_id=unit_id,
        rows=[LedgerRowOut(client_pseudonym=r.pseudonym, unit_id=r.unit_id, start=r.start,
                           last_day=r.end - dt.timedelta(days=1), figures=figures_out(r.figures))
              for r in report.rows],
        total=figures_out(report.total), findings=[finding_out(f) for f in page.findings])


class ItemOut(BaseModel):
    day: dt.date
    figure: str
    label: str
    minutes: int
    ore: int
    source: str = Field(description="pass, tid eller beslut")
    source_id: str
    detail: str


class DrillDownOut(BaseModel):
    client_pseudonym: str
    start: dt.date
    last_day: dt.date
    figure: str | None
    items: list[ItemOut]


@router.get("/ledger/{client_pseudonym}", response_model=DrillDownOut, responses=ERRORS,
            summary="Passen, tidrapporterna och besluten bakom en brukares siffror")
def drill_down_api(request: Request,
                   client_pseudonym: Annotated[str, Path(max_length=64)],
                   window: WindowKind = None, month: MonthText = None, week: WeekText = None,
                   on: DayText = None,
                   figure: Annotated[str | None, Query(max_length=40)] = None,
                   ctx: Context = Depends(requires(Capability.VIEW_MONEY))
                   ) -> DrillDownOut | Response:
    pseudonym = require_id(client_pseudonym, "Brukaren")
    today = dt.date.today()
    choice = choose_window(window, month, week, on,
                           default=default_month(ctx.uow_factory, today=today))
    if choice.window is None:
        return error_response(request, 422, "ledger.window", choice.error or "")
    wanted = read_figure(figure)
    if figure and wanted is None:
        return error_response(request, 422, "ledger.figure",
                              f"Okänd post; välj bland: {', '.join(f.value for f in Figure)}.")
    result = drill_down(ctx.uow_factory, client_pseudonym=pseudonym, window=choice.window,
                        as_of=today, figure=wanted, caller=ctx.caller)
    items = sorted(result.items, key=lambda i: (i.day, i.source_id, i.figure.value))
    return DrillDownOut(
        client_pseudonym=result.client_pseudonym, start=result.start,
        last_day=result.end - dt.timedelta(days=1),
        figure=None if wanted is None else wanted.value,
        items=[ItemOut(day=i.day, figure=i.figure.value, label=FIGURE_LABELS[i.figure],
                       minutes=i.minutes, ore=ore_of(i.value), source=i.source,
                       source_id=i.source_id, detail=i.detail) for i in items])
