"""JSON API: the clients in the caller's scope, one client, and registering a stay.

Names only for roles that may see them; the personnummer only masked. Reading one client
is written to the access log, as on the page.
"""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Body, Depends, Path, Query
from pydantic import BaseModel, Field

from insats.domain.access import Capability
from insats.domain.stays import StayKind
from insats.services.clients import add_client_stay, client_list, client_page
from insats.services.overview import parse_day
from insats.web.api.overview import ON_QUERY, WindowOut, window_out
from insats.web.deps import Context, requires

router = APIRouter(prefix="/api", tags=["brukare"])

CLIENT_ID = Path(description="Brukarens id, t.ex. C0001", max_length=64)


class ClientRowOut(BaseModel):
    id: str
    pseudonym: str
    name: str | None = Field(description="Bara för roller som får se namn")
    unit_id: str
    unit_name: str
    granted_minutes: int = Field(description="Månadens beviljade minuter (timbeslut, egen regi)")
    performed_minutes: int
    beyond_granted_minutes: int


class ClientListOut(BaseModel):
    on: dt.date
    month: WindowOut
    total: int
    clients: list[ClientRowOut]
    computed_at: dt.datetime


class DecisionOut(BaseModel):
    id: str
    insats: str
    legal_basis: str
    granted_minutes_per_week: int | None
    granted_minutes_total: int | None
    double_assistance_minutes_per_week: int
    valid_from: dt.date
    valid_to: dt.date | None = Field(description="Första dagen då beslutet inte gäller")
    provider: str
    current: bool


class WeekHoursOut(BaseModel):
    week: WindowOut
    granted_minutes: int
    scheduled_minutes: int
    performed_minutes: int


class TeamMemberOut(BaseModel):
    employee_id: str
    name: str | None
    regular: bool | None = Field(description="Ordinarie i gruppen; null om inte medlem")
    minutes_last_four_weeks: int


class ContinuityOut(BaseModel):
    month: WindowOut
    assistants: int
    performed_minutes: int


class StayOut(BaseModel):
    id: str
    kind: StayKind
    start: dt.datetime
    end: dt.datetime
    special_reasons: bool
    reason: str


class ClientOut(BaseModel):
    id: str
    pseudonym: str
    name: str | None
    identity_masked: str | None
    unit_id: str
    unit_name: str
    on: dt.date
    decisions: list[DecisionOut]
    weeks: list[WeekHoursOut]
    team: list[TeamMemberOut]
    continuity: list[ContinuityOut]
    stays: list[StayOut]


class StayIn(BaseModel):
    kind: StayKind
    start: str = Field(max_length=64, description="Starttid, ÅÅÅÅ-MM-DDTHH:MM (svensk tid) "
                       "eller ISO 8601 med tidszon", json_schema_extra={"format": "date-time"})
    end: str = Field(max_length=64, description="Sluttid, som starttiden",
                     json_schema_extra={"format": "date-time"})
    special_reasons: bool = False
    reason: str = Field("", max_length=2000)


@router.get("/clients", response_model=ClientListOut, summary="Brukare i din behörighet")
def api_clients(unit: str | None = Query(None, max_length=64, description="Enhetens kod"),
                q: str | None = Query(None, max_length=100, description="Kod eller namn"),
                on: str | None = ON_QUERY,
                ctx: Context = Depends(requires(Capability.VIEW_CLIENTS))) -> ClientListOut:
    listing = client_list(ctx.uow_factory, caller=ctx.caller, unit_id=unit or None, text=q,
                          on=parse_day(on), limit=None)
    return ClientListOut(
        on=listing.on, month=window_out(listing.month), total=listing.total,
        clients=[ClientRowOut(id=r.client_id, pseudonym=r.pseudonym, name=r.name,
                              unit_id=r.unit_id, unit_name=r.unit_name,
                              granted_minutes=r.granted_minutes,
                              performed_minutes=r.performed_minutes,
                              beyond_granted_minutes=r.beyond_minutes)
                 for r in listing.rows],
        computed_at=listing.computed_at)


@router.get("/clients/{client_id}", response_model=ClientOut,
            summary="En brukares beslut, timmar, assistansgrupp, kontinuitet och vistelser")
def api_client(client_id: str = CLIENT_ID, on: str | None = ON_QUERY,
               ctx: Context = Depends(requires(Capability.VIEW_CLIENTS))) -> ClientOut:
    page = client_page(ctx.uow_factory, caller=ctx.caller, client_id=client_id,
                       on=parse_day(on))
    return ClientOut(
        id=page.client_id, pseudonym=page.pseudonym, name=page.name,
        identity_masked=page.identity_masked, unit_id=page.unit.id, unit_name=page.unit.name,
        on=page.on,
        decisions=[DecisionOut(id=d.id, insats=d.insats, legal_basis=d.legal_basis,
                               granted_minutes_per_week=d.per_week_minutes,
                               granted_minutes_total=d.total_minutes,
                               double_assistance_minutes_per_week=d.double_per_week_minutes,
                               valid_from=d.valid_from, valid_to=d.valid_to,
                               provider=d.provider, current=d.current)
                   for d in page.decisions],
        weeks=[WeekHoursOut(week=window_out(w.window), granted_minutes=w.granted_minutes,
                            scheduled_minutes=w.scheduled_minutes,
                            performed_minutes=w.performed_minutes) for w in page.weeks],
        team=[TeamMemberOut(employee_id=t.employee_id, name=t.name, regular=t.regular,
                            minutes_last_four_weeks=t.minutes) for t in page.team],
        continuity=[ContinuityOut(month=window_out(m.window), assistants=m.assistants,
                                  performed_minutes=m.performed_minutes)
                    for m in page.continuity],
        stays=[StayOut(id=s.id, kind=s.kind, start=s.start, end=s.end,
                       special_reasons=s.special_reasons, reason=s.reason)
               for s in page.stays])


@router.post("/clients/{client_id}/stays", response_model=StayOut, status_code=201,
             summary="Registrera en vistelse (sjukhus, korttidsvistelse, skola, daglig "
                     "verksamhet)")
def api_add_stay(client_id: str = CLIENT_ID, stay: StayIn = Body(...),
                 ctx: Context = Depends(requires(Capability.EDIT_CLIENTS))) -> StayOut:
    stored = add_client_stay(ctx.uow_factory, caller=ctx.caller, client_id=client_id,
                             kind=stay.kind.value, start=stay.start, end=stay.end,
                             special_reasons=stay.special_reasons, reason=stay.reason)
    return StayOut(id=stored.id, kind=stored.kind, start=stored.start, end=stored.end,
                   special_reasons=stored.special_reasons, reason=stored.reason)
