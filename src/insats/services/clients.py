"""Use cases: the clients in a viewer's scope, one client's page, and registering a stay.

Every read of one client goes through ``services.scope.client_in_scope``, which logs the
read (or a refused attempt) in the access log; the use case commits that line with its
own reads. A list of clients is logged as one line (object kind ``client_list``).
Names are shown only to viewers who may see identities; the personnummer only masked.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from insats.db.repositories import key_figures as queries
from insats.domain.access import AuditAction, Caller, Capability
from insats.domain.calendar import local_datetime
from insats.domain.common import DomainError
from insats.domain.decisions import HOURLY_INSATSER, INSATS_LABELS, Decision
from insats.domain.key_figures import (
    FigureWindow,
    granted_minutes,
    month_window,
    segment_range,
    segments,
    trend_months,
    trend_weeks,
)
from insats.domain.organisation import Unit
from insats.domain.stays import STAY_LABELS, ClientStay, StayKind
from insats.services.audit import Touched, log
from insats.services.form_input import (
    LATEST_DAY,
    FormInputError,
    clean_free_text,
    parse_moment,
)
from insats.services.overview import UowFactory, figure_book
from insats.services.scope import client_in_scope, unit_in_scope, visible_units
from insats.services.units import clean_text, require_id

CONTINUITY_MONTHS = 6
TEAM_DAYS = 28
LIST_LIMIT = 300
REASON_MAX = 2000


# --- the list ----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ClientRow:
    client_id: str
    pseudonym: str
    name: str | None
    unit_id: str
    unit_name: str
    granted_minutes: int  # the month of ``on``, egen regi hourly decisions
    performed_minutes: int
    beyond_minutes: int


@dataclass(frozen=True)
class ClientList:
    on: dt.date
    month: FigureWindow
    rows: list[ClientRow]
    total: int  # rows matching, before the page limit
    units: list[Unit]  # the viewer's units, for the filter
    unit_id: str | None
    text: str
    sees_names: bool
    computed_at: dt.datetime


def client_list(uow_factory: UowFactory, *, caller: Caller, unit_id: str | None = None,
                text: str | None = None, on: dt.date | None = None,
                today: dt.date | None = None, export: bool = False,
                limit: int | None = LIST_LIMIT) -> ClientList:
    """Clients of the caller's units (or of one of them), matching ``text`` (pseudonym or
    code, and name for viewers who may see names), with the month's hours. The list is
    logged once (``export`` logs it as exported)."""
    viewer = caller.viewer
    viewer.require(Capability.VIEW_CLIENTS)
    needle = clean_text(text)
    today = today or dt.date.today()
    with uow_factory() as uow:
        units = visible_units(uow, caller)
        if unit_id:
            unit_in_scope(uow, caller, require_id(unit_id, "Enheten"))
            scope_ids = [unit_id]
        else:
            scope_ids = [u.id for u in units]
        summaries = queries.client_summaries(uow.session, scope_ids, text=needle,
                                             match_names=viewer.sees_identities)
        day = on or queries.last_performed_day(uow.session) or today
        book = figure_book(uow_factory, on=day, today=today)
        log(uow, caller, AuditAction.EXPORT if export else AuditAction.READ,
            [Touched("client_list", None, None, unit_id or None)])
        uow.commit()
    unit_names = {u.id: u.name for u in units}
    index = book.month_index
    shown = summaries if limit is None else summaries[:limit]
    rows = []
    for c in shown:
        figures = book.client(c.id)
        rows.append(ClientRow(
            c.id, c.pseudonym,
            f"{c.given_name} {c.family_name}" if viewer.sees_identities else None,
            c.unit_id, unit_names.get(c.unit_id, c.unit_id),
            figures.granted[index] if figures else 0,
            figures.performed[index] if figures else 0,
            figures.beyond(index) if figures else 0))
    return ClientList(on=book.on, month=book.months[-1], rows=rows, total=len(summaries),
                      units=units, unit_id=unit_id or None, text=needle,
                      sees_names=viewer.sees_identities, computed_at=book.computed_at)


# --- one client --------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class DecisionView:
    id: str
    insats: str
    legal_basis: str
    per_week_minutes: int | None
    total_minutes: int | None
    double_per_week_minutes: int
    valid_from: dt.date
    valid_to: dt.date | None  # exclusive
    provider: str
    current: bool

    @property
    def last_day(self) -> dt.date | None:
        return None if self.valid_to is None else self.valid_to - dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class WeekHours:
    window: FigureWindow
    granted_minutes: int
    scheduled_minutes: int
    performed_minutes: int


@dataclass(frozen=True, slots=True)
class TeamMemberView:
    employee_id: str
    name: str | None  # only for viewers who may see staff
    regular: bool | None  # a member of the client's group: regular or not; None: not a member
    minutes: int  # counting time for the client in the last four weeks


@dataclass(frozen=True, slots=True)
class MonthContinuity:
    window: FigureWindow
    assistants: int
    performed_minutes: int


@dataclass(frozen=True, slots=True)
class StayView:
    id: str
    kind: StayKind
    label: str
    start: dt.datetime
    end: dt.datetime
    special_reasons: bool
    reason: str


@dataclass(frozen=True)
class ClientPage:
    client_id: str
    pseudonym: str
    name: str | None
    identity_masked: str | None
    unit: Unit
    on: dt.date
    decisions: list[DecisionView]
    weeks: list[WeekHours]
    team: list[TeamMemberView]
    team_since: dt.date
    continuity: list[MonthContinuity]
    stays: list[StayView]
    can_edit: bool
    deceased_on: dt.date | None = None
    notes: list[str] = field(default_factory=list)


def client_page(uow_factory: UowFactory, *, caller: Caller, client_id: str,
                on: dt.date | None = None, today: dt.date | None = None) -> ClientPage:
    """One client around ``on`` (default: the last day with performed time): current
    decisions, granted, scheduled and performed hours per week for 12 weeks, the team of
    the last four weeks, continuity per month for six months and the stays. The view is
    one line in the access log (a refusal too)."""
    viewer = caller.viewer
    require_id(client_id, "Brukaren")
    with uow_factory() as uow:
        client = client_in_scope(uow, caller, client_id)
        session = uow.session
        day = on or queries.last_performed_day(session) or today or dt.date.today()
        unit = uow.organisation.get(client.unit_id)
        assert unit is not None
        decisions = uow.decisions.of_client(client.id)
        providers = {p.id: p.name for p in uow.providers.all()}
        weeks = trend_weeks(day)
        months = trend_months(day, CONTINUITY_MONTHS)
        week_bounds = segments(weeks)
        month_bounds = segments(months)
        performed = queries.client_time_by_segment(session, client.id, week_bounds)
        scheduled = queries.client_scheduled_by_segment(session, client.id, week_bounds)
        assistants = queries.client_assistants_by_segment(session, client.id, month_bounds)
        month_time = queries.client_time_by_segment(session, client.id, month_bounds)
        team_since = day - dt.timedelta(days=TEAM_DAYS - 1)
        team_time = queries.client_team_time(session, client.id, team_since,
                                             day + dt.timedelta(days=1))
        group = uow.scheduling.group_of_client(client.id)
        members = uow.scheduling.members_of_group(group.id, on=day) if group else []
        names = queries.employee_names(session, [m.employee_id for m in members])
        history_start = month_window(day).start - dt.timedelta(days=365)
        stays = uow.stays.overlapping(_midnight(history_start), _midnight(LATEST_DAY),
                                      client_ids=[client.id])
        uow.commit()  # the access-log line of this read
    sees_staff = viewer.can(Capability.VIEW_STAFF)
    week_rows = []
    for window in weeks:
        span = segment_range(week_bounds, window)
        week_rows.append(WeekHours(
            window, sum(_granted(d, window) for d in decisions),
            sum(scheduled.get(s, 0) for s in span), sum(performed.get(s, 0) for s in span)))
    regular = {m.employee_id: m.is_regular for m in members}
    team: dict[str, TeamMemberView] = {}
    for t in team_time:
        team[t.employee_id] = TeamMemberView(
            t.employee_id, f"{t.given_name} {t.family_name}" if sees_staff else None,
            regular.get(t.employee_id), t.minutes)
    for m in members:
        if m.employee_id not in team:
            given, family = names.get(m.employee_id, ("", ""))
            team[m.employee_id] = TeamMemberView(
                m.employee_id, f"{given} {family}".strip() if sees_staff else None,
                m.is_regular, 0)
    continuity = []
    for window in months:
        span = segment_range(month_bounds, window)
        continuity.append(MonthContinuity(window, sum(assistants.get(s, 0) for s in span),
                                          sum(month_time.get(s, 0) for s in span)))
    shown_decisions = [
        DecisionView(d.id, INSATS_LABELS[d.insats], d.legal_basis.value,
                     d.granted_minutes_per_week, d.granted_minutes_total,
                     d.double_assistance_minutes_per_week, d.period.start, d.period.end,
                     providers.get(d.provider_id, d.provider_id), d.active_on(day))
        for d in decisions
        if d.period.end is None or d.period.end > weeks[0].start]
    shown_decisions.sort(key=lambda d: (not d.current, d.valid_from))
    return ClientPage(
        client_id=client.id, pseudonym=client.pseudonym,
        name=client.display_name if viewer.sees_identities else None,
        identity_masked=client.identity.masked() if viewer.sees_identities else None,
        unit=unit, on=day, decisions=shown_decisions, weeks=week_rows,
        team=sorted(team.values(), key=lambda t: (-t.minutes, t.employee_id)),
        team_since=team_since, continuity=continuity,
        stays=[StayView(s.id, s.kind, STAY_LABELS[s.kind], s.start, s.end, s.special_reasons,
                        s.reason) for s in sorted(stays, key=lambda s: s.start, reverse=True)],
        can_edit=viewer.can(Capability.EDIT_CLIENTS), deceased_on=client.deceased_on)


def _granted(decision: Decision, window: FigureWindow) -> int:
    if decision.insats not in HOURLY_INSATSER:
        return 0
    return granted_minutes(decision.granted_minutes_per_week, decision.granted_minutes_total,
                           decision.double_assistance_minutes_per_week, decision.period.start,
                           decision.period.end, window)


def _midnight(day: dt.date) -> dt.datetime:
    return local_datetime(day, dt.time())


# --- registering a stay ------------------------------------------------------------------
class StayInputError(FormInputError):
    """The stay form's input, field by field (``errors``: field name → Swedish message)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("stay.invalid", errors)


