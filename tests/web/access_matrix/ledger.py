"""The hour ledger: roles that see money (not the scheduler, not the committee); a unit
manager sees their own units, so a drill-down into the first unit's client refuses the
other unit manager."""

from __future__ import annotations

from functools import cache
from typing import Any

from insats.services.runtime import uow_factory_for
from tests.web.access_matrix import Rule

MONEY = frozenset({"avdelningschef", "enhetschef", "enhetschef2", "ekonom"})
ONE_CLIENT = frozenset({"avdelningschef", "enhetschef", "ekonom"})
WEEK = "?window=week&week=2026-W43"


@cache
def _pseudonym(url: str, client_id: str) -> str:
    with uow_factory_for(url)() as uow:
        client = uow.clients.get(client_id)
        assert client is not None
        return client.pseudonym


def _own_client(demo: Any) -> dict[str, str]:
    return {"client_pseudonym": _pseudonym(demo.url, demo.own_client_id)}


RULES = [
    Rule("GET", "/ledger", MONEY, query=WEEK),
    Rule("GET", "/ledger", MONEY, query=WEEK + "&format=xlsx"),
    Rule("GET", "/ledger/{client_pseudonym}", ONE_CLIENT, params=_own_client, query=WEEK),
    Rule("GET", "/ledger/{client_pseudonym}", ONE_CLIENT, params=_own_client,
         query=WEEK + "&format=xlsx"),
    Rule("GET", "/api/ledger", MONEY, query=WEEK),
    Rule("GET", "/api/ledger/{client_pseudonym}", ONE_CLIENT, params=_own_client, query=WEEK),
]
