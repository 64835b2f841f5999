"""The access log: every read or change of a client's data, a time report or an absence is
recorded with who, what, which client, when (UTC) and from where.

Services call ``log`` inside the use case's own unit of work, so a change and its log line
commit together; a read commits its log line before the data is returned.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from insats.domain.access import AuditAction, AuditEvent, Caller, Capability
from insats.domain.common import DomainError
from insats.services.runtime import UowFactory
from insats.services.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class Touched:
    """One object a use case read or changed."""

    object_kind: str  # client, decision, time_entry, absence, client_stay, ...
    object_id: str | None
    client_id: str | None = None
    unit_id: str | None = None


def log(uow: UnitOfWork, caller: Caller, action: AuditAction, touched: list[Touched],
        *, at: dt.datetime | None = None) -> None:
    """Append one access-log line per touched object (no commit: the caller's use case
    commits it with its own work)."""
    at = at or dt.datetime.now(dt.UTC)
    viewer = caller.viewer
    uow.audit.append([
        AuditEvent(at=at, username=viewer.username, role=viewer.role.value,
                   action=action.value, object_kind=t.object_kind, object_id=t.object_id,
                   client_id=t.client_id, unit_id=t.unit_id, remote_addr=caller.remote_addr,
                   route=caller.route, account_id=viewer.account_id)
        for t in touched
    ])


PAGE_EVENTS = 200
EXPORT_EVENTS = 100_000


@dataclass(frozen=True, slots=True)
class AccessLogPage:
    month: tuple[int, int]
    unit_id: str | None
    username: str | None
    events: list[AuditEvent]  # the newest first
    total: int  # matching events in the month, shown or not


def access_log(uow_factory: UowFactory, caller: Caller, *, year: int, month: int,
               unit_id: str | None = None, client_id: str | None = None,
               username: str | None = None, export: bool = False) -> AccessLogPage:
    """The access log of a calendar month (UTC), optionally of one unit, client or user:
    the newest ``PAGE_EVENTS`` events, or for a download (``export``) the newest
    ``EXPORT_EVENTS``, which is itself logged. Only the avdelningschef may read it."""
    caller.viewer.require(Capability.VIEW_AUDIT)
    if not 1 <= month <= 12:
        raise DomainError("audit.month", f"Månaden {month} finns inte.")
    start = dt.datetime(year, month, 1, tzinfo=dt.UTC)
    end = dt.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=dt.UTC)
    with uow_factory() as uow:
        events = uow.audit.between(start, end, unit_id=unit_id, client_id=client_id,
                                   username=username,
                                   limit=EXPORT_EVENTS if export else PAGE_EVENTS)
        total = uow.audit.count_between(start, end, unit_id=unit_id, client_id=client_id,
                                        username=username)
        if export:
            log(uow, caller, AuditAction.EXPORT,
                [Touched("access_log", f"{year:04d}-{month:02d}", client_id, unit_id)])
            uow.commit()
    return AccessLogPage((year, month), unit_id, username, events, total)
