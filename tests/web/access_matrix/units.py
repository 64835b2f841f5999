"""Units: every role sees key figures; a unit manager only their own units."""

from __future__ import annotations

from tests.web.access_matrix import ALL, Rule, everyone_but

RULES = [
    Rule("GET", "/units", ALL),
    Rule("GET", "/units", ALL, query="?format=xlsx"),
    Rule("GET", "/units/{unit_id}", everyone_but("enhetschef2"),
         params=lambda d: {"unit_id": d.own_unit_id}),
    Rule("GET", "/api/units", ALL),
    Rule("GET", "/api/units/{unit_id}", everyone_but("enhetschef2"),
         params=lambda d: {"unit_id": d.own_unit_id}),
]
