"""The staffing reviews: surplus staff (staff, VIEW_STAFF) for the roles that see staff,
the resource unit's assignments (money, VIEW_MONEY) for those that see money; a unit
manager sees their own units."""

from __future__ import annotations

from tests.web.access_matrix import Rule

STAFF_ROLES = frozenset({"avdelningschef", "enhetschef", "enhetschef2", "samordnare"})
MONEY_ROLES = frozenset({"avdelningschef", "enhetschef", "enhetschef2", "ekonom"})

RULES = [
    Rule("GET", "/reviews/{name}", STAFF_ROLES, params=lambda d: {"name": "surplus"}),
    Rule("GET", "/reviews/{name}", STAFF_ROLES, params=lambda d: {"name": "surplus"},
         query="?period=2026-09..2026-10&format=xlsx"),
    Rule("GET", "/reviews/{name}", MONEY_ROLES, params=lambda d: {"name": "resource-unit"}),
    Rule("GET", "/reviews/{name}", MONEY_ROLES, params=lambda d: {"name": "resource-unit"},
         query="?period=2026-09..2026-10&format=xlsx"),
]