def _parse_moment(text: str | None, field_name: str, label: str,
                  errors: dict[str, str]) -> dt.datetime | None:
    return parse_moment(
        text, field_name, errors, missing=f"Ange när vistelsen {label}.",
        malformed=(f"Tiden då vistelsen {label} ska anges som datum och klockslag, "
                   "till exempel 2026-11-23 08:00."))


def stay_from_input(*, stay_id: str, client_id: str, kind: str | None, start: str | None,
                    end: str | None, special_reasons: bool, reason: str | None) -> ClientStay:
    """A :class:`ClientStay` from form or JSON input; the stay's own rules (it must end
    after it starts) are the domain's. Raises :class:`StayInputError`."""
    errors: dict[str, str] = {}
    stay_kind: StayKind | None = None
    try:
        stay_kind = StayKind((kind or "").strip())
    except ValueError:
        errors["kind"] = "Välj typ av vistelse."
    begins = _parse_moment(start, "start", "börjar", errors)
    ends = _parse_moment(end, "end", "slutar", errors)
    text = clean_free_text(reason)
    if len(text) > REASON_MAX:
        errors["reason"] = f"Skälet får vara högst {REASON_MAX} tecken."
    if errors or stay_kind is None or begins is None or ends is None:
        raise StayInputError(errors or {"kind": "Välj typ av vistelse."})
    try:
        return ClientStay(id=stay_id, client_id=client_id, kind=stay_kind, start=begins,
                          end=ends, special_reasons=special_reasons, reason=text)
    except DomainError as error:
        raise StayInputError({"end" if error.code == "stay.order" else "start":
                              error.message}) from error


def add_client_stay(uow_factory: UowFactory, *, caller: Caller, client_id: str,
                    kind: str | None, start: str | None, end: str | None,
                    special_reasons: bool = False, reason: str | None = None) -> ClientStay:
    """Register a stay for a client in the caller's scope, in one transaction with its
    access-log line (``create``, object kind ``client_stay``)."""
    caller.viewer.require(Capability.EDIT_CLIENTS)
    require_id(client_id, "Brukaren")
    with uow_factory() as uow:
        client = client_in_scope(uow, caller, client_id)
        stay = stay_from_input(stay_id=f"V{uuid.uuid4().hex[:20]}", client_id=client.id,
                               kind=kind, start=start, end=end,
                               special_reasons=special_reasons, reason=reason)
        uow.stays.add(stay)
        log(uow, caller, AuditAction.CREATE,
            [Touched("client_stay", stay.id, client.id, client.unit_id)])
        uow.commit()
    return stay
