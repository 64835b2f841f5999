"""Clients: not the committee; a unit manager only their own units' clients; stays are
registered by the department head and the client's unit manager."""

from __future__ import annotations

from typing import Any

from tests.web.access_matrix import NOT_COMMITTEE, Rule

ONE_CLIENT = frozenset({"avdelningschef", "enhetschef", "samordnare", "ekonom"})
EDITORS = frozenset({"avdelningschef", "enhetschef"})


def _stay(demo: Any) -> dict[str, Any]:
    return {"kind": "sjukhus", "start": "2026-09-01T08:00", "end": "2026-09-03T12:00",
            "reason": "Matrisens testvistelse"}


RULES = [
    Rule("GET", "/clients", NOT_COMMITTEE),
    Rule("GET", "/clients", NOT_COMMITTEE, query="?format=xlsx"),
    Rule("GET", "/clients/{client_id}", ONE_CLIENT,
         params=lambda d: {"client_id": d.own_client_id}),
    Rule("POST", "/clients/{client_id}/stays", EDITORS,
         params=lambda d: {"client_id": d.own_client_id}, body=_stay),
    Rule("GET", "/api/clients", NOT_COMMITTEE),
    Rule("GET", "/api/clients/{client_id}", ONE_CLIENT,
         params=lambda d: {"client_id": d.own_client_id}),
    Rule("POST", "/api/clients/{client_id}/stays", EDITORS,
         params=lambda d: {"client_id": d.own_client_id}, body=_stay),
]
