"""Reviews of the action plan: the list for the roles that see clients; the taxi review
(money) for those that also see money, a unit manager for their own units."""

from __future__ import annotations

from tests.web.access_matrix import Rule

CLIENT_ROLES = frozenset({"avdelningschef", "enhetschef", "enhetschef2", "samordnare",
                          "ekonom"})
MONEY_ROLES = frozenset({"avdelningschef", "enhetschef", "enhetschef2", "ekonom"})

RULES = [
    Rule("GET", "/reviews", CLIENT_ROLES),
    Rule("GET", "/reviews/{name}", MONEY_ROLES, params=lambda d: {"name": "taxi"}),
    Rule("GET", "/reviews/{name}", MONEY_ROLES, params=lambda d: {"name": "taxi"},
         query="?period=2026-09..2026-10&format=xlsx"),
]
