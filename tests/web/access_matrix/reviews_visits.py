"""The visits review plans staff routes through clients' homes (by pseudonym): every role
that sees schedules (VIEW_SCHEDULES), a unit manager for their own units.

Both rows ask for the same period, so the week's routes are solved once per process (the
service keeps each day's plan) rather than once per row."""

from __future__ import annotations

from tests.web.access_matrix import Rule

SCHEDULE_ROLES = frozenset({"avdelningschef", "enhetschef", "enhetschef2", "samordnare"})

RULES = [
    Rule("GET", "/reviews/{name}", SCHEDULE_ROLES, params=lambda d: {"name": "visits"},
         query="?period=2026-09..2026-10"),
    Rule("GET", "/reviews/{name}", SCHEDULE_ROLES, params=lambda d: {"name": "visits"},
         query="?period=2026-09..2026-10&format=xlsx"),
]
