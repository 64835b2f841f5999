"""Key figures: every role sees them (a unit manager their own units, the committee with
small counts hidden)."""

from __future__ import annotations

from tests.web.access_matrix import ALL, Rule

RULES = [
    Rule("GET", "/figures", ALL),
    Rule("GET", "/figures", ALL, query="?period=2026-09..2026-10&format=xlsx"),
]
