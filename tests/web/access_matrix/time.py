"""The time-report approval queue (/time). Attest, reject and correct are tried on an
attested entry of ``enhetschef``'s unit: those allowed reach the service, which refuses to
change attested time or an input without a reason (so the shared demo stays as it is);
``enhetschef2`` is refused by scope, the roles without ``ATTEST_TIME`` at the route."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import select

from insats.db.models.scheduling import AssistanceGroupRow
from insats.db.models.time_reports import TimeEntryRow
from insats.domain.time_reports import TimeEntryStatus
from insats.services.runtime import uow_factory_for
from tests.web.access_matrix import Rule

READ_ROLES = frozenset({"avdelningschef", "enhetschef", "enhetschef2", "samordnare"})
ATTEST_ROLES = frozenset({"avdelningschef", "enhetschef"})


@cache
def attested_entry_of(url: str, unit_id: str) -> str:
    with uow_factory_for(url)() as uow:
        found = uow.session.scalars(
            select(TimeEntryRow.id)
            .join(AssistanceGroupRow, AssistanceGroupRow.id == TimeEntryRow.group_id)
            .where(AssistanceGroupRow.unit_id == unit_id,
                   TimeEntryRow.status == TimeEntryStatus.ATTESTED)
            .order_by(TimeEntryRow.id).limit(1)).first()
    assert found is not None
    return found


def own_attested_entry(demo: Any) -> str:
    return attested_entry_of(demo.url, demo.own_unit_id)


RULES = [
    Rule("GET", "/time", READ_ROLES),
    Rule("GET", "/time", READ_ROLES, query="?format=xlsx"),
    Rule("POST", "/time/attest", ATTEST_ROLES,
         body=lambda d: {"entry_id": own_attested_entry(d)}, refused_by_validation=True),
    Rule("POST", "/time/{entry_id}/reject", ATTEST_ROLES,
         params=lambda d: {"entry_id": own_attested_entry(d)},
         body=lambda d: {"reason": "Fel dag"}, refused_by_validation=True),
    Rule("GET", "/time/{entry_id}/correct", ATTEST_ROLES,
         params=lambda d: {"entry_id": own_attested_entry(d)}),
    Rule("POST", "/time/{entry_id}/correct", ATTEST_ROLES,
         params=lambda d: {"entry_id": own_attested_entry(d)},
         body=lambda d: {"start": "2026-01-01T07:00", "end": "2026-01-01T16:00",
                         "break_minutes": "0", "reason": ""}, refused_by_validation=True),
]
