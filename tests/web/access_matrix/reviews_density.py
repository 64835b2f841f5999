"""The staffing-density review (staff, VIEW_STAFF): the roles that see staff; a unit
manager sees their own units."""

from __future__ import annotations

from tests.web.access_matrix import Rule

STAFF_ROLES = frozenset({"avdelningschef", "enhetschef", "enhetschef2", "samordnare"})

RULES = [
    Rule("GET", "/reviews/{name}", STAFF_ROLES, params=lambda d: {"name": "density"}),
    Rule("GET", "/reviews/{name}", STAFF_ROLES, params=lambda d: {"name": "density"},
         query="?period=2026-09..2026-10&format=xlsx"),
]
