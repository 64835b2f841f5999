"""JSON API: the units in the caller's scope and one unit's figures, clients and groups."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, Field

from insats.domain.access import Capability
from insats.services.overview import parse_day
from insats.services.units import parse_kind, unit_list, unit_page
from insats.web.api.overview import ON_QUERY, FiguresOut, figures_out, points_out
from insats.web.deps import Context, requires

router = APIRouter(prefix="/api", tags=["enheter"])

UNIT_ID = Path(description="Enhetens kod, t.ex. U01", max_length=64)


class UnitOut(BaseModel):
    id: str
    name: str
    kind: str
    kind_label: str
    month: FiguresOut = Field(description="Referensdagens månad")


class UnitListOut(BaseModel):
    on: dt.date
    suppressed: bool
    units: list[UnitOut]
    total: FiguresOut
    computed_at: dt.datetime


class UnitClientOut(BaseModel):
    id: str
    pseudonym: str
    name: str | None = Field(description="Bara för roller som får se namn")
    granted_minutes: int
    performed_minutes: int
    beyond_granted_minutes: int


class UnitGroupOut(BaseModel):
    id: str
    name: str
    client_pseudonym: str | None
    regular_members: int
    members: int


class UnitDetailOut(BaseModel):
    id: str
    name: str
    kind: str
    kind_label: str
    cost_centre: str
    on: dt.date
    suppressed: bool
    week: FiguresOut
    month: FiguresOut
    weeks: list[FiguresOut]
    months: list[FiguresOut]
    clients: list[UnitClientOut] | None = Field(
        description="null för roller som bara ser sammanställningar")
    groups: list[UnitGroupOut] | None
    computed_at: dt.datetime


@router.get("/units", response_model=UnitListOut, summary="Enheter med månadens nyckeltal")
def api_units(on: str | None = ON_QUERY,
              q: str | None = Query(None, max_length=100, description="Del av namn eller kod"),
              kind: str | None = Query(None, max_length=40, description="Enhetstyp"),
              ctx: Context = Depends(requires(Capability.VIEW_AGGREGATES))) -> UnitListOut:
    listing = unit_list(ctx.uow_factory, caller=ctx.caller, on=parse_day(on), text=q,
                        kind=parse_kind(kind))
    return UnitListOut(
        on=listing.on, suppressed=listing.suppressed,
        units=[UnitOut(id=r.unit.id, name=r.unit.name, kind=r.unit.kind.value,
                       kind_label=r.kind_label, month=figures_out(listing.month, r.figures))
               for r in listing.rows],
        total=figures_out(listing.month, listing.total), computed_at=listing.computed_at)


@router.get("/units/{unit_id}", response_model=UnitDetailOut,
            summary="En enhets nyckeltal, trender, brukare och grupper")
def api_unit(unit_id: str = UNIT_ID, on: str | None = ON_QUERY,
             ctx: Context = Depends(requires(Capability.VIEW_AGGREGATES))) -> UnitDetailOut:
    page = unit_page(ctx.uow_factory, caller=ctx.caller, unit_id=unit_id, on=parse_day(on))
    return UnitDetailOut(
        id=page.unit.id, name=page.unit.name, kind=page.unit.kind.value,
        kind_label=page.kind_label, cost_centre=page.unit.cost_centre, on=page.on,
        suppressed=page.suppressed,
        week=figures_out(page.week.window, page.week.figures),
        month=figures_out(page.month.window, page.month.figures),
        weeks=points_out(page.weeks), months=points_out(page.months),
        clients=None if page.clients is None else [
            UnitClientOut(id=c.client_id, pseudonym=c.pseudonym, name=c.name,
                          granted_minutes=c.granted_minutes,
                          performed_minutes=c.performed_minutes,
                          beyond_granted_minutes=c.beyond_minutes) for c in page.clients],
        groups=None if page.groups is None else [
            UnitGroupOut(id=g.group_id, name=g.name, client_pseudonym=g.client_pseudonym,
                         regular_members=g.regular_members, members=g.members)
            for g in page.groups],
        computed_at=page.computed_at)
