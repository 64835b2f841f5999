"""Use cases: the units in a viewer's scope with their headline figures, and one unit's
figures, trends, clients and groups.

The figures come from the overview's book (``insats.services.overview``), so a unit shows
the same numbers on every page. A unit manager reaches only their own units (another unit
is refused with ``AccessDenied``); the committee sees figures with small counts
suppressed and no list of clients.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from insats.db.repositories import key_figures as queries
from insats.db.repositories._base import NotFoundError
from insats.domain.access import AuditAction, Caller, Capability
from insats.domain.key_figures import FigureWindow, KeyFigures
from insats.domain.organisation import UNIT_KIND_LABELS, Unit, UnitKind
from insats.services.audit import Touched, log
from insats.services.overview import (
    Scope,
    TrendPoint,
    UowFactory,
    read_scope,
)
from insats.services.scope import unit_in_scope

_ID = re.compile(r"^[A-Za-z0-9_.-]{1,32}$")
MAX_FILTER_LENGTH = 100


def require_id(value: str, what: str) -> str:
    """An id from a URL; anything that cannot be an id is not found."""
    if not _ID.match(value):
        raise NotFoundError(what, "med den angivna koden")
    return value


def clean_text(value: str | None) -> str:
    """A search text from a form or URL: without control characters, at most
    :data:`MAX_FILTER_LENGTH` characters."""
    if not value:
        return ""
    text = value.encode("utf-8", "replace").decode("utf-8")
    text = "".join(ch for ch in text if ch.isprintable())
    return text.strip()[:MAX_FILTER_LENGTH]


@dataclass(frozen=True, slots=True)
class UnitRow:
    unit: Unit
    kind_label: str
    figures: KeyFigures


@dataclass(frozen=True)
class UnitList:
    on: dt.date
    month: FigureWindow
    rows: list[UnitRow]
    total: KeyFigures
    text: str
    kind: UnitKind | None
    suppressed: bool
    computed_at: dt.datetime


def parse_kind(value: str | None) -> UnitKind | None:
    if not value:
        return None
    try:
        return UnitKind(value)
    except ValueError:
        return None


def unit_list(uow_factory: UowFactory, *, caller: Caller, on: dt.date | None = None,
              text: str | None = None, kind: UnitKind | None = None,
              today: dt.date | None = None) -> UnitList:
    """The units in the caller's scope whose name or code contains ``text`` (and of
    ``kind``), with the figures of the month of ``on``."""
    scope = read_scope(uow_factory, caller=caller, on=on, today=today)
    needle = clean_text(text).lower()
    units = [u for u in scope.units
             if (not needle or needle in u.name.lower() or needle in u.id.lower())
             and (kind is None or u.kind is kind)]
    index = scope.book.month_index
    rows = [UnitRow(u, UNIT_KIND_LABELS[u.kind], scope.unit_figures(u.id, index))
            for u in units]
    return UnitList(on=scope.book.on, month=scope.book.months[-1], rows=rows,
                    total=scope.total(index, [u.id for u in units]), text=clean_text(text),
                    kind=kind, suppressed=scope.suppressed, computed_at=scope.book.computed_at)


@dataclass(frozen=True, slots=True)
class UnitClient:
    client_id: str
    pseudonym: str
    name: str | None  # only for viewers who may see names
    granted_minutes: int  # the month of ``on``, egen regi
    performed_minutes: int
    beyond_minutes: int


@dataclass(frozen=True, slots=True)
class UnitGroup:
    group_id: str
    name: str
    client_pseudonym: str | None
    regular_members: int
    members: int


@dataclass(frozen=True)
class UnitPage:
    unit: Unit
    kind_label: str
    on: dt.date
    week: TrendPoint
    month: TrendPoint
    weeks: list[TrendPoint]
    months: list[TrendPoint]
    clients: list[UnitClient] | None  # None: the viewer sees aggregates only
    groups: list[UnitGroup] | None
    suppressed: bool
    computed_at: dt.datetime
    reported_through: dt.date


def unit_page(uow_factory: UowFactory, *, caller: Caller, unit_id: str,
              on: dt.date | None = None, today: dt.date | None = None) -> UnitPage:
    """One unit: its figures for the week and month of ``on`` and their trends; for
    viewers who may see clients, its clients (pseudonyms, names only for those who may
    see them) and its groups. Showing the list of clients is written to the access log."""
    caller.viewer.require(Capability.VIEW_AGGREGATES)
    require_id(unit_id, "Enheten")
    with uow_factory() as uow:
        unit = unit_in_scope(uow, caller, unit_id)
    scope: Scope = read_scope(uow_factory, caller=caller, on=on, today=today)
    book = scope.book
    points = [TrendPoint(w, scope.unit_figures(unit.id, i)) for i, w in enumerate(book.windows)]
    weeks, months = points[:len(book.weeks)], points[len(book.weeks):]
    clients: list[UnitClient] | None = None
    groups: list[UnitGroup] | None = None
    if caller.viewer.can(Capability.VIEW_CLIENTS):
        with uow_factory() as uow:
            summaries = queries.client_summaries(uow.session, [unit.id])
            pseudonyms = {c.id: c.pseudonym for c in summaries}
            counts = queries.group_members(uow.session, unit.id, book.on)
            groups = [UnitGroup(g.id, g.name, pseudonyms.get(g.client_id or "")
                                if g.client_id else None, *counts.get(g.id, (0, 0)))
                      for g in uow.scheduling.groups_of_unit(unit.id)]
            log(uow, caller, AuditAction.READ, [Touched("unit_clients", unit.id, None, unit.id)])
            uow.commit()
        index = book.month_index
        names = caller.viewer.sees_identities
        clients = []
        for c in summaries:
            figures = book.client(c.id)
            clients.append(UnitClient(
                c.id, c.pseudonym, f"{c.given_name} {c.family_name}" if names else None,
                figures.granted[index] if figures else 0,
                figures.performed[index] if figures else 0,
                figures.beyond(index) if figures else 0))
    return UnitPage(unit=unit, kind_label=UNIT_KIND_LABELS[unit.kind], on=book.on,
                    week=weeks[-1], month=months[-1], weeks=weeks, months=months,
                    clients=clients, groups=groups, suppressed=scope.suppressed,
                    computed_at=book.computed_at, reported_through=book.reported_through)
