"""JSON API: the department's key figures (the start page's numbers).

Counts suppressed for the committee are ``null`` (shown as "<5" on the pages).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from insats.domain.access import Capability
from insats.domain.key_figures import FigureWindow, KeyFigures
from insats.services.overview import TrendPoint, department_overview, parse_day
from insats.web.deps import Context, requires

router = APIRouter(prefix="/api", tags=["nyckeltal"])

ON_QUERY = Query(None, description="Referensdag ÅÅÅÅ-MM-DD; standard är senaste dag med "
                 "utförd tid.", max_length=32)


class WindowOut(BaseModel):
    key: str = Field(description="2026-W44 eller 2026-10")
    kind: str = Field(description="week eller month")
    start: dt.date
    end: dt.date = Field(description="Första dagen efter perioden")


class FiguresOut(BaseModel):
    """Key figures of a scope in a window; minutes are whole minutes."""

    window: WindowOut
    granted_minutes: int
    performed_minutes: int
    beyond_granted_minutes: int
    unreported_minutes: int
    overtime_minutes: int
    extra_minutes: int
    sick_leave_rate: float | None
    short_sick_leave_rate: float | None
    long_sick_leave_rate: float | None
    clients: int | None = Field(description="null när antalet döljs (1–4) för nämnden")
    employees: int | None = Field(description="null när antalet döljs (1–4) för nämnden")
    fte: float | None


def window_out(window: FigureWindow) -> WindowOut:
    return WindowOut(key=window.key, kind=window.kind, start=window.start, end=window.end)


def figures_out(window: FigureWindow, f: KeyFigures) -> FiguresOut:
    return FiguresOut(
        window=window_out(window), granted_minutes=f.granted_minutes,
        performed_minutes=f.performed_minutes, beyond_granted_minutes=f.beyond_minutes,
        unreported_minutes=f.unreported_minutes, overtime_minutes=f.overtime_minutes,
        extra_minutes=f.extra_minutes, sick_leave_rate=f.sick_rate,
        short_sick_leave_rate=f.short_sick_rate, long_sick_leave_rate=f.long_sick_rate,
        clients=f.clients, employees=f.employees,
        fte=None if f.fte is None else round(f.fte, 2))


def points_out(points: Sequence[TrendPoint]) -> list[FiguresOut]:
    return [figures_out(p.window, p.figures) for p in points]


class UnitFiguresOut(BaseModel):
    unit_id: str
    unit_name: str
    figures: FiguresOut


class OverviewOut(BaseModel):
    on: dt.date
    latest_day: dt.date | None
    department_wide: bool
    suppressed: bool = Field(description="Antal 1–4 döljs (nämnden)")
    unit_ids: list[str]
    week: FiguresOut
    month: FiguresOut
    weeks: list[FiguresOut]
    months: list[FiguresOut]
    units: list[UnitFiguresOut] = Field(description="Månaden per enhet")
    units_total: FiguresOut
    computed_at: dt.datetime


@router.get("/overview", response_model=OverviewOut,
            summary="Avdelningens nyckeltal för en vecka och en månad med trender")
def api_overview(on: str | None = ON_QUERY,
                 ctx: Context = Depends(requires(Capability.VIEW_AGGREGATES))) -> OverviewOut:
    page = department_overview(ctx.uow_factory, caller=ctx.caller, on=parse_day(on))
    month = page.month.window
    return OverviewOut(
        on=page.on, latest_day=page.latest_day, department_wide=page.department_wide,
        suppressed=page.suppressed, unit_ids=[u.id for u in page.units],
        week=figures_out(page.week.window, page.week.figures),
        month=figures_out(month, page.month.figures),
        weeks=points_out(page.weeks), months=points_out(page.months),
        units=[UnitFiguresOut(unit_id=r.unit.id, unit_name=r.unit.name,
                              figures=figures_out(month, r.figures)) for r in page.unit_rows],
        units_total=figures_out(month, page.unit_total), computed_at=page.computed_at)
