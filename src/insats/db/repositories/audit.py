"""The access log: append and read. There is deliberately no update or delete here, and
the table's triggers (migration 0008) refuse both even to raw SQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from sqlalchemy import Select, func, insert, select
from sqlalchemy.orm import Session

from insats.db.models.access import AuditEventRow
from insats.domain.access import AuditEvent

_EVENT_COLUMNS = (AuditEventRow.at, AuditEventRow.username, AuditEventRow.role,
                  AuditEventRow.action, AuditEventRow.object_kind, AuditEventRow.object_id,
                  AuditEventRow.client_id, AuditEventRow.unit_id, AuditEventRow.remote_addr,
                  AuditEventRow.route, AuditEventRow.account_id)
"""AuditEvent's fields in order: the log is read as plain rows, without ORM objects."""


class AuditRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def append(self, events: Collection[AuditEvent]) -> None:
        if not events:
            return
        self.session.execute(insert(AuditEventRow), [
            {"at": e.at, "account_id": e.account_id, "username": e.username, "role": e.role,
             "action": e.action, "object_kind": e.object_kind, "object_id": e.object_id,
             "client_id": e.client_id, "unit_id": e.unit_id, "remote_addr": e.remote_addr,
             "route": e.route[:200]}
            for e in events
        ])

    def between(self, start: dt.datetime, end: dt.datetime, *, unit_id: str | None = None,
                client_id: str | None = None, username: str | None = None,
                limit: int = 1000) -> list[AuditEvent]:
        """The newest ``limit`` events from ``start`` to ``end``, newest first."""
        query = _matching(select(*_EVENT_COLUMNS), start, end, unit_id, client_id, username)
        return [AuditEvent(*row) for row in self.session.execute(
            query.order_by(AuditEventRow.at.desc(), AuditEventRow.id.desc()).limit(limit))]

    def count_between(self, start: dt.datetime, end: dt.datetime, *,
                      unit_id: str | None = None, client_id: str | None = None,
                      username: str | None = None) -> int:
        query = _matching(select(func.count()).select_from(AuditEventRow), start, end,
                          unit_id, client_id, username)
        return int(self.session.scalar(query) or 0)


def _matching(query: Select[Any], start: dt.datetime, end: dt.datetime, unit_id: str | None,
              client_id: str | None, username: str | None) -> Select[Any]:
    query = query.where(AuditEventRow.at >= start, AuditEventRow.at < end)
    if unit_id is not None:
        query = query.where(AuditEventRow.unit_id == unit_id)
    if client_id is not None:
        query = query.where(AuditEventRow.client_id == client_id)
    if username is not None:
        query = query.where(AuditEventRow.username == username)
    return query
