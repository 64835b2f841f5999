"""The staff pages and API. An employee of ``enhetschef``'s unit who works in none of
``enhetschef2``'s groups is refused to ``enhetschef2``; the lists without a query show
each unit manager their own staff."""

from __future__ import annotations

from tests.web.access_matrix import Rule
from tests.web.access_matrix.schedule import own_employee_id

STAFF_ROLES = frozenset({"avdelningschef", "enhetschef", "enhetschef2", "samordnare"})
OWN_STAFF_ROLES = frozenset({"avdelningschef", "enhetschef", "samordnare"})

RULES = [
    Rule("GET", "/staff", STAFF_ROLES),
    Rule("GET", "/staff", STAFF_ROLES, query="?format=xlsx"),
    Rule("GET", "/staff/{employee_id}", OWN_STAFF_ROLES,
         params=lambda d: {"employee_id": own_employee_id(d)}),
    Rule("GET", "/api/staff", STAFF_ROLES),
    Rule("GET", "/api/staff/{employee_id}", OWN_STAFF_ROLES,
         params=lambda d: {"employee_id": own_employee_id(d)}),
]
