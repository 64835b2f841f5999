"""The double-decisions review shows clients' decisions, stays and hours (by pseudonym):
every role that sees clients, a unit manager for their own units."""

from __future__ import annotations

from tests.web.access_matrix import Rule

CLIENT_ROLES = frozenset({"avdelningschef", "enhetschef", "enhetschef2", "samordnare",
                          "ekonom"})

RULES = [
    Rule("GET", "/reviews/{name}", CLIENT_ROLES,
         params=lambda d: {"name": "double-decisions"}),
    Rule("GET", "/reviews/{name}", CLIENT_ROLES,
         params=lambda d: {"name": "double-decisions"},
         query="?period=2026-09..2026-10&format=xlsx"),
]
